//! MADRS (Montgomery & Åsberg 1979): sum of 10 items 0-6 (0-60), Snaith bands
//! 0-6/7-19/20-34/35-60, item 10 a safety item (project thresholds 2 and 4).

use super::*;
use attune_instruments::{FindingLevel, definition::SafetyLevel};

fn madrs(t: u32) -> String {
    // Nine items carry the total; item 10 stays 0 so that no alert interferes.
    format!("{} 0", summing_to(t, 9, 6))
}

#[test]
fn minimum_maximum_and_every_band_boundary() {
    assert_eq!(total("madrs", &rep("0", 10)), Some(0.0));
    assert_eq!(total("madrs", &rep("6", 10)), Some(60.0));
    assert_eq!(band("madrs", &rep("6", 10)).as_deref(), Some("severe"));
    for (t, expected) in [
        (0, "normal"),
        (6, "normal"),
        (7, "mild"),
        (19, "mild"),
        (20, "moderate"),
        (34, "moderate"),
        (35, "severe"),
        (54, "severe"),
    ] {
        assert_eq!(total("madrs", &madrs(t)), Some(t as f64));
        assert_eq!(
            band("madrs", &madrs(t)).as_deref(),
            Some(expected),
            "total {t}"
        );
    }
}

#[test]
fn in_between_values_are_valid() {
    assert_eq!(total("madrs", "1 3 5 1 3 5 1 3 5 1"), Some(28.0));
}

#[test]
fn item_ten_thresholds() {
    let f = |v: &str| s("madrs", &with("0", 10, &[(10, v)])).safety;
    assert!(f("1").is_empty());
    assert_eq!(f("2")[0].level, FindingLevel::Safety(SafetyLevel::Review));
    assert_eq!(f("3")[0].level, FindingLevel::Safety(SafetyLevel::Review));
    assert_eq!(f("4")[0].level, FindingLevel::Safety(SafetyLevel::Urgent));
    assert_eq!(f("5")[0].level, FindingLevel::Safety(SafetyLevel::Urgent));
    // 6: plans or preparations, the C-SSRS's high-risk answer.
    assert_eq!(
        f("6")[0].level,
        FindingLevel::Safety(SafetyLevel::Immediate)
    );
}

#[test]
fn no_missing_item_is_tolerated() {
    let sc = s("madrs", &with("3", 10, &[(4, "-")]));
    assert_eq!((sc.total, sc.prorated), (None, false));
}
