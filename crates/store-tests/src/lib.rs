//! The store contract: one suite, run against every backend (`tests/` runs it
//! on SQLite, and on PostgreSQL where a server is available). Each check takes
//! a fresh, empty store and panics with a message on any broken promise.
#![allow(clippy::unwrap_used)]

mod access;
mod video;

pub use access::*;
pub use video::*;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use attune_store::audit::{Actor, Verification};
use attune_store::{
    AlertKind, AlertStatus, AlertTransition, ClientDetails, Code, CompletedVia, NewAdministration,
    NewAlert, NewClient, NewCourse, NewSession, NewUser, Respondent, Role, SessionKind, Severity,
    Store, StoreError, User,
};
use time::macros::{date, datetime};
use uuid::Uuid;

/// A well-formed argon2id PHC string (not of any real password).
pub const FAKE_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

/// A fresh folder under the system temp directory.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "attune-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn admin() -> Actor {
    Actor::system("test")
}

pub async fn therapist<S: Store>(store: &S, username: &str) -> User {
    store
        .create_user(
            &admin(),
            NewUser {
                username: username.into(),
                display_name: format!("Dr {username}"),
                role: Role::Therapist,
                password_hash: FAKE_HASH.into(),
            },
        )
        .await
        .unwrap()
}

pub fn details(name: &str) -> ClientDetails {
    ClientDetails {
        name: name.into(),
        contact: Some("ada@example.org".into()),
        date_of_birth: Some(date!(1985 - 03 - 14)),
    }
}

pub async fn client<S: Store>(store: &S, code: &str, lead: Uuid) -> attune_store::Client {
    store
        .create_client(
            &admin(),
            NewClient {
                code: code.into(),
                details: details("Ada Example"),
                lead_therapist: lead,
                co_therapist: None,
            },
        )
        .await
        .unwrap()
}

/// A PHQ-9 submission with the given key.
pub fn submission(key: &str, client: Uuid) -> NewAdministration {
    NewAdministration {
        idempotency_key: key.into(),
        client,
        course: None,
        session: None,
        time_point: Some("baseline".into()),
        instrument: "phq9".into(),
        instrument_version: 1,
        respondent: Respondent::Client,
        responses: vec![
            Some(1.0),
            Some(2.0),
            None,
            Some(1.0),
            Some(0.0),
            Some(1.0),
            Some(2.0),
            Some(1.0),
            Some(0.0),
        ],
        wording_pack: Some("phq9-en-adapted".into()),
        wording_kind: Some("adapted".into()),
        completed_via: CompletedVia::Portal,
        administered_at: datetime!(2026-11-20 09:30 UTC),
        total: Some(9.0),
        band: Some("mild".into()),
        complete: false,
        prorated: true,
        scorer: "attune-instruments/0.1.0".into(),
        alerts: vec![],
        supersedes: None,
    }
}

fn safety_alert(instrument: &str) -> NewAlert {
    NewAlert {
        kind: AlertKind::Safety,
        severity: Severity::Urgent,
        instrument: Some(instrument.into()),
        session: None,
        episode: None,
        message: "phq9 item 9 answered 1".into(),
    }
}

