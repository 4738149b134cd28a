//! Session video through the router: consent first, the upload streamed to
//! the media store, the analysis by a real worker, the results on the
//! session and client pages, and the file deleted on request. Uploads check
//! role, caseload and CSRF like every other write.

use attune_test_support::scene;

use std::sync::Arc;

use attune_store::{JobState, VideoStore};
use attune_worker::{AnalysisSettings, Outcome, Worker, WorkerSettings};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::harness::{Clinic, Person, clinic, clinic_with, location, text};

const BOUNDARY: &str = "attune-test-boundary-7d1f";

/// A one-minute two-person video: the client (left) leads by one second.
fn scene_video() -> Vec<u8> {
    scene::y4m(60, Some(25), 7)
}

/// A real worker on the clinic's store, with windows short enough for a
/// one-minute video.
fn worker(c: &Clinic, surrogates: usize) -> Worker<attune_store_sql::SqliteStore> {
    let mut s = WorkerSettings::named("web-test");
    s.analysis = AnalysisSettings {
        window_sec: 10.0,
        step_sec: 5.0,
        max_lag_sec: 2.0,
        surrogates,
        ..AnalysisSettings::default()
    };
    Worker::new(Arc::new(c.store().clone()), c.store.media.clone(), s)
}

fn multipart(side: Option<&str>, file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(side) = side {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"client_side\"\r\n\r\n{side}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(
    c: &Clinic,
    who: &Person,
    session: uuid::Uuid,
    csrf: bool,
    body: Vec<u8>,
) -> axum::http::Response<Body> {
    let query = if csrf {
        format!("?csrf={}", who.csrf)
    } else {
        String::new()
    };
    c.send(
        Request::post(format!("/sessions/{session}/videos{query}"))
            .header(header::COOKIE, &who.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// Files in the media folder (uploads in progress included).
fn media_files(c: &Clinic) -> usize {
    let root = c.store.media.root();
    let count = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_file())
            .count()
    };
    count(root) + count(&root.join("incoming"))
}

async fn consent(c: &Clinic, granted: &str) {
    let r = c
        .post(
            Some(&c.ana),
            &format!("/clients/{}/consents", c.ana_client),
            &format!("kind=video_recording&granted={granted}"),
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consented_video_is_analysed_and_shown_on_the_session_and_client_pages() {
    let c = clinic().await;
    let session = c.ana_session;
    let video = scene_video();

    // No consent yet: refused, nothing kept, and the page says why.
    let page = text(c.get(Some(&c.ana), &format!("/sessions/{session}")).await).await;
    assert!(page.contains("has not consented to video recording"));
    let r = upload(
        &c,
        &c.ana,
        session,
        true,
        multipart(Some("left"), Some(("s.y4m", &video))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(text(r).await.contains("not consented"));
    assert_eq!(media_files(&c), 0);

    consent(&c, "yes").await;
    let client_page = text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(client_page.contains("Video recording of sessions"));
    assert!(client_page.contains("Record withdrawal"));
    let r = upload(
        &c,
        &c.ana,
        session,
        true,
        multipart(Some("left"), Some(("2026-09-02 <b>prep</b>.y4m", &video))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r).unwrap(), format!("/sessions/{session}#video"));
    let videos = c
        .store()
        .client_videos(&attune_store::audit::Actor::system("test"), c.ana_client)
        .await
        .unwrap();
    assert_eq!(videos.len(), 1);
    assert_eq!(videos[0].bytes, video.len() as u64);
    assert_eq!(videos[0].state, JobState::Queued);
    let page = text(c.get(Some(&c.ana), &format!("/sessions/{session}")).await).await;
    assert!(page.contains("waiting for analysis"));
    assert!(
        page.contains("2026-09-02 &#60;b&#62;prep&#60;/b&#62;.y4m")
            || page.contains("2026-09-02 &lt;b&gt;prep&lt;/b&gt;.y4m")
    );
    assert!(!page.contains("<b>prep</b>"));

    // A real worker analyses it.
    let worker = worker(&c, 40);
    assert!(matches!(
        worker.run_next().await.unwrap(),
        Some(Outcome::Analysed { .. })
    ));

    let page = text(c.get(Some(&c.ana), &format!("/sessions/{session}")).await).await;
    assert!(page.contains("analysed"), "{page}");
    assert!(page.contains("the client tends to lead, by about 1.0 s"));
    assert!(page.contains("above chance"));
    assert!(page.contains("<svg"));
    let client_page = text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(client_page.contains("Movement and synchrony from session video"));
    assert!(client_page.contains("Lag profile"));
    assert!(client_page.contains("Before and after appear once"));
    // The API gives the same numbers to the care team, and nothing to others.
    let api = format!("/api/clients/{}/videos", c.ana_client);
    let json: serde_json::Value =
        serde_json::from_str(&text(c.get(Some(&c.ana), &api).await).await).unwrap();
    let a = &json[0]["analysis"];
    assert_eq!(json[0]["state"], "done");
    assert!(a["synchrony"].as_f64().unwrap() > 0.0);
    assert_eq!(a["lag_seconds"].as_array().unwrap().len(), 101);
    assert!(a["chance"]["z"].as_f64().unwrap() > 1.96);
    assert_eq!(
        c.get(Some(&c.ben), &api).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(Some(&c.rita), &api).await.status(),
        StatusCode::FORBIDDEN
    );
    // The supervisor reads the results, without the delete button.
    let sup = text(c.get(Some(&c.sam), &format!("/sessions/{session}")).await).await;
    assert!(sup.contains("the client tends to lead"));
    assert!(!sup.contains("Delete the video file"));

    // Deleting the file keeps the analysis.
    let id = videos[0].id;
    let r = c
        .post(Some(&c.ben), &format!("/videos/{id}/delete-file"), "", true)
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not Ben's client");
    let r = c
        .post(Some(&c.ana), &format!("/videos/{id}/delete-file"), "", true)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(media_files(&c), 0);
    let page = text(c.get(Some(&c.ana), &format!("/sessions/{session}")).await).await;
    assert!(page.contains("file deleted"));
    assert!(page.contains("the client tends to lead"));

    // A withdrawal stops further uploads.
    consent(&c, "no").await;
    let r = upload(
        &c,
        &c.ana,
        session,
        true,
        multipart(Some("left"), Some(("s.y4m", &video))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(media_files(&c), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_check_csrf_role_and_caseload() {
    let c = clinic().await;
    consent(&c, "yes").await;
    let body = || {
        multipart(
            Some("left"),
            Some(("s.y4m", b"YUV4MPEG2 W2 H2 F25:1 Cmono\n")),
        )
    };
    let r = upload(&c, &c.ana, c.ana_session, false, body()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let r = upload(&c, &c.ben, c.ana_session, true, body()).await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another therapist's client"
    );
    let r = upload(&c, &c.sam, c.ana_session, true, body()).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "a supervisor reads only");
    for who in [&c.admin, &c.rita] {
        // As on every session route: no clinical role, no such session.
        let r = upload(&c, who, c.ana_session, true, body()).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    let r = upload(&c, &c.ana, uuid::Uuid::now_v7(), true, body()).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(media_files(&c), 0);
    let r = c
        .post(
            Some(&c.ana),
            &format!("/clients/{}/consents", c.ben_client),
            "kind=video_recording&granted=yes",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_uploads_are_refused_with_a_reason_and_leave_no_file() {
    let c = clinic_with(
        attune_store_tests::FAKE_HASH,
        attune_web::Settings {
            max_video: 1000,
            ..attune_web::Settings::default()
        },
    )
    .await;
    consent(&c, "yes").await;
    let big = vec![7u8; 5000];
    let r = upload(
        &c,
        &c.ana,
        c.ana_session,
        true,
        multipart(Some("left"), Some(("big.mp4", &big))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let r = upload(
        &c,
        &c.ana,
        c.ana_session,
        true,
        multipart(None, Some(("a.mp4", b"1234"))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("client_side"));
    let r = upload(
        &c,
        &c.ana,
        c.ana_session,
        true,
        multipart(Some("left"), None),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("choose a video file"));
    // Two files in one form, or a side that is not left or right: refused,
    // and the file already stored is removed again.
    let mut two = multipart(Some("left"), Some(("a.mp4", b"1234")));
    two.truncate(two.len() - format!("--{BOUNDARY}--\r\n").len());
    two.extend_from_slice(&multipart(None, Some(("b.mp4", b"5678"))));
    let r = upload(&c, &c.ana, c.ana_session, true, two).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("one file per upload"));
    let long = "l".repeat(100);
    let r = upload(
        &c,
        &c.ana,
        c.ana_session,
        true,
        multipart(Some(&long), Some(("a.mp4", b"1234"))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(media_files(&c), 0);
    let r = upload(&c, &c.ana, c.ana_session, true, b"--nonsense".to_vec()).await;
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = c
        .post(
            Some(&c.ana),
            &format!("/clients/{}/consents", c.ana_client),
            "kind=telepathy&granted=yes",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(media_files(&c), 0);
    let videos = c
        .store()
        .client_videos(&attune_store::audit::Actor::system("test"), c.ana_client)
        .await
        .unwrap();
    assert!(videos.is_empty());
}

/// Regions typed in percent (head and body apart) instead of a side; a
/// region outside the picture is refused and leaves no file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regions_typed_in_are_measured_person_by_person() {
    let c = clinic().await;
    consent(&c, "yes").await;
    let with_regions = |regions: &str, file: &[u8]| {
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"regions\"\r\n\r\n{regions}\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&multipart(None, Some(("s.y4m", file))));
        body
    };
    let video = scene_video();
    let r = upload(
        &c,
        &c.ana,
        c.ana_session,
        true,
        with_regions("client=0,0,50,100; therapist=50,0,60,100", &video),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(r).await.contains("regions:"));
    assert_eq!(media_files(&c), 0);

    let regions = "client.head=0,0,50,40; client.body=0,40,50,60; therapist=50,0,50,100";
    let r = upload(
        &c,
        &c.ana,
        c.ana_session,
        true,
        with_regions(regions, &video),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let worker = worker(&c, 20);
    assert!(matches!(
        worker.run_next().await.unwrap(),
        Some(Outcome::Analysed { .. })
    ));
    let page = text(
        c.get(Some(&c.ana), &format!("/sessions/{}", c.ana_session))
            .await,
    )
    .await;
    assert!(page.contains(regions), "{page}");
    assert!(page.contains("the client tends to lead"));
}
