//! `attune worker` on the real binary: it picks up a queued session video,
//! analyses it with the default settings, deletes the file under a zero-day
//! retention, and stops cleanly on SIGTERM.

use attune_test_support::scene;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use attune_media::LocalMedia;
use attune_store::audit::Actor;
use attune_store::crypto::Cipher;
use attune_store::{ConsentKind, JobState, NewVideo, Store, VideoLayout, VideoStore};
use attune_store_sql::SqliteStore;
use attune_store_tests as fixture;

use super::*;

/// Seventy seconds: one default window (60 s) plus its lags (5 s), and a little more.
fn video() -> Vec<u8> {
    scene::y4m(70, Some(25), 3)
}

#[test]
fn the_worker_analyses_queued_videos_applies_retention_and_stops_on_sigterm() {
    let dir = data_dir().join("clinic");
    let init = attune_in(&dir, &["init"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let a = Actor::system("test");
    let (store, video) = rt.block_on(async {
        let store = SqliteStore::open(
            &dir.join("attune.db"),
            Cipher::load_or_create(&dir.join("key")).unwrap(),
        )
        .await
        .unwrap();
        let (client, session) = fixture::client_with_session(&store, "C-0001").await;
        store
            .record_consent(&a, client, ConsentKind::VideoRecording, true, None)
            .await
            .unwrap();
        let media = LocalMedia::open(&dir.join("media")).unwrap();
        let mut up = media.begin(1 << 30).await.unwrap();
        up.write(&video()).await.unwrap();
        let stored = up.finish().await.unwrap();
        let v = store
            .attach_video(
                &a,
                NewVideo {
                    session,
                    media_key: stored.key,
                    file_name: "integration.y4m".into(),
                    bytes: stored.bytes,
                    sha256: stored.sha256,
                    layout: VideoLayout::sides(true),
                    uploaded_by: None,
                },
            )
            .await
            .unwrap();
        (store, v)
    });

    let worker = Command::new(env!("CARGO_BIN_EXE_attune"))
        .args(["worker", "--video-retention-days", "0"])
        .env("ATTUNE_DATA_DIR", &dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let done = loop {
        let v = rt.block_on(store.video(&a, video.id)).unwrap();
        if v.file_deleted_at.is_some() || started.elapsed() > Duration::from_secs(120) {
            break v;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let kill = Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = worker.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Attune worker stopped."));

    assert_eq!(done.state, JobState::Done, "{:?}", done.error);
    let analysis = done.analysis.unwrap();
    assert_eq!((analysis.window_sec, analysis.max_lag_sec), (60.0, 5.0));
    assert_eq!(
        analysis.surrogates.map(|s| s.count),
        None,
        "70 s is less than two windows"
    );
    assert!(done.file_deleted_at.is_some(), "zero-day retention");
    assert!(!dir.join("media").join(&done.media_key).exists());
}
