//! The readiness review: each rule moves the verdict as documented.

use attune_care::alerts::Severity;
use attune_care::alliance::{AllianceObservation, AllianceRules, AllianceSummary, summarise};
use attune_care::contraindications::screen;
use attune_care::course::Modality;
use attune_care::intake::{Intake, Medication};
use attune_care::readiness::{
    BloodPressure, DoseChecks, PreSessionCheck, Readiness, ReadinessError, ReadinessInput,
    ReadinessRules, SafetyScreen, SafetySignal, ScreenLevel, authorise, review,
};
use std::sync::LazyLock;
use time::{Duration, macros::datetime};

const NOW: time::OffsetDateTime = datetime!(2026-11-20 09:00 UTC);

fn alliance(values: &[f64]) -> AllianceSummary {
    let obs: Vec<AllianceObservation> = values
        .iter()
        .enumerate()
        .map(|(i, v)| AllianceObservation {
            session: i as u32 + 1,
            client: Some(*v),
            therapist: Some(*v),
        })
        .collect();
    summarise(&obs, &AllianceRules::default())
}

fn good_pre() -> PreSessionCheck {
    PreSessionCheck {
        anxiety: Some(4.0),
        readiness: Some(8.0),
        trust: Some(9.0),
        intention: Some(8.0),
        body: Some(8.0),
    }
}

static GOOD: LazyLock<AllianceSummary> = LazyLock::new(|| alliance(&[8.0, 8.0, 8.5]));

/// A review in which everything is fine, then changed by `tweak`.
fn verdict<'a>(tweak: impl FnOnce(&mut ReadinessInput<'a>)) -> (Readiness, Vec<&'static str>) {
    let mut input = ReadinessInput {
        alliance: &GOOD,
        pre_session: Some(good_pre()),
        last_safety_screen: Some(SafetyScreen {
            at: NOW - Duration::days(2),
            level: Some(ScreenLevel::None),
        }),
        safety_signals: &[],
        contraindications: &[],
        preparation_held: 3,
        preparation_required: 3,
        intentions_recorded: true,
        blood_pressure_needed: false,
        checks: DoseChecks {
            blood_pressure: None,
            medications_confirmed: true,
        },
        now: NOW,
    };
    tweak(&mut input);
    let r = review(&input, &ReadinessRules::default());
    (r.outcome, r.reasons.iter().map(|r| r.code).collect())
}

#[test]
fn all_well_is_ready() {
    assert_eq!(verdict(|_| {}), (Readiness::Ready, vec![]));
}

