//! The readiness review of one dose, read from the record as of the dose's
//! own time: which check, which screen, which findings count.

use crate::fixture::{Given, START, Stored, course, session_id, sessions};
use attune_care::alerts::{AlertKind, NewAlert, Severity};
use attune_care::course::{KetamineRoute, Modality, SessionKind};
use attune_care::facts::{EarlierAdministration, SessionFacts};
use attune_care::intake::Intake;
use attune_care::readiness::{BloodPressure, DoseChecks, Readiness};
use attune_care::review::{DoseRecord, review};
use attune_instruments::Library;
use time::Duration;

/// Screening, preparation, dose (3), integration, dose (5), integration.
fn two_doses() -> Vec<SessionFacts> {
    use SessionKind::*;
    sessions(
        &[
            Screening,
            Preparation,
            Medicine,
            Integration,
            Medicine,
            Integration,
        ],
        START + Duration::weeks(10),
    )
}

fn intake() -> Intake {
    Intake {
        goals_and_intentions: "to feel at home in my body".into(),
        ..Intake::default()
    }
}

/// Alliance 9 at sessions 2 and 4; a clear C-SSRS and a good Pre-session
/// Check an hour before each dose.
fn good_record() -> Vec<Given> {
    vec![
        Given::at_session("alliance-check-client", "9 9 9 9 9", 1, 50),
        Given::at_session("alliance-check-client", "9 9 9 9 9", 2, 50),
        Given::at_session("cssrs-screener", "0 0 - - - 0 -", 3, -60),
        Given::at_session("pre-session-check", "3 8 9 8 8", 3, -55),
        Given::at_session("alliance-check-client", "9 9 9 9 9", 4, 50),
        Given::at_session("cssrs-screener", "0 0 - - - 0 -", 5, -60),
        Given::at_session("pre-session-check", "3 8 9 8 8", 5, -55),
    ]
}

const CONFIRMED: DoseChecks = DoseChecks {
    blood_pressure: Some(BloodPressure {
        systolic: 124,
        diastolic: 80,
    }),
    medications_confirmed: true,
};

fn verdict(
    modality: Modality,
    record: &[Given],
    alerts: &[Stored],
    dose: u32,
    checks: DoseChecks,
) -> (Readiness, Vec<&'static str>) {
    let lib = Library::builtin().unwrap();
    let s = two_doses();
    let i = intake();
    let c = course(modality, &s, Some(&i));
    let admins: Vec<&dyn EarlierAdministration> = record
        .iter()
        .map(|g| g as &dyn EarlierAdministration)
        .collect();
    let alerts: Vec<&dyn attune_care::alerts::RaisedAlert> = alerts
        .iter()
        .map(|a| a as &dyn attune_care::alerts::RaisedAlert)
        .collect();
    let r = review(
        &lib,
        &DoseRecord {
            course: &c,
            dose: &s[dose as usize - 1],
            administrations: &admins,
            alerts: &alerts,
            checks,
        },
    );
    let codes = r
        .reasons
        .iter()
        .filter(|r| r.outcome != Readiness::Ready)
        .map(|r| r.code)
        .collect();
    (r.outcome, codes)
}

#[test]
fn a_prepared_client_is_ready_for_each_dose() {
    for dose in [3, 5] {
        assert_eq!(
            verdict(Modality::Psilocybin, &good_record(), &[], dose, CONFIRMED),
            (Readiness::Ready, vec![]),
            "dose at session {dose}"
        );
    }
}

/// Reviewed as of the session, not the clock: the screen an hour before the
/// first dose counts for it, however long ago that was; records made after
/// the dose do not change its review.
#[test]
fn reviewed_as_of_the_sessions_own_time() {
    let mut record = good_record();
    record.push(Given::at_session("phq9", "3 3 3 3 3 3 3 3 3", 4, 0));
    assert_eq!(
        verdict(Modality::Psilocybin, &record, &[], 3, CONFIRMED).0,
        Readiness::Ready
    );
}

