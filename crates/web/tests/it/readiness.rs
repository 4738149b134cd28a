//! The readiness review through the router: a "not ready" medicine session
//! is held only with an override reason, which is stored with the session.

use attune_store::audit::Actor;
use attune_store::{AccessStore, Store};
use axum::http::StatusCode;

use crate::harness::{clinic, location, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holding_a_not_ready_session_needs_a_reason() {
    let c = clinic().await;
    let review = format!("/sessions/{}/readiness", c.ana_session);
    let hold = format!("/sessions/{}/hold", c.ana_session);
    let page = text(c.get(Some(&c.ana), &review).await).await;
    // No preparation held, no safety screen: the review says not ready.
    assert!(page.contains("<strong>not ready</strong>"), "{page}");
    assert!(page.contains("override_reason"));

    for (form, says) in [
        ("", "needs an override reason"),
        ("override_reason=because", "at least 15 characters"),
    ] {
        let r = c.post(Some(&c.ana), &hold, form, true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(text(r).await.contains(says), "{form}");
    }
    let (client, course) = c
        .store()
        .session_owner(c.ana_session)
        .await
        .unwrap()
        .unwrap();
    let sessions = c
        .store()
        .sessions(&Actor::system("t"), course)
        .await
        .unwrap();
    assert!(
        sessions[0].held_at.is_none(),
        "nothing recorded by a refused hold"
    );

    let reason = "Client stable; team and supervisor agreed <b>today</b>";
    let r = c
        .post(
            Some(&c.ana),
            &hold,
            &format!("override_reason={}", reason.replace(' ', "+")),
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), Some(format!("/clients/{client}")));
    let sessions = c
        .store()
        .sessions(&Actor::system("t"), course)
        .await
        .unwrap();
    assert!(sessions[0].held_at.is_some());
    assert_eq!(sessions[0].readiness_override.as_deref(), Some(reason));
    // Held once; the page now says so, with the reason shown as text.
    let again = c
        .post(
            Some(&c.ana),
            &hold,
            &format!("override_reason={}", reason.replace(' ', "+")),
            true,
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let page = text(c.get(Some(&c.ana), &review).await).await;
    assert!(page.contains("Recorded as held"));
    assert!(
        page.contains("&lt;b&gt;today") || page.contains("&#60;b&#62;today"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_medicine_sessions_have_a_readiness_review() {
    let c = clinic().await;
    let r = c
        .get(
            Some(&c.ana),
            &format!("/sessions/{}/readiness", uuid::Uuid::now_v7()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c
        .get(
            Some(&c.ana),
            &format!("/sessions/{}/readiness", c.ben_session),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
