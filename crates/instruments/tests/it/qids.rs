//! QIDS-SR16 (Rush 2003; millisecond.com scoring notes): nine domains; sleep =
//! max(1-4), appetite/weight = max(6-9), psychomotor = max(15-16); total 0-27;
//! bands 0-5/6-10/11-15/16-20/21-27; item 12 a safety item.

use super::*;
use attune_instruments::{FindingLevel, definition::SafetyLevel};

/// Responses whose nine domains score as given (each put on the domain's first item).
fn domains(d: [u32; 9]) -> String {
    let first_items = [1, 5, 6, 10, 11, 12, 13, 14, 15];
    let mut v = vec!["0".to_owned(); 16];
    for (value, item) in d.iter().zip(first_items) {
        v[item - 1] = value.to_string();
    }
    v.join(" ")
}

#[test]
fn minimum_and_maximum() {
    assert_eq!(total("qids-sr16", &rep("0", 16)), Some(0.0));
    assert_eq!(band("qids-sr16", &rep("0", 16)).as_deref(), Some("none"));
    assert_eq!(total("qids-sr16", &rep("3", 16)), Some(27.0));
    assert_eq!(
        band("qids-sr16", &rep("3", 16)).as_deref(),
        Some("very severe")
    );
}

#[test]
fn domains_take_the_highest_item_not_the_sum() {
    // sleep max(1,2,0,0)=2, mood 2, appetite max(1,0,2,0)=2, concentration 1,
    // self-view 2, suicidal 0, interest 1, energy 2, psychomotor max(0,3)=3 → 15.
    let sc = s("qids-sr16", "1 2 0 0 2 1 0 2 0 1 2 0 1 2 0 3");
    assert_eq!(sc.total, Some(15.0));
    assert_eq!(sc.band.as_deref(), Some("moderate"));
    assert_eq!(sc.domains["sleep"], Some(2.0));
    assert_eq!(sc.domains["appetite"], Some(2.0));
    assert_eq!(sc.domains["psychomotor"], Some(3.0));
    // All sleep items at 3 still count 3, not 12.
    assert_eq!(
        total(
            "qids-sr16",
            &with("0", 16, &[(1, "3"), (2, "3"), (3, "3"), (4, "3")])
        ),
        Some(3.0)
    );
}

#[test]
fn every_band_boundary_on_both_sides() {
    for (d, t, expected) in [
        ([3, 2, 0, 0, 0, 0, 0, 0, 0], 5, "none"),
        ([3, 3, 0, 0, 0, 0, 0, 0, 0], 6, "mild"),
        ([3, 3, 3, 1, 0, 0, 0, 0, 0], 10, "mild"),
        ([3, 3, 3, 2, 0, 0, 0, 0, 0], 11, "moderate"),
        ([3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderate"),
        ([3, 3, 3, 3, 3, 0, 1, 0, 0], 16, "severe"),
        ([3, 3, 3, 3, 3, 0, 3, 2, 0], 20, "severe"),
        ([3, 3, 3, 3, 3, 0, 3, 3, 0], 21, "very severe"),
    ] {
        let r = domains(d);
        assert_eq!(total("qids-sr16", &r), Some(t as f64), "{d:?}");
        assert_eq!(band("qids-sr16", &r).as_deref(), Some(expected), "{d:?}");
    }
}

#[test]
fn item_twelve_is_a_safety_item() {
    let f = |v: &str| s("qids-sr16", &with("0", 16, &[(12, v)])).safety;
    assert!(f("0").is_empty());
    assert_eq!(f("1")[0].level, FindingLevel::Safety(SafetyLevel::Review));
    assert_eq!(f("2")[0].level, FindingLevel::Safety(SafetyLevel::Urgent));
    // 3: plans or an attempt, the C-SSRS's high-risk answer.
    assert_eq!(
        f("3")[0].level,
        FindingLevel::Safety(SafetyLevel::Immediate)
    );
    let missing = s("qids-sr16", &with("0", 16, &[(12, "-")]));
    assert_eq!(missing.total, None);
    assert_eq!(missing.safety[0].level, FindingLevel::NotAnswered);
}

#[test]
fn a_domain_uses_its_answered_items_and_a_bare_domain_leaves_no_total() {
    let sc = s("qids-sr16", &with("0", 16, &[(1, "3"), (2, "-")]));
    assert_eq!(
        (sc.total, sc.prorated, sc.complete),
        (Some(3.0), false, false)
    );
    let sc = s("qids-sr16", &with("1", 16, &[(5, "-")]));
    assert_eq!(sc.total, None);
    assert!(sc.total_note.unwrap().contains("mood"));
    let all_sleep_missing = with("1", 16, &[(1, "-"), (2, "-"), (3, "-"), (4, "-")]);
    assert_eq!(total("qids-sr16", &all_sleep_missing), None);
}
