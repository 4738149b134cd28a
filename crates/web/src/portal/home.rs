//! The link's landing page: the client's tasks, what is open and what is
//! sent, their progress charts and the way to their journal.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use time::OffsetDateTime;

use crate::app::{Shared, Stores};
use crate::auth::session::ClientAddr;
use crate::http::error::AppError;

use super::{open, progress::progress, render, title};

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

pub async fn home<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    Path(token): Path<String>,
) -> Result<Html<String>, AppError> {
    let library = app.library();
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
            total: library
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
