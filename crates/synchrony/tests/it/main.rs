//! One integration-test binary for the synchrony crate: the rMEA pipeline,
//! surrogates, and properties over random input.
#![allow(clippy::unwrap_used)]

mod pipeline;
mod properties;
mod surrogates;

use std::path::PathBuf;

use attune_synchrony::{Dyad, parse_mea};

/// An autoregressive random walk around 5 (motion-energy-like: autocorrelated,
/// positive), from a seed: `keep` is the share of the previous level kept.
pub fn walk(n: usize, seed: u64, keep: f64) -> Vec<f64> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut level: f64 = 0.0;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            level = keep * level + ((x >> 11) as f64 / (1u64 << 53) as f64 - 0.5);
            level + 5.0
        })
        .collect()
}

/// The 20 real dyads of `shared/data/rmea-extdata` (dropout, then normal, by
/// file name), or `None` where the data is absent (never under CI).
pub fn real_dyads() -> Option<Vec<(String, Dyad)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/rmea-extdata");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "shared/data/rmea-extdata must be beside the clone under CI"
        );
        eprintln!("skipping: no shared/data/rmea-extdata");
        return None;
    }
    let mut out = Vec::new();
    for group in ["dropout", "normal"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let name = format!("{group}/{}", f.file_stem().unwrap().to_string_lossy());
            out.push((name, parse_mea(&text, &[1], &[2], 25.0).unwrap()));
        }
    }
    Some(out)
}
