//! The browser journeys (tests/browser, Playwright driving Debian's
//! Chromium) on this build's `attune` binary, so that the README's one test
//! command runs them too. Outside CI a machine without Node, Chromium or the
//! suite's npm packages skips them and says so; under CI=true that fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser")
}

fn missing() -> Vec<&'static str> {
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node");
    }
    let chromium = std::env::var("ATTUNE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        missing.push("chromium");
    }
    if !suite().join("node_modules/playwright-core").exists() {
        missing.push("playwright-core (npm ci in tests/browser)");
    }
    missing
}

#[test]
fn main_journeys_in_a_real_browser() {
    let missing = missing();
    if !missing.is_empty() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "browser tests cannot run under CI: missing {missing:?}"
        );
        eprintln!("skipping the browser journeys: missing {missing:?}");
        return;
    }
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec", "journeys.test.mjs"])
        .current_dir(suite())
        .env("ATTUNE_BIN", env!("CARGO_BIN_EXE_attune"))
        .env("ATTUNE_SCREENSHOTS", &artefacts)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser journeys failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "browser journeys passed; screenshots in {}",
        artefacts.display()
    );
}
