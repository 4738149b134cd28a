//! The client portal: a secure link opens one client's assigned measures on
//! a phone. Everything works without JavaScript; with it, answers are saved
//! on every change. Answers are kept as a server-side draft, so a reload or
//! a dropped connection loses nothing, and submitting uses a key derived
//! from the task, so a double submit stores one administration.

mod home;
mod journal;
mod progress;
mod tasks;

pub use home::home;
pub use journal::{journal, write_journal};
pub use tasks::{review, save, submit, task};

use askama::Template;
use attune_store::audit::Actor;
use attune_store::{PortalLink, PortalTask, token_hash};
use axum::response::Html;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::{Shared, Stores};
use crate::auth::tokens;
use crate::http::error::AppError;

pub(super) fn actor(origin: &str) -> Actor {
    Actor {
        user: None,
        name: "portal".into(),
        origin: origin.to_owned(),
    }
}

pub(super) fn render(t: &impl Template) -> Result<Html<String>, AppError> {
    t.render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub(super) fn invalid() -> AppError {
    AppError::Missing(
        "This link is not valid. Please check it, or ask your clinic for a new one.".into(),
    )
}

/// Whether a link still opens anything: not withdrawn, not expired.
pub(super) fn usable(link: &PortalLink) -> Result<(), AppError> {
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
pub(super) async fn open<S: Stores>(
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
pub(super) fn find(link: &PortalLink, task: Uuid) -> Result<&PortalTask, AppError> {
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

pub(super) fn title<S: Stores>(app: &Shared<S>, t: &PortalTask) -> String {
    app.library()
        .get_version(&t.instrument, t.instrument_version)
        .map_or_else(|| t.instrument.clone(), |i| i.definition().name.clone())
}
