//! Every request has an id, in its response header and on each of its log
//! lines; logs name routes, never portal links.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Request, header};
use time::Duration;

use crate::harness::clinic;

/// Log output collected in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        String::from_utf8(self.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// The log of this test binary. One global subscriber, set once: a
/// per-thread one misses events while other tests run (tracing caches
/// whether a call site is wanted across threads); each test picks its own
/// lines by request id.
fn captured() -> &'static Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other test sets a subscriber");
        out
    })
}

fn request_id(r: &axum::http::Response<Body>) -> String {
    r.headers()
        .get("x-request-id")
        .expect("every response names its request")
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_requests_log_lines_share_its_id() {
    let out = captured();
    let c = clinic().await;
    let r = c
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("username=ana&password=wrong"))
                .unwrap(),
        )
        .await;
    let id = request_id(&r);
    let lines = out.lines();
    let mine: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains(&format!("id={id}")))
        .collect();
    assert!(
        mine.iter().any(|l| l.contains("sign-in refused")),
        "{lines:#?}"
    );
    assert!(
        mine.iter()
            .any(|l| l.contains("answered") && l.contains("status=401")),
        "{lines:#?}"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("wrong") && l.contains("password=")),
        "no form value is logged"
    );

    // A second request has another id; a proxy's plain id is kept.
    let again = c.get(None, "/login").await;
    assert_ne!(request_id(&again), id);
    let proxied = c
        .send(
            Request::get("/healthz")
                .header("x-request-id", "edge-42")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(request_id(&proxied), "edge-42");
}

#[tokio::test]
async fn portal_links_never_reach_the_logs() {
    let out = captured();
    let c = clinic().await;
    let (token, _) = c.link(&["phq9"], Duration::days(7)).await;
    let r = c.get(None, &format!("/p/{token}")).await;
    assert!(r.status().is_success(), "{}", r.status());
    let id = request_id(&r);
    let lines = out.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("id={id}")) && l.contains("route=/p/{token}")),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.contains(&token)), "{lines:#?}");
}
