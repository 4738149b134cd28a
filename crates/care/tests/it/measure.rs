//! The clinical workflow: answers → scored administration with its alerts.

use crate::alert;
use attune_care::alerts::{AlertKind, NewAlert, Severity};
use attune_care::measure::{Answers, EarlierAdministration, Measured, measure};
use attune_instruments::Library;
use attune_instruments::definition::Respondent;

struct Earlier(&'static str, Vec<Option<f64>>);

impl EarlierAdministration for Earlier {
    fn instrument(&self) -> &str {
        self.0
    }
    fn complete(&self) -> bool {
        self.1.iter().all(Option::is_some)
    }
    fn answers(&self) -> &[Option<f64>] {
        &self.1
    }
}

fn values(text: &str) -> Vec<Option<f64>> {
    text.split_whitespace()
        .map(|v| v.parse::<f64>().ok())
        .collect()
}

fn run(
    answers: &str,
    history: &[Earlier],
    active: &[NewAlert],
    weeks: Option<u32>,
    also: Vec<NewAlert>,
) -> Measured {
    let lib = Library::builtin().unwrap();
    let inst = lib.get("phq9").unwrap();
    measure(
        &lib,
        Answers {
            weeks_since_first_dose: weeks,
            also,
            ..Answers::new(inst, values(answers), history, active)
        },
    )
    .unwrap()
}

fn kinds(m: &Measured) -> Vec<(AlertKind, Severity)> {
    m.alerts.iter().map(|a| (a.kind, a.severity)).collect()
}

#[test]
fn scores_and_records_what_was_shown() {
    let m = run("1 1 1 1 1 0 0 0 0", &[], &[], None, vec![]);
    assert_eq!(m.score.total, Some(5.0));
    assert_eq!(m.respondent, Respondent::Client);
    assert!(m.wording.is_some(), "the built-in adapted pack is recorded");
    assert!(m.alerts.is_empty());
}

/// PHQ-9 5 → 12 is reliable deterioration (5 → 10 is not: see alerts.rs); the
/// baseline is the first complete administration of the same instrument.
#[test]
fn deterioration_against_the_first_complete_baseline() {
    let history = [
        Earlier("gad7", values("0 0 0 0 0 0 0")),
        Earlier("phq9", values("1 1 1 1 1 0 0 0 -")),
        Earlier("phq9", values("1 1 1 1 1 0 0 0 0")),
        Earlier("phq9", values("3 3 3 3 3 3 3 3 0")),
    ];
    let m = run("2 2 2 2 2 1 1 0 0", &history, &[], None, vec![]);
    assert_eq!(kinds(&m), [(AlertKind::Deterioration, Severity::Urgent)]);
    assert_eq!(m.alerts[0].instrument.as_deref(), Some("phq9"));
    let m = run("2 2 2 1 1 1 1 0 0", &history, &[], None, vec![]);
    assert!(m.alerts.is_empty(), "5 → 10 is within measurement error");
}

#[test]
fn an_active_alert_about_the_same_problem_holds_a_repeat_back() {
    let history = [Earlier("phq9", values("1 1 1 1 1 0 0 0 0"))];
    let same = [alert(
        AlertKind::Deterioration,
        Severity::Urgent,
        Some("phq9"),
    )];
    assert!(
        run("2 2 2 2 2 1 1 0 0", &history, &same, None, vec![])
            .alerts
            .is_empty()
    );
    let other = [alert(
        AlertKind::Deterioration,
        Severity::Urgent,
        Some("gad7"),
    )];
    assert_eq!(
        kinds(&run("2 2 2 2 2 1 1 0 0", &history, &other, None, vec![])),
        [(AlertKind::Deterioration, Severity::Urgent)]
    );
}

/// PHQ-9 item 9 at 2 is an urgent finding; a safety finding is raised every
/// time, whatever is already open.
#[test]
fn safety_findings_are_never_held_back() {
    let active = [alert(AlertKind::Safety, Severity::Urgent, Some("phq9"))];
    let m = run("0 0 0 0 0 0 0 0 2", &[], &active, None, vec![]);
    assert_eq!(kinds(&m), [(AlertKind::Safety, Severity::Urgent)]);
}

/// 20 → 18 is 10 % improvement: short of the 20 % expected by week 6, and not
/// judged before a first dose.
#[test]
fn the_expected_course_is_judged_only_after_a_first_dose() {
    let history = [Earlier("phq9", values("3 3 3 3 2 2 2 2 0"))];
    let m = run("3 3 3 3 2 2 1 1 0", &history, &[], Some(6), vec![]);
    assert_eq!(kinds(&m), [(AlertKind::NotOnTrack, Severity::Warning)]);
    assert!(
        run("3 3 3 3 2 2 1 1 0", &history, &[], None, vec![])
            .alerts
            .is_empty()
    );
}

#[test]
fn the_callers_course_alerts_are_de_duplicated_with_the_rest() {
    let active = [alert(AlertKind::Rupture, Severity::Warning, None)];
    let also = vec![
        alert(AlertKind::Rupture, Severity::Warning, None),
        alert(AlertKind::AllianceGap, Severity::Notice, None),
    ];
    let m = run("0 0 0 0 0 0 0 0 0", &[], &active, None, also);
    assert_eq!(kinds(&m), [(AlertKind::AllianceGap, Severity::Notice)]);
}

#[test]
fn answers_off_the_scale_are_refused_with_the_item() {
    let lib = Library::builtin().unwrap();
    let inst = lib.get("phq9").unwrap();
    let none: [Earlier; 0] = [];
    let no_alerts: [NewAlert; 0] = [];
    let err = measure(
        &lib,
        Answers::new(inst, values("0 0 0 7 0 0 0 0 0"), &none, &no_alerts),
    )
    .unwrap_err();
    assert!(err.to_string().contains('4'), "{err}");
}
