//! The worker on a real SQLite store and a real media folder, with a
//! rendered two-person video whose movement is known: the client (left)
//! leads the therapist (right) by one second.
#![allow(clippy::unwrap_used)]

use attune_test_support::scene;

use std::path::PathBuf;
use std::sync::Arc;

use attune_media::LocalMedia;
use attune_store::audit::Actor;
use attune_store::crypto::Cipher;
use attune_store::{ConsentKind, JobState, NewVideo, Store, VideoLayout, VideoStore};
use attune_store_sql::SqliteStore;
use attune_video::y4m;
use attune_worker::{AnalysisSettings, Outcome, Worker, WorkerSettings, analyse_video};
use uuid::Uuid;

const LAG_FRAMES: usize = 25; // one second at 25 fps
const SECONDS: usize = 60;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("attune-worker-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Short windows, so that a one-minute video holds several.
fn settings() -> AnalysisSettings {
    AnalysisSettings {
        window_sec: 10.0,
        step_sec: 5.0,
        max_lag_sec: 2.0,
        surrogates: 60,
        ..AnalysisSettings::default()
    }
}

fn video(coupled: bool) -> Vec<u8> {
    if coupled {
        scene::y4m(SECONDS, Some(LAG_FRAMES), 7)
    } else {
        scene::y4m(SECONDS, None, 7)
    }
}

fn peak_lag(a: &attune_store::VideoAnalysis) -> f64 {
    let (mut best, mut at) = (f64::MIN, f64::NAN);
    for (v, lag) in a.lag_profile.iter().zip(&a.lag_seconds) {
        if *v > best {
            (best, at) = (*v, *lag);
        }
    }
    at
}

#[test]
fn a_lagged_dyad_shows_the_client_leading_and_beats_its_surrogates() {
    let dir = temp("lagged");
    let path = dir.join("session.y4m");
    std::fs::write(&path, video(true)).unwrap();
    let client_left = VideoLayout::sides(true);
    let a = analyse_video(&path, &client_left, &settings(), 1).unwrap();
    assert_eq!(a.frames, (SECONDS * 25) as u64);
    assert_eq!((a.width, a.height, a.decoder.as_str()), (128, 64, "y4m"));
    assert!((a.duration_sec - 59.96).abs() < 1e-9, "{}", a.duration_sec);
    assert_eq!(a.lag_seconds.len(), 101);
    assert_eq!(peak_lag(&a), 1.0, "the client leads by one second");
    let s = a.surrogates.unwrap();
    assert_eq!(s.count, 60);
    assert!(s.z > 3.0 && s.percentile == 1.0, "{s:?}");
    let (c, t) = (a.client.unwrap(), a.therapist.unwrap());
    assert!(c.mean > 0.0 && t.mean > 0.0 && c.moving_share > 0.5);

    // The same picture read with the people the other way round: the lag flips.
    let flipped = analyse_video(&path, &VideoLayout::sides(false), &settings(), 1).unwrap();
    assert_eq!(peak_lag(&flipped), -1.0);
    // Reproducible: same seed, same surrogates.
    assert_eq!(
        a,
        analyse_video(&path, &client_left, &settings(), 1).unwrap()
    );
}

#[test]
fn independent_movement_is_not_above_its_surrogates() {
    let dir = temp("independent");
    let path = dir.join("session.y4m");
    std::fs::write(&path, video(false)).unwrap();
    let a = analyse_video(&path, &VideoLayout::sides(true), &settings(), 1).unwrap();
    let s = a.surrogates.unwrap();
    // Not significant at the two-sided 5 % level (slow independent rhythms
    // do line up by chance now and then, so a one-sided 95th percentile is
    // within reach: this seed reaches it).
    assert!(s.z < 1.96 && s.percentile < 0.975, "{s:?}");
}

#[test]
fn a_video_shorter_than_a_window_is_refused_with_its_length() {
    let dir = temp("short");
    let path = dir.join("short.y4m");
    let mut out = Vec::new();
    let env = scene::envelope(50, 1);
    y4m::write_mono(
        &mut out,
        scene::WIDTH,
        scene::HEIGHT,
        25,
        scene::render(&env, &env),
    )
    .unwrap();
    std::fs::write(&path, out).unwrap();
    let e = analyse_video(&path, &VideoLayout::sides(true), &settings(), 1).unwrap_err();
    assert!(e.to_string().contains("2.0 s of movement"), "{e}");
    assert!(!e.retryable());
}

struct Clinic {
    store: Arc<SqliteStore>,
    media: LocalMedia,
    session: Uuid,
}

async fn clinic(name: &str) -> Clinic {
    let dir = temp(name);
    let store = SqliteStore::open(
        &dir.join("attune.db"),
        Cipher::load_or_create(&dir.join("key")).unwrap(),
    )
    .await
    .unwrap();
    let (client, session) = attune_store_tests::client_with_session(&store, "C-0001").await;
    store
        .record_consent(
            &Actor::system("test"),
            client,
            ConsentKind::VideoRecording,
            true,
            None,
        )
        .await
        .unwrap();
    Clinic {
        store: Arc::new(store),
        media: LocalMedia::open(&dir.join("media")).unwrap(),
        session,
    }
}

impl Clinic {
    async fn attach(&self, bytes: &[u8]) -> Uuid {
        let mut up = self.media.begin(1 << 30).await.unwrap();
        up.write(bytes).await.unwrap();
        let stored = up.finish().await.unwrap();
        self.store
            .attach_video(
                &Actor::system("test"),
                NewVideo {
                    session: self.session,
                    media_key: stored.key,
                    file_name: "session.y4m".into(),
                    bytes: stored.bytes,
                    sha256: stored.sha256,
                    layout: VideoLayout::sides(true),
                    uploaded_by: None,
                },
            )
            .await
            .unwrap()
            .id
    }

    fn worker(&self, retention: Option<time::Duration>) -> Worker<SqliteStore> {
        let mut s = WorkerSettings::named("test-worker");
        s.analysis = settings();
        s.retention = retention;
        Worker::new(Arc::clone(&self.store), self.media.clone(), s)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_analyses_a_queued_video_and_stores_the_result_with_the_session() {
    let c = clinic("run").await;
    let video = c.attach(&video(true)).await;
    let w = c.worker(None);
    assert_eq!(
        w.run_next().await.unwrap(),
        Some(Outcome::Analysed { video })
    );
    assert_eq!(w.run_next().await.unwrap(), None);
    let v = c.store.video(&Actor::system("test"), video).await.unwrap();
    assert_eq!(v.state, JobState::Done);
    let a = v.analysis.unwrap();
    assert_eq!(peak_lag(&a), 1.0);
    assert_eq!(
        w.sweep_retention().await.unwrap(),
        0,
        "no retention set: kept"
    );
    assert!(c.media.path(&v.media_key).unwrap().exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_a_video_fails_at_once_with_a_reason() {
    let c = clinic("garbage").await;
    let video = c.attach(b"this is not a video at all").await;
    let w = c.worker(None);
    let Some(Outcome::Failed {
        video: v,
        state,
        error,
    }) = w.run_next().await.unwrap()
    else {
        panic!("expected a failure");
    };
    assert_eq!((v, state), (video, JobState::Failed));
    let stored = c.store.video(&Actor::system("test"), video).await.unwrap();
    assert_eq!(stored.state, JobState::Failed);
    assert_eq!(stored.error.as_deref(), Some(error.as_str()));
    assert!(stored.analysis.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_deletes_analysed_files_and_keeps_their_results() {
    let c = clinic("retention").await;
    let video = c.attach(&video(true)).await;
    let w = c.worker(Some(time::Duration::ZERO));
    w.run_next().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(w.sweep_retention().await.unwrap(), 1);
    let v = c.store.video(&Actor::system("test"), video).await.unwrap();
    assert!(v.file_deleted_at.is_some());
    assert!(v.analysis.is_some());
    assert!(!c.media.path(&v.media_key).unwrap().exists());
    assert_eq!(w.sweep_retention().await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_runs_until_shut_down() {
    let c = clinic("loop").await;
    let video = c.attach(&video(true)).await;
    let w = Arc::new(c.worker(None));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = {
        let w = Arc::clone(&w);
        tokio::spawn(async move {
            w.run(async {
                let _ = stopped.await;
            })
            .await;
        })
    };
    for _ in 0..600 {
        let v = c.store.video(&Actor::system("test"), video).await.unwrap();
        if v.state == JobState::Done {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        c.store
            .video(&Actor::system("test"), video)
            .await
            .unwrap()
            .state,
        JobState::Done
    );
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .unwrap()
        .unwrap();
}
