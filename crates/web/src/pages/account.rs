//! A staff member's own account: turning two-step sign-in (TOTP) on and off.
//! Turning it on shows a new secret (QR code and text) and takes effect only
//! once a code from the app proves it was set up; turning it off needs a
//! current code.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::render;
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::auth::totp;
use crate::http::error::AppError;

#[derive(Template)]
#[template(path = "account.html")]
struct Page {
    me: Option<Me>,
    username: String,
    enabled: bool,
    /// Set-up in progress: (hex secret for the form, base32 for typing, QR).
    setup: Option<(String, String, String)>,
    error: Option<String>,
}

async fn page<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    setup: Option<Vec<u8>>,
    error: Option<String>,
) -> Result<Page, AppError> {
    let enabled = app.store.totp_secret(staff.user.id).await?.is_some();
    let setup = match setup {
        Some(secret) => {
            let uri = totp::uri(&staff.user.username, &secret);
            Some((
                hex::encode(&secret),
                totp::base32(&secret),
                super::links::qr_svg(&uri)?,
            ))
        }
        None => None,
    };
    Ok(Page {
        me: Some(staff.me()),
        username: staff.user.username.clone(),
        enabled,
        setup,
        error,
    })
}

pub async fn show<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Response, AppError> {
    Ok(render(&page(&app, &staff, None, None).await?)?.into_response())
}

pub async fn start<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Response, AppError> {
    let secret = totp::new_secret()?;
    Ok(render(&page(&app, &staff, Some(secret), None).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct Confirm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

pub async fn confirm<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Form(form): Form<Confirm>,
) -> Result<Response, AppError> {
    let secret = hex::decode(form.secret.trim())
        .ok()
        .filter(|s| s.len() == totp::SECRET_LEN)
        .ok_or_else(|| AppError::invalid("secret", "the set-up form is incomplete; start again"))?;
    let Some(step) = totp::matching_step(&secret, &form.code, totp::now()) else {
        let p = page(
            &app,
            &staff,
            Some(secret),
            Some(
                "That code does not match: check the app's clock and try the current code.".into(),
            ),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    app.store
        .set_totp(&staff.actor(), staff.user.id, Some(secret))
        .await?;
    // The code that confirmed the set-up does not sign anyone in afterwards.
    app.store.claim_totp_step(staff.user.id, step).await?;
    Ok(Redirect::to("/account").into_response())
}

#[derive(Deserialize)]
pub struct TurnOff {
    #[serde(default)]
    code: String,
}

pub async fn turn_off<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Form(form): Form<TurnOff>,
) -> Result<Response, AppError> {
    let Some(secret) = app.store.totp_secret(staff.user.id).await? else {
        return Ok(Redirect::to("/account").into_response());
    };
    if !totp::verify(&secret, &form.code, totp::now()) {
        let p = page(&app, &staff, None, Some("That code does not match.".into())).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    }
    app.store
        .set_totp(&staff.actor(), staff.user.id, None)
        .await?;
    Ok(Redirect::to("/account").into_response())
}
