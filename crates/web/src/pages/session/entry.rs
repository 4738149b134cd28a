//! A measure entered on the client's behalf from a paper form: scored live
//! as it is typed (htmx), stored once (the form's key makes a double submit
//! store one administration), with the same alerts as the portal raises.

use attune_store::CompletedVia;
use attune_store::Placement;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use time::OffsetDateTime;
use uuid::Uuid;

use super::context;
use crate::access::Need;
use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::auth::tokens;
use crate::http::error::AppError;
use crate::pages::num;
use crate::{measure, questions};

fn pairs_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Live scoring while a paper form is typed in (htmx posts on every change).
pub async fn live_score<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Html<String>, AppError> {
    let library = app.library();
    context(&app, &staff, id, Need::Write).await?;
    let inst = library
        .get(pairs_value(&pairs, "instrument").unwrap_or_default())
        .map_err(|e| AppError::invalid("instrument", e.to_string()))?;
    let answers = questions::parse(inst, &pairs)?;
    let sc = match measure::check(inst, &answers) {
        Ok(x) => x,
        Err(e) => {
            return Ok(Html(format!(
                "<span class=\"error\">{}</span>",
                crate::charts::escape(&e.public_message())
            )));
        }
    };
    let answered = answers.iter().flatten().count();
    let total = sc.total.map_or_else(
        || {
            format!(
                "no total yet ({})",
                sc.total_note.clone().unwrap_or_default()
            )
        },
        |t| {
            format!(
                "total {}{}",
                num(t),
                sc.band
                    .as_ref()
                    .map_or(String::new(), |b| format!(" ({b})"))
            )
        },
    );
    let safety = if sc.safety.is_empty() {
        String::new()
    } else {
        format!(
            " · <strong>safety: {}</strong>",
            sc.safety
                .iter()
                .map(|f| crate::charts::escape(&format!("item {}", f.item)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Ok(Html(format!(
        "{answered} of {} answered · {}{}{safety}",
        answers.len(),
        crate::charts::escape(&total),
        if sc.prorated { " (prorated)" } else { "" }
    )))
}

/// Stores a measure entered on the client's behalf; the form's key makes a
/// double submit store one administration.
pub async fn enter<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    _headers: HeaderMap,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let library = app.library();
    let ctx = context(&app, &staff, id, Need::Write).await?;
    let inst = library
        .get(pairs_value(&pairs, "instrument").unwrap_or_default())
        .map_err(|e| AppError::invalid("instrument", e.to_string()))?;
    let key = pairs_value(&pairs, "key").unwrap_or_default();
    if !tokens::well_formed(key) {
        return Err(AppError::invalid(
            "key",
            "the form is incomplete; reload it",
        ));
    }
    let answers = questions::parse(inst, &pairs)?;
    let actor = staff.actor();
    let loaded = measure::Loaded::read(&app, &actor, ctx.client).await?;
    let (_, course) = app
        .store
        .session_owner(id)
        .await?
        .ok_or_else(|| AppError::NotFound("session".into()))?;
    let (new, _) = measure::administration(
        &library,
        inst,
        answers,
        loaded.record(),
        Placement {
            idempotency_key: format!("entry-{key}"),
            client: ctx.client,
            course: Some(course),
            session: Some(id),
            time_point: None,
            via: CompletedVia::ClinicianEntry,
            at: OffsetDateTime::now_utc(),
        },
    )?;
    app.store.submit(&actor, new).await?;
    Ok(Redirect::to(&format!("/clients/{}", ctx.client)).into_response())
}
