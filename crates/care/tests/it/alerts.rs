//! Alert rules and the alert life cycle.

use crate::alert;
use attune_care::Code;
use attune_care::alerts::{
    AlertError, AlertKind, AlertStatus, AlertTransition, ExpectedCourse, NewAlert, RaisedAlert,
    Severity, from_alliance, from_change, from_readiness, from_score, not_on_track,
    without_duplicates,
};
use attune_care::alliance::{AllianceObservation, AllianceRules, summarise};
use attune_care::course::SessionKind;
use attune_instruments::{Library, Responses, compare, score};

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
    assert_eq!(a[0].severity, Severity::Urgent);
    assert_eq!(a[0].kind, AlertKind::Safety);
    assert_eq!(a[0].instrument.as_deref(), Some("phq9"));
    assert!(a[0].message.contains("item 9"), "{}", a[0].message);
    let a = from_score(&scored("cssrs-screener", "1 1 0 1 0 0 -"));
    let sev: Vec<Severity> = a.iter().map(|x| x.severity).collect();
    assert_eq!(
        sev,
        [Severity::Warning, Severity::Warning, Severity::Immediate]
    );
    // Q2 yes with Q3-Q5 blank: possibly high until asked.
    let a = from_score(&scored("cssrs-screener", "0 1 - - - 0 -"));
    let sev: Vec<Severity> = a.iter().map(|x| x.severity).collect();
    assert_eq!(
        sev,
        [
            Severity::Warning,
            Severity::Urgent,
            Severity::Immediate,
            Severity::Immediate
        ]
    );
    assert!(
        a[3].message.contains("treat as immediate"),
        "{}",
        a[3].message
    );
    // MADRS item 10 at 6 and QIDS-SR16 item 12 at 3 (plans) are immediate,
    // as the C-SSRS's equivalent answers are.
    let madrs = from_score(&scored("madrs", "0 0 0 0 0 0 0 0 0 6"));
    assert_eq!(madrs[0].severity, Severity::Immediate);
    let qids = from_score(&scored("qids-sr16", "0 0 0 0 0 0 0 0 0 0 0 3 0 0 0 0"));
    assert_eq!(qids[0].severity, Severity::Immediate);
    let a = from_score(&scored("phq9", "0 0 0 0 0 0 0 0 -"));
    assert_eq!(a[0].severity, Severity::Warning);
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
    let sessions = crate::fixture::sessions(&[SessionKind::Preparation; 4], crate::fixture::START);
    let codes: Vec<&str> = from_alliance(&s, &sessions[3], &sessions)
        .iter()
        .map(|a| a.kind.code())
        .collect();
    assert_eq!(codes, ["rupture", "alliance_gap"]);
    assert!(from_alliance(&s, &sessions[2], &sessions).is_empty());
}

#[test]
fn readiness_alerts_only_when_not_ready_or_caution() {
    use attune_care::readiness::{Readiness, ReadinessReview, Reason};
    let sessions = crate::fixture::sessions(&[SessionKind::Medicine], crate::fixture::START);
    let dose = &sessions[0];
    let r = |outcome, to_do| ReadinessReview {
        outcome,
        reasons: vec![Reason {
            code: "x",
            outcome,
            message: "why".into(),
            to_do,
        }],
    };
    let severity = |review: &ReadinessReview, findings_only| {
        from_readiness(review, dose, findings_only).map(|a| a.severity)
    };
    assert_eq!(severity(&r(Readiness::Ready, false), false), None);
    assert_eq!(
        severity(&r(Readiness::Caution, false), false),
        Some(Severity::Notice)
    );
    assert_eq!(
        severity(&r(Readiness::NotReady, false), false),
        Some(Severity::Warning)
    );
    // Something still to do counts when the review is signed, not ahead of it.
    assert_eq!(
        severity(&r(Readiness::NotReady, true), false),
        Some(Severity::Warning)
    );
    assert_eq!(severity(&r(Readiness::NotReady, true), true), None);
}

