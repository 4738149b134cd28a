//! Our own measures: Session Alliance Check (client and therapist) and the
//! Pre-session Check, 0-10 items averaged, anxiety reverse-keyed in the latter.

use super::*;
use attune_instruments::definition::MeasureKind;

#[test]
fn they_are_labelled_as_project_measures() {
    for id in [
        "alliance-check-client",
        "alliance-check-therapist",
        "pre-session-check",
    ] {
        let inst = lib().get(id).unwrap();
        assert_eq!(inst.definition().kind, MeasureKind::Project);
        assert!(
            inst.definition()
                .citation
                .contains("Not a validated instrument")
        );
    }
}

#[test]
fn both_alliance_forms_share_item_ids() {
    let ids = |id: &str| -> Vec<String> {
        lib()
            .get(id)
            .unwrap()
            .items()
            .iter()
            .map(|i| i.id.clone())
            .collect()
    };
    assert_eq!(
        ids("alliance-check-client"),
        ids("alliance-check-therapist")
    );
}

#[test]
fn alliance_check_is_the_mean_of_its_items() {
    assert_eq!(total("alliance-check-client", "0 0 0 0 0"), Some(0.0));
    assert_eq!(total("alliance-check-client", "10 10 10 10 10"), Some(10.0));
    assert_eq!(total("alliance-check-therapist", "8 7 9 6 10"), Some(8.0));
    let sc = s("alliance-check-client", "8 - 9 6 9");
    assert_eq!((sc.total, sc.prorated), (Some(8.0), true));
    assert_eq!(total("alliance-check-client", "8 - 9 - 9"), None);
}

#[test]
fn pre_session_anxiety_is_reverse_keyed() {
    // Anxiety 10 counts as 0 readiness; anxiety 0 as 10.
    assert_eq!(total("pre-session-check", "10 0 0 0 0"), Some(0.0));
    assert_eq!(total("pre-session-check", "0 10 10 10 10"), Some(10.0));
    // (10 − 3) + 8 + 9 + 7 + 6 = 37 → 7.4
    let sc = s("pre-session-check", "3 8 9 7 6");
    assert!((sc.total.unwrap() - 7.4).abs() < 1e-12);
    assert_eq!(sc.items[0].scored, Some(7.0));
    assert_eq!(
        sc.items[0].status.value(),
        Some(3.0),
        "the raw answer is kept"
    );
}
