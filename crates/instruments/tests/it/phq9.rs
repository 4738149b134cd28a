//! PHQ-9 (Kroenke 2001): sum of items 1-9 (0-27), bands 0-4/5-9/10-14/15-19/20-27,
//! caseness at 10, item 9 a safety item, item 10 unscored.

use super::*;
use attune_instruments::{FindingLevel, definition::SafetyLevel};

/// Eight items summing to `t` (item 9 answered 0).
fn phq(t: u32) -> String {
    format!("{} 0", summing_to(t, 8, 3))
}

#[test]
fn minimum_and_maximum() {
    let low = s("phq9", &rep("0", 9));
    assert_eq!(
        (low.total, low.band.as_deref()),
        (Some(0.0), Some("minimal"))
    );
    assert!(low.complete && !low.prorated && low.safety.is_empty());
    let high = s("phq9", &rep("3", 9));
    assert_eq!(
        (high.total, high.band.as_deref()),
        (Some(27.0), Some("severe"))
    );
}

#[test]
fn every_band_boundary_on_both_sides() {
    for (t, expected) in [
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (24, "severe"),
    ] {
        assert_eq!(total("phq9", &phq(t)), Some(t as f64));
        assert_eq!(
            band("phq9", &phq(t)).as_deref(),
            Some(expected),
            "total {t}"
        );
    }
}

#[test]
fn caseness_cut_off_at_ten() {
    assert_eq!(s("phq9", &phq(9)).cutoffs["caseness"], Some(false));
    assert_eq!(s("phq9", &phq(10)).cutoffs["caseness"], Some(true));
}

#[test]
fn item_nine_raises_an_urgent_finding_whatever_the_total() {
    let sc = s("phq9", "0 0 0 0 0 0 0 0 1");
    assert_eq!(sc.total, Some(1.0));
    assert_eq!(sc.band.as_deref(), Some("minimal"));
    assert_eq!(sc.safety.len(), 1);
    assert_eq!(sc.safety[0].item, "9");
    assert_eq!(
        sc.safety[0].level,
        FindingLevel::Safety(SafetyLevel::Urgent)
    );
    assert_eq!(sc.safety[0].value, Some(1.0));
    assert_eq!(s("phq9", "0 0 0 0 0 0 0 0 3").safety[0].value, Some(3.0));
    assert!(s("phq9", &format!("{} 0", rep("2", 8))).safety.is_empty());
}

#[test]
fn a_missing_item_nine_is_its_own_finding_and_never_prorated() {
    let sc = s("phq9", "1 1 1 1 1 1 1 1 -");
    assert_eq!(sc.total, None);
    assert!(!sc.complete && !sc.prorated);
    assert_eq!(sc.missing, ["9"]);
    assert_eq!(sc.safety.len(), 1);
    assert_eq!(sc.safety[0].level, FindingLevel::NotAnswered);
    assert_eq!(sc.safety[0].value, None);
    assert!(sc.total_note.unwrap().contains("safety item 9"));
}

#[test]
fn one_missing_item_is_prorated_and_rounded() {
    // 7 over 8 answered items: 7 × 9 / 8 = 7.875 → 8.
    let sc = s("phq9", "1 1 1 1 1 1 1 - 0");
    assert_eq!(
        (sc.total, sc.prorated, sc.complete),
        (Some(8.0), true, false)
    );
    assert_eq!(sc.band.as_deref(), Some("mild"));
    assert_eq!(sc.missing, ["8"]);
    // 12 over 8: 13.5 rounds half away from zero to 14.
    assert_eq!(total("phq9", "- 2 2 2 2 1 1 1 1"), Some(14.0));
}

#[test]
fn two_missing_items_leave_no_total() {
    let sc = s("phq9", "1 1 1 1 1 1 - - 0");
    assert_eq!(sc.total, None);
    assert_eq!(sc.band, None);
    assert_eq!(sc.cutoffs["caseness"], None);
    assert!(sc.total_note.unwrap().contains("at most 1"));
}

#[test]
fn item_ten_is_recorded_but_never_scored() {
    let nine = s("phq9", "1 1 1 1 1 1 1 1 0");
    let ten = s("phq9", "1 1 1 1 1 1 1 1 0 3");
    assert_eq!(nine.total, ten.total);
    assert_eq!(ten.items[9].scored, Some(3.0));
    assert!(nine.complete, "item 10 is optional");
}

#[test]
fn bad_responses_are_rejected_with_item_and_position() {
    let inst = lib().get("phq9").unwrap();
    let err = |r: &str| {
        let tokens: Vec<&str> = r.split_whitespace().collect();
        Responses::parse(inst, &tokens).unwrap_err().to_string()
    };
    assert_eq!(
        err("0 0 0"),
        "phq9: expected 9 or 10 responses (one per item, '-' for a missing one), got 3"
    );
    assert_eq!(
        err("0 0 4 0 0 0 0 0 0"),
        "phq9 item 3 (response 3): 4 is off the scale; allowed: 0, 1, 2, 3"
    );
    assert_eq!(
        err("0 0 0 x 0 0 0 0 0"),
        "phq9 item 4 (response 4): 'x' is not a number"
    );
    assert!(err("0 0 0 0 0 0 0 0 NaN").contains("not a number"));
    assert!(err("0 0 0 0 0 0 0 0 1.5").contains("off the scale"));
    // An empty answer is refused rather than read as missing.
    let tokens = ["0", "0", "", "0", "0", "0", "0", "0", "0"];
    assert_eq!(
        Responses::parse(inst, &tokens).unwrap_err().to_string(),
        "phq9 item 3 (response 3): the answer is empty; write '-' for an unanswered item"
    );
}
