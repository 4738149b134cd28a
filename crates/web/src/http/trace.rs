//! A request id on every request: taken from a proxy's `X-Request-Id` when it
//! is a plain token, else made here; sent back in the response header, and
//! carried by a span so that every log line of the request names it.
//!
//! Logs name the route, never the raw path: a portal path holds the client's
//! link (a bearer secret), and query strings hold form values. Ids in paths
//! are shown as `{id}`.

use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;
use uuid::Uuid;

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub async fn trace(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| plain_token(v))
        .map_or_else(|| Uuid::now_v7().simple().to_string(), str::to_owned);
    let route = route_of(request.uri().path());
    let span = tracing::info_span!("request", id = %id, method = %request.method(), route = %route);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "answered"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

/// An id a proxy may hand on: short, and nothing that could forge a log line.
fn plain_token(v: &str) -> bool {
    (1..=64).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The path with what identifies a record or grants access replaced.
fn route_of(path: &str) -> String {
    let mut out = String::new();
    let mut previous = "";
    for segment in path.split('/').skip(1) {
        out.push('/');
        if previous == "p" {
            out.push_str("{token}");
        } else if Uuid::try_parse(segment).is_ok() {
            out.push_str("{id}");
        } else if segment.len() > 40 || !segment.chars().all(|c| c.is_ascii_graphic()) {
            out.push_str("{…}");
        } else {
            out.push_str(segment);
        }
        previous = segment;
    }
    if out.is_empty() { "/".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_hide_tokens_and_ids() {
        let id = Uuid::now_v7();
        assert_eq!(
            route_of(&format!("/clients/{id}/edit")),
            "/clients/{id}/edit"
        );
        assert_eq!(
            route_of("/p/s3cr3t-link/t/x/submit"),
            "/p/{token}/t/x/submit"
        );
        assert_eq!(route_of("/"), "/");
        assert_eq!(route_of("/alerts"), "/alerts");
    }

    #[test]
    fn only_plain_ids_are_taken_from_a_proxy() {
        assert!(plain_token("abc-123_x"));
        assert!(!plain_token("a b"));
        assert!(!plain_token("x\ny"));
        assert!(!plain_token(""));
        assert!(!plain_token(&"a".repeat(65)));
    }
}
