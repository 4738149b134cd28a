//! A session's record: who was there, the setting, medicine and vitals for a
//! medicine session (each save a new version; the form is `session_form`),
//! notes (session notes for the care team; process notes kept apart, for
//! their author only), and the paper-form entry (`entry`) on the same page.

use askama::Template;
use attune_store::{Code, SessionKind};
use attune_store::{NewNote, NoteKind};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::context::{Context, context};
use super::form::DetailsForm;
use crate::access::Need;
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::auth::tokens;
use crate::http::error::AppError;
use crate::pages::{day, render};
use crate::questions::{self, Question};

pub struct NoteRow {
    pub written: String,
    pub body: String,
}

pub struct Instrument {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "session.html")]
struct Page {
    me: Option<Me>,
    id: String,
    client_id: String,
    code: String,
    title: String,
    medicine: bool,
    held: Option<String>,
    can_write: bool,
    version: Option<u32>,
    d: DetailsForm,
    session_notes: Vec<NoteRow>,
    process_notes: Vec<NoteRow>,
    instruments: Vec<Instrument>,
    entry: Option<Entry>,
    error: Option<String>,
    /// "cancelled on …: reason", for a session that will not take place.
    cancelled: Option<String>,
    planned: bool,
    /// The planned time, as a date-time field shows it (UTC).
    scheduled: String,
    /// The time "record as held" proposes: the planned time once it has passed.
    held_default: String,
    reasons: Vec<(&'static str, &'static str)>,
    videos: Vec<super::video::VideoRow>,
    /// The client's current consent to video recording.
    video_consent: bool,
    max_video: String,
}

/// The paper-form entry of one measure.
pub struct Entry {
    pub instrument: String,
    pub name: String,
    pub questions: Vec<Question>,
    pub key: String,
}

async fn page<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    ctx: Context,
    form: Option<DetailsForm>,
    entry: Option<&str>,
    error: Option<String>,
) -> Result<Page, AppError> {
    let library = app.library();
    let actor = staff.actor();
    let saved = app.store.session_details(&actor, ctx.session.id).await?;
    let notes = app.store.notes(&actor, ctx.client, staff.user.id).await?;
    let rows = |kind: NoteKind| {
        notes
            .iter()
            .filter(|n| n.session == Some(ctx.session.id) && n.kind == kind)
            .map(|n| NoteRow {
                written: day(n.written_at),
                body: n.body.clone(),
            })
            .collect()
    };
    let entry = match entry {
        Some(id) => {
            let inst = library
                .get(id)
                .map_err(|e| AppError::invalid("instrument", e.to_string()))?;
            Some(Entry {
                instrument: inst.id().to_owned(),
                name: inst.definition().name.clone(),
                questions: questions::build(&library, inst, &[]),
                key: tokens::new_token()?,
            })
        }
        None => None,
    };
    let videos = app.store.client_videos(&actor, ctx.client).await?;
    let video_consent = app
        .store
        .consents(&actor, ctx.client)
        .await?
        .iter()
        .any(|c| c.kind == attune_store::ConsentKind::VideoRecording && c.granted);
    let s = &ctx.session;
    Ok(Page {
        cancelled: s
            .cancelled
            .as_ref()
            .map(|c| format!("Cancelled on {}: {}.", day(c.at), c.reason.label())),
        planned: s.planned(),
        scheduled: crate::pages::readiness::local_minutes(s.scheduled_at),
        held_default: crate::pages::readiness::local_minutes(
            s.scheduled_at.min(OffsetDateTime::now_utc()),
        ),
        reasons: super::schedule::reasons(),
        videos: super::video::rows(&videos, s.id),
        video_consent,
        max_video: format!("{} GB", app.settings.max_video >> 30),
        me: Some(staff.me()),
        id: s.id.to_string(),
        client_id: ctx.client.to_string(),
        code: ctx.code,
        title: format!("Session {} ({})", s.number, s.kind.label()),
        medicine: s.kind == SessionKind::Medicine,
        held: s.held_at.map(day),
        can_write: ctx.can_write,
        version: saved.as_ref().map(|(v, _)| *v),
        d: form.unwrap_or_else(|| {
            saved
                .map(|(_, d)| DetailsForm::from_details(&d))
                .unwrap_or_default()
        }),
        session_notes: rows(NoteKind::Session),
        process_notes: rows(NoteKind::Process),
        instruments: library
            .latest()
            .map(|i| Instrument {
                id: i.id().to_owned(),
                name: format!(
                    "{} ({})",
                    i.definition().name,
                    i.definition().respondent.code()
                ),
                selected: entry.as_ref().is_some_and(|e| e.instrument == i.id()),
            })
            .collect(),
        entry,
        error,
    })
}

#[derive(Deserialize)]
pub struct Show {
    instrument: Option<String>,
}

pub async fn show<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Query(q): Query<Show>,
) -> Result<Html<String>, AppError> {
    let ctx = context(&app, &staff, id, Need::Read).await?;
    let entry = q.instrument.as_deref().filter(|i| !i.is_empty());
    render(&page(&app, &staff, ctx, None, entry, None).await?)
}

pub async fn save_details<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let ctx = context(&app, &staff, id, Need::Write).await?;
    let details = match form.to_details(&ctx.session, ctx.session.kind == SessionKind::Medicine) {
        Ok(d) => d,
        Err(e) => {
            let p = page(
                &app,
                &staff,
                ctx,
                Some(form),
                None,
                Some(e.public_message()),
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
        }
    };
    app.store
        .save_session_details(&staff.actor(), id, details, Some(staff.user.id))
        .await?;
    Ok(Redirect::to(&format!("/sessions/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

pub async fn add_note<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<NoteForm>,
) -> Result<Redirect, AppError> {
    let ctx = context(&app, &staff, id, Need::Write).await?;
    let kind = match form.kind.as_str() {
        "session" => NoteKind::Session,
        "process" => NoteKind::Process,
        _ => {
            return Err(AppError::invalid(
                "kind",
                "a session note or a process note",
            ));
        }
    };
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > 20_000 {
        return Err(AppError::invalid("note", "1 to 20,000 characters"));
    }
    app.store
        .add_note(
            &staff.actor(),
            NewNote {
                client: ctx.client,
                session: Some(id),
                kind,
                author: staff.user.id,
                body: body.to_owned(),
                supersedes: None,
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/sessions/{id}")))
}

#[derive(serde::Deserialize)]
pub struct Held {
    /// When it took place (`datetime-local`, UTC); empty for now.
    #[serde(default)]
    held_at: String,
}

/// Records a session other than a medicine session as held; a medicine
/// session is held only from its readiness review.
pub async fn mark_held<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    axum::Form(form): axum::Form<Held>,
) -> Result<Redirect, AppError> {
    let ctx = context(&app, &staff, id, Need::Write).await?;
    let at = crate::pages::readiness::held_time(
        &form.held_at,
        ctx.session.scheduled_at,
        OffsetDateTime::now_utc(),
    )?;
    if ctx.session.kind == SessionKind::Medicine {
        return Err(AppError::invalid(
            "session",
            "a medicine session is recorded as held from its readiness review",
        ));
    }
    app.store.hold_session(&staff.actor(), id, at, None).await?;
    Ok(Redirect::to(&format!("/sessions/{id}")))
}
