//! Every staff route × every role × own / other client: allowed or denied.
//! The routes come from the router's own table (`attune_web::route_table`):
//! a route without a row here fails `every_route_has_a_row`. The most-used
//! routes pin the exact status; the others who may use them. A therapist
//! cannot reach another therapist's client by any route; a supervisor reads,
//! but does not change, a supervisee's client; admins and researchers open no
//! client record.

use std::collections::BTreeSet;

use attune_store_sql::SqliteStore;
use attune_web::Settings;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use crate::harness::{Clinic, Person, clinic, location};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Ana,
    Ben,
    Sam,
    Admin,
    Rita,
    Nobody,
}

fn person(c: &Clinic, who: Who) -> Option<&Person> {
    match who {
        Who::Ana => Some(&c.ana),
        Who::Ben => Some(&c.ben),
        Who::Sam => Some(&c.sam),
        Who::Admin => Some(&c.admin),
        Who::Rita => Some(&c.rita),
        Who::Nobody => None,
    }
}

#[derive(Clone, Copy, Debug)]
enum Route {
    Home,
    Caseload,
    /// Ana's client's page.
    Client,
    CreateLink,
    Alerts,
    /// Acknowledge the alert on Ana's client.
    Acknowledge,
    Resolve,
    Accounts,
    Unlock,
    Cohort,
    /// The readiness review of Ana's client's medicine session.
    Readiness,
    Hold,
    /// "My alliances".
    Alliances,
    /// The session page of Ana's client's medicine session, and its writes.
    SessionPage,
    SessionNote,
    SessionDetails,
    SessionEntry,
    /// Record a consent for Ana's client.
    Consent,
    Logout,
}

const ROUTES: [Route; 19] = [
    Route::Home,
    Route::Caseload,
    Route::Client,
    Route::CreateLink,
    Route::Alerts,
    Route::Acknowledge,
    Route::Resolve,
    Route::Accounts,
    Route::Unlock,
    Route::Cohort,
    Route::Readiness,
    Route::Hold,
    Route::Alliances,
    Route::SessionPage,
    Route::SessionNote,
    Route::SessionDetails,
    Route::SessionEntry,
    Route::Consent,
    Route::Logout,
];

const OK: u16 = 200;
const SEE: u16 = 303;
const FORBIDDEN: u16 = 403;
const NOT_FOUND: u16 = 404;

/// The expected status of each route for each person, about Ana's client.
fn expected(who: Who, route: Route) -> u16 {
    use Route::*;
    use Who::*;
    match (who, route) {
        (Nobody, _) => SEE,
        (_, Home | Logout) => SEE,
        (Ana, Caseload | Client | CreateLink | Alerts | Readiness | Alliances | SessionPage) => OK,
        (Ana, Acknowledge | Resolve | Hold | SessionNote | SessionDetails | SessionEntry) => SEE,
        (Ana, Consent) => SEE,
        (Ben | Sam, Consent) => NOT_FOUND,
        (Admin | Rita, Consent) => FORBIDDEN,
        (Ana | Ben, Accounts | Unlock | Cohort) => FORBIDDEN,
        (Ben, Caseload | Alerts | Alliances) => OK,
        (Ben, Client | CreateLink | Acknowledge | Resolve | Readiness | Hold) => NOT_FOUND,
        (Ben, SessionPage | SessionNote | SessionDetails | SessionEntry) => NOT_FOUND,
        (Sam, Caseload | Client | Alerts | Cohort | Readiness | Alliances | SessionPage) => OK,
        (Sam, CreateLink | Acknowledge | Resolve | Hold) => NOT_FOUND,
        (Sam, SessionNote | SessionDetails | SessionEntry) => NOT_FOUND,
        (Sam, Accounts | Unlock) => FORBIDDEN,
        (Admin, Accounts) => OK,
        (Admin, Unlock) => SEE,
        (Admin | Rita, Caseload | Client | CreateLink | Alerts | Alliances) => FORBIDDEN,
        (Admin | Rita, Acknowledge | Resolve | Readiness | Hold) => NOT_FOUND,
        (Admin | Rita, SessionPage | SessionNote | SessionDetails | SessionEntry) => NOT_FOUND,
        (Admin, Cohort) => FORBIDDEN,
        (Rita, Cohort) => OK,
        (Rita, Accounts | Unlock) => FORBIDDEN,
    }
}

