//! `attune synchrony` on generated series and, where present, the real dyads.

use super::*;

/// A dyad file in MEA text format: s2 follows s1 by one second.
fn lagged_file(dir: &std::path::Path, name: &str, seed: u64) -> std::path::PathBuf {
    let mut r = seed | 1;
    let mut level: f64 = 0.0;
    let s1: Vec<f64> = (0..4_000)
        .map(|_| {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            level = 0.95 * level + ((r >> 11) as f64 / (1u64 << 53) as f64 - 0.5);
            (100.0 * (level + 5.0)).round()
        })
        .collect();
    let mut text = String::from("\"pat\" \"th\"\n");
    for t in 0..4_000 {
        let s2 = if t >= 25 { s1[t - 25] } else { 500.0 };
        text.push_str(&format!("{} {}\n", s1[t], s2));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn one_dyad_with_surrogates() {
    let dir = data_dir();
    let f = lagged_file(&dir, "lagged.txt", 7);
    let out = ok(&[
        "synchrony",
        f.to_str().unwrap(),
        "--window",
        "30",
        "--step",
        "10",
        "--json",
        "--surrogates",
        "10",
        "--seed",
        "4",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["samples"], 4000);
    assert_eq!(
        v["best_lag_mean_sec"], 1.0,
        "s2 follows s1 by a second: the client leads"
    );
    assert!(v["surrogates"]["z"].as_f64().unwrap() > 3.0, "{v}");
    let again = ok(&[
        "synchrony",
        f.to_str().unwrap(),
        "--window",
        "30",
        "--step",
        "10",
        "--json",
        "--surrogates",
        "10",
        "--seed",
        "4",
    ]);
    assert_eq!(out, again, "seeded: the same output");
    let text = ok(&[
        "synchrony",
        f.to_str().unwrap(),
        "--window",
        "30",
        "--step",
        "10",
    ]);
    assert!(text.contains("mean best lag: 1.0000 s"), "{text}");
}

#[test]
fn batch_writes_one_line_per_dyad() {
    let dir = data_dir();
    for i in 0..3 {
        lagged_file(&dir, &format!("d{i}.txt"), 11 + i);
    }
    let out = ok(&[
        "synchrony",
        "batch",
        dir.to_str().unwrap(),
        "--window",
        "30",
        "--step",
        "10",
        "--surrogates",
        "6",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("dyad,samples,windows,synchrony"));
    assert!(lines[1].starts_with("d0,4000,"));
}

#[test]
fn bad_synchrony_input_is_one_clear_line() {
    let dir = data_dir();
    let f = dir.join("short.txt");
    std::fs::write(&f, "1 2\n3 4\n").unwrap();
    let err = fails(&dir, &["synchrony", f.to_str().unwrap()]);
    assert!(err.contains("too short"), "{err}");
    std::fs::write(&f, "1 2\n3 oops\n").unwrap();
    let err = fails(&dir, &["synchrony", f.to_str().unwrap()]);
    assert!(err.contains("line 2"), "{err}");
    assert!(fails(&dir, &["synchrony"]).contains("name a motion-energy FILE"));
    let err = fails(
        &dir,
        &["synchrony", "batch", dir.join("empty").to_str().unwrap()],
    );
    assert!(err.contains("listing"), "{err}");
}
