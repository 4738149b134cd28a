//! Staff sessions: a random token in a cookie (HttpOnly, SameSite=Strict,
//! Secure unless serving the loopback demo), its hash in the database, an
//! idle and an absolute timeout. `Staff` is the extractor every staff route
//! takes: no valid session, no handler.

use attune_store::Code;
use std::net::SocketAddr;

use attune_store::audit::Actor;
use attune_store::{Role, User, token_hash};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use time::{Duration, OffsetDateTime};

use crate::app::{Shared, Stores};
use crate::http::error::AppError;

pub const SESSION_COOKIE: &str = "attune_session";

/// The value of one cookie, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The token of an `Authorization: Bearer` header (API clients).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The `Set-Cookie` value for a new session, or for ending one (`None`).
pub fn session_cookie(token: Option<&str>, max_age: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
            max_age.whole_seconds()
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    }
}

/// Where a request came from, for the audit log.
pub fn origin(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// The peer address of a request, for the audit log.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(origin(parts)))
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
    pub origin: String,
}

impl Staff {
    pub fn actor(&self) -> Actor {
        Actor {
            user: Some(self.user.id),
            name: format!("user:{}", self.user.username),
            origin: self.origin.clone(),
        }
    }

    pub fn me(&self) -> Me {
        Me {
            name: self.user.display_name.clone(),
            role: self.user.role,
            csrf: self.csrf.clone(),
        }
    }
}

/// What the page layout shows of the signed-in person.
#[derive(Debug, Clone)]
pub struct Me {
    pub name: String,
    pub role: Role,
    pub csrf: String,
}

impl Me {
    pub fn role_name(&self) -> &'static str {
        self.role.code()
    }
    pub fn clinical(&self) -> bool {
        matches!(self.role, Role::Therapist | Role::Supervisor)
    }
    pub fn admin(&self) -> bool {
        self.role == Role::Admin
    }
    pub fn researcher(&self) -> bool {
        self.role == Role::Researcher
    }
}

/// Touching the session row on every request would make every page a
/// write; once a minute is enough for an idle timeout measured in minutes.
const TOUCH_EVERY: Duration = Duration::minutes(1);

impl<S: Stores> FromRequestParts<Shared<S>> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &Shared<S>) -> Result<Self, AppError> {
        if let Some(staff) = parts.extensions.get::<Staff>() {
            return Ok(staff.clone());
        }
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .or_else(|| bearer(&parts.headers))
            .ok_or(AppError::Unauthenticated)?;
        if !crate::auth::tokens::well_formed(token) {
            return Err(AppError::Unauthenticated);
        }
        let hash = token_hash(token);
        let session = app
            .store
            .staff_session(&hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let now = OffsetDateTime::now_utc();
        let origin = origin(parts);
        if now >= session.expires_at || now - session.last_seen_at > app.settings.session_idle {
            app.store
                .close_staff_session(&Actor::system("session-timeout"), &hash)
                .await?;
            return Err(AppError::Unauthenticated);
        }
        if now - session.last_seen_at >= TOUCH_EVERY {
            app.store.touch_staff_session(&hash, now).await?;
        }
        let staff = Staff {
            user: session.user,
            csrf: session.csrf_token,
            token_hash: hash,
            origin,
        };
        parts.extensions.insert(staff.clone());
        Ok(staff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_static("a=1; attune_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn cookie_flags() {
        let c = session_cookie(Some("t"), Duration::hours(12), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
        assert!(c.contains("Max-Age=43200"));
        assert!(!session_cookie(None, Duration::ZERO, false).contains("Secure"));
    }
}
