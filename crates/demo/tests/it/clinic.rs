//! The demo clinic written to a real SQLite store: what the issue asks of it.

use attune_care::alliance::{AllianceObservation, AllianceRules, RuptureStatus, summarise};
use attune_demo::model::cohort;
use attune_demo::{DemoConfig, STAFF, create_staff, digest, generate};
use attune_store::Store;
use attune_store::crypto::Cipher;
use attune_store_sql::SqliteStore;
use attune_store_tests as fixture;
use time::macros::date;

const CFG: DemoConfig = DemoConfig {
    seed: 7,
    as_of: date!(2026 - 11 - 26),
    clients: 80,
};

async fn build() -> (SqliteStore, attune_demo::Summary) {
    let dir = fixture::temp_dir("demo");
    let store = SqliteStore::open(
        &dir.join("attune.db"),
        Cipher::load_or_create(&dir.join("key")).unwrap(),
    )
    .await
    .unwrap();
    let hashes = vec![fixture::FAKE_HASH.to_owned(); STAFF.len()];
    let staff = create_staff(&store, &hashes).await.unwrap();
    let summary = generate(&store, &CFG, &staff).await.unwrap();
    (store, summary)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clinic_has_what_the_issue_asks_for() {
    let (store, s) = build().await;
    let counts = store.counts().await.unwrap();
    assert_eq!((counts.users, counts.clients), (6, 80));
    assert!(counts.administrations > 2000, "{counts:?}");
    assert!(
        s.courses_in_progress >= 10,
        "some courses still in progress: {s:?}"
    );
    assert!(
        s.alerts.get("safety").copied().unwrap_or(0) >= 3,
        "a few safety findings: {s:?}"
    );
    // Reliable deterioration is rare: PCL-5 needs 15 points (Marx 2022).
    assert!(
        s.alerts.get("deterioration").copied().unwrap_or(0) >= 1,
        "some clients deteriorate: {s:?}"
    );
    assert!((8..=30).contains(&s.ruptures), "a few ruptures: {s:?}");
    // Repair is judged once its window has closed: among those, most are repaired.
    let unrepaired = s.ruptures - s.ruptures_repaired - s.ruptures_pending;
    assert!(
        s.ruptures_repaired > unrepaired,
        "most ruptures repaired: {s:?}"
    );
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        attune_store::audit::Verification::Intact { .. }
    ));
    // Every client's alliance was rated from both sides.
    let actor = fixture::admin();
    let ana = store.credentials("ana.reyes").await.unwrap().unwrap().user;
    let first = &store.caseload(&actor, ana.id).await.unwrap()[0];
    let measures = store.administrations(&actor, first.id).await.unwrap();
    let client_side = measures
        .iter()
        .filter(|a| a.instrument == "alliance-check-client")
        .count();
    let therapist_side = measures
        .iter()
        .filter(|a| a.instrument == "alliance-check-therapist")
        .count();
    assert!(client_side > 0 && client_side == therapist_side);
    let points: Vec<&str> = measures
        .iter()
        .filter_map(|a| a.time_point.as_deref())
        .collect();
    assert_eq!(
        points.first(),
        Some(&"baseline"),
        "outcomes carry their time point: {points:?}"
    );
    assert!(
        points
            .iter()
            .skip(1)
            .all(|p| p.starts_with("week ") || *p == "follow-up"),
        "{points:?}"
    );
    assert!(
        measures
            .iter()
            .all(|a| a.wording_kind.as_deref() == Some("adapted")),
        "the wording shown is recorded"
    );

    // Clients who consented to video recording have analysed session videos
    // (files deleted after analysis); the others have none.
    use attune_store::{ConsentKind, JobState, VideoStore};
    let (mut with, mut without) = (0, 0);
    for c in store.caseload(&actor, ana.id).await.unwrap() {
        let consented = store
            .consents(&actor, c.id)
            .await
            .unwrap()
            .iter()
            .any(|k| k.kind == ConsentKind::VideoRecording && k.granted);
        let videos = store.client_videos(&actor, c.id).await.unwrap();
        if consented {
            with += 1;
            assert!(!videos.is_empty(), "{}", c.code);
        } else {
            without += 1;
            assert!(videos.is_empty(), "{}", c.code);
        }
        for v in &videos {
            assert_eq!(v.state, JobState::Done);
            assert!(v.file_deleted_at.is_some() && v.analysis.is_some());
        }
    }
    assert!(
        with > 0 && without > 0,
        "{with} with video, {without} without"
    );

    // A few sessions did not take place (no-shows, cancellations), never a held one.
    use attune_store::CancelReason;
    let mut reasons = Vec::new();
    for c in store.caseload(&actor, ana.id).await.unwrap() {
        for course in store.courses(&actor, c.id).await.unwrap() {
            for s in store.sessions(&actor, course.id).await.unwrap() {
                if let Some(x) = &s.cancelled {
                    assert!(s.held_at.is_none());
                    reasons.push(x.reason);
                }
            }
        }
    }
    assert!(reasons.contains(&CancelReason::NoShow), "{reasons:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_gives_identical_records() {
    let (a, _) = build().await;
    let (b, _) = build().await;
    assert_eq!(digest(&a).await.unwrap(), digest(&b).await.unwrap());
}

/// What the rupture detector finds against what the model planned.
#[test]
fn planned_ruptures_are_found_and_most_are_repaired() {
    let mut planned = 0;
    let mut found = 0;
    let mut repaired = 0;
    for m in cohort(7, 400) {
        let mut r = attune_demo::Rng::new(m.noise_seed);
        let obs: Vec<AllianceObservation> = (0..14)
            .map(|k| {
                let (c, t) = m.alliance_pair(k, k >= 4, &mut r);
                AllianceObservation {
                    session: k as u32 + 1,
                    client: Some(c),
                    therapist: Some(t),
                }
            })
            .collect();
        let s = summarise(&obs, &AllianceRules::default());
        if let Some(p) = m.rupture {
            planned += 1;
            if let Some(hit) = s
                .ruptures
                .iter()
                .find(|x| x.session == p.at_rating as u32 + 1)
            {
                found += 1;
                repaired += usize::from(matches!(hit.status, RuptureStatus::Repaired { .. }));
            }
        }
    }
    eprintln!("planned {planned}, found {found}, repaired {repaired}");
    assert!(
        found * 10 >= planned * 8,
        "the detector finds most planned ruptures"
    );
    assert!(repaired * 10 >= found * 6, "most are repaired");
}
