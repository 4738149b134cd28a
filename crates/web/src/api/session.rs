//! API sign-in: credentials for a bearer token (the same throttling and
//! lock-out as the sign-in page), and sign-out.

use attune_store::Code;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

use super::{ApiError, ApiResult, ApiStaff};
use crate::app::{Shared, Stores};
use crate::auth::login::{Refusal, sign_in};
use crate::auth::session::ClientAddr;
use crate::http::error::AppError;

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    /// The one-time code, for accounts with two-step sign-in.
    #[serde(default)]
    code: String,
}

#[derive(Serialize)]
pub struct Token {
    token: String,
    expires_at: String,
    role: &'static str,
}

pub async fn open<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    body: Result<Json<Credentials>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Token> {
    let Json(c) = body.map_err(|e| super::body_error(&e))?;
    match sign_in(&app, &c.username, c.password, &c.code, origin).await? {
        Ok(s) => Ok(Json(Token {
            token: s.token,
            expires_at: s.expires_at.format(&Rfc3339).unwrap_or_default(),
            role: s.user.role.code(),
        })),
        Err(Refusal::Incomplete) => {
            Err(AppError::invalid("username", "username and password are required").into())
        }
        Err(Refusal::TooLong) => Err(AppError::invalid("password", "too long").into()),
        Err(Refusal::Wrong) => Err(ApiError(AppError::Unauthenticated)),
    }
}

pub async fn close<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
) -> Result<StatusCode, ApiError> {
    app.store
        .close_staff_session(&staff.actor(), &staff.token_hash)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
