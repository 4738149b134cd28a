//! The contract of `AccessStore`: staff sessions, login throttling, portal
//! links with drafts and idempotent completion.

use attune_store::audit::Verification;
use attune_store::{
    AccessStore, LockPolicy, NewPortalLink, NewStaffSession, NewTask, SessionKind, Store,
    StoreError, token_hash,
};
use time::{Duration, OffsetDateTime};

use crate::{admin, client, submission, therapist};

fn policy() -> LockPolicy {
    LockPolicy {
        after_failures: 3,
        lock_for: Duration::minutes(15),
    }
}

pub async fn staff_sessions<S: Store + AccessStore>(store: &S) {
    let ana = therapist(store, "ana").await;
    let hash = token_hash("session-token-1");
    let expires = OffsetDateTime::now_utc() + Duration::hours(12);
    store
        .open_staff_session(
            &admin(),
            NewStaffSession {
                token_hash: hash.clone(),
                user: ana.id,
                csrf_token: "csrf-1".into(),
                origin: "127.0.0.1".into(),
                expires_at: expires,
            },
        )
        .await
        .unwrap();
    let s = store.staff_session(&hash).await.unwrap().unwrap();
    assert_eq!(s.user.username, "ana");
    assert_eq!(s.csrf_token, "csrf-1");
    assert_eq!(s.created_at, s.last_seen_at);
    assert!(
        store
            .staff_session(&token_hash("other"))
            .await
            .unwrap()
            .is_none()
    );

    let later = s.last_seen_at + Duration::minutes(5);
    store.touch_staff_session(&hash, later).await.unwrap();
    assert_eq!(
        store
            .staff_session(&hash)
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        later
    );

    // A disabled account's sessions open nothing.
    store.set_user_active(&admin(), "ana", false).await.unwrap();
    assert!(store.staff_session(&hash).await.unwrap().is_none());
    store.set_user_active(&admin(), "ana", true).await.unwrap();
    assert!(store.staff_session(&hash).await.unwrap().is_some());

    store.close_staff_session(&admin(), &hash).await.unwrap();
    assert!(store.staff_session(&hash).await.unwrap().is_none());
    // Closing twice is harmless.
    store.close_staff_session(&admin(), &hash).await.unwrap();
    let events = store.audit_events().await.unwrap();
    let opened_and_closed: Vec<&str> = events
        .iter()
        .filter(|e| e.record_type == "staff_session")
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(opened_and_closed, ["create", "update"]);
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        Verification::Intact { .. }
    ));
}

pub async fn login_throttling<S: Store + AccessStore>(store: &S) {
    assert_eq!(store.login_state("ana").await.unwrap().failures, 0);
    let first = store.record_login_failure("ana", policy()).await.unwrap();
    assert_eq!((first.failures, first.locked_until), (1, None));
    store.record_login_failure("ana", policy()).await.unwrap();
    let third = store.record_login_failure("ana", policy()).await.unwrap();
    assert_eq!(third.failures, 3);
    let now = OffsetDateTime::now_utc();
    assert!(third.locked_at(now), "locked after the third failure");
    // Failing while locked does not extend the lock.
    let fourth = store.record_login_failure("ana", policy()).await.unwrap();
    assert_eq!(fourth.locked_until, third.locked_until);
    assert_eq!(store.login_state("ana").await.unwrap(), fourth);
    assert_eq!(store.login_state("ben").await.unwrap().failures, 0);

    let locked = store.locked_logins().await.unwrap();
    assert_eq!(locked.len(), 1);
    assert_eq!(locked[0].0, "ana");

    store.clear_login_failures(&admin(), "ana").await.unwrap();
    assert!(!store.login_state("ana").await.unwrap().locked_at(now));
    assert!(store.locked_logins().await.unwrap().is_empty());
}

fn tasks() -> Vec<NewTask> {
    ["phq9", "gad7"]
        .into_iter()
        .map(|i| NewTask {
            instrument: i.into(),
            instrument_version: 1,
            course: None,
            session: None,
            time_point: Some("week 3".into()),
            available_from: None,
        })
        .collect()
}

