//! The client portal: a secure link opens one client's assigned measures on
//! a phone. Everything works without JavaScript; with it, answers are saved
//! on every change. Answers are kept as a server-side draft, so a reload or
//! a dropped connection loses nothing, and submitting uses a key derived
//! from the task, so a double submit stores one administration.

use askama::Template;
use attune_store::audit::Actor;
use attune_store::{CompletedVia, PortalLink, PortalTask, token_hash};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::{Shared, Stores};
use crate::error::AppError;
use crate::measure;
use crate::questions::{self, Question};
use crate::session::ClientAddr;
use crate::tokens;

fn actor(origin: &str) -> Actor {
    Actor {
        user: None,
        name: "portal".into(),
        origin: origin.to_owned(),
    }
}

fn render(t: &impl Template) -> Result<Html<String>, AppError> {
    t.render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn invalid() -> AppError {
    AppError::Missing(
        "This link is not valid. Please check it, or ask your clinic for a new one.".into(),
    )
}

/// Whether a link still opens anything: not withdrawn, not expired.
fn usable(link: &PortalLink) -> Result<(), AppError> {
    if link.revoked {
        return Err(AppError::Gone(
            "Your clinic has withdrawn this link. Ask them for a new one if you still have something to fill in.".into(),
        ));
    }
    if OffsetDateTime::now_utc() >= link.expires_at {
        return Err(AppError::Gone(format!(
            "This link expired on {}. Ask your clinic for a new one.",
            link.expires_at.date()
        )));
    }
    Ok(())
}

/// The link behind a token, if it still opens anything.
async fn open<S: Stores>(
    app: &Shared<S>,
    token: &str,
    origin: &str,
) -> Result<PortalLink, AppError> {
    if !tokens::well_formed(token) {
        return Err(invalid());
    }
    let link = app
        .store
        .portal_link(&actor(origin), &token_hash(token))
        .await?
        .ok_or_else(invalid)?;
    usable(&link)?;
    Ok(link)
}

/// A task of this link that is open now (a measure for after a planned
/// session opens only then).
fn find(link: &PortalLink, task: Uuid) -> Result<&PortalTask, AppError> {
    let t = link
        .tasks
        .iter()
        .find(|t| t.id == task)
        .ok_or_else(|| AppError::NotFound("task".into()))?;
    match t.available_from {
        Some(from) if !t.open_at(OffsetDateTime::now_utc()) => Err(AppError::Conflict(format!(
            "This one opens on {}, after your session. Your answers are not needed yet.",
            from.date()
        ))),
        _ => Ok(t),
    }
}

fn title<S: Stores>(app: &Shared<S>, t: &PortalTask) -> String {
    app.library
        .get_version(&t.instrument, t.instrument_version)
        .map_or_else(|| t.instrument.clone(), |i| i.definition().name.clone())
}

struct TaskRow {
    title: String,
    href: String,
    done: bool,
    /// When a measure for after a session opens, if not yet.
    opens: Option<String>,
    answered: usize,
    total: usize,
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    tasks: Vec<TaskRow>,
    all_done: bool,
    expires: String,
    journal: String,
    /// The client's own scores on this link's measures, where the clinic allows it.
    progress: Vec<(String, String, &'static str)>,
}

/// Charts of the client's own totals for the measures on this link.
async fn progress<S: Stores>(
    app: &Shared<S>,
    link: &PortalLink,
    origin: &str,
) -> Result<Vec<(String, String, &'static str)>, AppError> {
    if !app.settings.client_progress {
        return Ok(Vec::new());
    }
    let history = app
        .store
        .administrations(&actor(origin), link.client)
        .await?;
    let mut charts = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for t in &link.tasks {
        if seen.contains(&t.instrument.as_str()) {
            continue;
        }
        seen.push(&t.instrument);
        let Ok(inst) = app.library.get(&t.instrument) else {
            continue;
        };
        let points: Vec<(OffsetDateTime, f64)> = history
            .iter()
            .filter(|a| a.instrument == t.instrument && a.respondent == "client")
            .filter_map(|a| a.total.map(|v| (a.administered_at, v)))
            .collect();
        let (Some(first), Some(range)) = (points.first(), inst.total_range()) else {
            continue;
        };
        if points.len() < 2 {
            continue;
        }
        let start = first.0;
        let days = |t: OffsetDateTime| (t - start).whole_days() as f64;
        let end = points.last().map_or(1.0, |p| days(p.0).max(1.0));
        let name = inst.definition().short_name.clone();
        let chart = crate::charts::Chart {
            title: format!("Your {name} scores"),
            y: (range.min, range.max),
            x: (0.0, end),
            x_ticks: vec![
                (0.0, start.date().to_string()),
                (
                    end,
                    points
                        .last()
                        .map(|p| p.0.date().to_string())
                        .unwrap_or_default(),
                ),
            ],
            series: vec![crate::charts::Series {
                name: name.clone(),
                colour: "#2d6a8f",
                points: points.iter().map(|(t, v)| (days(*t), *v)).collect(),
            }],
            bands: inst
                .definition()
                .bands
                .iter()
                .map(|b| crate::charts::Band {
                    from: b.min,
                    to: b.max,
                    label: b.label.clone(),
                })
                .collect(),
            rules: vec![],
            marks: vec![],
        };
        let reading = match inst.definition().higher_is {
            attune_instruments::definition::Direction::Worse => {
                "Lower scores mean fewer difficulties."
            }
            attune_instruments::definition::Direction::Better => {
                "Higher scores mean more of what this measures."
            }
        };
        charts.push((format!("Your {name} over time"), chart.svg(), reading));
    }
    Ok(charts)
}

pub async fn home<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    Path(token): Path<String>,
) -> Result<Html<String>, AppError> {
    let link = open(&app, &token, &origin).await?;
    let tasks: Vec<TaskRow> = link
        .tasks
        .iter()
        .map(|t| TaskRow {
            title: title(&app, t),
            href: format!("/p/{token}/t/{}", t.id),
            done: t.administration.is_some(),
            opens: t
                .available_from
                .filter(|_| !t.open_at(OffsetDateTime::now_utc()))
                .map(|f| f.date().to_string()),
            answered: t.draft.iter().flatten().count(),
            total: app
                .library
                .get_version(&t.instrument, t.instrument_version)
                .map_or(0, |i| i.items().len()),
        })
        .collect();
    render(&HomePage {
        all_done: tasks.iter().all(|t| t.done),
        tasks,
        expires: link.expires_at.date().to_string(),
        journal: format!("/p/{token}/journal"),
        progress: progress(&app, &link, &origin).await?,
    })
}

#[derive(Template)]
#[template(path = "portal_task.html")]
struct TaskPage {
    title: String,
    instructions: Option<String>,
    questions: Vec<Question>,
    answered: usize,
    total: usize,
    action: String,
    back: String,
    error: Option<String>,
    saved: bool,
}

fn task_page<S: Stores>(
    app: &Shared<S>,
    token: &str,
    task: &PortalTask,
    draft: &[Option<f64>],
    error: Option<String>,
    saved: bool,
) -> Result<TaskPage, AppError> {
    let inst = instrument(app, task)?;
    let questions = questions::build(&app.library, inst, draft);
    Ok(TaskPage {
        title: inst.definition().name.clone(),
        instructions: questions::instructions(&app.library, inst),
        answered: questions.iter().filter(|q| q.answered).count(),
        total: questions.len(),
        questions,
        action: format!("/p/{token}/t/{}", task.id),
        back: format!("/p/{token}"),
        error,
        saved,
    })
}

fn instrument<'a, S: Stores>(
    app: &'a Shared<S>,
    task: &PortalTask,
) -> Result<&'a attune_instruments::Instrument, AppError> {
    app.library
        .get_version(&task.instrument, task.instrument_version)
        .ok_or_else(|| AppError::Internal(format!("instrument {} missing", task.instrument)))
}

