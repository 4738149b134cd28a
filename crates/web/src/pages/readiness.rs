//! The readiness review before a medicine session (docs/clinical-rules.md),
//! made by `attune_care::review` as of the session's own time. A clinician
//! records the blood pressure (ketamine) and confirms the medications, then
//! signs the review: it is stored as shown, with the alert it raises.
//! Holding the session signs it too and records the time it took place; a
//! "not ready" review needs an override with a reason.

use askama::Template;
use attune_care::contraindications::{self, FlagSeverity};
use attune_care::course::Modality;
use attune_care::facts::{EarlierAdministration, SessionFacts};
use attune_care::readiness::{self, BloodPressure, DoseChecks, Readiness, ReadinessReview};
use attune_care::review::{self, DoseRecord};
use attune_store::{CourseRecord, ReviewRecord, Session, SessionKind, SignedReview, StoredAlert};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use super::{day, render};
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::http::error::AppError;
use crate::measure::Loaded;

pub struct ReasonRow {
    pub outcome: &'static str,
    pub message: String,
    pub to_do: bool,
}

pub struct SignedRow {
    pub when: String,
    pub verdict: &'static str,
    pub checks: String,
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
    signed: Vec<SignedRow>,
    needs_blood_pressure: bool,
    systolic: String,
    diastolic: String,
    medications_confirmed: bool,
    held_default: String,
    held: Option<String>,
    /// For a cancelled session: when and why, instead of the form.
    cancelled: Option<String>,
    override_reason: Option<String>,
    can_write: bool,
    error: Option<String>,
}

/// The review of one medicine session and what it was made from.
pub struct Reviewed {
    pub code: String,
    pub client: Uuid,
    pub session: Session,
    pub modality: Modality,
    pub review: ReadinessReview,
    pub flags: Vec<ReasonRow>,
    pub signed: Vec<SignedReview>,
    pub checks: DoseChecks,
    /// The client's alerts as read for the review.
    pub alerts: Vec<StoredAlert>,
}

/// The checks of the latest signed review, if any.
fn signed_checks(signed: &[SignedReview]) -> DoseChecks {
    signed
        .last()
        .map_or_else(DoseChecks::default, |s| DoseChecks {
            blood_pressure: s
                .record
                .blood_pressure
                .map(|(systolic, diastolic)| BloodPressure {
                    systolic,
                    diastolic,
                }),
            medications_confirmed: s.record.medications_confirmed,
        })
}

/// Reviews a medicine session as of its own time; `checks` replace those
/// of the latest signed review when given. Not found for another client's
/// session as for an unknown one.
pub async fn reviewed<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    id: Uuid,
    need: Need,
    checks: Option<DoseChecks>,
) -> Result<Reviewed, AppError> {
    let not_found = || AppError::NotFound("session".into());
    let (client, course_id) = app.store.session_owner(id).await?.ok_or_else(not_found)?;
    let team = access::client(app, staff, client, need)
        .await
        .map_err(|_| not_found())?;
    let actor = staff.actor();
    let loaded = Loaded::read(app, &actor, client).await?;
    let record = loaded.record();
    let (_, sessions) = record
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
        return Err(AppError::NotFound("session".into()));
    }
    let course =
        CourseRecord::find(record.courses, course_id, record.intake).ok_or_else(not_found)?;
    let facts = course.facts();
    let signed = app.store.reviews(&actor, id).await?;
    let checks = checks.unwrap_or_else(|| signed_checks(&signed));
    let administrations: Vec<&dyn EarlierAdministration> = record
        .administrations
        .iter()
        .map(|a| a as &dyn EarlierAdministration)
        .collect();
    let alerts: Vec<&dyn attune_care::alerts::RaisedAlert> = record
        .alerts
        .iter()
        .map(|a: &StoredAlert| a as &dyn attune_care::alerts::RaisedAlert)
        .collect();
    let dose: SessionFacts = session.facts();
    let library = app.library();
    let review = review::review(
        &library,
        &DoseRecord {
            course: &facts,
            dose: &dose,
            administrations: &administrations,
            alerts: &alerts,
            checks,
        },
    );
    let flags = course
        .intake
        .as_ref()
        .map(|i| contraindications::screen(i, &course.modality))
        .unwrap_or_default()
        .into_iter()
        .map(|f| ReasonRow {
            outcome: match f.severity {
                FlagSeverity::Monitor => "monitor",
                FlagSeverity::Caution => "caution",
                FlagSeverity::Contraindicated => "not ready",
            },
            message: f.message,
            to_do: false,
        })
        .collect();
    Ok(Reviewed {
        code: team.code,
        client,
        session,
        modality: course.modality,
        review,
        flags,
        signed,
        checks,
        alerts: record.alerts.to_vec(),
    })
}

