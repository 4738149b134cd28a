//! The session page: details saved as versions with clear errors, process
//! notes for their author only, paper-form entry scored live and stored once.

use attune_store::audit::Actor;
use attune_store::{AccessStore, Store};
use axum::http::StatusCode;

use crate::harness::{clinic, location, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_are_checked_field_by_field_and_saved_as_versions() {
    let c = clinic().await;
    let path = format!("/sessions/{}/details", c.ana_session);
    for (form, field) in [
        (
            "substance=psilocybin&dose=25+mg&route=oral&systolic=abc",
            "systolic",
        ),
        (
            "substance=psilocybin&dose=25+mg&route=oral&heart_rate=400",
            "heart rate",
        ),
        (
            "substance=psilocybin&dose=25+mg&route=oral&dosed_at=25:99",
            "dosed at",
        ),
        ("substance=psilocybin&route=oral", "dose"),
    ] {
        let r = c.post(Some(&c.ana), &path, form, true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        let body = text(r).await;
        assert!(body.contains(field), "{form}: {body}");
        assert!(body.contains("psilocybin"), "what was typed is kept");
    }
    let actor = Actor::system("t");
    assert!(
        c.store()
            .session_details(&actor, c.ana_session)
            .await
            .unwrap()
            .is_none()
    );
    let good = "present=client%0Alead+therapist&room=Blue+room&substance=psilocybin&dose=25+mg&route=oral&dosed_at=09:30&systolic=128&diastolic=82&heart_rate=76";
    let r = c.post(Some(&c.ana), &path, good, true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (version, d) = c
        .store()
        .session_details(&actor, c.ana_session)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(version, 1);
    assert_eq!(d.present, ["client", "lead therapist"]);
    let m = d.medicine.unwrap();
    assert_eq!(
        (m.dose.as_str(), m.vitals[0].systolic),
        ("25 mg", Some(128))
    );
    c.post(Some(&c.ana), &path, "room=Green+room", true).await;
    let (version, d) = c
        .store()
        .session_details(&actor, c.ana_session)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((version, d.room.as_deref()), (2, Some("Green room")));
    let page = text(
        c.get(Some(&c.ana), &format!("/sessions/{}", c.ana_session))
            .await,
    )
    .await;
    assert!(page.contains("version 2") && page.contains("Green room"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn process_notes_are_shown_to_their_author_only() {
    let c = clinic().await;
    let path = format!("/sessions/{}/notes", c.ana_session);
    c.post(
        Some(&c.ana),
        &path,
        "kind=session&body=Settled+quickly",
        true,
    )
    .await;
    c.post(
        Some(&c.ana),
        &path,
        "kind=process&body=My+own+countertransference",
        true,
    )
    .await;
    let bad = c.post(Some(&c.ana), &path, "kind=diary&body=x", true).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let empty = c
        .post(Some(&c.ana), &path, "kind=session&body=+++", true)
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = format!("/sessions/{}", c.ana_session);
    let ana = text(c.get(Some(&c.ana), &page).await).await;
    assert!(ana.contains("Settled quickly") && ana.contains("My own countertransference"));
    let sam = text(c.get(Some(&c.sam), &page).await).await;
    assert!(
        sam.contains("Settled quickly"),
        "the supervisor reads session notes"
    );
    assert!(
        !sam.contains("countertransference"),
        "but not Ana's process notes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paper_form_is_scored_live_and_stored_once() {
    let c = clinic().await;
    let live = format!("/sessions/{}/entry/score", c.ana_session);
    let form = "instrument=phq9&q1=1&q2=2&q3=1&q4=1&q5=0&q6=1&q7=1&q8=0&q9=2&q10=1";
    let r = c.post(Some(&c.ana), &live, form, true).await;
    let fragment = text(r).await;
    assert!(fragment.contains("10 of 10 answered"), "{fragment}");
    assert!(fragment.contains("total 9 (mild)"), "{fragment}");
    assert!(fragment.contains("safety: item 9"), "{fragment}");
    let off_scale = text(
        c.post(Some(&c.ana), &live, "instrument=phq9&q1=9", true)
            .await,
    )
    .await;
    assert!(off_scale.contains("error"), "{off_scale}");

    let key = "f".repeat(64);
    let enter = format!("/sessions/{}/entry", c.ana_session);
    let body = format!("{form}&key={key}");
    let actor = Actor::system("t");
    let before = c
        .store()
        .administrations(&actor, c.ana_client)
        .await
        .unwrap()
        .len();
    let alerts_before = c
        .store()
        .client_alerts(&actor, c.ana_client)
        .await
        .unwrap()
        .len();
    for _ in 0..2 {
        let r = c.post(Some(&c.ana), &enter, &body, true).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), Some(format!("/clients/{}", c.ana_client)));
    }
    let after = c
        .store()
        .administrations(&actor, c.ana_client)
        .await
        .unwrap();
    assert_eq!(
        after.len(),
        before + 1,
        "a double submit stores one administration"
    );
    let a = after.last().unwrap();
    assert_eq!((a.total, a.session), (Some(9.0), Some(c.ana_session)));
    assert_eq!(a.completed_via, attune_store::CompletedVia::ClinicianEntry);
    assert_eq!(
        c.store()
            .client_alerts(&actor, c.ana_client)
            .await
            .unwrap()
            .len(),
        alerts_before + 2,
        "the safety finding, and the readiness review of this dose it re-runs"
    );
    // A form without its key is refused.
    let r = c.post(Some(&c.ana), &enter, form, true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_medicine_session_is_held_only_through_its_review() {
    let c = clinic().await;
    let r = c
        .post(
            Some(&c.ana),
            &format!("/sessions/{}/held", c.ana_session),
            "",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("readiness review"));
    let (_, course) = c
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
    assert!(sessions[0].held_at.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planned_session_is_moved_or_cancelled_with_a_reason() {
    let c = clinic().await;
    let id = c.ana_session;
    let page = text(c.get(Some(&c.ana), &format!("/sessions/{id}")).await).await;
    assert!(page.contains("Reschedule or cancel this session"));
    let sup = text(c.get(Some(&c.sam), &format!("/sessions/{id}")).await).await;
    assert!(
        !sup.contains("Reschedule or cancel"),
        "a supervisor reads only"
    );

    // Bad input: a clear message, nothing changed.
    for (form, field) in [
        ("at=tomorrow", "at"),
        ("at=2026-02-30T10:00", "at"),
        ("at=1999-01-01T10:00", "at"),
    ] {
        let r = c
            .post(
                Some(&c.ana),
                &format!("/sessions/{id}/reschedule"),
                form,
                true,
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(text(r).await.contains(field));
    }
    let r = c
        .post(
            Some(&c.ana),
            &format!("/sessions/{id}/cancel"),
            "reason=bored",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Moved.
    let when = (time::OffsetDateTime::now_utc() + time::Duration::days(10)).date();
    let r = c
        .post(
            Some(&c.ana),
            &format!("/sessions/{id}/reschedule"),
            &format!("at={when}T15:45"),
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = text(c.get(Some(&c.ana), &format!("/sessions/{id}")).await).await;
    assert!(
        page.contains(&format!("Planned for {when} 15:45 (UTC)")),
        "{page}"
    );
    let api: serde_json::Value = serde_json::from_str(
        &text(
            c.get(Some(&c.ana), &format!("/api/clients/{}", c.ana_client))
                .await,
        )
        .await,
    )
    .unwrap();
    let listed = api["courses"][0]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.to_string())
        .unwrap()
        .clone();
    assert!(
        listed["scheduled_at"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{when}T15:45"))
    );

    // Others cannot.
    let r = c
        .post(
            Some(&c.ben),
            &format!("/sessions/{id}/cancel"),
            "reason=no_show",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Cancelled: marked on the page and the timeline, and not held afterwards.
    let r = c
        .post(
            Some(&c.ana),
            &format!("/sessions/{id}/cancel"),
            "reason=no_show",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = text(c.get(Some(&c.ana), &format!("/sessions/{id}")).await).await;
    assert!(page.contains("the client did not come"));
    assert!(!page.contains("Reschedule or cancel this session"));
    let client = text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(client.contains("s cancelled"));
    let review = text(
        c.get(Some(&c.ana), &format!("/sessions/{id}/readiness"))
            .await,
    )
    .await;
    assert!(review.contains("Cancelled on") && review.contains("the client did not come"));
    assert!(!review.contains("Record the session as held"));
    let r = c
        .post(
            Some(&c.ana),
            &format!("/sessions/{id}/cancel"),
            "reason=other",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = c
        .post(
            Some(&c.ana),
            &format!("/sessions/{id}/reschedule"),
            &format!("at={when}T10:00"),
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}
