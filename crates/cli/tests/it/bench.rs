//! The load benchmark runs end to end (small load; the figures that count
//! come from a release build, see the README).

#[test]
fn bench_web_runs_and_reports_both_sides() {
    let dir = crate::data_dir();
    let out = crate::attune_in(
        &dir,
        &[
            "bench",
            "web",
            "--concurrency",
            "4",
            "--submissions",
            "12",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for side in ["portal", "baseline"] {
        assert_eq!(v[side]["requests"], 12, "{side}");
        assert!(v[side]["per_second"].as_f64().unwrap() > 0.0);
        assert!(v[side]["p99_ms"].as_f64().unwrap() >= v[side]["p50_ms"].as_f64().unwrap());
    }
    assert!(v["throughput_ratio"].as_f64().unwrap() > 0.0);
}

#[test]
fn bench_video_reports_decoding_measuring_and_synchrony() {
    let dyads =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/rmea-extdata");
    let ci = std::env::var("CI").as_deref() == Ok("true");
    if !dyads.is_dir() || !attune_video::ffmpeg::available() {
        assert!(!ci, "under CI the example dyads and ffmpeg must be present");
        return;
    }
    let dir = crate::data_dir();
    let out = crate::attune_in(
        &dir,
        &[
            "bench",
            "video",
            "--seconds",
            "2",
            "--surrogates",
            "4",
            "--dyads",
            dyads.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for says in [
        "decode only",
        "decode + motion energy",
        "of decode-only",
        "20 dyads + 4 between-dyad surrogates",
        "ms per dyad analysis",
    ] {
        assert!(text.contains(says), "{says}: {text}");
    }
}