pub async fn users<S: Store>(store: &S) {
    let u = therapist(store, "ana").await;
    let creds = store.credentials("ana").await.unwrap().unwrap();
    assert_eq!(creds.user, u);
    assert_eq!(creds.password_hash, FAKE_HASH);
    assert!(
        !format!("{creds:?}").contains("argon2"),
        "the hash is redacted in Debug"
    );
    assert!(store.credentials("nobody").await.unwrap().is_none());
    let dup = store
        .create_user(
            &admin(),
            NewUser {
                username: "ana".into(),
                display_name: "Other".into(),
                role: Role::Admin,
                password_hash: FAKE_HASH.into(),
            },
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
    let bad = store
        .create_user(
            &admin(),
            NewUser {
                username: "Ana Smith".into(),
                display_name: "x".into(),
                role: Role::Admin,
                password_hash: FAKE_HASH.into(),
            },
        )
        .await;
    assert!(matches!(bad, Err(StoreError::Invalid { .. })), "{bad:?}");
    let plain = store
        .create_user(
            &admin(),
            NewUser {
                username: "bob".into(),
                display_name: "Bob".into(),
                role: Role::Admin,
                password_hash: "hunter2".into(),
            },
        )
        .await;
    assert!(
        matches!(plain, Err(StoreError::Invalid { .. })),
        "a plain password is never stored"
    );
    let off = store.set_user_active(&admin(), "ana", false).await.unwrap();
    assert!(!off.active);
    assert!(!store.credentials("ana").await.unwrap().unwrap().user.active);
    assert!(matches!(
        store.set_user_active(&admin(), "ghost", false).await,
        Err(StoreError::NotFound { .. })
    ));
    let sup = therapist(store, "sam").await;
    store.add_supervision(&admin(), sup.id, u.id).await.unwrap();
    assert_eq!(store.supervisees(sup.id).await.unwrap(), [u.id]);
    assert_eq!(store.users().await.unwrap().len(), 2);
}

pub async fn clients_and_caseloads<S: Store>(store: &S) {
    let ana = therapist(store, "ana").await;
    let ben = therapist(store, "ben").await;
    let c = client(store, "C-0001", ana.id).await;
    let back = store.client(&admin(), c.id).await.unwrap();
    assert_eq!(back, c);
    assert_eq!(back.details.name, "Ada Example");
    assert_eq!(back.details.date_of_birth, Some(date!(1985 - 03 - 14)));
    let dyad = store
        .create_client(
            &admin(),
            NewClient {
                code: "C-0002".into(),
                details: details("Bo"),
                lead_therapist: ben.id,
                co_therapist: Some(ana.id),
            },
        )
        .await
        .unwrap();
    let codes = |list: Vec<attune_store::ClientSummary>| {
        list.into_iter().map(|c| c.code).collect::<Vec<_>>()
    };
    assert_eq!(
        codes(store.caseload(&admin(), ana.id).await.unwrap()),
        ["C-0001", "C-0002"]
    );
    assert_eq!(
        codes(store.caseload(&admin(), ben.id).await.unwrap()),
        ["C-0002"]
    );
    let dup = store
        .create_client(
            &admin(),
            NewClient {
                code: "C-0001".into(),
                details: details("X"),
                lead_therapist: ana.id,
                co_therapist: None,
            },
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
    let named = store
        .create_client(
            &admin(),
            NewClient {
                code: "Ada Example".into(),
                details: details("X"),
                lead_therapist: ana.id,
                co_therapist: None,
            },
        )
        .await;
    assert!(
        matches!(named, Err(StoreError::Invalid { .. })),
        "a code is a pseudonym, not a name"
    );
    let orphan = store
        .create_client(
            &admin(),
            NewClient {
                code: "C-0003".into(),
                details: details("X"),
                lead_therapist: Uuid::now_v7(),
                co_therapist: None,
            },
        )
        .await;
    assert!(
        matches!(orphan, Err(StoreError::NotFound { .. })),
        "{orphan:?}"
    );
    assert!(matches!(
        store.client(&admin(), Uuid::now_v7()).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_ne!(dyad.id, c.id);
    store.check_key().await.unwrap();
}

pub async fn courses_and_sessions<S: Store>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let course = store
        .create_course(
            &admin(),
            NewCourse {
                client: c.id,
                modality: "mdma".into(),
                protocol: "maps_mdma".into(),
                started_on: date!(2026 - 09 - 01),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.courses(&admin(), c.id).await.unwrap(),
        std::slice::from_ref(&course)
    );
    for n in 1..=3 {
        store
            .add_session(
                &admin(),
                NewSession {
                    course: course.id,
                    kind: if n == 3 {
                        SessionKind::Medicine
                    } else {
                        SessionKind::Preparation
                    },
                    number: n,
                    scheduled_at: datetime!(2026-09-01 10:00 UTC)
                        + time::Duration::weeks(i64::from(n)),
                    held_at: None,
                    readiness_override: (n == 3).then(|| "Screened by phone the day before".into()),
                },
            )
            .await
            .unwrap();
    }
    let sessions = store.sessions(&admin(), course.id).await.unwrap();
    assert_eq!(
        sessions.iter().map(|s| s.number).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        sessions[2].readiness_override.as_deref(),
        Some("Screened by phone the day before")
    );
    let twice = store
        .add_session(
            &admin(),
            NewSession {
                course: course.id,
                kind: SessionKind::Integration,
                number: 3,
                scheduled_at: datetime!(2026-10-01 10:00 UTC),
                held_at: None,
                readiness_override: None,
            },
        )
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict { .. })),
        "{twice:?}"
    );
}

pub async fn idempotent_submissions<S: Store>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let first = store
        .submit(&admin(), submission("key-1", c.id))
        .await
        .unwrap();
    assert!(first.created);
    let again = store
        .submit(&admin(), submission("key-1", c.id))
        .await
        .unwrap();
    assert_eq!((again.id, again.created), (first.id, false));
    let stored = store.administrations(&admin(), c.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    let a = &stored[0];
    assert_eq!(a.responses[2], None, "a missing answer stays missing");
    assert_eq!(
        (a.total, a.prorated, a.wording_kind.as_deref()),
        (Some(9.0), true, Some("adapted"))
    );
    let other = client(store, "C-0002", ana.id).await;
    let reuse = store.submit(&admin(), submission("key-1", other.id)).await;
    assert!(
        matches!(reuse, Err(StoreError::Conflict { .. })),
        "{reuse:?}"
    );
}

pub async fn safety_alerts_ride_on_the_submission<S: Store>(store: &S) {
    let ana = therapist(store, "ana").await;
    let ben = therapist(store, "ben").await;
    let c = client(store, "C-0001", ana.id).await;
    let mut s = submission("key-1", c.id);
    s.alerts = vec![safety_alert("phq9")];
    let done = store.submit(&admin(), s.clone()).await.unwrap();
    assert_eq!(done.alerts.len(), 1);
    let again = store.submit(&admin(), s).await.unwrap();
    assert_eq!(again.alerts, done.alerts, "a retry raises nothing new");
    let inbox = store.alerts_for(&admin(), ana.id, true).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        (inbox[0].status, inbox[0].routed_to, inbox[0].administration),
        (AlertStatus::Open, Some(ana.id), Some(done.id))
    );
    assert!(
        store
            .alerts_for(&admin(), ben.id, true)
            .await
            .unwrap()
            .is_empty(),
        "routed to the lead therapist only"
    );
    let id = inbox[0].id;
    let acked = store
        .act_on_alert(&admin(), id, ana.id, AlertTransition::Acknowledge)
        .await
        .unwrap();
    assert_eq!(acked.status, AlertStatus::Acknowledged);
    let twice = store
        .act_on_alert(&admin(), id, ana.id, AlertTransition::Acknowledge)
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict { .. })));
    store
        .act_on_alert(
            &admin(),
            id,
            ben.id,
            AlertTransition::Resolve {
                note: Some("C-SSRS: low risk".into()),
            },
        )
        .await
        .unwrap();
    assert!(
        store
            .alerts_for(&admin(), ana.id, true)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.alerts_for(&admin(), ana.id, false).await.unwrap()[0].status,
        AlertStatus::Resolved
    );
    let after = store
        .act_on_alert(
            &admin(),
            id,
            ana.id,
            AlertTransition::Resolve { note: None },
        )
        .await;
    assert!(matches!(after, Err(StoreError::Conflict { .. })));
}