pub async fn portal_links_and_drafts<S: Store + AccessStore>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let other = client(store, "C-0002", ana.id).await;
    let hash = token_hash("portal-token");
    let expires = OffsetDateTime::now_utc() + Duration::days(7);
    let link = store
        .create_portal_link(
            &admin(),
            NewPortalLink {
                token_hash: hash.clone(),
                client: c.id,
                created_by: ana.id,
                expires_at: expires,
                tasks: tasks(),
            },
        )
        .await
        .unwrap();
    assert_eq!(link.tasks.len(), 2);
    assert_eq!(link.tasks[1].position, 2);
    assert!(link.usable_at(OffsetDateTime::now_utc()));
    assert!(!link.usable_at(expires));

    let found = store.portal_link(&admin(), &hash).await.unwrap().unwrap();
    assert_eq!(found, link);
    assert!(
        store
            .portal_link(&admin(), &token_hash("guess"))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.portal_links(&admin(), c.id).await.unwrap(),
        vec![link.clone()]
    );
    assert!(
        store
            .portal_links(&admin(), other.id)
            .await
            .unwrap()
            .is_empty()
    );

    // Answers saved as the client goes, replaced by each save.
    let task = link.tasks[0].id;
    store
        .save_draft(&admin(), task, &[Some(1.0), None, Some(3.0)])
        .await
        .unwrap();
    store
        .save_draft(&admin(), task, &[Some(1.0), Some(2.0), Some(3.0)])
        .await
        .unwrap();
    let saved = store.portal_link(&admin(), &hash).await.unwrap().unwrap();
    assert_eq!(saved.tasks[0].draft, vec![Some(1.0), Some(2.0), Some(3.0)]);
    assert!(saved.tasks[0].draft_saved_at.is_some());
    assert!(saved.tasks[1].draft.is_empty());
    assert!(matches!(
        store.save_draft(&admin(), task, &[Some(f64::NAN)]).await,
        Err(StoreError::Invalid { .. })
    ));

    // Withdrawn: the link is kept, marked, and opens nothing; only its own client's id works.
    assert!(matches!(
        store.revoke_portal_link(&admin(), other.id, link.id).await,
        Err(StoreError::NotFound { .. })
    ));
    store
        .revoke_portal_link(&admin(), c.id, link.id)
        .await
        .unwrap();
    let withdrawn = store.portal_link(&admin(), &hash).await.unwrap().unwrap();
    assert!(withdrawn.revoked && !withdrawn.usable_at(OffsetDateTime::now_utc()));

    // An empty link, a malformed hash, an unknown client: refused, nothing stored.
    let empty = NewPortalLink {
        token_hash: token_hash("x"),
        client: c.id,
        created_by: ana.id,
        expires_at: expires,
        tasks: vec![],
    };
    assert!(matches!(
        store.create_portal_link(&admin(), empty.clone()).await,
        Err(StoreError::Invalid { .. })
    ));
    let unknown = NewPortalLink {
        client: uuid::Uuid::now_v7(),
        tasks: tasks(),
        ..empty
    };
    assert!(store.create_portal_link(&admin(), unknown).await.is_err());
    assert_eq!(store.portal_links(&admin(), c.id).await.unwrap().len(), 1);
}

