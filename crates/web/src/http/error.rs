//! One error type for every handler, mapped to a response: a plain page for
//! people, never a panic, never a stack trace, never client data in a log.

use askama::Template;
use attune_store::StoreError;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session: people are sent to the login page.
    #[error("please sign in")]
    Unauthenticated,
    /// Signed in, but the role may not use this part of Attune.
    #[error("{0}")]
    Forbidden(String),
    /// Unknown, or not on this person's caseload: the same answer for both,
    /// so that ids cannot be probed.
    #[error("{0} not found")]
    NotFound(String),
    /// Not found, with a sentence of its own (a portal link that does not exist).
    #[error("{0}")]
    Missing(String),
    /// Input that cannot be accepted; says which field and why.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    /// The link has expired, been used up or withdrawn.
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    TooManyAttempts(String),
    #[error("the request is too large")]
    TooLarge,
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) | AppError::Missing(_) => StatusCode::NOT_FOUND,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the person is told: an internal error says no more than that.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => {
                "Something went wrong on our side; nothing was saved. Please try again.".to_owned()
            }
            other => other.to_string(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what } => AppError::NotFound(what),
            StoreError::Conflict { what } => AppError::Conflict(what),
            StoreError::Invalid { field, reason } => AppError::Invalid {
                field,
                message: reason,
            },
            other => AppError::Internal(attune_store::report(&other)),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Unauthenticated = self {
            return Redirect::to("/login").into_response();
        }
        if let AppError::Internal(detail) = &self {
            // Store errors carry no client data (see StoreError::Backend).
            tracing::error!(error = %detail, "internal error");
        }
        let status = self.status();
        let page = ErrorPage {
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            message: self.public_message(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                self.public_message(),
            )
                .into_response(),
        }
    }
}
