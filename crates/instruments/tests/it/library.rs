use super::*;

#[test]
fn every_builtin_instrument_loads_with_adapted_wording() {
    let ids: Vec<&str> = lib().latest().map(|i| i.id()).collect();
    assert_eq!(
        ids,
        [
            "alliance-check-client",
            "alliance-check-therapist",
            "cssrs-screener",
            "ebi",
            "gad7",
            "madrs",
            "meq30",
            "pcl5",
            "phq9",
            "pre-session-check",
            "qids-sr16",
            "wai-sr"
        ]
    );
    for inst in lib().latest() {
        let pack = lib().wording_for(inst, "en").expect("adapted wording");
        assert_eq!(
            pack.definition().kind,
            attune_instruments::WordingKind::Adapted
        );
        assert!(lib().is_builtin(inst.id()));
    }
}
