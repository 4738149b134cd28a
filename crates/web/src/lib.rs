//! The web application: staff pages, the client portal, and their
//! authentication and authorisation. Server-rendered (askama), htmx for
//! partial updates, every asset embedded; generic over any `Store`.

mod access;
mod api;
mod app;
mod auth;
mod charts;
pub mod clinic;
mod http;
mod measure;
mod pages;
mod portal;
mod questions;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;

pub use access::{Area, Need, may, role_may};
pub use api::{ROUTES as API_ROUTES, document as openapi_document};
pub use app::{App, Settings, Shared, Stores};
pub use auth::{password, totp};
pub use http::error::AppError;
pub use http::headers::CSP;
pub use routes::RouteInfo;
use routes::Routes;

/// Every route. Staff routes sit behind the CSRF layer; the portal's
/// credential is its link, so it has none to forge.
pub fn router<S: Stores>(app: Shared<S>) -> Router {
    let (staff, _) = staff_routes::<S>(&app.settings).into_parts();
    let (open, _) = open_routes::<S>().into_parts();
    let staff = staff.layer(middleware::from_fn_with_state(
        app.clone(),
        auth::csrf::guard::<S, AppError>,
    ));
    staff
        .merge(open)
        .merge(api::router(app.clone()))
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(app.settings.max_body))
        .layer(middleware::from_fn_with_state(
            app.settings.request_timeout,
            http::timeout::limit,
        ))
        .layer(middleware::from_fn(http::headers::security_headers))
        .layer(middleware::from_fn(http::trace::trace))
        .with_state(app)
}

/// The page routes as the router registers them: (staff, open). Staff routes
/// need a signed-in person and pass the CSRF layer; open ones are sign-in,
/// assets, health and the client portal. (The JSON API has its own table,
/// `API_ROUTES`.)
pub fn route_table<S: Stores>(settings: &Settings) -> (Vec<RouteInfo>, Vec<RouteInfo>) {
    (
        staff_routes::<S>(settings).into_parts().1,
        open_routes::<S>().into_parts().1,
    )
}

fn staff_routes<S: Stores>(settings: &Settings) -> Routes<S> {
    let max_video = usize::try_from(settings.max_video).unwrap_or(usize::MAX);
    Routes::new()
        .get("/", auth::login::root)
        .post("/logout", auth::login::logout::<S>)
        .get("/account", pages::account::show::<S>)
        .post("/account/totp/start", pages::account::start::<S>)
        .post("/account/totp/confirm", pages::account::confirm::<S>)
        .post("/account/totp/off", pages::account::turn_off::<S>)
        .get("/caseload", pages::caseload::page::<S>)
        .post("/clients", pages::enrol::create::<S>)
        .get("/clients/new", pages::enrol::form::<S>)
        .get("/clients/{id}", pages::client::page::<S>)
        .post("/clients/{id}/courses", pages::enrol::start_course::<S>)
        .get("/clients/{id}/intake", pages::intake::show::<S>)
        .post("/clients/{id}/intake", pages::intake::save::<S>)
        .post("/clients/{id}/links", pages::links::create::<S>)
        .post("/clients/{id}/consents", pages::consent::record::<S>)
        .get("/clients/{id}/details", pages::details::form::<S>)
        .post("/clients/{id}/details", pages::details::save::<S>)
        .post(
            "/clients/{id}/links/{link}/revoke",
            pages::links::revoke::<S>,
        )
        .get("/sessions/{id}", pages::session::page::show::<S>)
        .post(
            "/sessions/{id}/details",
            pages::session::page::save_details::<S>,
        )
        .post("/sessions/{id}/notes", pages::session::page::add_note::<S>)
        .post("/sessions/{id}/held", pages::session::page::mark_held::<S>)
        .post(
            "/sessions/{id}/reschedule",
            pages::session::schedule::reschedule::<S>,
        )
        .post(
            "/sessions/{id}/cancel",
            pages::session::schedule::cancel::<S>,
        )
        .post_limited(
            "/sessions/{id}/videos",
            pages::session::video::upload::<S>,
            max_video,
        )
        .post(
            "/videos/{id}/delete-file",
            pages::session::video::delete_file::<S>,
        )
        .post("/sessions/{id}/entry", pages::session::entry::enter::<S>)
        .post(
            "/sessions/{id}/entry/score",
            pages::session::entry::live_score::<S>,
        )
        .get("/sessions/{id}/readiness", pages::readiness::show::<S>)
        .post("/sessions/{id}/readiness", pages::readiness::sign_only::<S>)
        .post("/sessions/{id}/hold", pages::readiness::hold::<S>)
        .get("/alerts", pages::alerts::inbox::<S>)
        .get("/alliances", pages::alliances::page::<S>)
        .post("/alerts/{id}/acknowledge", pages::alerts::acknowledge::<S>)
        .post("/alerts/{id}/resolve", pages::alerts::resolve::<S>)
        .get("/admin", pages::admin::page::<S>)
        .post("/admin/unlock", pages::admin::unlock::<S>)
        .post("/admin/users", pages::admin::create_user::<S>)
        .post("/admin/active", pages::admin::set_active::<S>)
        .post("/admin/supervision", pages::admin::supervise::<S>)
        .post("/admin/settings", pages::admin::save_settings::<S>)
        .post_limited(
            "/admin/packs",
            pages::admin::install_pack::<S>,
            pages::admin::MAX_PACK,
        )
        .get("/cohort", pages::cohort::page::<S>)
}

fn open_routes<S: Stores>() -> Routes<S> {
    Routes::new()
        .get("/login", auth::login::form)
        .post("/login", auth::login::submit::<S>)
        .get("/assets/{name}", http::assets::asset)
        .get("/healthz", || async { "ok" })
        .get("/favicon.ico", || async {
            axum::http::StatusCode::NO_CONTENT
        })
        .get("/p/{token}", portal::home::<S>)
        .get("/p/{token}/journal", portal::journal::<S>)
        .post("/p/{token}/journal", portal::write_journal::<S>)
        .get("/p/{token}/t/{task}", portal::task::<S>)
        .post("/p/{token}/t/{task}", portal::save::<S>)
        .get("/p/{token}/t/{task}/review", portal::review::<S>)
        .post("/p/{token}/t/{task}/submit", portal::submit::<S>)
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