/// The router's name (method and path) of each pinned route.
fn pinned(route: Route) -> (Method, &'static str) {
    use Route::*;
    match route {
        Home => (Method::GET, "/"),
        Caseload => (Method::GET, "/caseload"),
        Client => (Method::GET, "/clients/{id}"),
        CreateLink => (Method::POST, "/clients/{id}/links"),
        Alerts => (Method::GET, "/alerts"),
        Acknowledge => (Method::POST, "/alerts/{id}/acknowledge"),
        Resolve => (Method::POST, "/alerts/{id}/resolve"),
        Accounts => (Method::GET, "/admin"),
        Unlock => (Method::POST, "/admin/unlock"),
        Cohort => (Method::GET, "/cohort"),
        Readiness => (Method::GET, "/sessions/{id}/readiness"),
        Hold => (Method::POST, "/sessions/{id}/hold"),
        Alliances => (Method::GET, "/alliances"),
        SessionPage => (Method::GET, "/sessions/{id}"),
        SessionNote => (Method::POST, "/sessions/{id}/notes"),
        SessionDetails => (Method::POST, "/sessions/{id}/details"),
        SessionEntry => (Method::POST, "/sessions/{id}/entry"),
        Consent => (Method::POST, "/clients/{id}/consents"),
        Logout => (Method::POST, "/logout"),
    }
}

/// A request to send.
enum Req {
    Get(String),
    /// A form post with the person's CSRF token.
    Post(String, String),
    /// An empty multipart post, the CSRF token in the URL (as uploads send it).
    Multipart(String),
}

const EVERYONE: &[Who] = &[Who::Ana, Who::Ben, Who::Sam, Who::Admin, Who::Rita];
const CLINICAL: &[Who] = &[Who::Ana, Who::Ben, Who::Sam];
/// Ana's client's care team: Ana alone.
const CARE_TEAM: &[Who] = &[Who::Ana];
const ADMIN: &[Who] = &[Who::Admin];

/// The staff routes not pinned above, and who may use them; anyone else
/// must be refused with 403 or 404.
const ROWS: &[(Method, &str, &[Who])] = &[
    (Method::GET, "/account", EVERYONE),
    (Method::POST, "/account/totp/start", EVERYONE),
    (Method::POST, "/account/totp/confirm", EVERYONE),
    (Method::POST, "/account/totp/off", EVERYONE),
    (Method::POST, "/clients", CLINICAL),
    (Method::GET, "/clients/new", CLINICAL),
    (Method::POST, "/clients/{id}/courses", CARE_TEAM),
    (Method::GET, "/clients/{id}/intake", CARE_TEAM),
    (Method::POST, "/clients/{id}/intake", CARE_TEAM),
    (Method::GET, "/clients/{id}/details", CARE_TEAM),
    (Method::POST, "/clients/{id}/details", CARE_TEAM),
    (Method::POST, "/clients/{id}/links/{link}/revoke", CARE_TEAM),
    (Method::POST, "/sessions/{id}/held", CARE_TEAM),
    (Method::POST, "/sessions/{id}/readiness", CARE_TEAM),
    (Method::POST, "/sessions/{id}/reschedule", CARE_TEAM),
    (Method::POST, "/sessions/{id}/cancel", CARE_TEAM),
    (Method::POST, "/sessions/{id}/videos", CARE_TEAM),
    (Method::POST, "/sessions/{id}/entry/score", CARE_TEAM),
    // No video exists here, so it is refused to all (video.rs deletes a real one).
    (Method::POST, "/videos/{id}/delete-file", &[]),
    (Method::POST, "/admin/users", ADMIN),
    (Method::POST, "/admin/active", ADMIN),
    (Method::POST, "/admin/supervision", ADMIN),
    (Method::POST, "/admin/settings", ADMIN),
    (Method::POST, "/admin/packs", ADMIN),
];

/// A request that reaches the route's handler: Ana's client's ids in the
/// path, a well-formed (if incomplete) body.
fn request(c: &Clinic, link: uuid::Uuid, method: &Method, route: &str) -> Req {
    let id = if route.starts_with("/clients/") {
        c.ana_client
    } else if route.starts_with("/sessions/") {
        c.ana_session
    } else {
        uuid::Uuid::now_v7()
    };
    let path = route
        .replace("{id}", &id.to_string())
        .replace("{link}", &link.to_string());
    if route.ends_with("/videos") || route == "/admin/packs" {
        return Req::Multipart(path);
    }
    let body = match route {
        "/account/totp/confirm" => "secret=x&code=000000",
        "/account/totp/off" => "code=000000",
        "/admin/active" => "username=rita&active=yes",
        "/sessions/{id}/entry/score" => "instrument=gad7",
        _ => "",
    };
    match *method {
        Method::GET => Req::Get(path),
        _ => Req::Post(path, body.to_owned()),
    }
}

