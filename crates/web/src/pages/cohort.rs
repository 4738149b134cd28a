//! The researcher's view: de-identified figures for the whole clinic. No
//! client code, name or date leaves this page's aggregates.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::render;
use crate::access::{self, Area};
use crate::app::{Shared, Stores};
use crate::error::AppError;
use crate::session::{Me, Staff};

#[derive(Template)]
#[template(path = "cohort.html")]
struct Page {
    me: Option<Me>,
    figures: Vec<(String, u64)>,
}

pub async fn page<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Html<String>, AppError> {
    access::require(&staff, Area::Cohort)?;
    let c = app.store.counts().await?;
    render(&Page {
        me: Some(staff.me()),
        figures: vec![
            ("Clients".into(), c.clients),
            ("Courses of care".into(), c.courses),
            ("Sessions".into(), c.sessions),
            ("Measures completed".into(), c.administrations),
            ("Alerts raised".into(), c.alerts),
        ],
    })
}
