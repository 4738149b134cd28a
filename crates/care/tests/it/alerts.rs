//! Alert rules and the alert life cycle.

use attune_care::alerts::{
    Alert, AlertError, AlertKind, AlertSeverity, AlertStatus, ExpectedCourse, NewAlert,
    from_alliance, from_change, from_readiness, from_score, not_on_track, without_duplicates,
};
use attune_care::alliance::{AllianceObservation, AllianceRules, summarise};
use attune_instruments::{Library, Responses, compare, score};
use time::macros::datetime;
use uuid::Uuid;

fn scored(id: &str, r: &str) -> attune_instruments::Score {
    let lib = Library::builtin().unwrap();
    let inst = lib.get(id).unwrap();
    let t: Vec<&str> = r.split_whitespace().collect();
    score(inst, &Responses::parse(inst, &t).unwrap())
}

fn change(id: &str, before: &str, after: &str) -> attune_instruments::Comparison {
    let lib = Library::builtin().unwrap();
    compare(
        lib.get(id).unwrap(),
        &scored(id, before),
        &scored(id, after),
    )
    .unwrap()
}

#[test]
fn safety_findings_become_alerts_with_matching_severity() {
    let a = from_score(&scored("phq9", "0 0 0 0 0 0 0 0 2"));
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, AlertSeverity::Urgent);
    assert!(matches!(&a[0].kind, AlertKind::Safety { item, .. } if item == "9"));
    let a = from_score(&scored("cssrs-screener", "1 1 0 1 0 0 -"));
    let sev: Vec<AlertSeverity> = a.iter().map(|x| x.severity).collect();
    assert_eq!(
        sev,
        [
            AlertSeverity::Warning,
            AlertSeverity::Warning,
            AlertSeverity::Immediate
        ]
    );
    let a = from_score(&scored("phq9", "0 0 0 0 0 0 0 0 -"));
    assert_eq!(a[0].severity, AlertSeverity::Warning);
    assert!(a[0].message.contains("not answered"));
    assert!(from_score(&scored("phq9", "3 3 3 3 3 3 3 3 0")).is_empty());
}

#[test]
fn reliable_deterioration() {
    assert!(
        from_change(&change("phq9", "1 1 1 1 1 0 0 0 0", "2 2 2 2 2 1 1 0 0")).is_some(),
        "5 → 12"
    );
    assert!(
        from_change(&change("phq9", "1 1 1 1 1 0 0 0 0", "2 2 2 1 1 1 1 0 0")).is_none(),
        "5 → 10"
    );
}

#[test]
fn not_on_track_against_the_expected_course() {
    let expected = ExpectedCourse::default();
    // 20 → 18: 10 % improvement.
    let c = change("phq9", "3 3 3 3 2 2 2 2 0", "3 3 3 3 2 2 1 1 0");
    assert!(
        not_on_track(&c, 2, &expected).is_none(),
        "too early to judge"
    );
    assert!(
        not_on_track(&c, 3, &expected).is_some(),
        "15 % expected by week 3"
    );
    // 20 → 17: exactly 15 % at week 3 is on track; not at week 6 (20 %).
    let c = change("phq9", "3 3 3 3 2 2 2 2 0", "3 3 3 2 2 2 1 1 0");
    assert!(not_on_track(&c, 3, &expected).is_none());
    assert!(not_on_track(&c, 6, &expected).is_some());
    assert_eq!(expected.expected_fraction(52), Some(0.25));
}

#[test]
fn rupture_and_gap_alerts_for_the_latest_session_only() {
    let obs: Vec<AllianceObservation> = [(8.0, 8.0), (8.0, 8.0), (8.0, 8.0), (5.0, 8.0)]
        .iter()
        .enumerate()
        .map(|(i, (c, t))| AllianceObservation {
            session: i as u32 + 1,
            client: Some(*c),
            therapist: Some(*t),
        })
        .collect();
    let s = summarise(&obs, &AllianceRules::default());
    let codes: Vec<&str> = from_alliance(&s, 4).iter().map(|a| a.kind.code()).collect();
    assert_eq!(codes, ["rupture", "alliance_gap"]);
    assert!(from_alliance(&s, 3).is_empty());
}

#[test]
fn readiness_alerts_only_when_not_ready_or_caution() {
    use attune_care::readiness::{Readiness, ReadinessReview, Reason};
    let r = |outcome| ReadinessReview {
        outcome,
        reasons: vec![Reason {
            code: "x",
            outcome,
            message: "why".into(),
        }],
    };
    assert!(from_readiness(&r(Readiness::Ready)).is_none());
    assert_eq!(
        from_readiness(&r(Readiness::Caution)).unwrap().severity,
        AlertSeverity::Notice
    );
    assert_eq!(
        from_readiness(&r(Readiness::NotReady)).unwrap().severity,
        AlertSeverity::Warning
    );
}

#[test]
fn life_cycle_records_who_and_when() {
    let raised = from_score(&scored("phq9", "0 0 0 0 0 0 0 0 1")).remove(0);
    let lead = Uuid::from_u128(7);
    let other = Uuid::from_u128(8);
    let mut alert = Alert::open(raised, datetime!(2026-11-20 09:00 UTC), Some(lead));
    assert_eq!(alert.status, AlertStatus::Open);
    alert
        .acknowledge(lead, datetime!(2026-11-20 09:05 UTC))
        .unwrap();
    assert_eq!(
        alert.acknowledge(lead, datetime!(2026-11-20 09:06 UTC)),
        Err(AlertError::AlreadyAcknowledged)
    );
    alert
        .resolve(
            other,
            datetime!(2026-11-20 10:00 UTC),
            Some("C-SSRS done: low risk".into()),
        )
        .unwrap();
    assert_eq!(
        alert.resolve(lead, datetime!(2026-11-20 11:00 UTC), None),
        Err(AlertError::AlreadyResolved)
    );
    let who: Vec<(Uuid, AlertStatus)> = alert.history.iter().map(|h| (h.by, h.to)).collect();
    assert_eq!(
        who,
        [
            (lead, AlertStatus::Acknowledged),
            (other, AlertStatus::Resolved)
        ]
    );
}

#[test]
fn a_persisting_problem_is_one_open_alert_but_safety_always_raises() {
    let alert = |kind: AlertKind| NewAlert {
        kind,
        severity: AlertSeverity::Warning,
        message: String::new(),
    };
    let phq = || AlertKind::NotOnTrack {
        instrument: "phq9".into(),
    };
    let safety = |item: &str| AlertKind::Safety {
        instrument: "phq9".into(),
        item: item.into(),
        level: attune_instruments::FindingLevel::NotAnswered,
    };
    let open = [phq(), AlertKind::AllianceGap { session: 3 }, safety("9")];
    let raised = vec![
        alert(phq()),
        alert(AlertKind::NotOnTrack {
            instrument: "gad7".into(),
        }),
        alert(AlertKind::AllianceGap { session: 4 }),
        alert(AlertKind::Rupture { session: 4 }),
        alert(AlertKind::Rupture { session: 4 }),
        alert(safety("9")),
    ];
    let kept: Vec<AlertKind> = without_duplicates(raised, &open)
        .into_iter()
        .map(|a| a.kind)
        .collect();
    assert_eq!(
        kept,
        [
            AlertKind::NotOnTrack {
                instrument: "gad7".into()
            },
            AlertKind::Rupture { session: 4 },
            safety("9")
        ],
        "same instrument held back, other instrument kept, a gap that persists held back, one rupture, safety always"
    );
}
