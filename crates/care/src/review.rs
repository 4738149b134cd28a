//! The readiness review of one medicine session, read from the course's
//! record as of that session's own time: what was measured before it, the
//! alerts still open, the intake, the plan. The rules themselves are in
//! [`crate::readiness`]; the web's review page, its API, the hold action, a
//! submission ahead of a dose and the demo all build the review here.

use attune_instruments::{CategoryValue, FindingLevel, Library};
use time::Duration;

use crate::alerts::{AlertKind, RaisedAlert, Severity};
use crate::contraindications;
use crate::course::{Modality, SessionKind};
use crate::facts::{
    CourseFacts, EarlierAdministration, PRE_SESSION_CHECK, SAFETY_SCREEN, SessionFacts,
};
use crate::measure::check;
use crate::readiness::{
    self, DoseChecks, PreSessionCheck, ReadinessInput, ReadinessReview, ReadinessRules,
    SafetyScreen, SafetySignal, ScreenLevel,
};

/// The record a review reads.
pub struct DoseRecord<'a> {
    pub course: &'a CourseFacts<'a>,
    pub dose: &'a SessionFacts,
    /// The client's administrations (any order; later ones are ignored).
    pub administrations: &'a [&'a dyn EarlierAdministration],
    /// The client's alerts.
    pub alerts: &'a [&'a dyn RaisedAlert],
    /// What the clinician confirmed before the dose.
    pub checks: DoseChecks,
}

/// The review of `record.dose`, as of its own time.
pub fn review(library: &Library, record: &DoseRecord<'_>) -> ReadinessReview {
    let rules = ReadinessRules::default();
    let course = record.course;
    let dose = record.dose;
    let as_of = dose.when();
    let before: Vec<&dyn EarlierAdministration> = record
        .administrations
        .iter()
        .copied()
        .filter(|a| a.at() <= as_of)
        .collect();
    let alliance = course.alliance(&before, Some(dose.number.saturating_sub(1)));
    let screen = last_screen(library, &before);
    let signals = safety_signals(library, &before, record.alerts, screen.as_ref());
    let flags = course
        .intake
        .map(|i| contraindications::screen(i, &course.modality))
        .unwrap_or_default();
    let preparation_held = course
        .sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Preparation && s.number < dose.number)
        .filter(|s| s.held_at.is_some_and(|h| h <= as_of))
        .count() as u32;
    readiness::review(
        &ReadinessInput {
            alliance: &alliance,
            pre_session: pre_session(course, dose, &before, rules.safety_screen_days),
            last_safety_screen: screen,
            safety_signals: &signals,
            contraindications: &flags,
            preparation_held,
            preparation_required: course.protocol.preparation_sessions(),
            intentions_recorded: course
                .intake
                .is_some_and(|i| !i.goals_and_intentions.trim().is_empty()),
            blood_pressure_needed: matches!(
                course.modality,
                Modality::Ketamine { .. } | Modality::Esketamine
            ),
            checks: record.checks,
            now: as_of,
        },
        &rules,
    )
}

/// The Pre-session Check of this dose: answered for this session, or else
/// the latest one after the previous dose and within `days` before this
/// one. A check from an earlier dose never counts for this one.
fn pre_session(
    course: &CourseFacts<'_>,
    dose: &SessionFacts,
    before: &[&dyn EarlierAdministration],
    days: i64,
) -> Option<PreSessionCheck> {
    let checks = || {
        before
            .iter()
            .rev()
            .filter(|a| a.instrument() == PRE_SESSION_CHECK)
    };
    let after = course.previous_dose(dose).map(SessionFacts::when);
    let for_another_dose = |a: &&&dyn EarlierAdministration| {
        a.session()
            .and_then(|id| course.session(id))
            .is_some_and(|s| s.kind == SessionKind::Medicine && s.id != dose.id)
    };
    let mine = checks()
        .find(|a| a.session() == Some(dose.id))
        .or_else(|| {
            checks().find(|a| {
                !for_another_dose(a)
                    && after.is_none_or(|t| a.at() > t)
                    && dose.when() - a.at() <= Duration::days(days)
            })
        })?;
    let item = |i: usize| mine.answers().get(i).copied().flatten();
    Some(PreSessionCheck {
        anxiety: item(0),
        readiness: item(1),
        trust: item(2),
        intention: item(3),
        body: item(4),
    })
}

/// The latest C-SSRS screen and the risk level it decided (`None` when its
/// answers leave the level open).
fn last_screen(library: &Library, before: &[&dyn EarlierAdministration]) -> Option<SafetyScreen> {
    let a = before
        .iter()
        .filter(|a| a.instrument() == SAFETY_SCREEN)
        .max_by_key(|a| a.at())?;
    let level = library
        .get_version(a.instrument(), a.version())
        .and_then(|inst| check(inst, a.answers()).ok())
        .and_then(|sc| match sc.categories.get("risk").cloned().flatten() {
            Some(CategoryValue::Level(l)) => ScreenLevel::from_code(&l),
            _ => None,
        });
    Some(SafetyScreen { at: a.at(), level })
}

/// Safety findings of other instruments dated after the last screen (all of
/// them when there is none), and safety alerts still open that were raised
/// before it (those after it are the findings themselves).
fn safety_signals(
    library: &Library,
    before: &[&dyn EarlierAdministration],
    alerts: &[&dyn RaisedAlert],
    screen: Option<&SafetyScreen>,
) -> Vec<SafetySignal> {
    let since = screen.map(|s| s.at);
    let mut out = Vec::new();
    for a in before {
        if a.instrument() == SAFETY_SCREEN || since.is_some_and(|t| a.at() <= t) {
            continue;
        }
        let Some(sc) = library
            .get_version(a.instrument(), a.version())
            .and_then(|inst| check(inst, a.answers()).ok())
        else {
            continue;
        };
        for f in &sc.safety {
            let severity = match (f.level, f.possibly) {
                (FindingLevel::Safety(l), _) | (FindingLevel::NotAnswered, Some(l)) => {
                    Severity::from(l)
                }
                (FindingLevel::NotAnswered, None) => Severity::Warning,
            };
            let answer = f
                .value
                .map_or_else(|| "not answered".to_owned(), |v| format!("answered {v}"));
            out.push(SafetySignal {
                severity,
                what: format!("{} item {} {answer}.", a.instrument(), f.item),
                open_alert: false,
            });
        }
    }
    for alert in alerts {
        let before_screen = alert
            .raised_at()
            .is_some_and(|raised| since.is_some_and(|t| raised <= t));
        if alert.kind() == AlertKind::Safety && alert.is_active() && before_screen {
            out.push(SafetySignal {
                severity: alert.severity(),
                what: alert.message().to_owned(),
                open_alert: true,
            });
        }
    }
    out
}
