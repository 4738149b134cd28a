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
