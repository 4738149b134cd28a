//! The `--json` output of `score` and `compare`, pinned per instrument. The
//! numbers themselves are hand-checked in the instruments crate's tests; these
//! snapshots pin the contract that scripts read.

use super::*;

fn json(args: &[&str]) -> String {
    let out = ok(args);
    // Valid JSON, then pinned as text.
    let _: serde_json::Value = serde_json::from_str(&out).unwrap();
    out
}

macro_rules! score_snapshot {
    ($name:ident, $id:literal, $responses:literal) => {
        #[test]
        fn $name() {
            let mut args = vec!["score", $id, "--json"];
            args.extend($responses.split_whitespace());
            insta::assert_snapshot!(json(&args));
        }
    };
}

score_snapshot!(phq9_moderate_with_item_nine, "phq9", "1 2 3 1 2 0 1 2 1");
score_snapshot!(phq9_prorated, "phq9", "1 1 1 1 1 1 1 - 0");
score_snapshot!(phq9_item_nine_missing, "phq9", "1 1 1 1 1 1 1 1 -");
score_snapshot!(gad7_severe, "gad7", "3 3 2 3 2 2 3");
score_snapshot!(
    pcl5_provisional,
    "pcl5",
    "2 0 0 0 0 2 0 2 2 0 0 0 0 0 2 2 0 0 0 0"
);
score_snapshot!(cssrs_high, "cssrs-screener", "yes yes no yes no no -");
score_snapshot!(cssrs_none, "cssrs-screener", "no no - - - no -");
score_snapshot!(qids_domains, "qids-sr16", "1 2 0 0 2 1 0 2 0 1 2 0 1 2 0 3");
score_snapshot!(madrs_item_ten, "madrs", "3 3 2 2 1 2 3 2 3 4");
score_snapshot!(wai_subscales, "wai-sr", "5 5 1 1 1 1 1 1 1 5 1 5");
score_snapshot!(
    meq30_complete,
    "meq30",
    "3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3 3"
);
score_snapshot!(ebi_mean_and_sum, "ebi", "10 20 30 40 50 60");
score_snapshot!(alliance_client, "alliance-check-client", "8 7 9 6 10");
score_snapshot!(alliance_therapist, "alliance-check-therapist", "7 7 8 6 - ");
score_snapshot!(pre_session_reversed, "pre-session-check", "3 8 9 7 6");

#[test]
fn compare_phq9_recovered() {
    insta::assert_snapshot!(json(&[
        "compare", "phq9", "--json", "--before", "2", "3", "2", "2", "1", "2", "2", "1", "0",
        "--after", "1", "1", "1", "1", "0", "1", "0", "0", "0"
    ]));
}

#[test]
fn compare_wai_without_change_inputs() {
    let mut args = vec!["compare", "wai-sr", "--json", "--before"];
    args.extend(["2"; 12]);
    args.push("--after");
    args.extend(["4"; 12]);
    insta::assert_snapshot!(json(&args));
}
