//! Moving a planned session to another time, or recording that it will not
//! take place (with a reason code: cancelled by either side, no-show,
//! postponed for a clinical reason). Held sessions are not changed.

use attune_store::CancelReason;
use attune_store::Code;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use super::context;
use crate::access::Need;
use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::http::error::AppError;

/// The reasons as the form offers them: (code, label).
pub fn reasons() -> Vec<(&'static str, &'static str)> {
    CancelReason::ALL
        .iter()
        .map(|r| (r.code(), r.label()))
        .collect()
}

#[derive(Deserialize)]
pub struct RescheduleForm {
    #[serde(default)]
    at: String,
}

/// `YYYY-MM-DDTHH:MM` as a browser's date-time field sends it; times in
/// Attune are UTC, as shown.
fn parse_local(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(text.trim(), format)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

pub async fn reschedule<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<RescheduleForm>,
) -> Result<Redirect, AppError> {
    context(&app, &staff, id, Need::Write).await?;
    let at = parse_local(&form.at).ok_or_else(|| {
        AppError::invalid("at", "give the new date and time as YYYY-MM-DD and HH:MM")
    })?;
    let now = OffsetDateTime::now_utc();
    if at < now - time::Duration::days(1) || at > now + time::Duration::days(3 * 365) {
        return Err(AppError::invalid(
            "at",
            "a session is moved to a time from today on, within three years",
        ));
    }
    app.store.reschedule_session(&staff.actor(), id, at).await?;
    Ok(Redirect::to(&format!("/sessions/{id}")))
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
}

pub async fn cancel<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<CancelForm>,
) -> Result<Redirect, AppError> {
    context(&app, &staff, id, Need::Write).await?;
    let reason = CancelReason::from_code(&form.reason)
        .ok_or_else(|| AppError::invalid("reason", "choose one of the listed reasons"))?;
    app.store.cancel_session(&staff.actor(), id, reason).await?;
    Ok(Redirect::to(&format!("/sessions/{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_fields_are_read_as_utc() {
        let t = parse_local("2026-12-03T14:30").unwrap();
        assert_eq!(t, time::macros::datetime!(2026-12-03 14:30 UTC));
        assert!(parse_local("2026-12-03 14:30").is_none());
        assert!(parse_local("2026-13-03T14:30").is_none());
        assert!(parse_local("").is_none());
    }
}
