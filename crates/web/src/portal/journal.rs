//! The client's integration journal, written through their link.

use askama::Template;
use attune_store::PortalLink;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::app::{Shared, Stores};
use crate::auth::session::ClientAddr;
use crate::http::error::AppError;

use super::{actor, open, render};

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
