//! Staff pages, one module per area.

pub mod account;
pub mod admin;
pub mod alerts;
pub mod alliances;
pub mod caseload;
pub mod client;
pub mod cohort;
pub mod consent;
pub mod details;
pub mod enrol;
pub mod intake;
pub mod links;
mod movement;
mod overview;
pub mod readiness;
pub mod session;

use askama::Template;
use axum::response::Html;

use crate::http::error::AppError;

pub fn render(t: &impl Template) -> Result<Html<String>, AppError> {
    t.render()
        .map(Html)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A date as staff read it in lists.
pub fn day(t: time::OffsetDateTime) -> String {
    t.date().to_string()
}

/// A number as shown in tables: whole numbers without decimals.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}