#[test]
fn life_cycle_acknowledge_once_resolve_for_good() {
    use AlertStatus::*;
    let ack = AlertTransition::Acknowledge;
    let resolve = AlertTransition::Resolve {
        note: Some("C-SSRS done: low risk".into()),
    };
    assert_eq!(Open.after(&ack), Ok(Acknowledged));
    assert_eq!(Open.after(&resolve), Ok(Resolved));
    assert_eq!(Acknowledged.after(&resolve), Ok(Resolved));
    assert_eq!(
        Acknowledged.after(&ack),
        Err(AlertError::AlreadyAcknowledged)
    );
    assert_eq!(Resolved.after(&ack), Err(AlertError::AlreadyResolved));
    assert_eq!(Resolved.after(&resolve), Err(AlertError::AlreadyResolved));
    assert!(Open.is_active() && Acknowledged.is_active() && !Resolved.is_active());
}

#[test]
fn a_persisting_problem_is_one_open_alert_but_safety_always_raises() {
    use AlertKind::*;
    use Severity::*;
    let open = [
        alert(NotOnTrack, Warning, Some("phq9")),
        alert(AllianceGap, Notice, None),
        alert(Safety, Warning, Some("phq9")),
    ];
    let raised = vec![
        alert(NotOnTrack, Warning, Some("phq9")),
        alert(NotOnTrack, Warning, Some("gad7")),
        alert(AllianceGap, Notice, None),
        alert(Rupture, Warning, None),
        alert(Rupture, Warning, None),
        alert(Safety, Warning, Some("phq9")),
    ];
    let kept: Vec<(AlertKind, Option<String>)> = without_duplicates(raised, &open)
        .into_iter()
        .map(|a| (a.kind, a.instrument))
        .collect();
    assert_eq!(
        kept,
        [
            (NotOnTrack, Some("gad7".to_owned())),
            (Rupture, None),
            (Safety, Some("phq9".to_owned())),
        ],
        "same instrument held back, other instrument kept, a gap that persists held back, one rupture, safety always"
    );
}

/// An alert that has grown more severe is raised again; a resolved one no
/// longer holds anything back.
#[test]
fn a_worse_or_a_new_episode_of_a_problem_is_raised() {
    use AlertKind::*;
    use Severity::*;
    #[derive(Clone)]
    struct Stored(NewAlert, AlertStatus);
    impl RaisedAlert for Stored {
        fn kind(&self) -> AlertKind {
            self.0.kind
        }
        fn severity(&self) -> Severity {
            self.0.severity
        }
        fn instrument(&self) -> Option<&str> {
            self.0.instrument.as_deref()
        }
        fn episode(&self) -> Option<uuid::Uuid> {
            self.0.episode
        }
        fn message(&self) -> &str {
            &self.0.message
        }
        fn raised_at(&self) -> Option<time::OffsetDateTime> {
            None
        }
        fn is_active(&self) -> bool {
            self.1.is_active()
        }
    }
    let earlier = [
        Stored(alert(Readiness, Notice, None), AlertStatus::Acknowledged),
        Stored(
            alert(Deterioration, Urgent, Some("madrs")),
            AlertStatus::Resolved,
        ),
    ];
    let episode = |n: u128, a: NewAlert| NewAlert {
        episode: Some(uuid::Uuid::from_u128(n)),
        ..a
    };
    let earlier = [
        earlier[0].clone(),
        earlier[1].clone(),
        Stored(episode(3, alert(Rupture, Warning, None)), AlertStatus::Open),
    ];
    let raised = vec![
        alert(Readiness, Notice, None),
        alert(Readiness, Warning, None),
        alert(Deterioration, Urgent, Some("madrs")),
        episode(3, alert(Rupture, Warning, None)),
        episode(8, alert(Rupture, Warning, None)),
    ];
    let kept: Vec<(AlertKind, Severity, Option<uuid::Uuid>)> = without_duplicates(raised, &earlier)
        .into_iter()
        .map(|a| (a.kind, a.severity, a.episode))
        .collect();
    assert_eq!(
        kept,
        [
            (Readiness, Warning, None),
            (Deterioration, Urgent, None),
            (Rupture, Warning, Some(uuid::Uuid::from_u128(8)))
        ],
        "worse raised, resolved holds nothing back, same rupture held back, new rupture raised"
    );
}
