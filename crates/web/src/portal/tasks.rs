//! One measure: the form (answers saved as a draft on every change), the
//! review before sending, and the idempotent submit with its alerts.

use askama::Template;
use attune_store::{AlertKind, Placement};
use attune_store::{CompletedVia, PortalTask, token_hash};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::{Shared, Stores};
use crate::auth::session::ClientAddr;
use crate::auth::tokens;
use crate::http::error::AppError;
use crate::measure;
use crate::questions::{self, Question};

use super::{actor, find, invalid, open, render, usable};

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
    let library = app.library();
    let inst = instrument(&library, task)?;
    let questions = questions::build(&library, inst, draft);
    Ok(TaskPage {
        title: inst.definition().name.clone(),
        instructions: questions::instructions(&library, inst),
        answered: questions.iter().filter(|q| q.answered).count(),
        total: questions.len(),
        questions,
        action: format!("/p/{token}/t/{}", task.id),
        back: format!("/p/{token}"),
        error,
        saved,
    })
}

fn instrument<'a>(
    library: &'a attune_instruments::Library,
    task: &PortalTask,
) -> Result<&'a attune_instruments::Instrument, AppError> {
    library
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
    let library = app.library();
    let inst = instrument(&library, t)?;
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
    let library = app.library();
    let link = open(&app, &token, &origin).await?;
    let t = find(&link, task)?;
    if t.administration.is_some() {
        return already_sent(&token);
    }
    let inst = instrument(&library, t)?;
    let answers: Vec<Answer> = questions::build(&library, inst, &t.draft)
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
    let library = app.library();
    // One transaction reads the link, the client's history and alerts,
    // scores, and stores: a submission is the portal's busiest moment.
    if !tokens::well_formed(&token) {
        return Err(invalid());
    }
    let who = actor(&origin);
    // What the page says afterwards: (already sent, more to do, safety finding).
    let mut outcome = (false, false, false);
    app.store
        .submit_through_link(&who, &token_hash(&token), task, |context| {
            let context = context.ok_or_else(invalid)?;
            let link = &context.link;
            usable(link)?;
            let t = find(link, task)?;
            if t.administration.is_some() {
                outcome.0 = true;
                return Ok(None);
            }
            let inst = instrument(&library, t)?;
            let mut answers = t.draft.clone();
            answers.resize(inst.items().len(), None);
            let record = measure::ClientRecord {
                administrations: &context.administrations,
                alerts: &context.alerts,
                courses: &context.courses,
                intake: context.intake.as_ref(),
            };
            let (new, _) = measure::administration(
                &library,
                inst,
                answers,
                record,
                Placement {
                    idempotency_key: format!("portal-{task}"),
                    client: link.client,
                    course: t.course,
                    session: t.session,
                    time_point: t.time_point.clone(),
                    via: CompletedVia::Portal,
                    at: OffsetDateTime::now_utc(),
                },
            )?;
            outcome.1 = link
                .tasks
                .iter()
                .any(|o| o.id != task && o.administration.is_none());
            outcome.2 = new.alerts.iter().any(|a| a.kind == AlertKind::Safety);
            Ok::<_, AppError>(Some(new))
        })
        .await?;
    let (sent_before, more, safety) = outcome;
    if sent_before {
        return already_sent(&token);
    }
    Ok(render(&DonePage {
        message: if more {
            "Thank you: your answers have been sent. You have more to fill in on this link.".into()
        } else {
            "Thank you: your answers have been sent. That is everything for now.".into()
        },
        crisis: if safety {
            Some(crate::clinic::crisis_text(&app).await?)
        } else {
            None
        },
        back: format!("/p/{token}"),
    })?
    .into_response())
}
