//! The web application: staff pages, the client portal, and their
//! authentication and authorisation. Server-rendered (askama), htmx for
//! partial updates, every asset embedded; generic over any `Store`.

mod access;
mod api;
mod app;
mod assets;
mod charts;
pub mod clinic;
mod csrf;
mod error;
mod headers;
mod login;
mod measure;
mod pages;
pub mod password;
mod portal;
mod questions;
mod session;
mod timeout;
mod tokens;
pub mod totp;
mod trace;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

pub use access::{Area, Need, may, role_may};
pub use api::{ROUTES as API_ROUTES, document as openapi_document};
pub use app::{App, Settings, Shared, Stores};
pub use error::AppError;
pub use headers::CSP;

/// Every route. Staff routes sit behind the CSRF layer; the portal's
/// credential is its link, so it has none to forge.
pub fn router<S: Stores>(app: Shared<S>) -> Router {
    let staff = Router::new()
        .route("/", get(login::root))
        .route("/logout", post(login::logout::<S>))
        .route("/account", get(pages::account::show::<S>))
        .route("/account/totp/start", post(pages::account::start::<S>))
        .route("/account/totp/confirm", post(pages::account::confirm::<S>))
        .route("/account/totp/off", post(pages::account::turn_off::<S>))
        .route("/caseload", get(pages::caseload::page::<S>))
        .route("/clients", post(pages::enrol::create::<S>))
        .route("/clients/new", get(pages::enrol::form::<S>))
        .route("/clients/{id}", get(pages::client::page::<S>))
        .route(
            "/clients/{id}/courses",
            post(pages::enrol::start_course::<S>),
        )
        .route(
            "/clients/{id}/intake",
            get(pages::intake::show::<S>).post(pages::intake::save::<S>),
        )
        .route("/clients/{id}/links", post(pages::links::create::<S>))
        .route("/clients/{id}/consents", post(pages::consent::record::<S>))
        .route(
            "/clients/{id}/details",
            get(pages::details::form::<S>).post(pages::details::save::<S>),
        )
        .route(
            "/clients/{id}/links/{link}/revoke",
            post(pages::links::revoke::<S>),
        )
        .route("/sessions/{id}", get(pages::session::show::<S>))
        .route(
            "/sessions/{id}/details",
            post(pages::session::save_details::<S>),
        )
        .route("/sessions/{id}/notes", post(pages::session::add_note::<S>))
        .route("/sessions/{id}/held", post(pages::session::mark_held::<S>))
        .route(
            "/sessions/{id}/reschedule",
            post(pages::schedule::reschedule::<S>),
        )
        .route("/sessions/{id}/cancel", post(pages::schedule::cancel::<S>))
        .route(
            "/sessions/{id}/videos",
            post(pages::video::upload::<S>).layer(DefaultBodyLimit::max(
                usize::try_from(app.settings.max_video).unwrap_or(usize::MAX),
            )),
        )
        .route(
            "/videos/{id}/delete-file",
            post(pages::video::delete_file::<S>),
        )
        .route("/sessions/{id}/entry", post(pages::entry::enter::<S>))
        .route(
            "/sessions/{id}/entry/score",
            post(pages::entry::live_score::<S>),
        )
        .route("/sessions/{id}/readiness", get(pages::readiness::show::<S>))
        .route("/sessions/{id}/hold", post(pages::readiness::hold::<S>))
        .route("/alerts", get(pages::alerts::inbox::<S>))
        .route("/alliances", get(pages::alliances::page::<S>))
        .route(
            "/alerts/{id}/acknowledge",
            post(pages::alerts::acknowledge::<S>),
        )
        .route("/alerts/{id}/resolve", post(pages::alerts::resolve::<S>))
        .route("/admin", get(pages::admin::page::<S>))
        .route("/admin/unlock", post(pages::admin::unlock::<S>))
        .route("/admin/users", post(pages::admin::create_user::<S>))
        .route("/admin/active", post(pages::admin::set_active::<S>))
        .route("/admin/supervision", post(pages::admin::supervise::<S>))
        .route("/admin/settings", post(pages::admin::save_settings::<S>))
        .route(
            "/admin/packs",
            post(pages::admin::install_pack::<S>)
                .layer(DefaultBodyLimit::max(pages::admin::MAX_PACK)),
        )
        .route("/cohort", get(pages::cohort::page::<S>))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            csrf::guard::<S, AppError>,
        ));
    let open = Router::new()
        .route("/login", get(login::form).post(login::submit::<S>))
        .route("/assets/{name}", get(assets::asset))
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route("/p/{token}", get(portal::home::<S>))
        .route(
            "/p/{token}/journal",
            get(portal::journal::<S>).post(portal::write_journal::<S>),
        )
        .route(
            "/p/{token}/t/{task}",
            get(portal::task::<S>).post(portal::save::<S>),
        )
        .route("/p/{token}/t/{task}/review", get(portal::review::<S>))
        .route("/p/{token}/t/{task}/submit", post(portal::submit::<S>));
    staff
        .merge(open)
        .merge(api::router(app.clone()))
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(app.settings.max_body))
        .layer(middleware::from_fn_with_state(
            app.settings.request_timeout,
            timeout::limit,
        ))
        .layer(middleware::from_fn(headers::security_headers))
        .layer(middleware::from_fn(trace::trace))
        .with_state(app)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve<S: Stores>(
    listener: tokio::net::TcpListener,
    app: App<S>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(Arc::new(app));
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
