//! Signing in and out. A wrong username and a wrong password get the same
//! answer in about the same time; repeated failures lock the username for a
//! while (an admin can unlock it sooner).

use std::sync::OnceLock;

use askama::Template;
use attune_store::audit::Actor;
use attune_store::{NewStaffSession, Role, token_hash};
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::app::{Shared, Stores};
use crate::auth::session::{ClientAddr, Staff, session_cookie};
use crate::auth::{password, tokens};
use crate::http::error::AppError;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    error: Option<String>,
    username: String,
}

fn page(status: StatusCode, error: Option<String>, username: String) -> Result<Response, AppError> {
    let html = LoginPage { error, username }
        .render()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}

pub async fn form() -> Result<Response, AppError> {
    page(StatusCode::OK, None, String::new())
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The one-time code, for accounts with two-step sign-in.
    #[serde(default)]
    code: String,
}

/// A hash to verify against when the username is unknown, so that the
/// answer takes as long as for a known one.
fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| password::hash("decoy password, never valid").unwrap_or_default())
}

/// Why a sign-in was refused without an error of ours.
pub enum Refusal {
    Incomplete,
    TooLong,
    /// Wrong username or password: the same answer for both.
    Wrong,
}

pub struct SignedIn {
    pub user: attune_store::User,
    pub token: String,
    pub expires_at: OffsetDateTime,
}

/// Checks credentials (with throttling) and opens a server-side session.
/// A locked username is an error (`TooManyAttempts`), saying for how long.
pub async fn sign_in<S: Stores>(
    app: &Shared<S>,
    username: &str,
    secret: String,
    code: &str,
    origin: String,
) -> Result<Result<SignedIn, Refusal>, AppError> {
    let username = username.trim().to_lowercase();
    if username.is_empty() || secret.is_empty() {
        return Ok(Err(Refusal::Incomplete));
    }
    if username.len() > 64 || secret.len() > 1024 {
        return Ok(Err(Refusal::TooLong));
    }
    let now = OffsetDateTime::now_utc();
    let locked = |until: Option<OffsetDateTime>| {
        let minutes = until.map_or(0, |u| (u - now).whole_minutes() + 1);
        AppError::TooManyAttempts(format!(
            "Too many failed sign-ins for this username: it is locked for {minutes} more minute(s). An administrator can unlock it sooner."
        ))
    };
    let state = app.store.login_state(&username).await?;
    if state.locked_at(now) {
        return Err(locked(state.locked_until));
    }
    let found = app.store.credentials(&username).await?;
    let hash = found
        .as_ref()
        .filter(|c| c.user.active)
        .map_or_else(|| decoy().to_owned(), |c| c.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || password::verify(&secret, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // With two-step sign-in on, the code must be right too; a wrong code
    // counts as a failed sign-in like a wrong password.
    let second_step = match &found {
        Some(c) if ok && c.user.active => match app.store.totp_secret(c.user.id).await? {
            Some(totp) => {
                match crate::auth::totp::matching_step(&totp, code, crate::auth::totp::now()) {
                    Some(step) => app.store.claim_totp_step(c.user.id, step).await?,
                    None => false,
                }
            }
            None => true,
        },
        _ => false,
    };
    let user = match found {
        Some(c) if ok && second_step && c.user.active => c.user,
        _ => {
            let after = app
                .store
                .record_login_failure(&username, app.settings.lock)
                .await?;
            if after.locked_at(now) {
                return Err(locked(after.locked_until));
            }
            return Ok(Err(Refusal::Wrong));
        }
    };
    let actor = Actor {
        user: Some(user.id),
        name: format!("user:{}", user.username),
        origin: origin.clone(),
    };
    app.store.clear_login_failures(&actor, &username).await?;
    let token = tokens::new_token()?;
    let expires_at = now + app.settings.session_absolute;
    app.store
        .open_staff_session(
            &actor,
            NewStaffSession {
                token_hash: token_hash(&token),
                user: user.id,
                csrf_token: tokens::new_token()?,
                origin,
                expires_at,
            },
        )
        .await?;
    Ok(Ok(SignedIn {
        user,
        token,
        expires_at,
    }))
}

pub async fn submit<S: Stores>(
    State(app): State<Shared<S>>,
    ClientAddr(origin): ClientAddr,
    Form(form): Form<Credentials>,
) -> Result<Response, AppError> {
    let name = form.username.trim().to_lowercase();
    let signed = match sign_in(&app, &form.username, form.password, &form.code, origin).await? {
        Ok(s) => s,
        Err(Refusal::Incomplete) => {
            return page(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("Enter your username and password.".into()),
                name,
            );
        }
        Err(Refusal::TooLong) => {
            return page(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("Username or password is too long.".into()),
                String::new(),
            );
        }
        Err(Refusal::Wrong) => {
            // No name or address in the log: the audit log has the attempt.
            tracing::warn!("sign-in refused: wrong credentials");
            return page(
                StatusCode::UNAUTHORIZED,
                Some("The username, password or one-time code is wrong.".into()),
                name,
            );
        }
    };
    let cookie = session_cookie(
        Some(&signed.token),
        app.settings.session_absolute,
        app.settings.secure_cookies,
    );
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, home(signed.user.role).to_owned()),
        ],
    )
        .into_response())
}

pub async fn logout<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Response, AppError> {
    app.store
        .close_staff_session(&staff.actor(), &staff.token_hash)
        .await?;
    let cookie = session_cookie(None, time::Duration::ZERO, app.settings.secure_cookies);
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/login".to_owned()),
        ],
    )
        .into_response())
}

/// Each role's first page.
pub fn home(role: Role) -> &'static str {
    match role {
        Role::Therapist | Role::Supervisor => "/caseload",
        Role::Admin => "/admin",
        Role::Researcher => "/cohort",
    }
}

pub async fn root(staff: Staff) -> Redirect {
    Redirect::to(home(staff.user.role))
}
