//! `GET /api/sessions/{id}/readiness`: the readiness review of a medicine
//! session as the review page shows it, as of the session's own time.

use attune_care::Code;
use axum::extract::{Path, State};
use serde::Serialize;
use uuid::Uuid;

use super::{ApiResult, ApiStaff};
use crate::access::Need;
use crate::app::{Shared, Stores};
use crate::pages::readiness::reviewed;

#[derive(Serialize)]
pub struct Reason {
    code: &'static str,
    outcome: &'static str,
    message: String,
    /// Something still to do before the dose rather than a finding.
    to_do: bool,
}

#[derive(Serialize)]
pub struct Review {
    session: Uuid,
    verdict: &'static str,
    reasons: Vec<Reason>,
    /// Whether a clinician has signed a review of this session.
    signed: bool,
}

pub async fn one<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<Uuid>,
) -> ApiResult<Review> {
    let r = reviewed(&app, &staff, id, Need::Read, None).await?;
    Ok(axum::Json(Review {
        session: id,
        verdict: r.review.outcome.code(),
        reasons: r
            .review
            .reasons
            .iter()
            .map(|x| Reason {
                code: x.code,
                outcome: x.outcome.code(),
                message: x.message.clone(),
                to_do: x.to_do,
            })
            .collect(),
        signed: !r.signed.is_empty(),
    }))
}
