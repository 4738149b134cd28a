//! The alerts inbox: what was routed to me, open or acknowledged, most
//! severe first; acknowledging and resolving record who and when.

use askama::Template;
use attune_store::Code;
use attune_store::{AlertStatus, AlertTransition, Severity};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use serde::Deserialize;
use uuid::Uuid;

use super::{day, render};
use crate::access::{self, Area, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::http::error::AppError;

pub struct Row {
    pub id: String,
    pub client_id: String,
    pub client: String,
    pub severity: String,
    pub message: String,
    pub status: String,
    pub raised: String,
    pub acknowledged: bool,
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct Page {
    me: Option<Me>,
    rows: Vec<Row>,
}

fn rank(severity: Severity) -> std::cmp::Reverse<Severity> {
    std::cmp::Reverse(severity)
}

/// Open and acknowledged alerts of every client on my care team, lead or
/// co-therapist: an MDMA dyad's co-therapist sees what the lead sees.
pub async fn inbox<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Html<String>, AppError> {
    access::require(&staff, Area::Clinical)?;
    let actor = staff.actor();
    let mut found = Vec::new();
    for client in app.store.caseload(&actor, staff.user.id).await? {
        for a in app.store.client_alerts(&actor, client.id).await? {
            if a.status != AlertStatus::Resolved {
                found.push((client.code.clone(), a));
            }
        }
    }
    found.sort_by(|(_, a), (_, b)| {
        (rank(a.severity), b.raised_at).cmp(&(rank(b.severity), a.raised_at))
    });
    let rows = found
        .into_iter()
        .map(|(code, a)| Row {
            id: a.id.to_string(),
            client_id: a.client.to_string(),
            client: code,
            severity: a.severity.code().to_owned(),
            message: a.message,
            status: a.status.code().to_owned(),
            raised: day(a.raised_at),
            acknowledged: a.status == AlertStatus::Acknowledged,
        })
        .collect();
    render(&Page {
        me: Some(staff.me()),
        rows,
    })
}

#[derive(Deserialize)]
pub struct Action {
    #[serde(default)]
    back: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// Back to the page the action came from, if it is one of ours.
fn back(to: Option<&str>) -> Redirect {
    match to {
        Some(p) if p.starts_with("/clients/") && p.len() < 60 && !p.contains("//") => {
            Redirect::to(p)
        }
        _ => Redirect::to("/alerts"),
    }
}

async fn act<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    alert: Uuid,
    transition: AlertTransition,
) -> Result<(), AppError> {
    let client = app
        .store
        .alert_client(alert)
        .await?
        .ok_or_else(|| AppError::NotFound("alert".into()))?;
    // Only the care team acts on a client's alerts; unknown and not-yours look alike.
    access::client(app, staff, client, Need::Write)
        .await
        .map_err(|_| AppError::NotFound("alert".into()))?;
    app.store
        .act_on_alert(&staff.actor(), alert, staff.user.id, transition)
        .await?;
    Ok(())
}

pub async fn acknowledge<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<Action>,
) -> Result<Redirect, AppError> {
    act(&app, &staff, id, AlertTransition::Acknowledge).await?;
    Ok(back(form.back.as_deref()))
}

pub async fn resolve<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<Action>,
) -> Result<Redirect, AppError> {
    let note = form
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(AppError::invalid("note", "at most 1,000 characters"));
    }
    act(&app, &staff, id, AlertTransition::Resolve { note }).await?;
    Ok(back(form.back.as_deref()))
}
