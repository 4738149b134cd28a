//! One integration-test binary for the instruments crate (keeps link time down).
//! Each module pins one instrument or one mechanism with hand-worked cases.
#![allow(clippy::unwrap_used)]

mod change;
mod cssrs;
mod definitions;
mod ebi;
mod gad7;
mod library;
mod madrs;
mod meq30;
mod own_measures;
mod pcl5;
mod phq9;
mod properties;
mod qids;
mod wai;
mod wording;

use std::sync::OnceLock;

use attune_instruments::{Library, Responses, Score, score};

pub fn lib() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| Library::builtin().expect("built-in library loads"))
}

/// Scores space-separated responses (`-` for missing).
pub fn s(id: &str, responses: &str) -> Score {
    let inst = lib().get(id).expect("instrument exists");
    let tokens: Vec<&str> = responses.split_whitespace().collect();
    let parsed = Responses::parse(inst, &tokens)
        .unwrap_or_else(|e| panic!("responses '{responses}' rejected: {e}"));
    score(inst, &parsed)
}

/// The total of space-separated responses.
pub fn total(id: &str, responses: &str) -> Option<f64> {
    s(id, responses).total
}

/// `n` copies of one response, space-separated.
pub fn rep(value: &str, n: usize) -> String {
    vec![value; n].join(" ")
}

/// Builds responses from (position, value) overrides on a base value.
pub fn with(base: &str, n: usize, overrides: &[(usize, &str)]) -> String {
    let mut v = vec![base.to_owned(); n];
    for (pos, value) in overrides {
        v[pos - 1] = (*value).to_owned();
    }
    v.join(" ")
}

/// The band of a score.
pub fn band(id: &str, responses: &str) -> Option<String> {
    s(id, responses).band
}

/// Responses to a sum instrument that add up to `target`, filling items in
/// order with at most `max` each.
pub fn summing_to(target: u32, n: usize, max: u32) -> String {
    let mut left = target;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let v = left.min(max);
        out.push(v.to_string());
        left -= v;
    }
    assert_eq!(
        left, 0,
        "{target} cannot be reached with {n} items of at most {max}"
    );
    out.join(" ")
}