fn page(staff: &Staff, r: Reviewed, can_write: bool, error: Option<String>) -> Page {
    let outcome = r.review.outcome;
    let bp = r.checks.blood_pressure;
    Page {
        me: Some(staff.me()),
        client_id: r.client.to_string(),
        code: r.code,
        session: format!(
            "session {} (medicine), planned {}",
            r.session.number,
            day(r.session.scheduled_at)
        ),
        session_id: r.session.id.to_string(),
        outcome: outcome.label(),
        verdict_class: match outcome {
            Readiness::Ready => "ready",
            Readiness::Caution => "caution",
            Readiness::NotReady => "not-ready",
        },
        reasons: r
            .review
            .reasons
            .iter()
            .map(|x| ReasonRow {
                outcome: x.outcome.label(),
                message: x.message.clone(),
                to_do: x.to_do,
            })
            .collect(),
        flags: r.flags,
        signed: r
            .signed
            .iter()
            .map(|s| SignedRow {
                when: s
                    .signed_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .map(|t| t.replace('T', " ").chars().take(16).collect())
                    .unwrap_or_default(),
                verdict: s.verdict.label(),
                checks: checks_text(s),
            })
            .collect(),
        needs_blood_pressure: matches!(
            r.modality,
            Modality::Ketamine { .. } | Modality::Esketamine
        ),
        systolic: bp.map_or(String::new(), |b| b.systolic.to_string()),
        diastolic: bp.map_or(String::new(), |b| b.diastolic.to_string()),
        medications_confirmed: r.checks.medications_confirmed,
        held_default: local_minutes(r.session.scheduled_at.min(OffsetDateTime::now_utc())),
        held: r.session.held_at.map(day),
        cancelled: r
            .session
            .cancelled
            .as_ref()
            .map(|c| format!("Cancelled on {}: {}.", day(c.at), c.reason.label())),
        override_reason: r.session.readiness_override,
        can_write,
        error,
    }
}

fn checks_text(s: &SignedReview) -> String {
    let mut parts = Vec::new();
    if let Some((sys, dia)) = s.record.blood_pressure {
        parts.push(format!("blood pressure {sys}/{dia}"));
    }
    parts.push(if s.record.medications_confirmed {
        "medications confirmed".to_owned()
    } else {
        "medications not confirmed".to_owned()
    });
    parts.join(", ")
}

/// When a session was held: the form's time (`datetime-local`, UTC), or
/// now; never in the future, nor more than 30 days before it was planned.
pub fn held_time(
    text: &str,
    planned: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<OffsetDateTime, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(now);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let at = PrimitiveDateTime::parse(t, &format)
        .map_err(|_| AppError::invalid("held at", "a date and time, like 2026-12-02T09:30"))?
        .assume_utc();
    if at > now + Duration::minutes(5) {
        return Err(AppError::invalid("held at", "not in the future"));
    }
    if at < planned - Duration::days(30) {
        return Err(AppError::invalid(
            "held at",
            "not more than 30 days before the session was planned",
        ));
    }
    Ok(at)
}

/// `2026-12-02T09:30`, the value a `datetime-local` field takes (UTC).
pub fn local_minutes(t: OffsetDateTime) -> String {
    format!(
        "{}T{:02}:{:02}",
        t.date(),
        t.time().hour(),
        t.time().minute()
    )
}

pub async fn show<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let r = reviewed(&app, &staff, id, Need::Read, None).await?;
    let can_write = access::client(&app, &staff, r.client, Need::Write)
        .await
        .is_ok();
    Ok(render(&page(&staff, r, can_write, None))?.into_response())
}

#[derive(Deserialize)]
pub struct SignForm {
    #[serde(default)]
    systolic: String,
    #[serde(default)]
    diastolic: String,
    #[serde(default)]
    medications_confirmed: Option<String>,
    #[serde(default)]
    override_reason: String,
    /// When the session took place (`datetime-local`, UTC); holding only.
    #[serde(default)]
    held_at: String,
}

