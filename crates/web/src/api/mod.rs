//! The JSON API: the same operations and the same access rules as the pages,
//! for integrations and scripts. Authenticated by a bearer token from
//! `POST /api/session` (or the browser's session cookie plus its CSRF
//! header). Every error has one shape: `{"error": {"code", "message", "field"?}}`.
//! The OpenAPI document at `/api/openapi.json` lists every route (a test
//! holds the two together).

mod alerts;
mod clients;
mod openapi;
mod readiness;
mod session;
mod videos;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use serde_json::json;

use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::http::error::AppError;

pub use openapi::{ROUTES, document};

/// An [`AppError`] told as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

fn code(e: &AppError) -> &'static str {
    match e {
        AppError::Unauthenticated => "unauthenticated",
        AppError::Forbidden(_) => "forbidden",
        AppError::NotFound(_) | AppError::Missing(_) => "not_found",
        AppError::Invalid { .. } => "invalid",
        AppError::Conflict(_) => "conflict",
        AppError::Gone(_) => "gone",
        AppError::TooManyAttempts(_) => "too_many_attempts",
        AppError::TooLarge => "too_large",
        AppError::Internal(_) => "internal",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        if let AppError::Internal(detail) = &e {
            tracing::error!(error = %detail, "internal error");
        }
        let mut body = json!({ "error": { "code": code(&e), "message": e.public_message() } });
        if let AppError::Invalid { field, .. } = &e {
            body["error"]["field"] = json!(field);
        }
        let mut response = (e.status(), Json(body)).into_response();
        if e.status() == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<Json<T>, ApiError>;

/// A JSON body that could not be read: too large, or not what the route takes.
pub fn body_error(e: &axum::extract::rejection::JsonRejection) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::invalid("body", e.body_text())
    }
}

/// Unknown paths under /api answer in JSON.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError(AppError::NotFound("API route".into())).into_response()
    } else {
        AppError::NotFound("page".into()).into_response()
    }
}

/// A signed-in staff member, refused in JSON.
pub struct ApiStaff(pub Staff);

impl<S: Stores> FromRequestParts<Shared<S>> for ApiStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Shared<S>) -> Result<Self, ApiError> {
        Staff::from_request_parts(parts, app)
            .await
            .map(ApiStaff)
            .map_err(ApiError)
    }
}

pub fn router<S: Stores>(app: Shared<S>) -> Router<Shared<S>> {
    let guarded = Router::new()
        .route("/api/session", axum::routing::delete(session::close::<S>))
        .route("/api/clients", get(clients::list::<S>))
        .route("/api/clients/{id}", get(clients::one::<S>))
        .route(
            "/api/clients/{id}/administrations",
            get(clients::administrations::<S>).post(clients::submit::<S>),
        )
        .route("/api/clients/{id}/videos", get(videos::list::<S>))
        .route("/api/sessions/{id}/readiness", get(readiness::one::<S>))
        .route("/api/alerts", get(alerts::list::<S>))
        .route(
            "/api/alerts/{id}/acknowledge",
            post(alerts::acknowledge::<S>),
        )
        .route("/api/alerts/{id}/resolve", post(alerts::resolve::<S>))
        .layer(middleware::from_fn_with_state(
            app,
            crate::auth::csrf::guard::<S, ApiError>,
        ));
    Router::new()
        .route("/api/session", post(session::open::<S>))
        .route("/api/openapi.json", get(|| async { Json(document()) }))
        .merge(guarded)
}