pub async fn a_failed_write_leaves_nothing<S: Store>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let before = store.counts().await.unwrap();
    // The second alert violates a constraint (an instrument id is never
    // empty) after the administration and the first alert were inserted: the
    // whole transaction must roll back.
    let mut s = submission("key-1", c.id);
    s.alerts = vec![safety_alert("phq9"), safety_alert("")];
    // The violated constraint is reported as an error about its column.
    match store.submit(&admin(), s).await {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "instrument"),
        other => panic!("expected an invalid instrument, got {other:?}"),
    }
    for bad in [
        NewAdministration {
            idempotency_key: "bad key!".into(),
            ..submission("x", c.id)
        },
        NewAdministration {
            responses: vec![Some(f64::NAN)],
            ..submission("key-2", c.id)
        },
        NewAdministration {
            total: Some(f64::INFINITY),
            ..submission("key-3", c.id)
        },
        submission("key-4", Uuid::now_v7()),
    ] {
        assert!(store.submit(&admin(), bad).await.is_err());
    }
    assert_eq!(
        store.counts().await.unwrap(),
        before,
        "nothing half-written, nothing audited"
    );
    assert!(
        store
            .submit(&admin(), submission("key-1", c.id))
            .await
            .unwrap()
            .created,
        "the key is still free"
    );
}

