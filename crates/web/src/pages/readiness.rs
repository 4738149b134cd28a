//! The readiness review before a medicine session (docs/clinical-rules.md):
//! alliance, preparation, pre-session anxiety and readiness, the latest
//! safety screen and contraindication flags, read from the record. Holding a
//! session the review calls "not ready" needs an override with a reason,
//! which is stored with the session.

use askama::Template;
use attune_care::alliance::{AllianceRules, summarise};
use attune_care::contraindications::{self, FlagSeverity};
use attune_care::course::{Modality, ProtocolTemplate};
use attune_care::readiness::{
    self, PreSessionCheck, Readiness, ReadinessInput, ReadinessReview, ReadinessRules,
    SafetyScreen, ScreenLevel,
};
use attune_instruments::{CategoryValue, Responses, score};
use attune_store::SessionKind;
use attune_store::{Administration, Session};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::overview::{Record, alliance_observations};
use super::{day, render};
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::http::error::AppError;

pub struct ReasonRow {
    pub outcome: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "readiness.html")]
struct Page {
    me: Option<Me>,
    client_id: String,
    code: String,
    session: String,
    session_id: String,
    outcome: &'static str,
    verdict_class: &'static str,
    reasons: Vec<ReasonRow>,
    flags: Vec<ReasonRow>,
    held: Option<String>,
    /// For a cancelled session: when and why, instead of the form.
    cancelled: Option<String>,
    override_reason: Option<String>,
    can_write: bool,
    error: Option<String>,
}

fn outcome_name(r: Readiness) -> &'static str {
    match r {
        Readiness::Ready => "ready",
        Readiness::Caution => "caution",
        Readiness::NotReady => "not ready",
    }
}

fn item(a: &Administration, position: usize) -> Option<f64> {
    a.responses.get(position).copied().flatten()
}

fn last_screen<S: Stores>(app: &Shared<S>, admins: &[Administration]) -> Option<SafetyScreen> {
    let library = app.library();
    let a = admins
        .iter()
        .rev()
        .find(|a| a.instrument == "cssrs-screener")?;
    let inst = library.get_version(&a.instrument, a.instrument_version)?;
    let sc = score(inst, &Responses::from_values(inst, &a.responses).ok()?);
    let level = match sc.categories.get("risk").cloned().flatten() {
        Some(CategoryValue::Level(l)) => ScreenLevel::from_code(&l),
        _ => None,
    };
    Some(SafetyScreen {
        at: a.administered_at,
        level,
    })
}

/// The pre-session check answered for this session, or the latest one
/// before it (items in the instrument's order: anxiety, readiness, trust,
/// intention, body).
fn pre_session(session: &Session, admins: &[Administration]) -> Option<PreSessionCheck> {
    let mine = admins
        .iter()
        .rev()
        .filter(|a| a.instrument == "pre-session-check")
        .find(|a| a.session == Some(session.id))
        .or_else(|| {
            admins.iter().rev().find(|a| {
                a.instrument == "pre-session-check" && a.administered_at <= session.scheduled_at
            })
        })?;
    Some(PreSessionCheck {
        anxiety: item(mine, 0),
        readiness: item(mine, 1),
        trust: item(mine, 2),
        intention: item(mine, 3),
        body: item(mine, 4),
    })
}

struct Loaded {
    code: String,
    client: Uuid,
    session: Session,
    review: ReadinessReview,
    flags: Vec<ReasonRow>,
}