pub async fn completing_a_task_is_idempotent<S: Store + AccessStore>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let other = client(store, "C-0002", ana.id).await;
    let hash = token_hash("portal-token");
    let link = store
        .create_portal_link(
            &admin(),
            NewPortalLink {
                token_hash: hash.clone(),
                client: c.id,
                created_by: ana.id,
                expires_at: OffsetDateTime::now_utc() + Duration::days(7),
                tasks: tasks(),
            },
        )
        .await
        .unwrap();
    let task = link.tasks[0].id;
    let key = format!("task-{task}");

    // Someone else's answers, or another instrument's, cannot complete it.
    let wrong_client = submission(&key, other.id);
    assert!(matches!(
        store.complete_task(&admin(), task, wrong_client).await,
        Err(StoreError::Invalid { .. })
    ));
    let first = store
        .complete_task(&admin(), task, submission(&key, c.id))
        .await
        .unwrap();
    assert!(first.created);
    let again = store
        .complete_task(&admin(), task, submission(&key, c.id))
        .await
        .unwrap();
    assert_eq!((again.id, again.created), (first.id, false));
    assert_eq!(
        store.administrations(&admin(), c.id).await.unwrap().len(),
        1
    );

    let after = store.portal_link(&admin(), &hash).await.unwrap().unwrap();
    assert_eq!(after.tasks[0].administration, Some(first.id));
    assert!(
        after.usable_at(OffsetDateTime::now_utc()),
        "the second task is still open"
    );
    assert!(matches!(
        store.save_draft(&admin(), task, &[Some(1.0)]).await,
        Err(StoreError::Conflict { .. })
    ));
    // A second, different submission of a finished task is refused and leaves nothing.
    let other_key = submission("another-key", c.id);
    assert!(matches!(
        store.complete_task(&admin(), task, other_key).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        store.administrations(&admin(), c.id).await.unwrap().len(),
        1
    );

    let second = link.tasks[1].id;
    let gad = attune_store::NewAdministration {
        instrument: "gad7".into(),
        responses: vec![Some(1.0); 7],
        ..submission(&format!("task-{second}"), c.id)
    };
    store.complete_task(&admin(), second, gad).await.unwrap();
    let done = store.portal_link(&admin(), &hash).await.unwrap().unwrap();
    assert!(
        !done.usable_at(OffsetDateTime::now_utc()),
        "every task done"
    );
    assert!(matches!(
        store
            .complete_task(&admin(), uuid::Uuid::now_v7(), submission("k9", c.id))
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn care_team_and_client_alerts<S: Store + AccessStore>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let team = store.care_team(c.id).await.unwrap().unwrap();
    assert_eq!(
        (team.code.as_str(), team.lead_therapist),
        ("C-0001", ana.id)
    );
    assert!(
        store
            .care_team(uuid::Uuid::now_v7())
            .await
            .unwrap()
            .is_none()
    );

    let with_alert = attune_store::NewAdministration {
        alerts: vec![attune_store::NewAlert {
            kind: attune_store::AlertKind::Safety,
            severity: attune_store::Severity::Urgent,
            instrument: Some("phq9".into()),
            session: None,
            episode: None,
            message: "item 9".into(),
        }],
        ..submission("k1", c.id)
    };
    store.submit(&admin(), with_alert).await.unwrap();
    let alerts = store.client_alerts(&admin(), c.id).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].routed_to, Some(ana.id));
    assert_eq!(store.alert_client(alerts[0].id).await.unwrap(), Some(c.id));
    assert_eq!(
        store.alert_client(uuid::Uuid::now_v7()).await.unwrap(),
        None
    );
    let events = store.audit_events().await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.record_type.as_str()),
        ("read", "alerts")
    );
    assert_eq!(last.client_id, Some(c.id));
}

