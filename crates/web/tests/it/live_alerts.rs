//! The alert rules on the live server's write paths: a client's Session
//! Alliance Check sent through the portal raises a rupture that names the
//! session by its own number and date; signing a readiness review stores
//! it as shown with its alert.

use attune_store::audit::Actor;
use attune_store::{
    AccessStore, AlertKind, CompletedVia, NewPortalLink, NewSession, NewTask, Severity, Store,
    token_hash,
};
use axum::http::StatusCode;
use time::{Duration, OffsetDateTime, macros::datetime};
use uuid::Uuid;

use crate::harness::{clinic, text};

fn actor() -> Actor {
    Actor::system("t")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_alliance_check_raises_a_rupture_at_the_sessions_own_number() {
    let c = clinic().await;
    let (_, course) = c
        .store()
        .session_owner(c.ana_session)
        .await
        .unwrap()
        .unwrap();
    // Preparation sessions 5, 6 and 7, held in October; the client rated 9
    // after 5 and 6 (entered by the clinician).
    let mut ids = Vec::new();
    for (k, number) in [5u32, 6, 7].into_iter().enumerate() {
        let at = datetime!(2026-10-05 10:00 UTC) + Duration::weeks(k as i64);
        let s = c
            .store()
            .add_session(
                &actor(),
                NewSession {
                    course,
                    kind: attune_store::SessionKind::Preparation,
                    number,
                    scheduled_at: at,
                    held_at: Some(at),
                    readiness_override: None,
                },
            )
            .await
            .unwrap();
        ids.push(s.id);
    }
    for (k, id) in ids.iter().take(2).enumerate() {
        let new = attune_store::NewAdministration {
            course: Some(course),
            session: Some(*id),
            instrument: "alliance-check-client".into(),
            responses: vec![Some(9.0); 5],
            total: Some(9.0),
            complete: true,
            completed_via: CompletedVia::ClinicianEntry,
            administered_at: datetime!(2026-10-05 11:00 UTC) + Duration::weeks(k as i64),
            ..attune_store_tests::submission(&format!("a-{k}"), c.ana_client)
        };
        c.store().submit(&actor(), new).await.unwrap();
    }
    // The check after session 7 arrives through the portal: 2 of 10.
    let token = format!("{:064x}", Uuid::now_v7().as_u128());
    let link = c
        .store()
        .create_portal_link(
            &actor(),
            NewPortalLink {
                token_hash: token_hash(&token),
                client: c.ana_client,
                created_by: c.ana.id,
                expires_at: OffsetDateTime::now_utc() + Duration::days(7),
                tasks: vec![NewTask {
                    instrument: "alliance-check-client".into(),
                    instrument_version: 1,
                    course: Some(course),
                    session: Some(ids[2]),
                    time_point: None,
                    available_from: None,
                }],
            },
        )
        .await
        .unwrap();
    let task = link.tasks[0].id;
    let page = format!("/p/{token}/t/{task}");
    let r = c
        .post(None, &page, "q1=2&q2=2&q3=2&q4=2&q5=2&action=review", false)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let done = c.post(None, &format!("{page}/submit"), "", false).await;
    assert_eq!(done.status(), StatusCode::OK);
    let alerts = c
        .store()
        .client_alerts(&actor(), c.ana_client)
        .await
        .unwrap();
    let rupture = alerts
        .iter()
        .find(|a| a.kind == AlertKind::Rupture)
        .expect("a rupture alert");
    assert_eq!(rupture.severity, Severity::Warning);
    assert_eq!(
        (rupture.session, rupture.episode),
        (Some(ids[2]), Some(ids[2]))
    );
    assert!(
        rupture.message.contains("session 7 (19 Oct 2026)"),
        "{}",
        rupture.message
    );
    // It is in Ana's inbox.
    let inbox = text(c.get(Some(&c.ana), "/alerts").await).await;
    assert!(inbox.contains("session 7 (19 Oct 2026)"), "{inbox}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_review_is_kept_with_its_alert_and_the_api_agrees() {
    let c = clinic().await;
    let review = format!("/sessions/{}/readiness", c.ana_session);
    // Psilocybin: no blood pressure field; medications confirmed.
    let page = text(c.get(Some(&c.ana), &review).await).await;
    assert!(!page.contains("name=\"systolic\""), "{page}");
    let r = c
        .post(Some(&c.ana), &review, "medications_confirmed=yes", true)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let signed = c.store().reviews(&actor(), c.ana_session).await.unwrap();
    assert_eq!(signed.len(), 1);
    assert_eq!(signed[0].verdict, attune_store::Readiness::NotReady);
    assert!(signed[0].record.medications_confirmed);
    assert!(
        signed[0]
            .record
            .reasons
            .iter()
            .any(|r| r.code == "alliance_unmeasured")
    );
    let alerts = c
        .store()
        .client_alerts(&actor(), c.ana_client)
        .await
        .unwrap();
    let readiness: Vec<_> = alerts
        .iter()
        .filter(|a| a.kind == AlertKind::Readiness)
        .collect();
    assert_eq!(readiness.len(), 1);
    assert_eq!(readiness[0].episode, Some(c.ana_session));
    // Signing again with the same verdict raises nothing new.
    c.post(Some(&c.ana), &review, "medications_confirmed=yes", true)
        .await;
    let again = c
        .store()
        .client_alerts(&actor(), c.ana_client)
        .await
        .unwrap();
    assert_eq!(
        again
            .iter()
            .filter(|a| a.kind == AlertKind::Readiness)
            .count(),
        1
    );
    let page = text(c.get(Some(&c.ana), &review).await).await;
    assert!(page.contains("Signed reviews"), "{page}");
    assert!(page.contains("medications confirmed"), "{page}");
    // A bad blood pressure is refused with the field named.
    let r = c
        .post(Some(&c.ana), &review, "systolic=80&diastolic=120", true)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("diastolic"));
}
