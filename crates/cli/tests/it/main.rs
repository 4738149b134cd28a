//! Integration tests of the real `attune` binary.
#![allow(clippy::unwrap_used)]

mod bench;
mod browser;
mod errors;
mod instruments;
mod record;
mod snapshots;
mod synchrony;
mod video;
mod worker;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty data directory for one test.
pub fn data_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "attune-cli-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `attune` with `args` against `dir`.
pub fn attune_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attune"))
        .args(args)
        .env("ATTUNE_DATA_DIR", dir)
        .output()
        .unwrap()
}

/// Runs `attune` against an empty data directory.
pub fn attune(args: &[&str]) -> Output {
    attune_in(&data_dir(), args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Runs a command that must succeed and returns its stdout.
pub fn ok(args: &[&str]) -> String {
    let o = attune(args);
    assert!(o.status.success(), "{args:?} failed: {}", stderr(&o));
    stdout(&o)
}

/// Runs a command that must fail with exit code 2 and one line on stderr.
pub fn fails(dir: &std::path::Path, args: &[&str]) -> String {
    let o = attune_in(dir, args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err.trim_end().to_owned()
}
