//! Consents as the care team records them: treatment, video recording, use
//! in a case history, research. A decision is never edited; a withdrawal is
//! a new record, and the latest decision of each kind is the one in force.

use attune_store::Code;
use attune_store::{Consent, ConsentKind};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use uuid::Uuid;

use super::day;
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::http::error::AppError;

/// One kind of consent as the client page shows it.
pub struct ConsentRow {
    pub kind: &'static str,
    pub label: &'static str,
    /// "granted on …", "withdrawn on …" or "not recorded".
    pub state: String,
    pub granted: bool,
}

fn label(kind: ConsentKind) -> &'static str {
    match kind {
        ConsentKind::Treatment => "Treatment",
        ConsentKind::VideoRecording => "Video recording of sessions",
        ConsentKind::CaseHistory => "Use in a case history",
        ConsentKind::Research => "De-identified research use",
    }
}

pub fn rows(current: &[Consent]) -> Vec<ConsentRow> {
    ConsentKind::ALL
        .iter()
        .copied()
        .map(|kind| {
            let latest = current.iter().rev().find(|c| c.kind == kind);
            ConsentRow {
                kind: kind.code(),
                label: label(kind),
                state: match latest {
                    Some(c) if c.granted => format!("granted, recorded {}", day(c.recorded_at)),
                    Some(c) => format!("withdrawn, recorded {}", day(c.recorded_at)),
                    None => "not recorded".into(),
                },
                granted: latest.is_some_and(|c| c.granted),
            }
        })
        .collect()
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    granted: String,
}

pub async fn record<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(form): Form<ConsentForm>,
) -> Result<Redirect, AppError> {
    access::client(&app, &staff, id, Need::Write).await?;
    let kind = ConsentKind::from_code(&form.kind)
        .ok_or_else(|| AppError::invalid("kind", "choose one of the listed consents"))?;
    let granted = match form.granted.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(AppError::invalid(
                "granted",
                "say whether consent is given (yes) or withdrawn (no)",
            ));
        }
    };
    app.store
        .record_consent(&staff.actor(), id, kind, granted, Some(staff.user.id))
        .await?;
    Ok(Redirect::to(&format!("/clients/{id}#consents")))
}