#[derive(Template)]
#[template(path = "portal_done.html")]
struct DonePage {
    message: String,
    crisis: Option<String>,
    back: String,
}

fn already_sent(token: &str) -> Result<Response, AppError> {
    Ok(render(&DonePage {
        message: "These answers have been sent already. Thank you.".into(),
        crisis: None,
        back: format!("/p/{token}"),
    })?
    .into_response())
}

#[derive(serde::Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn task<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    Path((token, task)): Path<(String, Uuid)>,
    axum::extract::Query(q): axum::extract::Query<Saved>,
) -> Result<Response, AppError> {
    let link = open(&app, &token, &origin).await?;
    let t = find(&link, task)?;
    if t.administration.is_some() {
        return already_sent(&token);
    }
    let page = task_page(&app, &token, t, &t.draft, None, q.saved.is_some())?;
    Ok(render(&page)?.into_response())
}

/// Saves the answers given so far (every change with htmx; the buttons without).
pub async fn save<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    headers: HeaderMap,
    Path((token, task)): Path<(String, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let link = open(&app, &token, &origin).await?;
    let t = find(&link, task)?;
    if t.administration.is_some() {
        return already_sent(&token);
    }
    let inst = instrument(&app, t)?;
    let partial = headers.contains_key("hx-request");
    let answers = questions::parse(inst, &pairs).and_then(|a| measure::check(inst, &a).map(|_| a));
    let answers = match answers {
        Ok(a) => a,
        Err(e) if partial => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(format!(
                    "<span class=\"error\">{}</span>",
                    escape(&e.public_message())
                )),
            )
                .into_response());
        }
        Err(e) => {
            // Show the form again with what was sent and why it was refused.
            let sent = questions::parse(inst, &pairs).unwrap_or_else(|_| t.draft.clone());
            let page = task_page(&app, &token, t, &sent, Some(e.public_message()), false)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    app.store
        .save_draft(&actor(&origin), task, &answers)
        .await?;
    if partial {
        let n = answers.iter().flatten().count();
        return Ok(Html(format!("Saved: {n} of {} answered", answers.len())).into_response());
    }
    let review = pairs.iter().any(|(k, v)| k == "action" && v == "review");
    let to = if review {
        format!("/p/{token}/t/{task}/review")
    } else {
        format!("/p/{token}/t/{task}?saved=1")
    };
    Ok(Redirect::to(&to).into_response())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Answer {
    number: u32,
    text: String,
    answer: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_review.html")]
struct ReviewPage {
    title: String,
    answers: Vec<Answer>,
    missing: usize,
    change: String,
    submit: String,
}

pub async fn review<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    Path((token, task)): Path<(String, Uuid)>,
) -> Result<Response, AppError> {
    let link = open(&app, &token, &origin).await?;
    let t = find(&link, task)?;
    if t.administration.is_some() {
        return already_sent(&token);
    }
    let inst = instrument(&app, t)?;
    let answers: Vec<Answer> = questions::build(&app.library, inst, &t.draft)
        .into_iter()
        .map(|q| Answer {
            number: q.number,
            answer: q
                .choices
                .iter()
                .find(|c| c.checked)
                .map(|c| c.text.clone())
                .or_else(|| q.answered.then(|| q.value.clone())),
            text: q.text,
        })
        .collect();
    Ok(render(&ReviewPage {
        title: inst.definition().name.clone(),
        missing: answers.iter().filter(|a| a.answer.is_none()).count(),
        answers,
        change: format!("/p/{token}/t/{task}"),
        submit: format!("/p/{token}/t/{task}/submit"),
    })?
    .into_response())
}

pub async fn submit<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    Path((token, task)): Path<(String, Uuid)>,
) -> Result<Response, AppError> {
    // One read for the link, the client's history and alerts: a submission
    // is the portal's busiest moment.
    if !tokens::well_formed(&token) {
        return Err(invalid());
    }
    let who = actor(&origin);
    let context = app
        .store
        .portal_context(&who, &token_hash(&token))
        .await?
        .ok_or_else(invalid)?;
    let (link, history, alerts) = (context.link, context.administrations, context.alerts);
    usable(&link)?;
    let t = find(&link, task)?;
    if t.administration.is_some() {
        return already_sent(&token);
    }
    let inst = instrument(&app, t)?;
    let mut answers = t.draft.clone();
    answers.resize(inst.items().len(), None);
    let (new, _) = measure::administration(
        &app.library,
        inst,
        answers,
        measure::Context {
            idempotency_key: format!("portal-{task}"),
            client: link.client,
            course: t.course,
            session: t.session,
            time_point: t.time_point.clone(),
            via: CompletedVia::Portal,
            at: OffsetDateTime::now_utc(),
            history: &history,
            alerts: &alerts,
        },
    )?;
    let safety = new.alerts.iter().any(|a| a.kind == "safety");
    app.store.complete_task(&who, task, new).await?;
    let more = link
        .tasks
        .iter()
        .any(|o| o.id != task && o.administration.is_none());
    Ok(render(&DonePage {
        message: if more {
            "Thank you: your answers have been sent. You have more to fill in on this link.".into()
        } else {
            "Thank you: your answers have been sent. That is everything for now.".into()
        },
        crisis: safety.then(|| app.settings.crisis_text.clone()),
        back: format!("/p/{token}"),
    })?
    .into_response())
}

