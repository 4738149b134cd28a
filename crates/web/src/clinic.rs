//! Settings a clinic changes in the admin page, kept in the record so that
//! every server process reads the same: the crisis information a client
//! sees on a safety finding, how long portal links last, and whether
//! clients see their own progress. Until an admin sets one, the server's
//! default (`Settings`) holds. Read when needed: each is a one-row lookup.

use time::Duration;

use crate::app::{Shared, Stores};
use crate::http::error::AppError;

pub const CRISIS_TEXT: &str = "crisis_text";
pub const LINK_DAYS: &str = "portal_link_days";
pub const CLIENT_PROGRESS: &str = "client_progress";

/// Portal links last at least a day and at most three months.
pub const LINK_DAYS_RANGE: std::ops::RangeInclusive<i64> = 1..=90;
pub const MAX_CRISIS_TEXT: usize = 1000;

pub async fn crisis_text<S: Stores>(app: &Shared<S>) -> Result<String, AppError> {
    Ok(app
        .store
        .clinic_setting(CRISIS_TEXT)
        .await?
        .unwrap_or_else(|| app.settings.crisis_text.clone()))
}

pub async fn portal_link_valid<S: Stores>(app: &Shared<S>) -> Result<Duration, AppError> {
    let days = app
        .store
        .clinic_setting(LINK_DAYS)
        .await?
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|d| LINK_DAYS_RANGE.contains(d));
    Ok(days.map_or(app.settings.portal_link_valid, Duration::days))
}

pub async fn client_progress<S: Stores>(app: &Shared<S>) -> Result<bool, AppError> {
    Ok(
        match app.store.clinic_setting(CLIENT_PROGRESS).await?.as_deref() {
            Some("yes") => true,
            Some("no") => false,
            _ => app.settings.client_progress,
        },
    )
}