pub async fn every_touch_of_client_data_is_audited<S: Store>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let reader = Actor {
        user: Some(ana.id),
        name: "user:ana".into(),
        origin: "127.0.0.1".into(),
    };
    let start = store.audit_events().await.unwrap().len();
    store.client(&reader, c.id).await.unwrap();
    store.administrations(&reader, c.id).await.unwrap();
    store.submit(&reader, submission("k", c.id)).await.unwrap();
    let events = store.audit_events().await.unwrap();
    let new: Vec<(&str, &str)> = events[start..]
        .iter()
        .map(|e| (e.action.as_str(), e.record_type.as_str()))
        .collect();
    assert_eq!(
        new,
        [
            ("read", "client"),
            ("read", "administrations"),
            ("create", "administration")
        ]
    );
    assert!(events[start..].iter().all(|e| e.client_id == Some(c.id)
        && e.actor_user == Some(ana.id)
        && e.origin == "127.0.0.1"));
    assert_eq!(
        store.verify_audit().await.unwrap(),
        Verification::Intact {
            events: events.len() as u64
        }
    );
}

/// 8 tasks × 200 submissions at once, each also retried once: all stored, none twice.
pub async fn concurrent_writers<S: Store + 'static>(store: Arc<S>) {
    let ana = therapist(&*store, "ana").await;
    let c = client(&*store, "C-0001", ana.id).await;
    let mut tasks = Vec::new();
    for t in 0..8 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            for i in 0..200 {
                let key = format!("t{t}-n{i}");
                assert!(
                    store
                        .submit(&admin(), submission(&key, c.id))
                        .await
                        .unwrap()
                        .created
                );
                if i % 50 == 0 {
                    assert!(
                        !store
                            .submit(&admin(), submission(&key, c.id))
                            .await
                            .unwrap()
                            .created
                    );
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let stored = store.administrations(&admin(), c.id).await.unwrap();
    assert_eq!(stored.len(), 1600);
    let mut keys: Vec<&str> = stored.iter().map(|a| a.idempotency_key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), 1600, "none twice");
    assert!(
        matches!(
            store.verify_audit().await.unwrap(),
            Verification::Intact { .. }
        ),
        "the chain survives concurrency"
    );
}

async fn client_with_course<S: Store>(
    store: &S,
) -> (User, User, attune_store::Client, attune_store::Session) {
    let ana = therapist(store, "ana").await;
    let ben = therapist(store, "ben").await;
    let c = store
        .create_client(
            &admin(),
            NewClient {
                code: "C-0001".into(),
                details: details("Ada Example"),
                lead_therapist: ana.id,
                co_therapist: Some(ben.id),
            },
        )
        .await
        .unwrap();
    let course = store
        .create_course(
            &admin(),
            NewCourse {
                client: c.id,
                modality: "mdma".into(),
                protocol: "maps_mdma".into(),
                started_on: date!(2026 - 09 - 01),
            },
        )
        .await
        .unwrap();
    let session = store
        .add_session(
            &admin(),
            NewSession {
                course: course.id,
                kind: SessionKind::Medicine,
                number: 1,
                scheduled_at: datetime!(2026-10-01 09:00 UTC),
                held_at: None,
                readiness_override: None,
            },
        )
        .await
        .unwrap();
    (ana, ben, c, session)
}