pub async fn a_planned_session_is_held_once<S: Store + AccessStore>(store: &S) {
    use attune_store::{NewCourse, NewSession};
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let course = store
        .create_course(
            &admin(),
            NewCourse {
                client: c.id,
                modality: "psilocybin".into(),
                protocol: "psilocybin_one_dose".into(),
                started_on: time::macros::date!(2026 - 10 - 01),
            },
        )
        .await
        .unwrap();
    let planned = store
        .add_session(
            &admin(),
            NewSession {
                course: course.id,
                kind: attune_store::SessionKind::Medicine,
                number: 3,
                scheduled_at: time::macros::datetime!(2026-11-20 09:00 UTC),
                held_at: None,
                readiness_override: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.session_owner(planned.id).await.unwrap(),
        Some((c.id, course.id))
    );
    assert_eq!(
        store.session_owner(uuid::Uuid::now_v7()).await.unwrap(),
        None
    );
    let at = time::macros::datetime!(2026-11-20 09:05:00.123456789 UTC);
    let reason = Some("client stable; discussed with the supervisor".to_owned());
    let held = store
        .hold_session(&admin(), planned.id, at, reason.clone())
        .await
        .unwrap();
    assert_eq!(
        held.held_at,
        Some(time::macros::datetime!(2026-11-20 09:05:00.123456 UTC))
    );
    assert_eq!(held.readiness_override, reason);
    assert_eq!(
        store.sessions(&admin(), course.id).await.unwrap(),
        vec![held]
    );
    assert!(matches!(
        store.hold_session(&admin(), planned.id, at, None).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        store
            .hold_session(&admin(), uuid::Uuid::now_v7(), at, None)
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn cohort_totals_cover_the_clinic_in_one_audited_read<S: Store + AccessStore>(store: &S) {
    let ana = therapist(store, "ana").await;
    let ben = therapist(store, "ben").await;
    let a = client(store, "C-0001", ana.id).await;
    let b = client(store, "C-0002", ben.id).await;
    store
        .submit(&admin(), submission("k1", a.id))
        .await
        .unwrap();
    store
        .submit(&admin(), submission("k2", b.id))
        .await
        .unwrap();
    let unscored = attune_store::NewAdministration {
        total: None,
        ..submission("k3", b.id)
    };
    store.submit(&admin(), unscored).await.unwrap();
    let gad = attune_store::NewAdministration {
        instrument: "gad7".into(),
        ..submission("k4", a.id)
    };
    store.submit(&admin(), gad).await.unwrap();
    let rows = store.cohort_totals(&admin(), &["phq9"]).await.unwrap();
    assert_eq!(rows.len(), 2, "scored phq9 only");
    let leads: Vec<_> = rows.iter().map(|r| r.lead_therapist).collect();
    assert!(leads.contains(&ana.id) && leads.contains(&ben.id));
    assert!(
        rows.iter()
            .all(|r| r.total == 9.0 && r.session_kind.is_none())
    );
    assert_eq!(
        store
            .cohort_totals(&admin(), &["phq9", "gad7"])
            .await
            .unwrap()
            .len(),
        3
    );
    let last = store.audit_events().await.unwrap().pop().unwrap();
    assert_eq!(
        (last.record_type.as_str(), last.client_id),
        ("cohort", None)
    );
}

pub async fn totp_secrets_are_sealed_and_switchable<S: Store + AccessStore>(store: &S) {
    let ana = therapist(store, "ana").await;
    assert_eq!(store.totp_secret(ana.id).await.unwrap(), None);
    let secret = b"12345678901234567890".to_vec();
    store
        .set_totp(&admin(), ana.id, Some(secret.clone()))
        .await
        .unwrap();
    assert_eq!(
        store.totp_secret(ana.id).await.unwrap(),
        Some(secret.clone())
    );
    // Each time step signs in once; an earlier one never again.
    assert!(store.claim_totp_step(ana.id, 100).await.unwrap());
    assert!(!store.claim_totp_step(ana.id, 100).await.unwrap());
    assert!(!store.claim_totp_step(ana.id, 99).await.unwrap());
    assert!(store.claim_totp_step(ana.id, 101).await.unwrap());
    // A new secret starts afresh.
    store
        .set_totp(&admin(), ana.id, Some(secret.clone()))
        .await
        .unwrap();
    assert!(store.claim_totp_step(ana.id, 50).await.unwrap());
    assert!(
        !store
            .claim_totp_step(uuid::Uuid::now_v7(), 1)
            .await
            .unwrap()
    );
    store.set_totp(&admin(), ana.id, None).await.unwrap();
    assert_eq!(store.totp_secret(ana.id).await.unwrap(), None);
    assert!(matches!(
        store.set_totp(&admin(), uuid::Uuid::now_v7(), None).await,
        Err(StoreError::NotFound { .. })
    ));
    let events = store.audit_events().await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.record_type == "user_totp")
            .count(),
        3
    );
}

pub async fn a_submission_through_a_link_is_one_transaction<S: Store + AccessStore>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    store
        .submit(&admin(), submission("k1", c.id))
        .await
        .unwrap();
    let hash = token_hash("context-token");
    let link = store
        .create_portal_link(
            &admin(),
            NewPortalLink {
                token_hash: hash.clone(),
                client: c.id,
                created_by: ana.id,
                expires_at: OffsetDateTime::now_utc() + Duration::days(1),
                tasks: tasks(),
            },
        )
        .await
        .unwrap();
    let task = link.tasks[0].id;
    let kinds = |events: &[attune_store::audit::AuditEvent]| -> Vec<String> {
        events.iter().map(|e| e.record_type.clone()).collect()
    };

    // An unknown link: `build` is told so, and nothing is written.
    let before = store.audit_events().await.unwrap().len();
    let r: Result<_, StoreError> = store
        .submit_through_link(&admin(), &token_hash("unknown"), task, |ctx| {
            assert!(ctx.is_none());
            Ok(None)
        })
        .await;
    assert_eq!(r.unwrap(), None);
    assert_eq!(store.audit_events().await.unwrap().len(), before);

    // `build` sees what the separate reads give; declining stores only their audit.
    let (admins, alerts) = (
        store.administrations(&admin(), c.id).await.unwrap(),
        store.client_alerts(&admin(), c.id).await.unwrap(),
    );
    let before = store.audit_events().await.unwrap().len();
    let r: Result<_, StoreError> = store
        .submit_through_link(&admin(), &hash, task, |ctx| {
            let ctx = ctx.unwrap();
            assert_eq!(ctx.link, link);
            assert_eq!((&ctx.administrations, &ctx.alerts), (&admins, &alerts));
            assert_eq!(ctx.intake, None, "no intake recorded");
            Ok(None)
        })
        .await;
    assert_eq!(r.unwrap(), None);
    let events = store.audit_events().await.unwrap();
    assert_eq!(
        kinds(&events[before..]),
        [
            "portal_link",
            "administrations",
            "alerts",
            "courses",
            "intakes"
        ]
    );

    // A refusal from `build` or from the store's own checks stores nothing.
    let refused: Result<Option<attune_store::Submitted>, StoreError> = store
        .submit_through_link(&admin(), &hash, task, |_| {
            Err(StoreError::invalid("answers", "refused by the caller"))
        })
        .await;
    assert!(matches!(refused, Err(StoreError::Invalid { .. })));
    let other = client(store, "C-0002", ana.id).await;
    let wrong: Result<_, StoreError> = store
        .submit_through_link(&admin(), &hash, task, |_| {
            Ok(Some(submission("k-wrong", other.id)))
        })
        .await;
    assert!(
        matches!(wrong, Err(StoreError::Invalid { .. })),
        "{wrong:?}"
    );
    assert_eq!(
        store.administrations(&admin(), c.id).await.unwrap().len(),
        1
    );

    // Stored: the administration, the task's link to it, reads and write audited together.
    let before = store.audit_events().await.unwrap().len();
    let done: Result<_, StoreError> = store
        .submit_through_link(&admin(), &hash, task, |_| {
            Ok(Some(submission("k-link", c.id)))
        })
        .await;
    let done = done.unwrap().unwrap();
    assert!(done.created);
    let events = store.audit_events().await.unwrap();
    assert_eq!(
        kinds(&events[before..]),
        [
            "portal_link",
            "administrations",
            "alerts",
            "courses",
            "intakes",
            "administration"
        ]
    );
    let reread = store.portal_link(&admin(), &hash).await.unwrap().unwrap();
    assert_eq!(reread.tasks[0].administration, Some(done.id));
    // A retry finds the task done, and stores nothing again.
    let again: Result<_, StoreError> = store
        .submit_through_link(&admin(), &hash, task, |ctx| {
            assert_eq!(ctx.unwrap().link.tasks[0].administration, Some(done.id));
            Ok(None)
        })
        .await;
    assert_eq!(again.unwrap(), None);
    assert_eq!(
        store.administrations(&admin(), c.id).await.unwrap().len(),
        2
    );
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        Verification::Intact { .. }
    ));
}

