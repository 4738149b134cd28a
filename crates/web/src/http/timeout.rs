//! A time limit on every request: a handler still running after it is
//! cancelled (an open transaction rolls back, so nothing half-written
//! stays) and the client is told to look and try again. Streamed uploads (multipart)
//! are exempt: their size is bounded instead, and a large video on a slow
//! line takes as long as it takes.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    if crate::auth::csrf::multipart(request.headers()) {
        return next.run(request).await;
    }
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5")],
            "The server took too long to answer. Reload the page to see what was saved, then try again.",
        )
            .into_response(),
    }
}
