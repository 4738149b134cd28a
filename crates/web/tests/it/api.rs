//! The JSON API through the router: the OpenAPI document names only routes
//! that exist, the same access rules as the pages (role × route × own/other
//! client), bearer tokens, idempotent clinician entry, one error shape.

use attune_store::{AccessStore, Code};
use attune_web::{API_ROUTES, Settings, openapi_document, password};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::harness::{Clinic, Person, clinic, clinic_with, text};

fn bearer(p: &Person) -> String {
    format!("Bearer {}", p.cookie.trim_start_matches("attune_session="))
}

async fn call(
    c: &Clinic,
    who: Option<&Person>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut r = Request::builder().method(method).uri(path);
    if let Some(p) = who {
        r = r.header(header::AUTHORIZATION, bearer(p));
    }
    let body = match body {
        Some(v) => {
            r = r.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let res = c.send(r.body(body).unwrap()).await;
    let status = res.status();
    let text = text(res).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn phq9(key: &str, item9: u8) -> Value {
    json!({ "idempotency_key": key, "instrument": "phq9", "answers": [1, 1, 2, 1, 0, 1, 1, 0, item9, 1], "time_point": "week 6" })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_names_only_routes_that_exist() {
    let c = clinic().await;
    let doc = openapi_document();
    assert_eq!(doc["openapi"], "3.1.0");
    let (status, served) = call(&c, None, "GET", "/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, doc);
    for r in API_ROUTES {
        assert!(
            doc["paths"][r.path][r.method].is_object(),
            "{} {}",
            r.method,
            r.path
        );
        let path = r.path.replace("{id}", &c.ana_client.to_string());
        let (status, body) = call(&c, None, &r.method.to_uppercase(), &path, Some(json!({}))).await;
        // Unauthenticated: 401 for protected routes, a body error for sign-in; never "no such route".
        assert_ne!(status, StatusCode::NOT_FOUND, "{} {}", r.method, r.path);
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{} {}",
            r.method,
            r.path
        );
        if r.authenticated {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{} {}", r.method, r.path);
            assert_eq!(body["error"]["code"], "unauthenticated");
        }
        // Every schema the table names is defined.
        for schema in r.body.iter().chain([&r.response]) {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
        }
    }
    let (status, body) = call(&c, None, "GET", "/api/nothing-here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_rules_as_the_pages() {
    let c = clinic().await;
    let own = c.ana_client;
    let entry = phq9("api-matrix", 0);
    // (person, expected) for each route; a fresh key per writer keeps writes independent.
    let cases: Vec<(&str, String, Option<Value>, [u16; 5])> = vec![
        (
            "GET",
            "/api/clients".into(),
            None,
            [200, 200, 200, 403, 403],
        ),
        (
            "GET",
            format!("/api/clients/{own}"),
            None,
            [200, 404, 200, 403, 403],
        ),
        (
            "GET",
            format!("/api/clients/{own}/administrations"),
            None,
            [200, 404, 200, 403, 403],
        ),
        (
            "POST",
            format!("/api/clients/{own}/administrations"),
            Some(entry),
            [200, 404, 404, 403, 403],
        ),
        ("GET", "/api/alerts".into(), None, [200, 200, 200, 403, 403]),
        (
            "POST",
            format!("/api/alerts/{}/acknowledge", c.ana_alert),
            None,
            [200, 404, 404, 404, 404],
        ),
    ];
    let people = [&c.ana, &c.ben, &c.sam, &c.admin, &c.rita];
    let names = ["ana", "ben", "sam", "admin", "rita"];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &cases {
        // Those who are refused go first, so that an allowed write cannot change their answer.
        let mut order: Vec<usize> = (0..5).collect();
        order.sort_by_key(|&i| expected[i] == 200);
        for i in order {
            let (status, json) = call(&c, Some(people[i]), method, path, body.clone()).await;
            if status.as_u16() != expected[i] {
                failures.push(format!(
                    "{} {method} {path}: got {status}, want {}",
                    names[i], expected[i]
                ));
            }
            if !status.is_success() && !json["error"]["code"].is_string() {
                failures.push(format!("{} {method} {path}: error body {json}", names[i]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Ana's caseload lists her client and not Ben's.
    let (_, list) = call(&c, Some(&c.ana), "GET", "/api/clients", None).await;
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["C-ANA"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clinician_entry_is_scored_idempotent_and_raises_alerts() {
    let c = clinic().await;
    let path = format!("/api/clients/{}/administrations", c.ana_client);
    let (status, first) = call(&c, Some(&c.ana), "POST", &path, Some(phq9("paper-1", 2))).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["total"], 9.0);
    assert_eq!(first["band"], "mild");
    assert_eq!(first["created"], true);
    // Item 9 answered 2 is a safety finding; and with the client's dose
    // planned within the week, the same write re-runs its readiness review,
    // which finds the safety finding (and no alliance yet): not ready.
    let raised = c
        .store()
        .client_alerts(&attune_store::audit::Actor::system("t"), c.ana_client)
        .await
        .unwrap();
    let mut kinds: Vec<(&str, &str)> = raised
        .iter()
        .filter(|a| first["alerts"].as_array().unwrap().contains(&json!(a.id)))
        .map(|a| (a.kind.code(), a.severity.code()))
        .collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        [("readiness", "warning"), ("safety", "urgent")],
        "{raised:?}"
    );
    let readiness = raised
        .iter()
        .find(|a| a.kind == attune_store::AlertKind::Readiness)
        .unwrap();
    assert_eq!(readiness.session, Some(c.ana_session));
    assert!(
        readiness.message.contains("not ready"),
        "{}",
        readiness.message
    );
    let (_, again) = call(&c, Some(&c.ana), "POST", &path, Some(phq9("paper-1", 2))).await;
    assert_eq!(
        (again["id"].clone(), again["created"].clone()),
        (first["id"].clone(), json!(false))
    );
    let (_, list) = call(&c, Some(&c.ana), "GET", &path, None).await;
    let stored: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"] == first["id"])
        .collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["completed_via"], "clinician_entry");
    assert_eq!(stored[0]["time_point"], "week 6");
    let (_, alerts) = call(&c, Some(&c.ana), "GET", "/api/alerts", None).await;
    assert!(
        alerts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == first["alerts"][0])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_one_clear_error_shape_and_store_nothing() {
    let c = clinic().await;
    let path = format!("/api/clients/{}/administrations", c.ana_client);
    let before = call(&c, Some(&c.ana), "GET", &path, None)
        .await
        .1
        .as_array()
        .unwrap()
        .len();
    let bad = [
        (
            json!({ "idempotency_key": "b1", "instrument": "phq9", "answers": [7, 1, 1, 1, 1, 1, 1, 1, 0, 1] }),
            "phq9",
        ),
        (
            json!({ "idempotency_key": "b2", "instrument": "phq9", "answers": "lots" }),
            "body",
        ),
        (
            json!({ "idempotency_key": "b3", "instrument": "nope", "answers": [] }),
            "instrument",
        ),
        (
            json!({ "idempotency_key": "b4", "instrument": "phq9", "answers": [1], "extra": 1 }),
            "body",
        ),
        (json!({ "instrument": "phq9", "answers": [1] }), "body"),
        (
            json!({ "idempotency_key": "b 5!", "instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }),
            "idempotency_key",
        ),
        (
            json!({ "idempotency_key": "b6", "instrument": "phq9", "answers": [1], "session": c.ben_session }),
            "session",
        ),
    ];
    for (body, field) in bad {
        let (status, json) = call(&c, Some(&c.ana), "POST", &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {json}");
        assert_eq!(json["error"]["code"], "invalid", "{json}");
        assert_eq!(json["error"]["field"], field, "{json}");
    }
    // Not JSON at all, and far too large.
    let r = c
        .send(
            Request::post(&path)
                .header(header::AUTHORIZATION, bearer(&c.ana))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let huge =
        json!({ "idempotency_key": "big", "instrument": "phq9", "answers": vec![1; 100_000] });
    let (status, _) = call(&c, Some(&c.ana), "POST", &path, Some(huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let after = call(&c, Some(&c.ana), "GET", &path, None)
        .await
        .1
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "nothing stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_from_sign_in_work_until_sign_out_and_cookies_still_need_csrf() {
    let secret = "correct horse battery staple";
    let c = clinic_with(&password::hash(secret).unwrap(), Settings::default()).await;
    let (status, wrong) = call(
        &c,
        None,
        "POST",
        "/api/session",
        Some(json!({ "username": "ana", "password": "nope nope nope" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong["error"]["code"], "unauthenticated");
    let (status, token) = call(
        &c,
        None,
        "POST",
        "/api/session",
        Some(json!({ "username": "ana", "password": secret })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(token["role"], "therapist");
    let me = Person {
        id: c.ana.id,
        cookie: format!("attune_session={}", token["token"].as_str().unwrap()),
        csrf: String::new(),
    };
    assert_eq!(
        call(&c, Some(&me), "GET", "/api/clients", None).await.0,
        StatusCode::OK
    );
    // A browser session used against the API must send its CSRF header for writes.
    let r = c
        .send(
            Request::post(format!("/api/alerts/{}/acknowledge", c.ana_alert))
                .header(header::COOKIE, &c.ana.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: Value = serde_json::from_str(&text(r).await).unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    assert_eq!(
        call(&c, Some(&me), "DELETE", "/api/session", None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&c, Some(&me), "GET", "/api/clients", None).await.0,
        StatusCode::UNAUTHORIZED
    );
}