fn pressure(
    field: &str,
    text: &str,
    range: std::ops::RangeInclusive<u16>,
) -> Result<Option<u16>, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u16>()
        .ok()
        .filter(|v| range.contains(v))
        .map(Some)
        .ok_or_else(|| {
            AppError::invalid(
                field,
                format!(
                    "a whole number of mmHg from {} to {}",
                    range.start(),
                    range.end()
                ),
            )
        })
}

impl SignForm {
    fn checks(&self) -> Result<DoseChecks, AppError> {
        let systolic = pressure("systolic", &self.systolic, 50..=300)?;
        let diastolic = pressure("diastolic", &self.diastolic, 20..=200)?;
        let blood_pressure = match (systolic, diastolic) {
            (Some(s), Some(d)) if d < s => Some(BloodPressure {
                systolic: s,
                diastolic: d,
            }),
            (Some(_), Some(_)) => {
                return Err(AppError::invalid(
                    "diastolic",
                    "lower than the systolic pressure",
                ));
            }
            (None, None) => None,
            _ => {
                return Err(AppError::invalid(
                    "blood pressure",
                    "both systolic and diastolic, or neither",
                ));
            }
        };
        if self.override_reason.chars().count() > 2000 {
            return Err(AppError::invalid(
                "override reason",
                "at most 2,000 characters",
            ));
        }
        Ok(DoseChecks {
            blood_pressure,
            medications_confirmed: self.medications_confirmed.is_some(),
        })
    }

    fn held_at(
        &self,
        planned: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<OffsetDateTime, AppError> {
        held_time(&self.held_at, planned, now)
    }
}

/// Signs the review with the checks of the form; the alert a review short
/// of "ready" raises is stored with it (de-duplicated against open alerts).
async fn sign<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    r: &Reviewed,
    checks: DoseChecks,
) -> Result<(), AppError> {
    let actor = staff.actor();
    let alert = attune_care::alerts::from_readiness(&r.review, &r.session.facts(), false);
    let alert =
        attune_care::alerts::without_duplicates(alert.into_iter().collect(), &r.alerts).pop();
    app.store
        .sign_review(
            &actor,
            r.session.id,
            r.review.outcome,
            ReviewRecord::signed(&r.review, checks),
            staff.user.id,
            alert,
        )
        .await?;
    Ok(())
}

fn refuse(staff: &Staff, r: Reviewed, e: String) -> Result<Response, AppError> {
    let html = render(&page(staff, r, true, Some(e)))?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// The review of a session still planned, with the checks of the form.
async fn still_planned<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    id: Uuid,
    form: &SignForm,
) -> Result<(Reviewed, DoseChecks), AppError> {
    let checks = form.checks()?;
    let r = reviewed(app, staff, id, Need::Write, Some(checks)).await?;
    if r.session.held_at.is_some() || r.session.cancelled.is_some() {
        return Err(AppError::Conflict(
            "the session is no longer planned".into(),
        ));
    }
    Ok((r, checks))
}

/// Signs the review as shown, without holding the session.
pub async fn sign_only<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    let (r, checks) = still_planned(&app, &staff, id, &form).await?;
    sign(&app, &staff, &r, checks).await?;
    Ok(Redirect::to(&format!("/sessions/{id}/readiness")).into_response())
}

/// Signs the review and records the session as held at the time given.
pub async fn hold<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    let (r, checks) = still_planned(&app, &staff, id, &form).await?;
    let held_at = form.held_at(r.session.scheduled_at, OffsetDateTime::now_utc())?;
    let authorised = match readiness::authorise(&r.review, Some(form.override_reason.as_str())) {
        Ok(a) => a,
        Err(e) => return refuse(&staff, r, e.to_string()),
    };
    // An override is recorded only when the review said "not ready".
    let override_reason = (r.review.outcome == Readiness::NotReady)
        .then_some(authorised.override_reason)
        .flatten();
    sign(&app, &staff, &r, checks).await?;
    app.store
        .hold_session(&staff.actor(), id, held_at, override_reason)
        .await?;
    Ok(Redirect::to(&format!("/clients/{}", r.client)).into_response())
}
