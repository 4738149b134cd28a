//! Clients, their courses and sessions, and their administrations. Clinician
//! entry (`POST .../administrations`) scores with the same code as the portal
//! and raises the same alerts, in the same transaction as the record.

use attune_store::Code;
use attune_store::Placement;
use attune_store::{Administration, ClientSummary, CompletedVia, Course, Session};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::{ApiResult, ApiStaff};
use crate::access::{self, Area, Need};
use crate::app::{Shared, Stores};
use crate::http::error::AppError;
use crate::measure;

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

#[derive(Serialize)]
pub struct ClientRow {
    id: Uuid,
    code: String,
    lead_therapist: Uuid,
    co_therapist: Option<Uuid>,
}

impl From<ClientSummary> for ClientRow {
    fn from(c: ClientSummary) -> Self {
        ClientRow {
            id: c.id,
            code: c.code,
            lead_therapist: c.lead_therapist,
            co_therapist: c.co_therapist,
        }
    }
}

/// The caller's own caseload.
pub async fn list<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
) -> ApiResult<Vec<ClientRow>> {
    access::require(&staff, Area::Clinical)?;
    let list = app.store.caseload(&staff.actor(), staff.user.id).await?;
    Ok(Json(list.into_iter().map(ClientRow::from).collect()))
}

#[derive(Serialize)]
pub struct SessionOut {
    id: Uuid,
    number: u32,
    kind: &'static str,
    scheduled_at: String,
    held_at: Option<String>,
    readiness_override: Option<String>,
    cancelled_at: Option<String>,
    cancel_reason: Option<&'static str>,
}

impl From<&Session> for SessionOut {
    fn from(s: &Session) -> Self {
        SessionOut {
            id: s.id,
            number: s.number,
            kind: s.kind.code(),
            scheduled_at: rfc3339(s.scheduled_at),
            held_at: s.held_at.map(rfc3339),
            readiness_override: s.readiness_override.clone(),
            cancelled_at: s.cancelled.as_ref().map(|c| rfc3339(c.at)),
            cancel_reason: s.cancelled.as_ref().map(|c| c.reason.code()),
        }
    }
}

#[derive(Serialize)]
pub struct CourseOut {
    id: Uuid,
    modality: String,
    protocol: String,
    started_on: String,
    sessions: Vec<SessionOut>,
}

#[derive(Serialize)]
pub struct ClientOut {
    id: Uuid,
    code: String,
    name: String,
    lead_therapist: Uuid,
    co_therapist: Option<Uuid>,
    courses: Vec<CourseOut>,
}

fn course_out(c: &Course, sessions: &[Session]) -> CourseOut {
    CourseOut {
        id: c.id,
        modality: c.modality.clone(),
        protocol: c.protocol.clone(),
        started_on: c.started_on.to_string(),
        sessions: sessions.iter().map(SessionOut::from).collect(),
    }
}

pub async fn one<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<Uuid>,
) -> ApiResult<ClientOut> {
    access::client(&app, &staff, id, Need::Read).await?;
    let actor = staff.actor();
    let client = app.store.client(&actor, id).await?;
    let mut courses = Vec::new();
    for c in app.store.courses(&actor, id).await? {
        let sessions = app.store.sessions(&actor, c.id).await?;
        courses.push(course_out(&c, &sessions));
    }
    Ok(Json(ClientOut {
        id,
        code: client.code,
        name: client.details.name,
        lead_therapist: client.lead_therapist,
        co_therapist: client.co_therapist,
        courses,
    }))
}

#[derive(Serialize)]
pub struct AdministrationOut {
    id: Uuid,
    instrument: String,
    instrument_version: u32,
    respondent: &'static str,
    course: Option<Uuid>,
    session: Option<Uuid>,
    time_point: Option<String>,
    administered_at: String,
    completed_via: &'static str,
    answers: Vec<Option<f64>>,
    total: Option<f64>,
    band: Option<String>,
    complete: bool,
    prorated: bool,
    wording_pack: Option<String>,
    scorer: String,
    supersedes: Option<Uuid>,
}

impl From<Administration> for AdministrationOut {
    fn from(a: Administration) -> Self {
        AdministrationOut {
            id: a.id,
            instrument: a.instrument,
            instrument_version: a.instrument_version,
            respondent: a.respondent.code(),
            course: a.course,
            session: a.session,
            time_point: a.time_point,
            administered_at: rfc3339(a.administered_at),
            completed_via: a.completed_via.code(),
            answers: a.responses,
            total: a.total,
            band: a.band,
            complete: a.complete,
            prorated: a.prorated,
            wording_pack: a.wording_pack,
            scorer: a.scorer,
            supersedes: a.supersedes,
        }
    }
}

pub async fn administrations<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<Uuid>,
) -> ApiResult<Vec<AdministrationOut>> {
    access::client(&app, &staff, id, Need::Read).await?;
    let list = app.store.administrations(&staff.actor(), id).await?;
    Ok(Json(
        list.into_iter().map(AdministrationOut::from).collect(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    /// Chosen by the caller: a retry with the same key stores nothing new.
    idempotency_key: String,
    instrument: String,
    /// In item order; `null` for an unanswered item.
    answers: Vec<Option<f64>>,
    #[serde(default)]
    session: Option<Uuid>,
    #[serde(default)]
    time_point: Option<String>,
}

#[derive(Serialize)]
pub struct Entered {
    id: Uuid,
    created: bool,
    total: Option<f64>,
    band: Option<String>,
    complete: bool,
    alerts: Vec<Uuid>,
}

/// A measure entered on the client's behalf (a paper form), or a clinician-rated one.
pub async fn submit<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<Uuid>,
    body: Result<Json<NewEntry>, JsonRejection>,
) -> ApiResult<Entered> {
    let library = app.library();
    access::client(&app, &staff, id, Need::Write).await?;
    let Json(entry) = body.map_err(|e| super::body_error(&e))?;
    let inst = library
        .get(&entry.instrument)
        .map_err(|e| AppError::invalid("instrument", e.to_string()))?;
    let actor = staff.actor();
    let course = match entry.session {
        Some(session) => {
            let (client, course) = app
                .store
                .session_owner(session)
                .await?
                .ok_or_else(|| AppError::invalid("session", "no such session"))?;
            if client != id {
                return Err(
                    AppError::invalid("session", "the session belongs to another client").into(),
                );
            }
            Some(course)
        }
        None => app.store.courses(&actor, id).await?.last().map(|c| c.id),
    };
    let loaded = measure::Loaded::read(&app, &actor, id).await?;
    let (new, sc) = measure::administration(
        &library,
        inst,
        entry.answers,
        loaded.record(),
        Placement {
            idempotency_key: entry.idempotency_key,
            client: id,
            course,
            session: entry.session,
            time_point: entry.time_point,
            via: CompletedVia::ClinicianEntry,
            at: OffsetDateTime::now_utc(),
        },
    )?;
    let done = app.store.submit(&actor, new).await?;
    Ok(Json(Entered {
        id: done.id,
        created: done.created,
        total: sc.total,
        band: sc.band,
        complete: sc.complete,
        alerts: done.alerts,
    }))
}