async fn send(c: &Clinic, p: Option<&Person>, req: &Req) -> axum::http::Response<Body> {
    match req {
        Req::Get(path) => c.get(p, path).await,
        Req::Post(path, body) => c.post(p, path, body, true).await,
        Req::Multipart(path) => {
            let mut r = Request::post(format!("{path}?csrf={}", p.map_or("", |p| p.csrf.as_str())))
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=xyz");
            if let Some(p) = p {
                r = r.header(header::COOKIE, &p.cookie);
            }
            c.send(r.body(Body::from("--xyz--\r\n")).unwrap()).await
        }
    }
}

/// The router's staff and open routes, each with exactly one row here.
#[test]
fn every_route_has_a_row() {
    let (staff, open) = attune_web::route_table::<SqliteStore>(&Settings::default());
    let name = |m: &Method, p: &str| format!("{m} {p}");
    let routed: BTreeSet<String> = staff.iter().map(|r| name(&r.method, r.path)).collect();
    assert_eq!(
        routed.len(),
        staff.len(),
        "a staff route is registered twice"
    );
    let mut rowed: Vec<String> = ROUTES
        .iter()
        .map(|r| {
            let (m, p) = pinned(*r);
            name(&m, p)
        })
        .collect();
    rowed.extend(ROWS.iter().map(|(m, p, _)| name(m, p)));
    let rowed_set: BTreeSet<String> = rowed.iter().cloned().collect();
    assert_eq!(rowed_set.len(), rowed.len(), "a route has two rows");
    let missing: Vec<&String> = routed.difference(&rowed_set).collect();
    let stale: Vec<&String> = rowed_set.difference(&routed).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "staff routes without a row: {missing:?}; rows without a route: {stale:?}"
    );
    // Open routes are few and chosen: a new one is a decision, made here.
    let open: BTreeSet<String> = open.iter().map(|r| name(&r.method, r.path)).collect();
    let expected: BTreeSet<String> = [
        "GET /login",
        "POST /login",
        "GET /assets/{name}",
        "GET /healthz",
        "GET /favicon.ico",
        "GET /p/{token}",
        "GET /p/{token}/journal",
        "POST /p/{token}/journal",
        "GET /p/{token}/t/{task}",
        "POST /p/{token}/t/{task}",
        "GET /p/{token}/t/{task}/review",
        "POST /p/{token}/t/{task}/submit",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(open, expected);
}