struct JournalRow {
    written: String,
    body: String,
}

#[derive(Template)]
#[template(path = "portal_journal.html")]
struct JournalPage {
    entries: Vec<JournalRow>,
    action: String,
    back: String,
    error: Option<String>,
}

async fn journal_page<S: Stores>(
    app: &Shared<S>,
    token: &str,
    link: &PortalLink,
    origin: &str,
    error: Option<String>,
) -> Result<JournalPage, AppError> {
    let entries = app
        .store
        .journal(&actor(origin), link.client)
        .await?
        .into_iter()
        .rev()
        .map(|e| JournalRow {
            written: e.written_at.date().to_string(),
            body: e.body,
        })
        .collect();
    Ok(JournalPage {
        entries,
        action: format!("/p/{token}/journal"),
        back: format!("/p/{token}"),
        error,
    })
}

/// The client's integration journal: their own entries, newest first.
pub async fn journal<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    Path(token): Path<String>,
) -> Result<Html<String>, AppError> {
    let link = open(&app, &token, &origin).await?;
    render(&journal_page(&app, &token, &link, &origin, None).await?)
}

#[derive(serde::Deserialize)]
pub struct JournalForm {
    #[serde(default)]
    body: String,
}

pub async fn write_journal<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    Path(token): Path<String>,
    Form(form): Form<JournalForm>,
) -> Result<Response, AppError> {
    let link = open(&app, &token, &origin).await?;
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > 10_000 {
        let page = journal_page(
            &app,
            &token,
            &link,
            &origin,
            Some("Write between 1 and 10,000 characters.".into()),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    app.store
        .add_journal_entry(&actor(&origin), link.client, body)
        .await?;
    Ok(Redirect::to(&format!("/p/{token}/journal")).into_response())
}