async fn load<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    id: Uuid,
    need: Need,
) -> Result<Loaded, AppError> {
    let not_found = || AppError::NotFound("session".into());
    let (client, course_id) = app.store.session_owner(id).await?.ok_or_else(not_found)?;
    let team = access::client(app, staff, client, need)
        .await
        .map_err(|_| not_found())?;
    let record = Record::load(app, staff, client).await?;
    let (course, sessions) = record
        .courses
        .iter()
        .find(|(c, _)| c.id == course_id)
        .ok_or_else(not_found)?;
    let session = sessions
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(not_found)?
        .clone();
    if session.kind != SessionKind::Medicine {
        return Err(AppError::invalid(
            "session",
            "a readiness review is made before a medicine session",
        ));
    }
    let before: Vec<&Administration> = record
        .administrations
        .iter()
        .filter(|a| a.course == Some(course_id))
        .collect();
    let earlier: Vec<Session> = sessions
        .iter()
        .filter(|s| s.number < session.number)
        .cloned()
        .collect();
    let alliance = summarise(
        &alliance_observations(&earlier, &before),
        &AllianceRules::default(),
    );
    let intake = app
        .store
        .intakes(&staff.actor(), client)
        .await?
        .pop()
        .map(|i| i.record.to_care());
    let modality = Modality::from_code(&course.modality).unwrap_or(Modality::Other);
    let flags = intake
        .as_ref()
        .map(|i| contraindications::screen(i, &modality))
        .unwrap_or_default();
    let protocol =
        ProtocolTemplate::from_code(&course.protocol).unwrap_or(ProtocolTemplate::Custom);
    let review = readiness::review(
        &ReadinessInput {
            alliance: &alliance,
            pre_session: pre_session(&session, &record.administrations),
            last_safety_screen: last_screen(app, &record.administrations),
            contraindications: &flags,
            preparation_held: earlier
                .iter()
                .filter(|s| s.kind == SessionKind::Preparation && s.held_at.is_some())
                .count() as u32,
            preparation_required: protocol.preparation_sessions(),
            intentions_recorded: intake
                .as_ref()
                .is_some_and(|i| !i.goals_and_intentions.trim().is_empty()),
            now: OffsetDateTime::now_utc(),
        },
        &ReadinessRules::default(),
    );
    Ok(Loaded {
        code: team.code,
        client,
        session,
        review,
        flags: flags
            .iter()
            .map(|f| ReasonRow {
                outcome: match f.severity {
                    FlagSeverity::Monitor => "ready",
                    FlagSeverity::Caution => "caution",
                    FlagSeverity::Contraindicated => "not ready",
                },
                message: f.message.clone(),
            })
            .collect(),
    })
}

fn page(staff: &Staff, l: Loaded, can_write: bool, error: Option<String>) -> Page {
    Page {
        me: Some(staff.me()),
        client_id: l.client.to_string(),
        code: l.code,
        session: format!(
            "session {} (medicine), planned {}",
            l.session.number,
            day(l.session.scheduled_at)
        ),
        session_id: l.session.id.to_string(),
        outcome: outcome_name(l.review.outcome),
        verdict_class: match l.review.outcome {
            Readiness::Ready => "ready",
            Readiness::Caution => "caution",
            Readiness::NotReady => "not-ready",
        },
        reasons: l
            .review
            .reasons
            .iter()
            .map(|r| ReasonRow {
                outcome: outcome_name(r.outcome),
                message: r.message.clone(),
            })
            .collect(),
        flags: l.flags,
        held: l.session.held_at.map(day),
        cancelled: l
            .session
            .cancelled
            .as_ref()
            .map(|c| format!("Cancelled on {}: {}.", day(c.at), c.reason.label())),
        override_reason: l.session.readiness_override,
        can_write,
        error,
    }
}

pub async fn show<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let loaded = load(&app, &staff, id, Need::Read).await?;
    let can_write = access::client(&app, &staff, loaded.client, Need::Write)
        .await
        .is_ok();
    Ok(render(&page(&staff, loaded, can_write, None))?.into_response())
}

#[derive(Deserialize)]
pub struct Hold {
    #[serde(default)]
    override_reason: String,
}

pub async fn hold<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<Hold>,
) -> Result<Response, AppError> {
    let loaded = load(&app, &staff, id, Need::Write).await?;
    if form.override_reason.chars().count() > 2000 {
        return Err(AppError::invalid(
            "override reason",
            "at most 2,000 characters",
        ));
    }
    let reason = Some(form.override_reason.as_str());
    let authorised = match readiness::authorise(&loaded.review, reason) {
        Ok(a) => a,
        Err(e) => {
            let html = render(&page(&staff, loaded, true, Some(e.to_string())))?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    // An override is recorded only when the review said "not ready".
    let override_reason = (loaded.review.outcome == Readiness::NotReady)
        .then_some(authorised.override_reason)
        .flatten();
    app.store
        .hold_session(
            &staff.actor(),
            id,
            OffsetDateTime::now_utc(),
            override_reason,
        )
        .await?;
    Ok(Redirect::to(&format!("/clients/{}", loaded.client)).into_response())
}
