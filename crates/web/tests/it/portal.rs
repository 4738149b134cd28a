//! The client portal through the router: a link opens its own tasks only,
//! answers survive a reload, a double submit stores one administration, a
//! safety finding raises the alert at once and shows the crisis text, and
//! expired or used links say so.

use attune_store::audit::Actor;
use attune_store::{AccessStore, Store};
use attune_store::{AlertKind, SessionKind};
use axum::http::StatusCode;
use time::Duration;

use crate::harness::{clinic, location, text};

fn actor() -> Actor {
    Actor::system("t")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_opens_its_own_tasks_and_nothing_else() {
    let c = clinic().await;
    let (token, link) = c.link(&["phq9", "gad7"], Duration::days(7)).await;
    let (other_token, other) = c.link(&["phq9"], Duration::days(7)).await;
    let home = c.get(None, &format!("/p/{token}")).await;
    assert_eq!(home.status(), StatusCode::OK);
    let body = text(home).await;
    assert!(body.contains(&format!("/p/{token}/t/{}", link.tasks[0].id)));
    assert!(!body.contains(&other.tasks[0].id.to_string()));
    // Another link's task through this token: not found, and nothing saved.
    let r = c
        .get(None, &format!("/p/{token}/t/{}", other.tasks[0].id))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c
        .post(
            None,
            &format!("/p/{token}/t/{}", other.tasks[0].id),
            "q1=1",
            false,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c
        .post(
            None,
            &format!("/p/{token}/t/{}/submit", other.tasks[0].id),
            "",
            false,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let after = c
        .store()
        .portal_link(&actor(), &attune_store::token_hash(&other_token))
        .await
        .unwrap()
        .unwrap();
    assert!(after.tasks[0].draft.is_empty() && after.tasks[0].administration.is_none());
    // Guessed, malformed and unknown tokens.
    for bad in ["nope", &"0".repeat(64), "../../admin"] {
        let r = c.get(None, &format!("/p/{bad}")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    // A portal link is no staff session.
    let r = c.get(None, "/caseload").await;
    assert_eq!(location(&r).as_deref(), Some("/login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_survive_a_reload_and_a_double_submit_stores_once() {
    let c = clinic().await;
    let (token, link) = c.link(&["gad7"], Duration::days(7)).await;
    let task = link.tasks[0].id;
    let page = format!("/p/{token}/t/{task}");
    // Half the form, saved (as htmx does on every change)...
    let r = c
        .send(
            axum::http::Request::post(&page)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("hx-request", "true")
                .body(axum::body::Body::from("q1=1&q2=2&q3=3"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(text(r).await.contains("3 of 7 answered"));
    // ...survives a reload: the options come back checked.
    let body = text(c.get(None, &page).await).await;
    assert!(body.contains(r#"name="q2" value="2" checked"#), "{body}");
    assert!(body.contains("3 of 7 answered"));
    // The rest, then review (no JavaScript: a plain form post and a redirect).
    let r = c
        .post(
            None,
            &page,
            "q1=1&q2=2&q3=3&q4=0&q5=1&q6=2&q7=0&action=review",
            false,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), Some(format!("{page}/review")));
    let review = text(c.get(None, &format!("{page}/review")).await).await;
    assert!(review.contains("Send my answers"));
    assert!(!review.contains("have no answer"));
    let first = c.post(None, &format!("{page}/submit"), "", false).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert!(text(first).await.contains("your answers have been sent"));
    let second = c.post(None, &format!("{page}/submit"), "", false).await;
    assert_eq!(second.status(), StatusCode::OK);
    assert!(text(second).await.contains("sent already"));
    let stored = c
        .store()
        .administrations(&actor(), c.ana_client)
        .await
        .unwrap();
    let gad: Vec<_> = stored.iter().filter(|a| a.instrument == "gad7").collect();
    assert_eq!(gad.len(), 1);
    assert_eq!(gad[0].total, Some(9.0));
    assert_eq!(gad[0].completed_via, attune_store::CompletedVia::Portal);
    assert_eq!(gad[0].wording_pack.as_deref(), Some("gad7-en-adapted"));
    assert_eq!(gad[0].time_point.as_deref(), Some("week 3"));
    // The link is used up and says so.
    let home = text(c.get(None, &format!("/p/{token}")).await).await;
    assert!(home.contains("completed everything"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_safety_finding_raises_the_alert_at_once_and_shows_crisis_information() {
    let c = clinic().await;
    let (token, link) = c.link(&["phq9"], Duration::days(7)).await;
    let task = link.tasks[0].id;
    let page = format!("/p/{token}/t/{task}");
    let r = c
        .post(
            None,
            &page,
            "q1=1&q2=1&q3=1&q4=1&q5=1&q6=1&q7=1&q8=1&q9=2&q10=1&action=review",
            false,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let before = c
        .store()
        .client_alerts(&actor(), c.ana_client)
        .await
        .unwrap()
        .len();
    let done = text(c.post(None, &format!("{page}/submit"), "", false).await).await;
    assert!(done.contains("Please read this now"), "{done}");
    assert!(done.contains("emergency number"));
    let alerts = c
        .store()
        .client_alerts(&actor(), c.ana_client)
        .await
        .unwrap();
    assert_eq!(alerts.len(), before + 1);
    assert_eq!(alerts[0].kind, AlertKind::Safety);
    assert_eq!(alerts[0].routed_to, Some(c.ana.id));
    // It is in Ana's inbox straight away, and the score is on the client page.
    let inbox = text(c.get(Some(&c.ana), "/alerts").await).await;
    assert!(inbox.contains(&alerts[0].id.to_string()));
    let page = text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(page.contains("phq9 item 9 answered 2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_links_say_so() {
    let c = clinic().await;
    let (token, link) = c.link(&["phq9"], Duration::seconds(-1)).await;
    for path in [
        format!("/p/{token}"),
        format!("/p/{token}/t/{}", link.tasks[0].id),
    ] {
        let r = c.get(None, &path).await;
        assert_eq!(r.status(), StatusCode::GONE);
        assert!(text(r).await.contains("expired"));
    }
    let r = c
        .post(
            None,
            &format!("/p/{token}/t/{}/submit", link.tasks[0].id),
            "",
            false,
        )
        .await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(
        c.store()
            .administrations(&actor(), c.ana_client)
            .await
            .unwrap()
            .iter()
            .all(|a| a.instrument != "phq9" || a.idempotency_key.starts_with("k-"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_therapist_creates_a_link_that_opens_in_the_portal() {
    let c = clinic().await;
    let r = c
        .post(
            Some(&c.ana),
            &format!("/clients/{}/links", c.ana_client),
            "instrument=phq9&instrument=gad7&time_point=week+3",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = text(r).await;
    let token = crate::harness::link_token(&body);
    assert_eq!(token.len(), 64);
    assert!(body.contains("<svg"), "a QR code");
    let home = text(c.get(None, &format!("/p/{token}")).await).await;
    assert!(
        home.contains("Patient Health Questionnaire") || home.contains("PHQ"),
        "{home}"
    );
    // Only the token's hash is stored.
    let links = c
        .store()
        .portal_links(&actor(), c.ana_client)
        .await
        .unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].tasks.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_keeps_a_journal_and_sees_their_own_progress() {
    let c = clinic().await;
    let (token, link) = c.link(&["phq9"], Duration::days(7)).await;
    let journal = format!("/p/{token}/journal");
    let r = c
        .post(
            None,
            &journal,
            "body=Saw+the+sea+again+%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            false,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let empty = c.post(None, &journal, "body=+++", false).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(c.get(None, &journal).await).await;
    assert!(page.contains("Saw the sea again"));
    assert!(!page.contains("<script>alert"));
    let entries = c.store().journal(&actor(), c.ana_client).await.unwrap();
    assert_eq!(entries.len(), 1);
    // Another client's journal is empty: a link reaches only its own client.
    assert!(
        c.store()
            .journal(&actor(), c.ben_client)
            .await
            .unwrap()
            .is_empty()
    );

    // One earlier PHQ-9 (the harness's) and this one: a chart of two points.
    let task = format!("/p/{token}/t/{}", link.tasks[0].id);
    c.post(
        None,
        &task,
        "q1=0&q2=0&q3=1&q4=0&q5=0&q6=0&q7=1&q8=0&q9=0&q10=0&action=review",
        false,
    )
    .await;
    c.post(None, &format!("{task}/submit"), "", false).await;
    let home = text(c.get(None, &format!("/p/{token}")).await).await;
    assert!(home.contains("Your PHQ-9 over time"), "{home}");
    assert!(home.contains("Lower scores mean fewer difficulties"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn measures_assigned_for_after_a_planned_session_open_only_then() {
    let c = clinic().await;
    let path = format!("/clients/{}/links", c.ana_client);
    let other = c
        .post(
            Some(&c.ana),
            &path,
            &format!("instrument=phq9&session={}", c.ben_session),
            true,
        )
        .await;
    assert_eq!(
        other.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "another client's session"
    );
    let r = c
        .post(
            Some(&c.ana),
            &path,
            &format!("instrument=phq9&session={}", c.ana_session),
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = text(r).await;
    assert!(
        body.contains("open in the portal after the session"),
        "{body}"
    );
    let token = crate::harness::link_token(&body);
    let home = text(c.get(None, &format!("/p/{token}")).await).await;
    assert!(home.contains("opens on"), "{home}");
    let link = c
        .store()
        .portal_link(&actor(), &attune_store::token_hash(&token))
        .await
        .unwrap()
        .unwrap();
    let task = &link.tasks[0];
    assert_eq!(task.session, Some(c.ana_session));
    assert!(task.available_from.is_some());
    let page = format!("/p/{token}/t/{}", task.id);
    assert_eq!(c.get(None, &page).await.status(), StatusCode::CONFLICT);
    assert_eq!(
        c.post(None, &page, "q1=1", false).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        c.post(None, &format!("{page}/submit"), "", false)
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let after = c
        .store()
        .portal_link(&actor(), &attune_store::token_hash(&token))
        .await
        .unwrap()
        .unwrap();
    assert!(after.tasks[0].draft.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawn_link_says_so_and_only_the_care_team_can_withdraw() {
    let c = clinic().await;
    let (token, link) = c.link(&["phq9"], Duration::days(7)).await;
    let revoke = format!("/clients/{}/links/{}/revoke", c.ana_client, link.id);
    assert_eq!(
        c.post(Some(&c.ben), &revoke, "", true).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.post(Some(&c.sam), &revoke, "", true).await.status(),
        StatusCode::NOT_FOUND
    );
    let wrong_client = format!("/clients/{}/links/{}/revoke", c.ben_client, link.id);
    assert_eq!(
        c.post(Some(&c.ben), &wrong_client, "", true).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(None, &format!("/p/{token}")).await.status(),
        StatusCode::OK
    );
    let r = c.post(Some(&c.ana), &revoke, "", true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(None, &format!("/p/{token}")).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(text(r).await.contains("withdrawn"));
    let page = text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(page.contains("withdrawn"));
}

/// "After each planned integration session": one set of measures per
/// session, each opening from its session's time, on one link valid until a
/// week after the last.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn measures_repeat_after_each_planned_session_of_a_kind() {
    use attune_store::NewSession;
    let c = clinic().await;
    let (_, course) = c
        .store()
        .session_owner(c.ana_session)
        .await
        .unwrap()
        .unwrap();
    let start = time::OffsetDateTime::now_utc() + time::Duration::days(3);
    let mut times = Vec::new();
    for k in 0..3u32 {
        let at = whole_micros(start + time::Duration::weeks(i64::from(k)));
        c.store()
            .add_session(
                &actor(),
                NewSession {
                    course,
                    kind: SessionKind::Integration,
                    number: 20 + k,
                    scheduled_at: at,
                    held_at: None,
                    readiness_override: None,
                },
            )
            .await
            .unwrap();
        times.push(at);
    }
    let path = format!("/clients/{}/links", c.ana_client);
    let page = text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(
        page.contains("after each of the 3 planned integration sessions"),
        "{page}"
    );
    let none = c
        .post(
            Some(&c.ana),
            &path,
            "instrument=phq9&session=every:follow_up",
            true,
        )
        .await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(
            Some(&c.ana),
            &path,
            "instrument=phq9&instrument=gad7&session=every:integration",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = text(r).await;
    assert!(body.contains("after each of 3 sessions"), "{body}");
    let token = crate::harness::link_token(&body);
    let link = c
        .store()
        .portal_link(&actor(), &attune_store::token_hash(&token))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.tasks.len(), 6);
    let mut opens: Vec<_> = link
        .tasks
        .iter()
        .map(|t| t.available_from.unwrap())
        .collect();
    opens.dedup();
    assert_eq!(opens, times);
    assert_eq!(link.expires_at, times[2] + time::Duration::days(7));
    // Every planned session: the medicine session too.
    let r = c
        .post(Some(&c.ana), &path, "instrument=phq9&session=every", true)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(text(r).await.contains("after each of 4 sessions"));
}

/// A time as the store keeps it (whole microseconds), so that it compares
/// equal when read back.
fn whole_micros(t: time::OffsetDateTime) -> time::OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap()
}
