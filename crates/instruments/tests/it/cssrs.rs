//! C-SSRS screener (Posner 2011; Columbia triage): Q1-Q2 always, Q3-Q5 only
//! after Q2 = yes, 6b only after Q6 = yes; risk high on Q4, Q5 or 6b, moderate
//! on Q3 or Q6, low on Q1 or Q2 alone. Items in order: 1 2 3 4 5 6 6b.

use super::*;
use attune_instruments::{CategoryValue, FindingLevel, definition::SafetyLevel};

fn risk(r: &str) -> Option<String> {
    match s("cssrs-screener", r).categories["risk"].clone() {
        Some(CategoryValue::Level(l)) => Some(l),
        None => None,
        other => panic!("unexpected {other:?}"),
    }
}

fn levels(r: &str) -> Vec<(String, FindingLevel)> {
    s("cssrs-screener", r)
        .safety
        .into_iter()
        .map(|f| (f.item, f.level))
        .collect()
}

const REVIEW: FindingLevel = FindingLevel::Safety(SafetyLevel::Review);
const URGENT: FindingLevel = FindingLevel::Safety(SafetyLevel::Urgent);
const IMMEDIATE: FindingLevel = FindingLevel::Safety(SafetyLevel::Immediate);

#[test]
fn all_no_with_skips_is_no_risk_and_complete() {
    let sc = s("cssrs-screener", "0 0 - - - 0 -");
    assert_eq!(risk("0 0 - - - 0 -").as_deref(), Some("none"));
    assert!(sc.complete && sc.safety.is_empty() && sc.missing.is_empty());
    assert_eq!(sc.total, None, "the screener is not summed");
}

#[test]
fn triage_levels() {
    for (r, expected) in [
        ("1 0 - - - 0 -", "low"),
        ("0 1 0 0 0 0 -", "low"),
        ("1 1 1 0 0 0 -", "moderate"),
        ("0 0 - - - 1 0", "moderate"),
        ("1 1 0 1 0 0 -", "high"),
        ("1 1 0 0 1 0 -", "high"),
        ("0 0 - - - 1 1", "high"),
        ("1 1 1 1 1 1 1", "high"),
    ] {
        assert_eq!(risk(r).as_deref(), Some(expected), "responses {r}");
    }
}

#[test]
fn every_yes_raises_its_finding_at_once() {
    assert_eq!(levels("1 0 - - - 0 -"), [("1".into(), REVIEW)]);
    assert_eq!(
        levels("1 1 1 1 1 1 1"),
        [
            ("1".into(), REVIEW),
            ("2".into(), REVIEW),
            ("3".into(), URGENT),
            ("4".into(), IMMEDIATE),
            ("5".into(), IMMEDIATE),
            ("6".into(), URGENT),
            ("6b".into(), IMMEDIATE),
        ]
    );
}

#[test]
fn yes_and_no_words_are_accepted() {
    assert_eq!(risk("no yes no yes no no -").as_deref(), Some("high"));
}

#[test]
fn answering_a_skipped_question_is_an_error() {
    let inst = lib().get("cssrs-screener").unwrap();
    let err = Responses::parse(inst, &["0", "0", "1", "-", "-", "0", "-"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cssrs-screener item 3 (response 3): answered, but it is only asked when item 2 is at least 1; leave it as '-'"
    );
    assert!(Responses::parse(inst, &["0", "0", "-", "-", "-", "0", "1"]).is_err());
}

#[test]
fn missing_questions_are_findings_and_leave_the_level_open_when_they_could_raise_it() {
    // Q2 yes but Q3-Q5 not asked: each is a not-answered finding; risk is open.
    let sc = s("cssrs-screener", "0 1 - - - 0 -");
    assert_eq!(risk("0 1 - - - 0 -"), None);
    let unanswered: Vec<&str> = sc
        .safety
        .iter()
        .filter(|f| f.level == FindingLevel::NotAnswered)
        .map(|f| f.item.as_str())
        .collect();
    assert_eq!(unanswered, ["3", "4", "5"]);
    assert!(!sc.complete);
    // After the yes on Q2, each blank is treated as its worst answer until
    // asked: Q3 moderate (urgent), Q4 and Q5 high (immediate).
    let possibly: Vec<Option<SafetyLevel>> = sc
        .safety
        .iter()
        .filter(|f| f.level == FindingLevel::NotAnswered)
        .map(|f| f.possibly)
        .collect();
    assert_eq!(
        possibly,
        [
            Some(SafetyLevel::Urgent),
            Some(SafetyLevel::Immediate),
            Some(SafetyLevel::Immediate)
        ]
    );
    // Q6 yes with 6b blank: 6b may be within 3 months, so possibly high.
    let sc = s("cssrs-screener", "0 0 - - - 1 -");
    let six_b = sc.safety.iter().find(|f| f.item == "6b").unwrap();
    assert_eq!(
        (six_b.level, six_b.possibly),
        (FindingLevel::NotAnswered, Some(SafetyLevel::Immediate))
    );
    // With nothing endorsed, a blank is only "not answered".
    let sc = s("cssrs-screener", "- 0 - - - 0 -");
    assert_eq!(sc.safety[0].possibly, None);
    // A yes on Q4 decides "high" even with Q3 and Q5 unanswered.
    assert_eq!(risk("0 1 - 1 - 0 -").as_deref(), Some("high"));
    // Q1 missing: only Q1 could still raise the level, to low: open.
    assert_eq!(risk("- 0 - - - 0 -"), None);
    // Q2 missing: Q3-Q5 are undetermined, and only Q2 is reported missing.
    let sc = s("cssrs-screener", "0 - - - - 0 -");
    assert_eq!(sc.missing, ["2", "3", "4", "5"]);
    let unanswered: Vec<&str> = sc.safety.iter().map(|f| f.item.as_str()).collect();
    assert_eq!(unanswered, ["2"]);
}