pub async fn intakes_and_session_details_are_versioned<S: Store>(store: &S) {
    use attune_store::{IntakeRecord, MedicationRecord, MedicineRecord, SessionDetails};
    let (ana, _, c, session) = client_with_course(store).await;
    let mut record = IntakeRecord {
        presenting_concerns: "Nightmares since the accident; I avoid driving.".into(),
        trauma_history: true,
        medications: vec![MedicationRecord {
            name: "sertraline".into(),
            class: "ssri".into(),
            dose: Some("50 mg".into()),
        }],
        ..IntakeRecord::default()
    };
    let v1 = store
        .save_intake(&admin(), c.id, record.clone(), Some(ana.id))
        .await
        .unwrap();
    record.medications.clear();
    let v2 = store
        .save_intake(&admin(), c.id, record.clone(), Some(ana.id))
        .await
        .unwrap();
    assert_eq!((v1.version, v2.version), (1, 2));
    let all = store.intakes(&admin(), c.id).await.unwrap();
    assert_eq!(all.len(), 2, "a change is a new version; the first stays");
    assert_eq!(all[0].record.medications[0].name, "sertraline");
    assert_eq!(all[1].record, record);
    assert!(matches!(
        store
            .save_intake(&admin(), Uuid::now_v7(), record, None)
            .await,
        Err(StoreError::NotFound { .. })
    ));

    assert_eq!(
        store.session_details(&admin(), session.id).await.unwrap(),
        None
    );
    let mut details = SessionDetails {
        present: vec![
            "client".into(),
            "lead therapist".into(),
            "co-therapist".into(),
        ],
        room: Some("Room 2".into()),
        music: Some("clinic playlist B".into()),
        medicine: Some(MedicineRecord {
            substance: "MDMA".into(),
            dose: "120 mg".into(),
            route: "oral".into(),
            administered_at: Some(datetime!(2026-10-01 09:30 UTC)),
            supplement_dose: Some("60 mg".into()),
            supplement_at: Some(datetime!(2026-10-01 11:15 UTC)),
            ended_at: None,
            vitals: vec![],
            adverse_events: vec![],
        }),
        ..SessionDetails::default()
    };
    assert_eq!(
        store
            .save_session_details(&admin(), session.id, details.clone(), Some(ana.id))
            .await
            .unwrap(),
        1
    );
    details.lighting = Some("dimmed".into());
    assert_eq!(
        store
            .save_session_details(&admin(), session.id, details.clone(), Some(ana.id))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store.session_details(&admin(), session.id).await.unwrap(),
        Some((2, details.clone()))
    );
    assert!(matches!(
        store
            .save_session_details(&admin(), Uuid::now_v7(), details, None)
            .await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn process_notes_are_for_their_author_only<S: Store>(store: &S) {
    use attune_store::{NewNote, NoteKind};
    let (ana, ben, c, session) = client_with_course(store).await;
    let note = |kind, author: Uuid, body: &str| NewNote {
        client: c.id,
        session: Some(session.id),
        kind,
        author,
        body: body.into(),
        supersedes: None,
    };
    store
        .add_note(
            &admin(),
            note(
                NoteKind::Session,
                ana.id,
                "Steady session; integration themes: trust.",
            ),
        )
        .await
        .unwrap();
    let process = store
        .add_note(
            &admin(),
            note(
                NoteKind::Process,
                ana.id,
                "My countertransference: impatience.",
            ),
        )
        .await
        .unwrap();
    let bodies =
        |list: Vec<attune_store::Note>| list.into_iter().map(|n| n.body).collect::<Vec<_>>();
    assert_eq!(
        bodies(store.notes(&admin(), c.id, ben.id).await.unwrap()),
        ["Steady session; integration themes: trust."]
    );
    assert_eq!(
        store.notes(&admin(), c.id, ana.id).await.unwrap().len(),
        2,
        "the author sees her own process note"
    );
    let short = store
        .process_notes_in_emergency(&admin(), c.id, ben.id, "urgent")
        .await;
    assert!(
        matches!(short, Err(StoreError::Invalid { .. })),
        "an emergency states its reason"
    );
    let read = store
        .process_notes_in_emergency(
            &admin(),
            c.id,
            ben.id,
            "Client in crisis, Ana unreachable; on-call review",
        )
        .await
        .unwrap();
    assert_eq!(bodies(read), ["My countertransference: impatience."]);
    let events = store.audit_events().await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.record_type == "process_notes_emergency" && e.client_id == Some(c.id))
    );
    // Corrections: by the author, of the same kind; the original stays.
    let by_other = store
        .add_note(
            &admin(),
            NewNote {
                supersedes: Some(process.id),
                ..note(NoteKind::Process, ben.id, "edit")
            },
        )
        .await;
    assert!(matches!(by_other, Err(StoreError::Invalid { .. })));
    store
        .add_note(
            &admin(),
            NewNote {
                supersedes: Some(process.id),
                ..note(
                    NoteKind::Process,
                    ana.id,
                    "My countertransference: impatience, then relief.",
                )
            },
        )
        .await
        .unwrap();
    assert_eq!(store.notes(&admin(), c.id, ana.id).await.unwrap().len(), 3);
    let empty = store
        .add_note(&admin(), note(NoteKind::Session, ana.id, "   "))
        .await;
    assert!(matches!(empty, Err(StoreError::Invalid { .. })));
}

pub async fn journal_and_consents<S: Store>(store: &S) {
    use attune_store::ConsentKind;
    let (ana, _, c, _) = client_with_course(store).await;
    let portal = Actor {
        user: None,
        name: "portal".into(),
        origin: "203.0.113.9".into(),
    };
    store
        .add_journal_entry(
            &portal,
            c.id,
            "Woke early and walked by the river. Felt lighter.",
        )
        .await
        .unwrap();
    store
        .add_journal_entry(&portal, c.id, "Hard day; used the breathing we practised.")
        .await
        .unwrap();
    let entries = store.journal(&admin(), c.id).await.unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries[0].body.starts_with("Woke early"));
    store
        .record_consent(&admin(), c.id, ConsentKind::Treatment, true, Some(ana.id))
        .await
        .unwrap();
    store
        .record_consent(&admin(), c.id, ConsentKind::Research, true, Some(ana.id))
        .await
        .unwrap();
    store
        .record_consent(&portal, c.id, ConsentKind::Research, false, None)
        .await
        .unwrap();
    let current = store.consents(&admin(), c.id).await.unwrap();
    let research = current
        .iter()
        .find(|x| x.kind == ConsentKind::Research)
        .unwrap();
    assert!(
        !research.granted,
        "a withdrawal replaces the earlier consent"
    );
    assert!(
        current
            .iter()
            .any(|x| x.kind == ConsentKind::Treatment && x.granted)
    );
    assert!(
        !current
            .iter()
            .any(|x| x.kind == ConsentKind::VideoRecording),
        "never asked is not consent"
    );
}

