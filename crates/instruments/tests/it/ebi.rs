//! EBI (Roseman 2019): six 0-100 visual-analogue items; total = mean, with the
//! sum (0-600) reported beside it under its own name.

use super::*;

#[test]
fn minimum_maximum_and_a_worked_case() {
    let low = s("ebi", &rep("0", 6));
    assert_eq!((low.total, low.alternates["sum"]), (Some(0.0), Some(0.0)));
    let high = s("ebi", &rep("100", 6));
    assert_eq!(
        (high.total, high.alternates["sum"]),
        (Some(100.0), Some(600.0))
    );
    let sc = s("ebi", "10 20 30 40 50 60");
    assert_eq!((sc.total, sc.alternates["sum"]), (Some(35.0), Some(210.0)));
    assert!(sc.subscales.is_empty() && sc.safety.is_empty());
}

#[test]
fn off_scale_and_off_step_values_are_rejected() {
    let inst = lib().get("ebi").unwrap();
    for bad in ["101", "-1", "50.5"] {
        let r = ["0", "0", "0", "0", "0", bad];
        assert!(Responses::parse(inst, &r).is_err(), "{bad}");
    }
}

#[test]
fn one_missing_item_is_tolerated_two_are_not() {
    let sc = s("ebi", "10 20 30 40 50 -");
    assert_eq!((sc.total, sc.prorated), (Some(30.0), true));
    assert_eq!(sc.alternates["sum"], None);
    assert_eq!(total("ebi", "10 20 30 40 - -"), None);
}
