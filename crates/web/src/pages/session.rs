//! A session's record: who was there, the setting, medicine and vitals for a
//! medicine session (each save a new version), notes (session notes for the
//! care team; process notes kept apart, for their author only), and measures
//! entered on the client's behalf from a paper form, scored as they are typed.

use askama::Template;
use attune_store::records::{AdverseEventRecord, VitalsRecord};
use attune_store::{CompletedVia, MedicineRecord, NewNote, NoteKind, Session, SessionDetails};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::{OffsetDateTime, Time};
use uuid::Uuid;

use super::{day, num, render};
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::error::AppError;
use crate::questions::{self, Question};
use crate::session::{Me, Staff};
use crate::{measure, tokens};

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

/// The details form's fields as text (what is shown and what comes back).
#[derive(Deserialize, Default)]
pub struct DetailsForm {
    #[serde(default)]
    pub present: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub music: String,
    #[serde(default)]
    pub lighting: String,
    #[serde(default)]
    pub seating: String,
    #[serde(default)]
    pub substance: String,
    #[serde(default)]
    pub dose: String,
    #[serde(default)]
    pub route: String,
    #[serde(default)]
    pub dosed_at: String,
    #[serde(default)]
    pub systolic: String,
    #[serde(default)]
    pub diastolic: String,
    #[serde(default)]
    pub heart_rate: String,
    #[serde(default)]
    pub temperature: String,
    #[serde(default)]
    pub adverse_event: String,
    #[serde(default)]
    pub serious: Option<String>,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn hhmm(t: OffsetDateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

impl DetailsForm {
    fn from_details(d: &SessionDetails) -> DetailsForm {
        let m = d.medicine.as_ref();
        let v = m.and_then(|m| m.vitals.last());
        let show = |x: Option<u16>| x.map(|x| x.to_string()).unwrap_or_default();
        let ae = m.and_then(|m| m.adverse_events.last());
        DetailsForm {
            present: d.present.join("\n"),
            room: text(&d.room),
            music: text(&d.music),
            lighting: text(&d.lighting),
            seating: text(&d.seating),
            substance: m.map(|m| m.substance.clone()).unwrap_or_default(),
            dose: m.map(|m| m.dose.clone()).unwrap_or_default(),
            route: m.map(|m| m.route.clone()).unwrap_or_default(),
            dosed_at: m
                .and_then(|m| m.administered_at)
                .map(hhmm)
                .unwrap_or_default(),
            systolic: show(v.and_then(|v| v.systolic)),
            diastolic: show(v.and_then(|v| v.diastolic)),
            heart_rate: show(v.and_then(|v| v.heart_rate)),
            temperature: v
                .and_then(|v| v.temperature_c)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            adverse_event: ae.map(|a| a.description.clone()).unwrap_or_default(),
            serious: ae.filter(|a| a.serious).map(|_| "on".into()),
        }
    }

    /// Checks every field and builds the details; the first problem names its field.
    fn to_details(&self, session: &Session, medicine: bool) -> Result<SessionDetails, AppError> {
        let short = |field: &str, v: &str| -> Result<Option<String>, AppError> {
            let v = v.trim();
            if v.chars().count() > 200 {
                return Err(AppError::invalid(field, "at most 200 characters"));
            }
            Ok((!v.is_empty()).then(|| v.to_owned()))
        };
        let present: Vec<String> = self
            .present
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if present.len() > 20 || present.iter().any(|p| p.chars().count() > 100) {
            return Err(AppError::invalid(
                "present",
                "at most 20 people, 100 characters each",
            ));
        }
        let day_of = session.held_at.unwrap_or(session.scheduled_at);
        let number = |field: &str, v: &str, lo: f64, hi: f64| -> Result<Option<f64>, AppError> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            let x: f64 = v
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| AppError::invalid(field, "must be a number"))?;
            if !(lo..=hi).contains(&x) {
                return Err(AppError::invalid(
                    field,
                    format!("must be between {lo} and {hi}"),
                ));
            }
            Ok(Some(x))
        };
        let medicine = if medicine && !self.substance.trim().is_empty() {
            let at = match self.dosed_at.trim() {
                "" => None,
                t => {
                    let (h, m) = t
                        .split_once(':')
                        .and_then(|(h, m)| Some((h.parse::<u8>().ok()?, m.parse::<u8>().ok()?)))
                        .ok_or_else(|| AppError::invalid("dosed at", "a time as HH:MM"))?;
                    let time = Time::from_hms(h, m, 0)
                        .map_err(|_| AppError::invalid("dosed at", "a time as HH:MM"))?;
                    Some(day_of.replace_time(time))
                }
            };
            let (sys, dia, hr) = (
                number("systolic", &self.systolic, 40.0, 300.0)?,
                number("diastolic", &self.diastolic, 20.0, 200.0)?,
                number("heart rate", &self.heart_rate, 20.0, 250.0)?,
            );
            let temp = number("temperature", &self.temperature, 30.0, 45.0)?;
            let vitals = if sys.is_some() || dia.is_some() || hr.is_some() || temp.is_some() {
                vec![VitalsRecord {
                    at: at.unwrap_or(day_of),
                    systolic: sys.map(|v| v as u16),
                    diastolic: dia.map(|v| v as u16),
                    heart_rate: hr.map(|v| v as u16),
                    temperature_c: temp.map(|v| v as f32),
                }]
            } else {
                Vec::new()
            };
            let adverse = short("adverse event", &self.adverse_event)?;
            Some(MedicineRecord {
                substance: short("substance", &self.substance)?.unwrap_or_default(),
                dose: short("dose", &self.dose)?
                    .ok_or_else(|| AppError::invalid("dose", "needed with a substance"))?,
                route: short("route", &self.route)?
                    .ok_or_else(|| AppError::invalid("route", "needed with a substance"))?,
                administered_at: at,
                supplement_dose: None,
                supplement_at: None,
                ended_at: None,
                vitals,
                adverse_events: adverse
                    .map(|description| AdverseEventRecord {
                        at: at.unwrap_or(day_of),
                        description,
                        serious: self.serious.is_some(),
                    })
                    .into_iter()
                    .collect(),
            })
        } else {
            None
        };
        Ok(SessionDetails {
            present,
            room: short("room", &self.room)?,
            music: short("music", &self.music)?,
            lighting: short("lighting", &self.lighting)?,
            seating: short("seating", &self.seating)?,
            medicine,
        })
    }
}

