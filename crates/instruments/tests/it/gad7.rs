//! GAD-7 (Spitzer 2006): sum 0-21, bands 0-4/5-9/10-14/15-21, cut-off 10.

use super::*;

#[test]
fn minimum_maximum_and_every_band_boundary() {
    for (t, expected) in [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ] {
        let r = summing_to(t, 7, 3);
        assert_eq!(total("gad7", &r), Some(t as f64));
        assert_eq!(band("gad7", &r).as_deref(), Some(expected), "total {t}");
    }
}

#[test]
fn cut_off_at_ten() {
    assert_eq!(
        s("gad7", &summing_to(9, 7, 3)).cutoffs["caseness"],
        Some(false)
    );
    assert_eq!(
        s("gad7", &summing_to(10, 7, 3)).cutoffs["caseness"],
        Some(true)
    );
}

#[test]
fn no_safety_items() {
    assert!(s("gad7", &rep("3", 7)).safety.is_empty());
}

#[test]
fn one_missing_item_prorated_two_not() {
    // 12 over 6 answered: 12 × 7 / 6 = 14.
    let sc = s("gad7", "2 2 2 2 2 2 -");
    assert_eq!((sc.total, sc.prorated), (Some(14.0), true));
    assert_eq!(sc.band.as_deref(), Some("moderate"));
    assert_eq!(total("gad7", "2 2 2 2 2 - -"), None);
}
