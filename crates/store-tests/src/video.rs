//! The contract of `VideoStore` and `JobStore`: a video needs consent and
//! queues its analysis in the same transaction; jobs are leased, taken over
//! when a worker dies, retried, and failed for good; results land only from
//! the worker holding the lease.

use std::sync::Arc;

use attune_store::audit::Verification;
use attune_store::jobs::MAX_ATTEMPTS;
use attune_store::{
    ConsentKind, JobState, JobStore, NewCourse, NewSession, NewVideo, Store, StoreError,
    VideoAnalysis, VideoLayout, VideoStore,
};
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{admin, client, therapist};

/// A ketamine course for `client`, begun on 2026-09-01.
pub async fn ketamine_course<S: Store>(store: &S, client: Uuid) -> attune_store::Course {
    store
        .create_course(
            &admin(),
            NewCourse {
                client,
                modality: "ketamine".into(),
                protocol: "ketamine_kap".into(),
                started_on: date!(2026 - 09 - 01),
            },
        )
        .await
        .unwrap()
}

/// A therapist "ana" with one client (`code`) who has one planned
/// preparation session: (client, session).
pub async fn client_with_session<S: Store>(store: &S, code: &str) -> (Uuid, Uuid) {
    let ana = therapist(store, "ana").await;
    let c = client(store, code, ana.id).await;
    let course = ketamine_course(store, c.id).await;
    let session = store
        .add_session(
            &admin(),
            NewSession {
                course: course.id,
                kind: attune_store::SessionKind::Preparation,
                number: 1,
                scheduled_at: datetime!(2026-09-02 10:00 UTC),
                held_at: None,
                readiness_override: None,
            },
        )
        .await
        .unwrap();
    (c.id, session.id)
}

fn new_video(session: Uuid, key: &str) -> NewVideo {
    NewVideo {
        session,
        media_key: key.into(),
        file_name: "2026-09-02 Ada prep.mp4".into(),
        bytes: 1_234_567,
        sha256: "ab".repeat(32),
        layout: VideoLayout::sides(false),
        uploaded_by: None,
    }
}

fn analysis(synchrony: f64) -> VideoAnalysis {
    VideoAnalysis {
        frames: 1500,
        width: 640,
        height: 480,
        fps: 25.0,
        rate: 25.0,
        duration_sec: 60.0,
        window_sec: 30.0,
        step_sec: 15.0,
        max_lag_sec: 5.0,
        smooth_sec: 0.5,
        threshold: 12,
        synchrony,
        lag_seconds: vec![-1.0, 0.0, 1.0],
        lag_profile: vec![0.1, 0.2, 0.15],
        window_start: vec![0.0, 15.0],
        window_synchrony: vec![0.2, 0.18],
        surrogates: None,
        client: None,
        therapist: None,
        decoder: "y4m".into(),
    }
}

async fn consent<S: Store>(store: &S, client: Uuid, granted: bool) {
    store
        .record_consent(&admin(), client, ConsentKind::VideoRecording, granted, None)
        .await
        .unwrap();
}

pub async fn videos_need_consent_and_queue_their_analysis<S: Store + VideoStore + JobStore>(
    store: &S,
) {
    let (c, session) = client_with_session(store, "C-0001").await;
    let refused = store.attach_video(&admin(), new_video(session, "k1")).await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict { what }) if what.contains("consented")),
        "{refused:?}"
    );
    assert!(
        store
            .claim_job("w", Duration::minutes(5))
            .await
            .unwrap()
            .is_none()
    );

    consent(store, c, true).await;
    let v = store
        .attach_video(&admin(), new_video(session, "k1"))
        .await
        .unwrap();
    assert_eq!((v.client, v.state, v.attempts), (c, JobState::Queued, 0));
    let listed = store.client_videos(&admin(), c).await.unwrap();
    assert_eq!(listed, vec![v.clone()]);
    assert_eq!(listed[0].file_name, "2026-09-02 Ada prep.mp4");
    assert_eq!(listed[0].layout, VideoLayout::sides(false));

    // The same media key twice is refused; so is a layout without a therapist.
    let again = store.attach_video(&admin(), new_video(session, "k1")).await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    let mut lopsided = new_video(session, "k2");
    lopsided.layout.regions.retain(|r| r.person == "client");
    let bad = store.attach_video(&admin(), lopsided).await;
    assert!(matches!(bad, Err(StoreError::Invalid { .. })), "{bad:?}");
    let unknown = store
        .attach_video(&admin(), new_video(Uuid::now_v7(), "k3"))
        .await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound { .. })),
        "{unknown:?}"
    );

    // A withdrawal stops further videos; the one attached stays.
    consent(store, c, false).await;
    let after = store.attach_video(&admin(), new_video(session, "k4")).await;
    assert!(
        matches!(after, Err(StoreError::Conflict { .. })),
        "{after:?}"
    );
    assert_eq!(store.client_videos(&admin(), c).await.unwrap().len(), 1);
    assert_eq!(
        store.video(&admin(), v.id).await.unwrap().file_name,
        v.file_name
    );
    // A session that did not take place has no video.
    consent(store, c, true).await;
    store
        .cancel_session(&admin(), session, attune_store::CancelReason::NoShow)
        .await
        .unwrap();
    let cancelled = store.attach_video(&admin(), new_video(session, "k5")).await;
    assert!(
        matches!(&cancelled, Err(StoreError::Conflict { what }) if what.contains("cancelled")),
        "{cancelled:?}"
    );
    assert!(store.video(&admin(), Uuid::now_v7()).await.is_err());
    assert_eq!(store.video_owner(v.id).await.unwrap(), Some((c, session)));
    assert_eq!(store.video_owner(Uuid::now_v7()).await.unwrap(), None);
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        Verification::Intact { .. }
    ));
}