pub(super) struct Context {
    client: Uuid,
    code: String,
    session: Session,
    can_write: bool,
}

pub(super) async fn context<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    id: Uuid,
    need: Need,
) -> Result<Context, AppError> {
    let not_found = || AppError::NotFound("session".into());
    let (client, course) = app.store.session_owner(id).await?.ok_or_else(not_found)?;
    let team = access::client(app, staff, client, need)
        .await
        .map_err(|_| not_found())?;
    let can_write = need == Need::Write
        || access::client(app, staff, client, Need::Write)
            .await
            .is_ok();
    let session = app
        .store
        .sessions(&staff.actor(), course)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(not_found)?;
    Ok(Context {
        client,
        code: team.code,
        session,
        can_write,
    })
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
        scheduled: format!(
            "{}T{:02}:{:02}",
            s.scheduled_at.date(),
            s.scheduled_at.hour(),
            s.scheduled_at.minute()
        ),
        reasons: super::schedule::reasons(),
        videos: super::video::rows(&videos, s.id),
        video_consent,
        max_video: format!("{} GB", app.settings.max_video >> 30),
        me: Some(staff.me()),
        id: s.id.to_string(),
        client_id: ctx.client.to_string(),
        code: ctx.code,
        title: format!("Session {} ({})", s.number, s.kind.replace('_', "-")),
        medicine: s.kind == "medicine",
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
                name: format!("{} ({})", i.definition().name, measure::respondent(i)),
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
    let details = match form.to_details(&ctx.session, ctx.session.kind == "medicine") {
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

fn pairs_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Live scoring while a paper form is typed in (htmx posts on every change).
pub async fn live_score<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Html<String>, AppError> {
    let library = app.library();
    context(&app, &staff, id, Need::Write).await?;
    let inst = library
        .get(pairs_value(&pairs, "instrument").unwrap_or_default())
        .map_err(|e| AppError::invalid("instrument", e.to_string()))?;
    let answers = questions::parse(inst, &pairs)?;
    let (_, sc) = match measure::check(inst, &answers) {
        Ok(x) => x,
        Err(e) => {
            return Ok(Html(format!(
                "<span class=\"error\">{}</span>",
                crate::charts::escape(&e.public_message())
            )));
        }
    };
    let answered = answers.iter().flatten().count();
    let total = sc.total.map_or_else(
        || {
            format!(
                "no total yet ({})",
                sc.total_note.clone().unwrap_or_default()
            )
        },
        |t| {
            format!(
                "total {}{}",
                num(t),
                sc.band
                    .as_ref()
                    .map_or(String::new(), |b| format!(" ({b})"))
            )
        },
    );
    let safety = if sc.safety.is_empty() {
        String::new()
    } else {
        format!(
            " · <strong>safety: {}</strong>",
            sc.safety
                .iter()
                .map(|f| crate::charts::escape(&format!("item {}", f.item)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Ok(Html(format!(
        "{answered} of {} answered · {}{}{safety}",
        answers.len(),
        crate::charts::escape(&total),
        if sc.prorated { " (prorated)" } else { "" }
    )))
}

/// Stores a measure entered on the client's behalf; the form's key makes a
/// double submit store one administration.
pub async fn enter<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    _headers: HeaderMap,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let library = app.library();
    let ctx = context(&app, &staff, id, Need::Write).await?;
    let inst = library
        .get(pairs_value(&pairs, "instrument").unwrap_or_default())
        .map_err(|e| AppError::invalid("instrument", e.to_string()))?;
    let key = pairs_value(&pairs, "key").unwrap_or_default();
    if !tokens::well_formed(key) {
        return Err(AppError::invalid(
            "key",
            "the form is incomplete; reload it",
        ));
    }
    let answers = questions::parse(inst, &pairs)?;
    let actor = staff.actor();
    let history = app.store.administrations(&actor, ctx.client).await?;
    let alerts = app.store.client_alerts(&actor, ctx.client).await?;
    let (_, course) = app
        .store
        .session_owner(id)
        .await?
        .ok_or_else(|| AppError::NotFound("session".into()))?;
    let (new, _) = measure::administration(
        &library,
        inst,
        answers,
        measure::Context {
            idempotency_key: format!("entry-{key}"),
            client: ctx.client,
            course: Some(course),
            session: Some(id),
            time_point: None,
            via: CompletedVia::ClinicianEntry,
            at: OffsetDateTime::now_utc(),
            history: &history,
            alerts: &alerts,
        },
    )?;
    app.store.submit(&actor, new).await?;
    Ok(Redirect::to(&format!("/clients/{}", ctx.client)).into_response())
}

/// Records a session other than a medicine session as held; a medicine
/// session is held only from its readiness review.
pub async fn mark_held<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
) -> Result<Redirect, AppError> {
    let ctx = context(&app, &staff, id, Need::Write).await?;
    if ctx.session.kind == "medicine" {
        return Err(AppError::invalid(
            "session",
            "a medicine session is recorded as held from its readiness review",
        ));
    }
    app.store
        .hold_session(&staff.actor(), id, OffsetDateTime::now_utc(), None)
        .await?;
    Ok(Redirect::to(&format!("/sessions/{id}")))
}