/// The check sent before the first dose does not count for the second.
#[test]
fn the_pre_session_check_must_belong_to_this_dose() {
    let record: Vec<Given> = good_record()
        .into_iter()
        .filter(|g| !(g.instrument == "pre-session-check" && g.session == Some(session_id(5))))
        .collect();
    assert_eq!(
        verdict(Modality::Psilocybin, &record, &[], 5, CONFIRMED),
        (Readiness::Caution, vec!["pre_session_missing"])
    );
    // One sent two days before the dose, for no session, counts.
    let mut record = record;
    record.push(Given {
        session: None,
        at: START + Duration::weeks(4) - Duration::days(2),
        ..Given::at_session("pre-session-check", "3 8 9 8 8", 5, 0)
    });
    assert_eq!(
        verdict(Modality::Psilocybin, &record, &[], 5, CONFIRMED).0,
        Readiness::Ready
    );
}

/// A PHQ-9 item 9 of 2 after the last screen counts; so does a safety alert
/// raised before the screen and still open; one resolved does not.
#[test]
fn safety_findings_and_open_alerts_since_the_screen() {
    let mut record = good_record();
    record.push(Given {
        at: START + Duration::weeks(4) - Duration::minutes(30),
        ..Given::at_session("phq9", "1 1 1 1 1 1 1 1 2", 5, 0)
    });
    assert_eq!(
        verdict(Modality::Psilocybin, &record, &[], 5, CONFIRMED),
        (Readiness::NotReady, vec!["safety_finding_since_screen"])
    );
    let alert = NewAlert {
        kind: AlertKind::Safety,
        severity: Severity::Urgent,
        instrument: Some("qids-sr16".into()),
        session: None,
        episode: None,
        message: "qids-sr16 item 12 answered 2.".into(),
    };
    let open = Stored::open(alert.clone(), START + Duration::weeks(3));
    assert_eq!(
        verdict(Modality::Psilocybin, &good_record(), &[open], 5, CONFIRMED),
        (Readiness::NotReady, vec!["safety_alert_open"])
    );
    let resolved = Stored {
        status: attune_care::alerts::AlertStatus::Resolved,
        ..Stored::open(alert, START + Duration::weeks(3))
    };
    assert_eq!(
        verdict(
            Modality::Psilocybin,
            &good_record(),
            &[resolved],
            5,
            CONFIRMED
        )
        .0,
        Readiness::Ready
    );
}

/// Moderate (thoughts of a method) and partial screens are not ready.
#[test]
fn moderate_and_partial_screens_are_not_ready() {
    for (answers, code) in [
        ("1 1 1 0 0 0 -", "safety_moderate"),
        ("1 1 - - - 0 -", "safety_screen_incomplete"),
        ("1 0 - - - 0 -", "safety_low"),
    ] {
        let mut record = good_record();
        record.push(Given::at_session("cssrs-screener", answers, 5, -58));
        let (_, codes) = verdict(Modality::Psilocybin, &record, &[], 5, CONFIRMED);
        assert!(codes.contains(&code), "{answers}: {codes:?}");
    }
}

/// Ketamine needs a blood pressure before every dose; psilocybin does not.
#[test]
fn ketamine_needs_a_blood_pressure_reading() {
    let ketamine = Modality::Ketamine {
        route: KetamineRoute::Intramuscular,
    };
    let unchecked = DoseChecks {
        blood_pressure: None,
        medications_confirmed: true,
    };
    assert_eq!(
        verdict(ketamine, &good_record(), &[], 3, unchecked),
        (Readiness::NotReady, vec!["blood_pressure_missing"])
    );
    assert_eq!(
        verdict(Modality::Psilocybin, &good_record(), &[], 3, unchecked).0,
        Readiness::Ready
    );
    assert_eq!(
        verdict(ketamine, &good_record(), &[], 3, CONFIRMED).0,
        Readiness::Ready
    );
}