pub async fn corrections_are_new_versions<S: Store>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let first = store
        .submit(&admin(), submission("k1", c.id))
        .await
        .unwrap();
    let fixed = NewAdministration {
        supersedes: Some(first.id),
        total: Some(10.0),
        ..submission("k2", c.id)
    };
    store.submit(&admin(), fixed).await.unwrap();
    let all = store.administrations(&admin(), c.id).await.unwrap();
    assert_eq!(all.len(), 2, "the original stays");
    assert_eq!(all[1].supersedes, Some(first.id));
    let wrong = NewAdministration {
        supersedes: Some(first.id),
        instrument: "gad7".into(),
        ..submission("k3", c.id)
    };
    assert!(matches!(
        store.submit(&admin(), wrong).await,
        Err(StoreError::Invalid { .. })
    ));
    let ghost = NewAdministration {
        supersedes: Some(Uuid::now_v7()),
        ..submission("k4", c.id)
    };
    assert!(matches!(
        store.submit(&admin(), ghost).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// The whole contract as tests, listed once for every backend. `$fresh` is an
/// async fn returning `Option<(store, guard)>`: `None` skips (where the backend
/// is unavailable outside CI); the guard keeps the store's files alive.
#[macro_export]
macro_rules! contract_suite {
    ($fresh:path) => {
        $crate::contract_suite!(@each $fresh;
            users,
            clients_and_caseloads,
            courses_and_sessions,
            idempotent_submissions,
            safety_alerts_ride_on_the_submission,
            a_failed_write_leaves_nothing,
            every_touch_of_client_data_is_audited,
            intakes_and_session_details_are_versioned,
            process_notes_are_for_their_author_only,
            journal_and_consents,
            corrections_are_new_versions,
            staff_sessions,
            login_throttling,
            portal_links_and_drafts,
            completing_a_task_is_idempotent,
            care_team_and_client_alerts,
            a_planned_session_is_held_once,
            cohort_totals_cover_the_clinic_in_one_audited_read,
            totp_secrets_are_sealed_and_switchable,
            a_submission_through_a_link_is_one_transaction,
            a_planned_course_is_stored_whole_or_not_at_all,
            videos_need_consent_and_queue_their_analysis,
            jobs_are_leased_taken_over_and_finished_by_their_holder,
            failed_jobs_are_retried_later_then_given_up,
            planned_sessions_are_rescheduled_or_cancelled_never_held_ones,
            client_details_are_corrected_and_stay_sealed,
            clinic_settings_are_set_replaced_and_audited,
            completing_a_course_closes_its_alerts_but_safety,
            a_signed_review_is_kept_as_shown_with_its_alert,
        );

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn concurrent_writers() {
            let Some((store, _guard)) = $fresh().await else { return };
            $crate::concurrent_writers(std::sync::Arc::new(store)).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn concurrent_claims_never_share_a_job() {
            let Some((store, _guard)) = $fresh().await else { return };
            $crate::concurrent_claims_never_share_a_job(std::sync::Arc::new(store)).await;
        }
    };
    (@each $fresh:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some((store, _guard)) = $fresh().await else { return };
                $crate::$name(&store).await;
            }
        )*
    };
}

pub async fn planned_sessions_are_rescheduled_or_cancelled_never_held_ones<S: Store>(store: &S) {
    use attune_store::CancelReason;
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let course = ketamine_course(store, c.id).await;
    let mut ids = Vec::new();
    for n in 1..=2 {
        let s = store
            .add_session(
                &admin(),
                NewSession {
                    course: course.id,
                    kind: SessionKind::Preparation,
                    number: n,
                    scheduled_at: datetime!(2026-09-02 10:00 UTC)
                        + time::Duration::weeks(i64::from(n)),
                    held_at: None,
                    readiness_override: None,
                },
            )
            .await
            .unwrap();
        assert!(s.planned() && s.cancelled.is_none());
        ids.push(s.id);
    }
    let later = datetime!(2026-09-20 14:30 UTC);
    let moved = store
        .reschedule_session(&admin(), ids[0], later)
        .await
        .unwrap();
    assert_eq!(moved.scheduled_at, later);
    let cancelled = store
        .cancel_session(&admin(), ids[1], CancelReason::NoShow)
        .await
        .unwrap();
    assert_eq!(
        cancelled.cancelled.as_ref().map(|c| c.reason),
        Some(CancelReason::NoShow)
    );
    assert!(!cancelled.planned());
    let listed = store.sessions(&admin(), course.id).await.unwrap();
    assert_eq!(listed[0].scheduled_at, later);
    assert_eq!(listed[1], cancelled);

    // A cancelled session is neither moved, held nor cancelled again.
    let conflict = |r: Result<attune_store::Session, StoreError>| {
        assert!(matches!(r, Err(StoreError::Conflict { .. })), "{r:?}");
    };
    conflict(store.reschedule_session(&admin(), ids[1], later).await);
    conflict(store.hold_session(&admin(), ids[1], later, None).await);
    conflict(
        store
            .cancel_session(&admin(), ids[1], CancelReason::Other)
            .await,
    );
    // A held one neither.
    store
        .hold_session(&admin(), ids[0], later, None)
        .await
        .unwrap();
    conflict(store.reschedule_session(&admin(), ids[0], later).await);
    conflict(
        store
            .cancel_session(&admin(), ids[0], CancelReason::ClientCancelled)
            .await,
    );
    assert!(matches!(
        store
            .cancel_session(&admin(), Uuid::now_v7(), CancelReason::Other)
            .await,
        Err(StoreError::NotFound { .. })
    ));
    for r in CancelReason::ALL {
        assert_eq!(CancelReason::from_code(r.code()), Some(*r));
    }
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        Verification::Intact { .. }
    ));
}

