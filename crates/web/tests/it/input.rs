//! Bad input on forms: a clear message, nothing stored; script in any text
//! is shown as text, never run; security headers on every response.

use attune_store::audit::Actor;
use attune_store::{AccessStore, token_hash};
use attune_web::CSP;
use axum::http::{StatusCode, header};
use time::Duration;

use crate::harness::{clinic, text};

fn actor() -> Actor {
    Actor::system("t")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_creation_refuses_bad_input_and_stores_nothing() {
    let c = clinic().await;
    let path = format!("/clients/{}/links", c.ana_client);
    let cases = [
        ("", "choose at least one measure"),
        ("time_point=week+3", "choose at least one measure"),
        ("instrument=nonesuch", "no instrument"),
        ("instrument=madrs", "not completed by the client"),
    ];
    for (form, message) in &cases {
        let r = c.post(Some(&c.ana), &path, form, true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(text(r).await.contains(message), "{form}");
    }
    let long = format!("instrument=phq9&time_point={}", "x".repeat(41));
    assert_eq!(
        c.post(Some(&c.ana), &path, &long, true).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(
        c.store()
            .portal_links(&actor(), c.ana_client)
            .await
            .unwrap()
            .is_empty()
    );
    // An oversized body is refused before any handler runs.
    let huge = format!("instrument=phq9&time_point={}", "x".repeat(200 * 1024));
    let r = c.post(Some(&c.ana), &path, &huge, true).await;
    assert!(r.status().is_client_error(), "{}", r.status());
    assert!(
        c.store()
            .portal_links(&actor(), c.ana_client)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_answers_off_the_scale_are_refused_and_the_draft_kept() {
    let c = clinic().await;
    let (token, link) = c.link(&["phq9"], Duration::days(1)).await;
    let page = format!("/p/{token}/t/{}", link.tasks[0].id);
    assert_eq!(
        c.post(None, &page, "q1=2&q2=1", false).await.status(),
        StatusCode::SEE_OTHER
    );
    for (form, says) in [
        ("q1=7", "q1"),
        ("q1=abc", "must be a number"),
        ("q99=1", "no such question"),
        ("q1=NaN", "must be a number"),
        ("q1=<script>alert(1)</script>", "must be a number"),
    ] {
        let r = c.post(None, &page, form, false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        let body = text(r).await;
        assert!(body.contains(says), "{form}: {body}");
        assert!(!body.contains("<script>alert"), "{form}");
    }
    let saved = c
        .store()
        .portal_link(&actor(), &token_hash(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        &saved.tasks[0].draft[..2],
        &[Some(2.0), Some(1.0)],
        "the earlier draft stands"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_in_stored_text_is_shown_as_text() {
    let c = clinic().await;
    // The client's name and the alert message both carry markup (harness).
    let page = text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(
        page.contains("&lt;script&gt;") || page.contains("&#60;script&#62;"),
        "escaped name"
    );
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<img src=x"));
    let inbox = text(c.get(Some(&c.ana), "/alerts").await).await;
    assert!(!inbox.contains("<img src=x"));
    // Display names with markup, in the page header.
    assert!(!inbox.contains("<b>bold</b>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let c = clinic().await;
    for path in [
        "/login",
        "/caseload",
        "/p/nope",
        "/assets/attune.css",
        "/no-such-page",
    ] {
        let r = c.get(Some(&c.ana), path).await;
        let h = r.headers();
        assert_eq!(
            h.get(header::CONTENT_SECURITY_POLICY).unwrap(),
            CSP,
            "{path}"
        );
        assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
        assert_eq!(h.get(header::REFERRER_POLICY).unwrap(), "same-origin");
        assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    }
    let page = c.get(Some(&c.ana), "/caseload").await;
    assert_eq!(
        page.headers().get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    assert!(!CSP.contains("unsafe-inline") && !CSP.contains("unsafe-eval"));
    // No page carries inline script or style attributes the policy would block.
    let html = text(page).await;
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_page_shows_the_intake_and_its_contraindication_flags() {
    use attune_store::{IntakeRecord, MedicationRecord, Store};
    let c = clinic().await;
    let intake = IntakeRecord {
        presenting_concerns: "Low mood <i>since</i> spring".into(),
        medications: vec![MedicationRecord {
            name: "lithium".into(),
            class: attune_care::intake::DrugClass::Lithium.code().into(),
            dose: Some("600 mg".into()),
        }],
        ..IntakeRecord::default()
    };
    c.store()
        .save_intake(&actor(), c.ana_client, intake, Some(c.ana.id))
        .await
        .unwrap();
    let page = text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(page.contains("lithium, 600 mg [lithium]"), "{page}");
    assert!(
        page.contains("class=\"badge flag-"),
        "a flag for lithium with psilocybin"
    );
    assert!(!page.contains("<i>since</i>"));
}

/// A request that outlives the time limit is cancelled with a clear answer
/// (and the security headers); the limit never cuts a streamed upload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_past_its_time_limit_is_cancelled_and_said_so() {
    let c = crate::harness::clinic_with(
        attune_store_tests::FAKE_HASH,
        attune_web::Settings {
            request_timeout: std::time::Duration::ZERO,
            ..attune_web::Settings::default()
        },
    )
    .await;
    let r = c.get(Some(&c.ana), "/caseload").await;
    assert_eq!(r.status(), axum::http::StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.headers()["retry-after"], "5");
    assert!(r.headers().contains_key("content-security-policy"));
    assert!(crate::harness::text(r).await.contains("took too long"));
}
