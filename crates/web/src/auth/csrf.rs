//! Cross-site request forgery: every state-changing staff request carries
//! the session's CSRF token (a hidden `csrf` form field, or the
//! `X-CSRF-Token` header that htmx sends), and a browser-sent `Origin` must
//! be our own. Applied as a layer, so no handler can forget it.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::{Shared, Stores};
use crate::auth::session::{SESSION_COOKIE, Staff, bearer, cookie};
use crate::auth::tokens;
use crate::http::error::AppError;

pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "csrf";

fn rejected() -> AppError {
    AppError::Forbidden(
        "This form has expired or did not come from Attune. Reload the page and try again.".into(),
    )
}

/// A cross-site `Origin` is refused; a missing one is allowed (non-browser clients).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    matches!((origin_host, host), (Some(o), Some(h)) if o == h)
}

/// A streamed file upload. Uploads go to disk and are never buffered here,
/// so their token comes in the header or in the form's action URL
/// (`?csrf=`); the request time limit exempts them too.
pub(crate) fn multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"))
}

pub fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The layer. `E` is how a refusal is told: a page for people, JSON for the API.
pub async fn guard<S: Stores, E: From<AppError>>(
    State(app): State<Shared<S>>,
    request: Request,
    next: Next,
) -> Result<Response, E> {
    if request.method().is_safe() {
        return Ok(next.run(request).await);
    }
    // A bearer token is never attached by a browser on its own: such a
    // request cannot be forged across sites, so it needs no CSRF token.
    let headers = request.headers();
    if cookie(headers, SESSION_COOKIE).is_none() && bearer(headers).is_some() {
        return Ok(next.run(request).await);
    }
    check(&app, request, next).await.map_err(E::from)
}

async fn check<S: Stores>(
    app: &Shared<S>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let (mut parts, body) = request.into_parts();
    if !same_origin(&parts.headers) {
        return Err(rejected());
    }
    let staff = Staff::from_request_parts(&mut parts, app).await?;
    let from_header = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if multipart(&parts.headers) {
        let query = parts.uri.query().unwrap_or("").as_bytes();
        let sent = from_header.or_else(|| form_field(query, FIELD));
        if !sent.is_some_and(|s| tokens::same(&s, &staff.csrf)) {
            return Err(rejected());
        }
        return Ok(next.run(Request::from_parts(parts, body)).await);
    }
    let bytes = axum::body::to_bytes(body, app.settings.max_body)
        .await
        .map_err(|_| AppError::invalid("request", "the request is too large"))?;
    let sent = from_header.or_else(|| form_field(&bytes, FIELD));
    if !sent.is_some_and(|s| tokens::same(&s, &staff.csrf)) {
        return Err(rejected());
    }
    Ok(next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_must_match_host() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h));
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
    }

    #[test]
    fn reads_a_form_field() {
        assert_eq!(
            form_field(b"a=1&csrf=x%20y", "csrf").as_deref(),
            Some("x y")
        );
        assert_eq!(form_field(b"a=1", "csrf"), None);
    }
}
