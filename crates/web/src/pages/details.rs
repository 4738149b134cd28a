//! Correcting a client's identifying details (name, contact, date of
//! birth). The code, the pseudonym used everywhere else, does not change.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::render;
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::http::error::AppError;

#[derive(Deserialize, Default)]
pub struct DetailsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    date_of_birth: String,
}

#[derive(Template)]
#[template(path = "client_details.html")]
struct Page {
    me: Option<Me>,
    id: String,
    code: String,
    f: DetailsForm,
    error: Option<String>,
}

pub async fn form<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let team = access::client(&app, &staff, id, Need::Write).await?;
    let client = app.store.client(&staff.actor(), id).await?;
    let d = client.details;
    Ok(render(&Page {
        me: Some(staff.me()),
        id: id.to_string(),
        code: team.code,
        f: DetailsForm {
            name: d.name,
            contact: d.contact.unwrap_or_default(),
            date_of_birth: d.date_of_birth.map(|x| x.to_string()).unwrap_or_default(),
        },
        error: None,
    })?
    .into_response())
}

pub async fn save<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(f): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let team = access::client(&app, &staff, id, Need::Write).await?;
    match super::enrol::details(&f.name, &f.contact, &f.date_of_birth) {
        Ok(details) => {
            app.store
                .update_client_details(&staff.actor(), id, details)
                .await?;
            Ok(Redirect::to(&format!("/clients/{id}")).into_response())
        }
        Err(e) => {
            let page = Page {
                me: Some(staff.me()),
                id: id.to_string(),
                code: team.code,
                f,
                error: Some(e.to_string()),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}
