//! Bad input exits 2 with one clear line; never a panic.

use super::*;

#[test]
fn bad_scoring_input_says_what_and_where() {
    let d = data_dir();
    assert_eq!(
        fails(&d, &["score", "phq10", "1"]),
        "error: unknown instrument 'phq10'; known: alliance-check-client, alliance-check-therapist, cssrs-screener, ebi, gad7, madrs, meq30, pcl5, phq9, pre-session-check, qids-sr16, wai-sr"
    );
    assert_eq!(
        fails(&d, &["score", "gad7", "1", "2"]),
        "error: gad7: expected 7 responses (one per item, '-' for a missing one), got 2"
    );
    assert_eq!(
        fails(&d, &["score", "gad7", "1", "2", "3", "4", "0", "0", "0"]),
        "error: gad7 item 4 (response 4): 4 is off the scale; allowed: 0, 1, 2, 3"
    );
    assert_eq!(
        fails(&d, &["score", "ebi", "-5", "0", "0", "0", "0", "0"]),
        "error: ebi item 1 (response 1): -5 is off the scale; allowed: 0 to 100 in steps of 1"
    );
    assert_eq!(
        fails(
            &d,
            &[
                "compare", "gad7", "--before", "1", "--after", "1", "1", "1", "1", "1", "1", "1"
            ]
        ),
        "error: --before: gad7: expected 7 responses (one per item, '-' for a missing one), got 1"
    );
    assert_eq!(
        fails(
            &d,
            &[
                "compare", "gad7", "--before", "1", "1", "1", "1", "1", "-", "-", "--after", "1",
                "1", "1", "1", "1", "1", "1"
            ]
        ),
        "error: gad7: the before administration has no total (2 item(s) missing; at most 1 may be prorated)"
    );
}

#[test]
fn malformed_files_are_named_with_their_line() {
    let d = data_dir();
    let file = d.join("broken.toml");
    std::fs::write(&file, "id = \"x\"\ninstrument = \n").unwrap();
    let err = fails(&d, &["instruments", "add-wording", file.to_str().unwrap()]);
    assert!(
        err.starts_with(&format!("error: {}: line 2, column", file.display())),
        "{err}"
    );
    let err = fails(
        &d,
        &[
            "instruments",
            "add",
            d.join("absent.toml").to_str().unwrap(),
        ],
    );
    assert!(
        err.starts_with("error: reading ") && err.contains("absent.toml"),
        "{err}"
    );
}

#[test]
fn a_tampered_installed_file_is_reported_not_ignored() {
    let d = data_dir();
    std::fs::create_dir_all(d.join("wording")).unwrap();
    std::fs::write(d.join("wording/bad.toml"), "nonsense").unwrap();
    let err = fails(&d, &["score", "gad7", "0", "0", "0", "0", "0", "0", "0"]);
    assert!(err.contains("wording/bad.toml"), "{err}");
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["instruments", "--help"],
        vec!["instruments", "list", "--help"],
        vec!["instruments", "show", "--help"],
        vec!["instruments", "add-wording", "--help"],
        vec!["instruments", "add", "--help"],
        vec!["score", "--help"],
        vec!["compare", "--help"],
        vec!["demo", "--help"],
        vec!["init", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "list", "--help"],
        vec!["user", "disable", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["audit", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["synchrony", "--help"],
        vec!["synchrony", "batch", "--help"],
    ] {
        let out = ok(&args);
        assert!(out.contains("Usage: attune"), "{args:?}");
    }
}