async fn call(c: &Clinic, who: Who, route: Route) -> axum::http::Response<axum::body::Body> {
    let p = person(c, who);
    let client = c.ana_client;
    let alert = c.ana_alert;
    match route {
        Route::Home => c.get(p, "/").await,
        Route::Caseload => c.get(p, "/caseload").await,
        Route::Client => c.get(p, &format!("/clients/{client}")).await,
        Route::CreateLink => {
            c.post(
                p,
                &format!("/clients/{client}/links"),
                "instrument=phq9",
                true,
            )
            .await
        }
        Route::Alerts => c.get(p, "/alerts").await,
        Route::Acknowledge => {
            c.post(p, &format!("/alerts/{alert}/acknowledge"), "", true)
                .await
        }
        Route::Resolve => {
            c.post(p, &format!("/alerts/{alert}/resolve"), "note=done", true)
                .await
        }
        Route::Accounts => c.get(p, "/admin").await,
        Route::Unlock => c.post(p, "/admin/unlock", "username=ben", true).await,
        Route::Cohort => c.get(p, "/cohort").await,
        Route::Readiness => {
            c.get(p, &format!("/sessions/{}/readiness", c.ana_session))
                .await
        }
        Route::Hold => {
            let form = "override_reason=Discussed+with+the+team+and+the+client+today";
            c.post(p, &format!("/sessions/{}/hold", c.ana_session), form, true)
                .await
        }
        Route::Alliances => c.get(p, "/alliances").await,
        Route::SessionPage => c.get(p, &format!("/sessions/{}", c.ana_session)).await,
        Route::SessionNote => {
            c.post(
                p,
                &format!("/sessions/{}/notes", c.ana_session),
                "kind=session&body=Calm",
                true,
            )
            .await
        }
        Route::SessionDetails => {
            c.post(
                p,
                &format!("/sessions/{}/details", c.ana_session),
                "room=Blue+room",
                true,
            )
            .await
        }
        Route::SessionEntry => {
            let form = format!("instrument=gad7&key={}&q1=1&q2=1", "e".repeat(64));
            c.post(
                p,
                &format!("/sessions/{}/entry", c.ana_session),
                &form,
                true,
            )
            .await
        }
        Route::Consent => {
            c.post(
                p,
                &format!("/clients/{client}/consents"),
                "kind=research&granted=yes",
                true,
            )
            .await
        }
        Route::Logout => c.post(p, "/logout", "", true).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_for_every_role() {
    let mut failures = Vec::new();
    for who in [
        Who::Ana,
        Who::Ben,
        Who::Sam,
        Who::Admin,
        Who::Rita,
        Who::Nobody,
    ] {
        // A fresh clinic per person: an allowed write (acknowledge) must not
        // change what the next person's request finds.
        let c = clinic().await;
        for route in ROUTES {
            let r = call(&c, who, route).await;
            let want = expected(who, route);
            if r.status().as_u16() != want {
                failures.push(format!(
                    "{who:?} {route:?}: got {}, want {want}",
                    r.status()
                ));
            }
            if matches!(who, Who::Nobody) {
                assert_eq!(location(&r).as_deref(), Some("/login"), "{route:?}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_other_route_admits_only_whom_it_should() {
    let mut failures = Vec::new();
    for who in [
        Who::Ana,
        Who::Ben,
        Who::Sam,
        Who::Admin,
        Who::Rita,
        Who::Nobody,
    ] {
        let c = clinic().await;
        let (_, link) = c.link(&["phq9"], time::Duration::days(7)).await;
        for (method, route, allowed) in ROWS {
            let r = send(&c, person(&c, who), &request(&c, link.id, method, route)).await;
            let status = r.status();
            let ok = match who {
                Who::Nobody => {
                    status == StatusCode::SEE_OTHER && location(&r).as_deref() == Some("/login")
                }
                _ if allowed.contains(&who) => {
                    !matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                        && !status.is_server_error()
                }
                _ => matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            };
            if !ok {
                failures.push(format!("{who:?} {method} {route}: got {status}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_reaches_another_therapists_client() {
    let c = clinic().await;
    let other = c.ben_client;
    let unknown = uuid::Uuid::now_v7();
    for id in [other, unknown] {
        for path in [format!("/clients/{id}")] {
            assert_eq!(
                c.get(Some(&c.ana), &path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let r = c
            .post(
                Some(&c.ana),
                &format!("/clients/{id}/links"),
                "instrument=phq9",
                true,
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    for alert in [c.ben_alert, uuid::Uuid::now_v7()] {
        for action in ["acknowledge", "resolve"] {
            let r = c
                .post(Some(&c.ana), &format!("/alerts/{alert}/{action}"), "", true)
                .await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{action}");
        }
    }
    // Ben's client never appears in Ana's lists, and Ben's alert is untouched.
    let caseload = crate::harness::text(c.get(Some(&c.ana), "/caseload").await).await;
    assert!(caseload.contains("C-ANA") && !caseload.contains("C-BEN"));
    let alerts = crate::harness::text(c.get(Some(&c.ana), "/alerts").await).await;
    assert!(!alerts.contains("C-BEN"));
    let ben = c
        .store()
        .client_alerts(&attune_store::audit::Actor::system("t"), c.ben_client)
        .await;
    use attune_store::AccessStore;
    assert_eq!(ben.unwrap()[0].status, attune_store::AlertStatus::Open);
    // Malformed ids are a clear 4xx, never a 500.
    let r = c.get(Some(&c.ana), "/clients/not-a-uuid").await;
    assert!(r.status().is_client_error(), "{}", r.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_change_needs_the_csrf_token() {
    let c = clinic().await;
    let client = c.ana_client;
    let alert = c.ana_alert;
    let posts = [
        format!("/clients/{client}/links"),
        format!("/alerts/{alert}/acknowledge"),
        format!("/alerts/{alert}/resolve"),
        "/admin/unlock".to_owned(),
        format!("/sessions/{}/hold", c.ana_session),
        format!("/sessions/{}/notes", c.ana_session),
        format!("/sessions/{}/details", c.ana_session),
        format!("/sessions/{}/entry", c.ana_session),
        format!("/sessions/{}/held", c.ana_session),
        format!("/sessions/{}/reschedule", c.ana_session),
        format!("/sessions/{}/cancel", c.ana_session),
        "/admin/users".to_owned(),
        "/clients".to_owned(),
        format!("/clients/{client}/courses"),
        format!("/clients/{client}/intake"),
        format!("/clients/{client}/links/{}/revoke", uuid::Uuid::now_v7()),
        "/account/totp/start".to_owned(),
        "/account/totp/confirm".to_owned(),
        "/account/totp/off".to_owned(),
        "/admin/active".to_owned(),
        "/admin/supervision".to_owned(),
        "/admin/packs".to_owned(),
        "/admin/settings".to_owned(),
        format!("/clients/{client}/consents"),
        format!("/clients/{client}/details"),
        format!("/videos/{}/delete-file", uuid::Uuid::now_v7()),
        format!("/sessions/{}/videos", c.ana_session),
        "/logout".to_owned(),
    ];
    for path in &posts {
        let r = c.post(Some(&c.ana), path, "instrument=phq9", false).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} without a token");
        let r = c
            .post(Some(&c.ana), path, "instrument=phq9&csrf=wrong", false)
            .await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{path} with a wrong token"
        );
        // Another person's token is not this session's.
        let r = c
            .post(
                Some(&c.ana),
                path,
                &format!("instrument=phq9&csrf={}", c.ben.csrf),
                false,
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{path} with someone else's token"
        );
    }
    // A cross-site Origin is refused even with the right token.
    let r = c
        .send(
            axum::http::Request::post(format!("/alerts/{alert}/acknowledge"))
                .header("cookie", &c.ana.cookie)
                .header("host", "clinic.example")
                .header("origin", "https://evil.example")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(format!("csrf={}", c.ana.csrf)))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Nothing above changed the alert.
    use attune_store::AccessStore;
    let alerts = c
        .store()
        .client_alerts(&attune_store::audit::Actor::system("t"), client)
        .await
        .unwrap();
    assert_eq!(alerts[0].status, attune_store::AlertStatus::Open);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_of_client_data_are_audited_with_the_reader() {
    use attune_store::Store;
    let c = clinic().await;
    let before = c.store().audit_events().await.unwrap().len();
    let r = c
        .get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let events = c.store().audit_events().await.unwrap();
    let new: Vec<_> = events[before..].iter().collect();
    assert!(
        new.iter()
            .any(|e| e.record_type == "client" && e.action == "read")
    );
    assert!(
        new.iter().all(|e| e.actor_user == Some(c.ana.id)),
        "every read names Ana"
    );
    assert!(
        new.iter()
            .all(|e| e.client_id.is_none() || e.client_id == Some(c.ana_client))
    );
    assert!(matches!(
        c.store().verify_audit().await.unwrap(),
        attune_store::audit::Verification::Intact { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alliance_feedback_is_for_oneself_and_ones_supervisees() {
    let c = clinic().await;
    let cases = [
        (&c.ana, c.ben.id, StatusCode::NOT_FOUND),
        (&c.ana, c.ana.id, StatusCode::OK),
        (&c.sam, c.ana.id, StatusCode::OK),
        (&c.sam, c.ben.id, StatusCode::NOT_FOUND),
        (&c.ben, c.ana.id, StatusCode::NOT_FOUND),
    ];
    for (who, whom, want) in cases {
        let r = c
            .get(Some(who), &format!("/alliances?therapist={whom}"))
            .await;
        assert_eq!(r.status(), want);
    }
    let page = crate::harness::text(
        c.get(Some(&c.sam), &format!("/alliances?therapist={}", c.ana.id))
            .await,
    )
    .await;
    assert!(
        page.contains("C-ANA") || page.contains("alliances"),
        "{page}"
    );
    assert!(
        !page.contains("C-BEN"),
        "no other therapist's client is named"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cohort_view_names_no_client() {
    let c = clinic().await;
    let page = crate::harness::text(c.get(Some(&c.rita), "/cohort").await).await;
    assert!(page.contains("Pearson"));
    for code in ["C-ANA", "C-BEN", &c.ana_client.to_string()] {
        assert!(!page.contains(code), "{code}");
    }
}