pub async fn jobs_are_leased_taken_over_and_finished_by_their_holder<
    S: Store + VideoStore + JobStore,
>(
    store: &S,
) {
    let (c, session) = client_with_session(store, "C-0001").await;
    consent(store, c, true).await;
    let v = store
        .attach_video(&admin(), new_video(session, "k1"))
        .await
        .unwrap();

    // Held by w1: nobody else gets it while the lease runs.
    let j1 = store
        .claim_job("w1", Duration::minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((j1.subject, j1.attempt), (v.id, 1));
    assert!(j1.lease_until > OffsetDateTime::now_utc() + Duration::minutes(4));
    assert!(
        store
            .claim_job("w2", Duration::minutes(5))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.video(&admin(), v.id).await.unwrap().state,
        JobState::Running
    );
    assert!(
        store
            .renew_lease(j1.id, "w2", Duration::minutes(5))
            .await
            .is_err()
    );

    // w1's lease ends (renewed to nothing): w2 takes the job over, and w1's
    // late result is refused.
    store
        .renew_lease(j1.id, "w1", Duration::ZERO)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let j2 = store
        .claim_job("w2", Duration::minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((j2.id, j2.attempt), (j1.id, 2));
    let late = store
        .record_analysis(&admin(), j1.id, "w1", &analysis(0.1))
        .await;
    assert!(matches!(late, Err(StoreError::Conflict { .. })), "{late:?}");
    store
        .record_analysis(&admin(), j2.id, "w2", &analysis(0.2))
        .await
        .unwrap();
    let done = store.video(&admin(), v.id).await.unwrap();
    assert_eq!(done.state, JobState::Done);
    assert_eq!(done.analysis, Some(analysis(0.2)));
    assert!(done.analysed_at.is_some());
    assert!(
        store
            .claim_job("w3", Duration::minutes(5))
            .await
            .unwrap()
            .is_none()
    );

    // Retention: past its time the file is listed, then marked gone once.
    let now = OffsetDateTime::now_utc();
    assert!(
        store
            .videos_past_retention(now - Duration::hours(1))
            .await
            .unwrap()
            .is_empty()
    );
    let due = store
        .videos_past_retention(now + Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(due, vec![(v.id, "k1".to_owned())]);
    store.mark_video_file_deleted(&admin(), v.id).await.unwrap();
    store.mark_video_file_deleted(&admin(), v.id).await.unwrap();
    let gone = store.video(&admin(), v.id).await.unwrap();
    assert!(gone.file_deleted_at.is_some());
    assert_eq!(gone.analysis, Some(analysis(0.2)), "the result stays");
    assert!(
        store
            .videos_past_retention(now + Duration::seconds(1))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn failed_jobs_are_retried_later_then_given_up<S: Store + VideoStore + JobStore>(
    store: &S,
) {
    let (c, session) = client_with_session(store, "C-0001").await;
    consent(store, c, true).await;
    let v = store
        .attach_video(&admin(), new_video(session, "k1"))
        .await
        .unwrap();
    let j = store
        .claim_job("w1", Duration::minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert!(store.fail_job(j.id, "w2", "not mine", true).await.is_err());
    assert_eq!(
        store.fail_job(j.id, "w1", "disk full", true).await.unwrap(),
        JobState::Queued
    );
    // Not due yet: the retry waits.
    assert!(
        store
            .claim_job("w1", Duration::minutes(5))
            .await
            .unwrap()
            .is_none()
    );
    let queued = store.video(&admin(), v.id).await.unwrap();
    assert_eq!(
        (queued.state, queued.error.as_deref()),
        (JobState::Queued, Some("disk full"))
    );

    // A second video whose error cannot be cured fails at once.
    let v2 = store
        .attach_video(&admin(), new_video(session, "k2"))
        .await
        .unwrap();
    let j2 = store
        .claim_job("w1", Duration::minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(j2.subject, v2.id);
    assert_eq!(
        store
            .fail_job(j2.id, "w1", "not a video file", false)
            .await
            .unwrap(),
        JobState::Failed
    );

    // A third whose worker dies on every try is given up after MAX_ATTEMPTS.
    let v3 = store
        .attach_video(&admin(), new_video(session, "k3"))
        .await
        .unwrap();
    for attempt in 1..=MAX_ATTEMPTS {
        let j = store
            .claim_job("w1", Duration::ZERO)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((j.subject, j.attempt), (v3.id, attempt));
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(
        store
            .claim_job("w1", Duration::ZERO)
            .await
            .unwrap()
            .is_none()
    );
    let dead = store.video(&admin(), v3.id).await.unwrap();
    assert_eq!(dead.state, JobState::Failed);
    assert!(dead.error.unwrap().contains("every try"));
    assert!(dead.analysis.is_none());
}

pub async fn concurrent_claims_never_share_a_job<S: Store + VideoStore + JobStore + 'static>(
    store: Arc<S>,
) {
    let (c, session) = client_with_session(&*store, "C-0001").await;
    consent(&*store, c, true).await;
    for k in 0..6 {
        store
            .attach_video(&admin(), new_video(session, &format!("k{k}")))
            .await
            .unwrap();
    }
    let mut claims = Vec::new();
    for w in 0..8 {
        let s = Arc::clone(&store);
        claims.push(tokio::spawn(async move {
            s.claim_job(&format!("w{w}"), Duration::minutes(5))
                .await
                .unwrap()
        }));
    }
    let mut got = Vec::new();
    for c in claims {
        if let Some(j) = c.await.unwrap() {
            got.push(j.id);
        }
    }
    got.sort();
    let n = got.len();
    got.dedup();
    assert_eq!((n, got.len()), (6, 6), "six jobs, each claimed once");
}