pub async fn a_planned_course_is_stored_whole_or_not_at_all<S: Store + AccessStore>(store: &S) {
    use attune_store::{NewCourse, PlannedSessionRow};
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let new = NewCourse {
        client: c.id,
        modality: "psilocybin".into(),
        protocol: "psilocybin_single".into(),
        started_on: time::macros::date!(2026 - 12 - 01),
    };
    let plan = |kinds: &[SessionKind]| -> Vec<PlannedSessionRow> {
        kinds
            .iter()
            .enumerate()
            .map(|(i, k)| PlannedSessionRow {
                kind: *k,
                number: i as u32 + 1,
                scheduled_at: time::macros::datetime!(2026-12-01 10:00 UTC)
                    + Duration::days(7 * i as i64),
            })
            .collect()
    };
    // A session that breaks a constraint half-way (its number taken twice):
    // neither the course nor any session is stored.
    let mut twice = plan(&[
        SessionKind::Screening,
        SessionKind::Preparation,
        SessionKind::Preparation,
    ]);
    twice[2].number = 2;
    let bad = store
        .create_planned_course(&admin(), new.clone(), twice)
        .await;
    assert!(bad.is_err());
    assert!(store.courses(&admin(), c.id).await.unwrap().is_empty());
    let course = store
        .create_planned_course(
            &admin(),
            new,
            plan(&[
                SessionKind::Screening,
                SessionKind::Preparation,
                SessionKind::Medicine,
                SessionKind::Integration,
            ]),
        )
        .await
        .unwrap();
    let sessions = store.sessions(&admin(), course.id).await.unwrap();
    assert_eq!(sessions.len(), 4);
    assert_eq!(sessions[2].kind, SessionKind::Medicine);
    assert!(sessions.iter().all(|s| s.held_at.is_none()));
}

pub async fn clinic_settings_are_set_replaced_and_audited<S: Store + AccessStore>(store: &S) {
    assert_eq!(store.clinic_setting("crisis_text").await.unwrap(), None);
    store
        .set_clinic_setting(
            &admin(),
            "crisis_text",
            "Call 000 or the clinic on 555-0100.",
        )
        .await
        .unwrap();
    store
        .set_clinic_setting(
            &admin(),
            "crisis_text",
            "Call 112 or the clinic on 555-0199.",
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .clinic_setting("crisis_text")
            .await
            .unwrap()
            .as_deref(),
        Some("Call 112 or the clinic on 555-0199.")
    );
    assert!(matches!(
        store.set_clinic_setting(&admin(), "", "x").await,
        Err(StoreError::Invalid { .. })
    ));
    let events = store.audit_events().await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.record_type == "clinic_setting")
            .count(),
        2
    );
}
