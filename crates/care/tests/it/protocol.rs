//! Protocol templates plan the sessions their manuals describe.

use attune_care::course::{ProtocolTemplate, SessionKind};

fn count(t: ProtocolTemplate, kind: SessionKind) -> usize {
    t.plan().iter().filter(|s| s.kind == kind).count()
}

#[test]
fn maps_mdma_is_three_three_nine() {
    let t = ProtocolTemplate::MapsMdma;
    assert_eq!(count(t, SessionKind::Preparation), 3);
    assert_eq!(count(t, SessionKind::Medicine), 3);
    assert_eq!(count(t, SessionKind::Integration), 9);
    // The first integration session is the morning after each medicine session.
    let plan = t.plan();
    for (i, s) in plan.iter().enumerate() {
        if s.kind == SessionKind::Medicine {
            assert_eq!(plan[i + 1].kind, SessionKind::Integration);
            assert_eq!(plan[i + 1].day, s.day + 1);
        }
    }
}

#[test]
fn psilocybin_and_ketamine_templates() {
    assert_eq!(
        count(ProtocolTemplate::PsilocybinSingle, SessionKind::Medicine),
        1
    );
    let two = ProtocolTemplate::PsilocybinTwoDose.plan();
    let doses: Vec<u32> = two
        .iter()
        .filter(|s| s.kind == SessionKind::Medicine)
        .map(|s| s.day)
        .collect();
    assert_eq!(doses[1] - doses[0], 21, "two doses three weeks apart");
    let k = ProtocolTemplate::KetamineSeries { doses: 6 };
    assert_eq!(count(k, SessionKind::Medicine), 6);
    assert_eq!(count(k, SessionKind::Integration), 6);
    assert_eq!(k.preparation_sessions(), 2);
    assert_eq!(ProtocolTemplate::Custom.plan().len(), 1, "screening only");
}

#[test]
fn plans_are_in_day_order() {
    for t in [
        ProtocolTemplate::MapsMdma,
        ProtocolTemplate::PsilocybinSingle,
        ProtocolTemplate::PsilocybinTwoDose,
        ProtocolTemplate::KetamineSeries { doses: 4 },
    ] {
        let days: Vec<u32> = t.plan().iter().map(|s| s.day).collect();
        assert!(days.windows(2).all(|w| w[0] <= w[1]), "{t:?}: {days:?}");
    }
}