#[test]
fn alliance_rules() {
    let none = alliance(&[]);
    let low = alliance(&[4.0, 4.5, 4.5]);
    let moderate = alliance(&[6.0, 6.5, 6.0]);
    let boundary = alliance(&[7.0, 7.0, 7.0]);
    let falling = alliance(&[9.5, 9.0, 8.5, 8.0]);
    let ruptured = alliance(&[8.0, 8.0, 8.0, 5.5, 6.0, 6.0]);
    let pending = alliance(&[8.0, 8.0, 9.0, 9.0, 7.0]);
    // A sustained drop is one unrepaired rupture, not hidden by a second
    // "pending" one: not ready.
    let sustained = alliance(&[9.0, 9.0, 5.0, 5.0, 5.0]);
    // A crash at the last session before the dose.
    let crash = alliance(&[9.0, 9.0, 9.0, 2.0]);
    for (a, expected, code) in [
        (&none, Readiness::NotReady, "alliance_unmeasured"),
        (&low, Readiness::NotReady, "alliance_low"),
        (&moderate, Readiness::Caution, "alliance_moderate"),
        (&falling, Readiness::Caution, "alliance_falling"),
        (&ruptured, Readiness::NotReady, "rupture_open"),
        (&pending, Readiness::NotReady, "rupture_open"),
        (&sustained, Readiness::NotReady, "rupture_open"),
        (&crash, Readiness::NotReady, "rupture_open"),
        (&crash, Readiness::NotReady, "alliance_latest_low"),
    ] {
        let (outcome, codes) = verdict(|i| i.alliance = a);
        assert_eq!(outcome, expected, "{code}");
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
    assert_eq!(
        verdict(|i| i.alliance = &boundary).0,
        Readiness::Ready,
        "7.0 is ready"
    );
}

#[test]
fn alliance_gap_is_a_caution() {
    let obs = [
        AllianceObservation {
            session: 1,
            client: Some(8.0),
            therapist: Some(8.0),
        },
        AllianceObservation {
            session: 2,
            client: Some(8.0),
            therapist: Some(5.5),
        },
    ];
    let a = summarise(&obs, &AllianceRules::default());
    assert_eq!(
        verdict(|i| i.alliance = &a),
        (Readiness::Caution, vec!["alliance_gap"])
    );
}

#[test]
fn pre_session_check_rules() {
    let with = |f: fn(&mut PreSessionCheck)| {
        let mut p = good_pre();
        f(&mut p);
        verdict(move |i| i.pre_session = Some(p))
    };
    assert_eq!(
        verdict(|i| i.pre_session = None),
        (Readiness::Caution, vec!["pre_session_missing"])
    );
    assert_eq!(
        with(|p| p.anxiety = Some(8.0)),
        (Readiness::Caution, vec!["anxiety_high"])
    );
    assert_eq!(with(|p| p.anxiety = Some(7.0)), (Readiness::Ready, vec![]));
    assert_eq!(
        with(|p| p.readiness = Some(4.0)),
        (Readiness::Caution, vec!["readiness_low"])
    );
    assert_eq!(
        with(|p| p.readiness = Some(5.0)),
        (Readiness::Ready, vec![])
    );
    assert_eq!(
        with(|p| p.readiness = Some(2.0)),
        (Readiness::NotReady, vec!["readiness_very_low"])
    );
    assert_eq!(
        with(|p| p.readiness = None),
        (Readiness::Caution, vec!["readiness_unanswered"])
    );
    assert_eq!(
        with(|p| p.trust = Some(4.0)),
        (Readiness::Caution, vec!["trust_low"])
    );
}

#[test]
fn safety_screen_rules() {
    let screen_at = |days: i64, level| {
        Some(SafetyScreen {
            at: NOW - Duration::days(days),
            level,
        })
    };
    for (s, expected, codes) in [
        (None, Readiness::NotReady, vec!["safety_screen_missing"]),
        (
            screen_at(7, Some(ScreenLevel::None)),
            Readiness::Ready,
            vec![],
        ),
        (
            screen_at(8, Some(ScreenLevel::None)),
            Readiness::NotReady,
            vec!["safety_screen_missing"],
        ),
        (
            screen_at(-1, Some(ScreenLevel::None)),
            Readiness::NotReady,
            vec!["safety_screen_missing"],
        ),
        (
            screen_at(1, None),
            Readiness::NotReady,
            vec!["safety_screen_incomplete"],
        ),
        (
            screen_at(1, Some(ScreenLevel::Low)),
            Readiness::Caution,
            vec!["safety_low"],
        ),
        (
            screen_at(1, Some(ScreenLevel::Moderate)),
            Readiness::NotReady,
            vec!["safety_moderate"],
        ),
        (
            screen_at(1, Some(ScreenLevel::High)),
            Readiness::NotReady,
            vec!["safety_high"],
        ),
    ] {
        assert_eq!(
            verdict(|i| i.last_safety_screen = s),
            (expected, codes.clone()),
            "{codes:?}"
        );
    }
}

#[test]
fn contraindications_and_preparation() {
    let intake = Intake {
        medications: vec![Medication::named("lithium", None)],
        ..Intake::default()
    };
    let flags = screen(&intake, &Modality::Psilocybin);
    assert_eq!(
        verdict(|i| i.contraindications = &flags),
        (Readiness::NotReady, vec!["lithium"])
    );
    let caution = screen(
        &Intake {
            medications: vec![Medication::named("sertraline", None)],
            ..Intake::default()
        },
        &Modality::Mdma,
    );
    assert_eq!(
        verdict(|i| i.contraindications = &caution),
        (Readiness::Caution, vec!["ssri_snri"])
    );
    assert_eq!(
        verdict(|i| i.preparation_held = 2),
        (Readiness::NotReady, vec!["preparation_incomplete"])
    );
    assert_eq!(
        verdict(|i| i.intentions_recorded = false),
        (Readiness::Caution, vec!["intentions_missing"])
    );
}

#[test]
fn the_worst_reason_decides_and_comes_first() {
    let (outcome, codes) = verdict(|i| {
        i.intentions_recorded = false;
        i.preparation_held = 1;
    });
    assert_eq!(outcome, Readiness::NotReady);
    assert_eq!(codes, ["preparation_incomplete", "intentions_missing"]);
}

#[test]
fn not_ready_needs_a_real_override_reason() {
    let a = alliance(&[8.0, 8.0, 8.0]);
    let input = ReadinessInput {
        alliance: &a,
        pre_session: Some(good_pre()),
        last_safety_screen: None,
        safety_signals: &[],
        contraindications: &[],
        preparation_held: 3,
        preparation_required: 3,
        intentions_recorded: true,
        blood_pressure_needed: false,
        checks: DoseChecks {
            blood_pressure: None,
            medications_confirmed: true,
        },
        now: NOW,
    };
    let r = review(&input, &ReadinessRules::default());
    assert_eq!(
        authorise(&r, None),
        Err(ReadinessError::OverrideRequired(
            "safety_screen_missing".into()
        ))
    );
    assert_eq!(
        authorise(&r, Some("   ")),
        Err(ReadinessError::OverrideRequired(
            "safety_screen_missing".into()
        ))
    );
    assert_eq!(
        authorise(&r, Some("ok")),
        Err(ReadinessError::ReasonTooShort)
    );
    let ok = authorise(&r, Some("Screened by phone yesterday; form to follow")).unwrap();
    assert_eq!(ok.outcome, Readiness::NotReady);
    assert!(ok.override_reason.unwrap().starts_with("Screened"));
    let fine = review(
        &ReadinessInput {
            last_safety_screen: Some(SafetyScreen {
                at: NOW,
                level: Some(ScreenLevel::None),
            }),
            ..input
        },
        &ReadinessRules::default(),
    );
    assert_eq!(authorise(&fine, None).unwrap().override_reason, None);
}

#[test]
fn the_sustained_drop_names_its_first_session() {
    let a = alliance(&[9.0, 9.0, 5.0, 5.0, 5.0]);
    assert_eq!(a.ruptures.len(), 1, "{:?}", a.ruptures);
    let r = review(
        &ReadinessInput {
            alliance: &a,
            pre_session: Some(good_pre()),
            last_safety_screen: Some(SafetyScreen {
                at: NOW,
                level: Some(ScreenLevel::None),
            }),
            safety_signals: &[],
            contraindications: &[],
            preparation_held: 3,
            preparation_required: 3,
            intentions_recorded: true,
            blood_pressure_needed: false,
            checks: DoseChecks {
                blood_pressure: None,
                medications_confirmed: true,
            },
            now: NOW,
        },
        &ReadinessRules::default(),
    );
    let rupture = r.reasons.iter().find(|r| r.code == "rupture_open").unwrap();
    assert!(rupture.message.contains("session 3"), "{}", rupture.message);
    assert!(
        rupture.message.contains("unrepaired"),
        "{}",
        rupture.message
    );
}

#[test]
fn safety_signals_since_the_screen_count() {
    let signal = |severity, open_alert| {
        vec![SafetySignal {
            severity,
            what: "phq9 item 9 answered 2.".into(),
            open_alert,
        }]
    };
    let urgent = signal(Severity::Urgent, false);
    let review_level = signal(Severity::Warning, false);
    let open = signal(Severity::Immediate, true);
    assert_eq!(
        verdict(|i| i.safety_signals = &urgent),
        (Readiness::NotReady, vec!["safety_finding_since_screen"])
    );
    assert_eq!(
        verdict(|i| i.safety_signals = &review_level),
        (Readiness::Caution, vec!["safety_finding_since_screen"])
    );
    assert_eq!(
        verdict(|i| i.safety_signals = &open),
        (Readiness::NotReady, vec!["safety_alert_open"])
    );
}

#[test]
fn just_before_the_dose_blood_pressure_and_medications() {
    assert_eq!(
        verdict(|i| i.blood_pressure_needed = true),
        (Readiness::NotReady, vec!["blood_pressure_missing"])
    );
    let (outcome, codes) = verdict(|i| {
        i.blood_pressure_needed = true;
        i.checks.blood_pressure = Some(BloodPressure {
            systolic: 128,
            diastolic: 82,
        });
    });
    assert_eq!((outcome, codes), (Readiness::Ready, vec!["blood_pressure"]));
    assert_eq!(
        verdict(|i| i.checks.medications_confirmed = false),
        (Readiness::NotReady, vec!["medications_unconfirmed"])
    );
}

#[test]
fn to_dos_are_told_apart_from_findings() {
    let r = review(
        &ReadinessInput {
            alliance: &GOOD,
            pre_session: None,
            last_safety_screen: None,
            safety_signals: &[],
            contraindications: &[],
            preparation_held: 3,
            preparation_required: 3,
            intentions_recorded: true,
            blood_pressure_needed: true,
            checks: DoseChecks::default(),
            now: NOW,
        },
        &ReadinessRules::default(),
    );
    assert_eq!(r.outcome, Readiness::NotReady);
    assert!(r.reasons.iter().all(|r| r.to_do), "{:?}", r.reasons);
}