pub async fn client_details_are_corrected_and_stay_sealed<S: Store>(store: &S) {
    let ana = therapist(store, "ana").await;
    let c = client(store, "C-0001", ana.id).await;
    let new = ClientDetails {
        name: "  Ada Corrected ".into(),
        contact: Some("ada@example.invalid".into()),
        date_of_birth: Some(date!(1990 - 04 - 02)),
    };
    let updated = store
        .update_client_details(&admin(), c.id, new)
        .await
        .unwrap();
    assert_eq!(updated.details.name, "Ada Corrected");
    assert_eq!(
        (updated.code.as_str(), updated.lead_therapist),
        ("C-0001", ana.id)
    );
    let read = store.client(&admin(), c.id).await.unwrap();
    assert_eq!(read, updated);
    assert_eq!(read.details.date_of_birth, Some(date!(1990 - 04 - 02)));
    for bad in [
        ClientDetails {
            name: " ".into(),
            contact: None,
            date_of_birth: None,
        },
        ClientDetails {
            name: "Ada".into(),
            contact: Some("x".repeat(201)),
            date_of_birth: None,
        },
    ] {
        assert!(matches!(
            store.update_client_details(&admin(), c.id, bad).await,
            Err(StoreError::Invalid { .. })
        ));
    }
    assert!(matches!(
        store
            .update_client_details(&admin(), Uuid::now_v7(), details("Nobody"))
            .await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.client(&admin(), c.id).await.unwrap(), updated);
}

/// Holding (or cancelling) the last planned session completes the course:
/// its open alerts close with the reason recorded, but safety alerts stay
/// open until a person resolves them. Alerts keep their course, session
/// and episode.
pub async fn completing_a_course_closes_its_alerts_but_safety<
    S: Store + attune_store::AccessStore,
>(
    store: &S,
) {
    let (ana, _, c, dose) = client_with_course(store).await;
    let rupture = NewAlert {
        kind: AlertKind::Rupture,
        severity: Severity::Warning,
        instrument: None,
        session: Some(dose.id),
        episode: Some(dose.id),
        message: "Possible alliance rupture at session 1 (1 Oct 2026).".into(),
    };
    let new = NewAdministration {
        course: Some(dose.course),
        session: Some(dose.id),
        alerts: vec![rupture, safety_alert("phq9")],
        ..submission("k-course", c.id)
    };
    store.submit(&admin(), new).await.unwrap();
    let alerts = store.client_alerts(&admin(), c.id).await.unwrap();
    assert_eq!(alerts.len(), 2);
    let stored = alerts
        .iter()
        .find(|a| a.kind == AlertKind::Rupture)
        .unwrap();
    assert_eq!(
        (stored.course, stored.session, stored.episode),
        (Some(dose.course), Some(dose.id), Some(dose.id))
    );
    // A change no person made closes nothing; the therapist holding the
    // last session does.
    let ana_actor = Actor {
        user: Some(ana.id),
        name: "ana".into(),
        origin: "test".into(),
    };
    store
        .hold_session(&ana_actor, dose.id, datetime!(2026-10-01 09:30 UTC), None)
        .await
        .unwrap();
    let after = store.client_alerts(&admin(), c.id).await.unwrap();
    let status = |kind| after.iter().find(|a| a.kind == kind).unwrap().status;
    assert_eq!(status(AlertKind::Rupture), AlertStatus::Resolved);
    assert_eq!(status(AlertKind::Safety), AlertStatus::Open);
}

/// A signed review is stored as shown (sealed), with the alert it raises,
/// in one transaction; reading it back gives the same review.
pub async fn a_signed_review_is_kept_as_shown_with_its_alert<
    S: Store + attune_store::AccessStore,
>(
    store: &S,
) {
    use attune_store::{Readiness, ReviewReason, ReviewRecord};
    let (ana, _, c, dose) = client_with_course(store).await;
    let record = ReviewRecord {
        reasons: vec![ReviewReason {
            code: "rupture_open".into(),
            outcome: "not_ready".into(),
            message: "Alliance rupture at session 1 is unrepaired.".into(),
        }],
        blood_pressure: Some((128, 84)),
        medications_confirmed: true,
    };
    let alert = NewAlert {
        kind: AlertKind::Readiness,
        severity: Severity::Warning,
        instrument: None,
        session: Some(dose.id),
        episode: Some(dose.id),
        message: "Readiness for session 1 (1 Oct 2026): not ready.".into(),
    };
    let (signed, alert_id) = store
        .sign_review(
            &admin(),
            dose.id,
            Readiness::NotReady,
            record.clone(),
            ana.id,
            Some(alert),
        )
        .await
        .unwrap();
    let listed = store.reviews(&admin(), dose.id).await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&signed));
    assert_eq!(
        (signed.record, signed.verdict),
        (record, Readiness::NotReady)
    );
    let alerts = store.client_alerts(&admin(), c.id).await.unwrap();
    assert_eq!(
        alerts.iter().map(|a| Some(a.id)).collect::<Vec<_>>(),
        [alert_id]
    );
    assert_eq!(alerts[0].course, Some(dose.course));
    // An unknown session signs nothing.
    assert!(
        store
            .sign_review(
                &admin(),
                Uuid::now_v7(),
                Readiness::Ready,
                ReviewRecord {
                    reasons: vec![],
                    blood_pressure: None,
                    medications_confirmed: true,
                },
                ana.id,
                None
            )
            .await
            .is_err()
    );
}
