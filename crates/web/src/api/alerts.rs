//! Alerts of the caller's care team: list, acknowledge, resolve.

use attune_store::Code;
use attune_store::{AlertStatus, AlertTransition, StoredAlert};
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::{ApiResult, ApiStaff};
use crate::access::{self, Area, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::http::error::AppError;

#[derive(Serialize)]
pub struct AlertOut {
    id: Uuid,
    client: Uuid,
    kind: &'static str,
    severity: &'static str,
    message: String,
    status: &'static str,
    raised_at: String,
}

impl From<StoredAlert> for AlertOut {
    fn from(a: StoredAlert) -> Self {
        AlertOut {
            id: a.id,
            client: a.client,
            kind: a.kind.code(),
            severity: a.severity.code(),
            message: a.message,
            status: a.status.code(),
            raised_at: a.raised_at.format(&Rfc3339).unwrap_or_default(),
        }
    }
}

/// Open and acknowledged alerts of every client on the caller's care team.
pub async fn list<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
) -> ApiResult<Vec<AlertOut>> {
    access::require(&staff, Area::Clinical)?;
    let actor = staff.actor();
    let mut out = Vec::new();
    for c in app.store.caseload(&actor, staff.user.id).await? {
        for a in app.store.client_alerts(&actor, c.id).await? {
            if a.status != AlertStatus::Resolved {
                out.push(AlertOut::from(a));
            }
        }
    }
    Ok(Json(out))
}

async fn act<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    id: Uuid,
    t: AlertTransition,
) -> ApiResult<AlertOut> {
    let not_found = || AppError::NotFound("alert".into());
    let client = app.store.alert_client(id).await?.ok_or_else(not_found)?;
    access::client(app, staff, client, Need::Write)
        .await
        .map_err(|_| not_found())?;
    let a = app
        .store
        .act_on_alert(&staff.actor(), id, staff.user.id, t)
        .await?;
    Ok(Json(AlertOut::from(a)))
}

pub async fn acknowledge<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<Uuid>,
) -> ApiResult<AlertOut> {
    act(&app, &staff, id, AlertTransition::Acknowledge).await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    #[serde(default)]
    note: Option<String>,
}

pub async fn resolve<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<Uuid>,
    body: axum::body::Bytes,
) -> ApiResult<AlertOut> {
    // The body is optional: no body resolves without a note.
    let r: Resolution = if body.iter().all(u8::is_ascii_whitespace) {
        Resolution::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| AppError::invalid("body", e.to_string()))?
    };
    let note = r
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(AppError::invalid("note", "at most 1,000 characters").into());
    }
    act(&app, &staff, id, AlertTransition::Resolve { note }).await
}
