//! The readiness review before a medicine session: the alliance must be built
//! first, the client prepared, the risk screened. The result is ready,
//! caution or not ready, with every reason; dosing despite "not ready" needs a
//! recorded override reason.
//!
//! Thresholds are this project's (no published readiness rule exists); they
//! are configurable per clinic. Alliance thresholds are on the 0-10 Session
//! Alliance Check; the Pre-session Check items are 0-10.
//!
//! A review is made as of the medicine session's own time (`now` is the
//! session's time, never the clock), so a session reviewed in October reads
//! the same in December. Reasons are findings (something found in the
//! record) or to-dos (something not yet done before the dose: a missing
//! check, screen, blood pressure or medication review); a review raised by a
//! submission days before the dose alerts on findings only.

use time::{Duration, OffsetDateTime};

use crate::alerts::Severity;
use crate::alliance::{AllianceSummary, RuptureStatus};
use crate::codes::Code;
use crate::contraindications::{Flag, FlagSeverity};

/// The review's verdict; ordered so that the worst reason decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Readiness {
    Ready,
    Caution,
    NotReady,
}

impl Code for Readiness {
    const ALL: &'static [Readiness] = &[Readiness::Ready, Readiness::Caution, Readiness::NotReady];

    fn code(self) -> &'static str {
        match self {
            Readiness::Ready => "ready",
            Readiness::Caution => "caution",
            Readiness::NotReady => "not_ready",
        }
    }
}

impl Readiness {
    /// In words, for pages and messages.
    pub fn label(self) -> &'static str {
        match self {
            Readiness::Ready => "ready",
            Readiness::Caution => "caution",
            Readiness::NotReady => "not ready",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadinessRules {
    /// Recent client alliance at or above this is ready.
    pub alliance_ready: f64,
    /// Below this is not ready; between the two, caution.
    pub alliance_not_ready: f64,
    /// A trend at or below this (points per session) is a caution.
    pub falling_trend: f64,
    pub anxiety_caution: f64,
    pub readiness_caution: f64,
    pub readiness_not_ready: f64,
    pub trust_caution: f64,
    /// A safety screen older than this does not count.
    pub safety_screen_days: i64,
}

impl Default for ReadinessRules {
    fn default() -> Self {
        ReadinessRules {
            alliance_ready: 7.0,
            alliance_not_ready: 5.0,
            falling_trend: -0.5,
            anxiety_caution: 8.0,
            readiness_caution: 4.0,
            readiness_not_ready: 2.0,
            trust_caution: 4.0,
            safety_screen_days: 7,
        }
    }
}

/// The Pre-session Check's raw answers (0-10).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PreSessionCheck {
    pub anxiety: Option<f64>,
    pub readiness: Option<f64>,
    pub trust: Option<f64>,
    pub intention: Option<f64>,
    pub body: Option<f64>,
}

/// The C-SSRS triage level of a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScreenLevel {
    None,
    Low,
    Moderate,
    High,
}

impl ScreenLevel {
    /// The level named by the C-SSRS screener's `risk` category.
    pub fn from_code(code: &str) -> Option<ScreenLevel> {
        match code {
            "none" => Some(ScreenLevel::None),
            "low" => Some(ScreenLevel::Low),
            "moderate" => Some(ScreenLevel::Moderate),
            "high" => Some(ScreenLevel::High),
            _ => None,
        }
    }
}

/// A safety signal since the last screen: a safety finding of another
/// instrument (PHQ-9 item 9, QIDS-SR16 item 12, MADRS item 10), or a safety
/// alert nobody has resolved yet.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetySignal {
    pub severity: Severity,
    /// Already in words: "PHQ-9 item 9 answered 2 on 3 Nov".
    pub what: String,
    /// An open alert (true) rather than a finding in an administration.
    pub open_alert: bool,
}

/// A blood-pressure reading taken before dosing (mmHg).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BloodPressure {
    pub systolic: u16,
    pub diastolic: u16,
}

/// What the clinician confirms on the review page just before the dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DoseChecks {
    pub blood_pressure: Option<BloodPressure>,
    /// The client's current medications gone through again for this dose.
    pub medications_confirmed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SafetyScreen {
    pub at: OffsetDateTime,
    /// `None` when the screen left the level undecided (items missing).
    pub level: Option<ScreenLevel>,
}

#[derive(Debug, Clone)]
pub struct ReadinessInput<'a> {
    pub alliance: &'a AllianceSummary,
    pub pre_session: Option<PreSessionCheck>,
    pub last_safety_screen: Option<SafetyScreen>,
    /// Safety findings dated after the last screen, and open safety alerts.
    pub safety_signals: &'a [SafetySignal],
    pub contraindications: &'a [Flag],
    pub preparation_held: u32,
    pub preparation_required: u32,
    pub intentions_recorded: bool,
    /// Ketamine and esketamine: blood pressure is taken before every dose.
    pub blood_pressure_needed: bool,
    pub checks: DoseChecks,
    /// The time the review is made as of: the medicine session's.
    pub now: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub code: &'static str,
    pub outcome: Readiness,
    pub message: String,
    /// Something still to do before the dose, not a finding.
    pub to_do: bool,
}

/// Reason codes that name something still to do rather than a finding.
const TO_DO: &[&str] = &[
    "pre_session_missing",
    "readiness_unanswered",
    "safety_screen_missing",
    "preparation_incomplete",
    "intentions_missing",
    "blood_pressure_missing",
    "medications_unconfirmed",
];

#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessReview {
    pub outcome: Readiness,
    /// Every finding, worst first; `Ready` reasons are notes that change nothing.
    pub reasons: Vec<Reason>,
}

fn n(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

pub fn review(input: &ReadinessInput<'_>, rules: &ReadinessRules) -> ReadinessReview {
    let mut reasons = Vec::new();
    let mut add = |code: &'static str, outcome, message: String| {
        reasons.push(Reason {
            code,
            outcome,
            message,
            to_do: TO_DO.contains(&code),
        })
    };

    // The alliance, from the client's side.
    let a = input.alliance;
    match a.recent_client {
        None => add("alliance_unmeasured", Readiness::NotReady, "No client alliance rating yet: the alliance must be measured (and built) before a medicine session.".into()),
        Some(level) if level < rules.alliance_not_ready => add("alliance_low", Readiness::NotReady, format!("Recent client alliance {} is below {}.", n(level), n(rules.alliance_not_ready))),
        Some(level) if level < rules.alliance_ready => add("alliance_moderate", Readiness::Caution, format!("Recent client alliance {} is below {}.", n(level), n(rules.alliance_ready))),
        Some(_) => {}
    }
    if let (Some(latest), Some(level)) = (a.latest_client, a.recent_client)
        && latest < rules.alliance_not_ready
        && level >= rules.alliance_not_ready
    {
        add(
            "alliance_latest_low",
            Readiness::NotReady,
            format!(
                "The client's latest alliance rating is {}, below {}.",
                n(latest),
                n(rules.alliance_not_ready)
            ),
        );
    }
    if let Some(t) = a.trend
        && t <= rules.falling_trend
    {
        add(
            "alliance_falling",
            Readiness::Caution,
            format!("Client alliance is falling ({} per session).", n(t)),
        );
    }
    // A rupture is repaired before a dose: pending or unrepaired, it is not ready.
    if let Some(r) = a.open_rupture() {
        let state = match r.status {
            RuptureStatus::Unrepaired => "unrepaired",
            _ => "not yet repaired",
        };
        add(
            "rupture_open",
            Readiness::NotReady,
            format!(
                "Alliance rupture at session {} ({} → {}) is {state}: repair it before a dose.",
                r.session,
                n(r.baseline),
                n(r.value)
            ),
        );
    }
    if let Some(g) = a.current_gap() {
        add(
            "alliance_gap",
            Readiness::Caution,
            format!(
                "Client and therapist see the alliance differently (gap {} at session {}).",
                n(g.gap),
                g.session
            ),
        );
    }

    // The Pre-session Check.
    match input.pre_session {
        None => add(
            "pre_session_missing",
            Readiness::Caution,
            "No Pre-session Check for this dose.".into(),
        ),
        Some(p) => {
            if let Some(x) = p.anxiety
                && x >= rules.anxiety_caution
            {
                add(
                    "anxiety_high",
                    Readiness::Caution,
                    format!("Pre-session anxiety is {} of 10.", n(x)),
                );
            }
            match p.readiness {
                Some(x) if x <= rules.readiness_not_ready => add(
                    "readiness_very_low",
                    Readiness::NotReady,
                    format!("The client rates their readiness {} of 10.", n(x)),
                ),
                Some(x) if x <= rules.readiness_caution => add(
                    "readiness_low",
                    Readiness::Caution,
                    format!("The client rates their readiness {} of 10.", n(x)),
                ),
                Some(_) => {}
                None => add(
                    "readiness_unanswered",
                    Readiness::Caution,
                    "The readiness item was not answered.".into(),
                ),
            }
            if let Some(x) = p.trust
                && x <= rules.trust_caution
            {
                add(
                    "trust_low",
                    Readiness::Caution,
                    format!("Trust in the therapist is {} of 10.", n(x)),
                );
            }
        }
    }

    // Safety screening within the last N days before the session.
    let fresh = input.last_safety_screen.filter(|s| {
        input.now - s.at <= Duration::days(rules.safety_screen_days) && s.at <= input.now
    });
    match fresh.map(|s| s.level) {
        None => add(
            "safety_screen_missing",
            Readiness::NotReady,
            format!(
                "No safety screening (C-SSRS) in the {} days before the session.",
                rules.safety_screen_days
            ),
        ),
        Some(None) => add(
            "safety_screen_incomplete",
            Readiness::NotReady,
            "The last safety screening is incomplete: until it is answered, the risk may be high."
                .into(),
        ),
        Some(Some(ScreenLevel::High)) => add(
            "safety_high",
            Readiness::NotReady,
            "The last safety screening found high risk.".into(),
        ),
        Some(Some(ScreenLevel::Moderate)) => add(
            "safety_moderate",
            Readiness::NotReady,
            "The last safety screening found moderate risk: mental-health consultation first."
                .into(),
        ),
        Some(Some(ScreenLevel::Low)) => add(
            "safety_low",
            Readiness::Caution,
            "The last safety screening found low risk: follow it up.".into(),
        ),
        Some(Some(ScreenLevel::None)) => {}
    }
    for s in input.safety_signals {
        let outcome = if s.severity >= Severity::Urgent {
            Readiness::NotReady
        } else {
            Readiness::Caution
        };
        let (code, message) = if s.open_alert {
            (
                "safety_alert_open",
                format!("An open safety alert: {}", s.what),
            )
        } else {
            (
                "safety_finding_since_screen",
                format!("A safety finding after the last screening: {}", s.what),
            )
        };
        add(code, outcome, message);
    }

    // Contraindications.
    for f in input.contraindications {
        let outcome = match f.severity {
            FlagSeverity::Contraindicated => Readiness::NotReady,
            FlagSeverity::Caution => Readiness::Caution,
            FlagSeverity::Monitor => Readiness::Ready,
        };
        add(f.code, outcome, f.message.clone());
    }

    // Preparation.
    if input.preparation_held < input.preparation_required {
        add(
            "preparation_incomplete",
            Readiness::NotReady,
            format!(
                "{} of {} preparation sessions held.",
                input.preparation_held, input.preparation_required
            ),
        );
    }
    if !input.intentions_recorded {
        add(
            "intentions_missing",
            Readiness::Caution,
            "No intentions recorded for this session.".into(),
        );
    }

    // Just before the dose.
    if input.blood_pressure_needed {
        match input.checks.blood_pressure {
            None => add(
                "blood_pressure_missing",
                Readiness::NotReady,
                "No blood pressure recorded before this ketamine dose.".into(),
            ),
            Some(bp) => add(
                "blood_pressure",
                Readiness::Ready,
                format!(
                    "Blood pressure before dosing {}/{} mmHg.",
                    bp.systolic, bp.diastolic
                ),
            ),
        }
    }
    if !input.checks.medications_confirmed {
        add(
            "medications_unconfirmed",
            Readiness::NotReady,
            "Current medications not confirmed for this dose.".into(),
        );
    }

    reasons.sort_by_key(|r| std::cmp::Reverse(r.outcome));
    ReadinessReview {
        outcome: reasons
            .iter()
            .map(|r| r.outcome)
            .max()
            .unwrap_or(Readiness::Ready),
        reasons,
    }
}

/// Shortest override reason we accept: a few words, not a keystroke.
pub const MIN_OVERRIDE_REASON: usize = 15;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadinessError {
    #[error(
        "the readiness review says not ready ({0}); holding the medicine session needs an override reason"
    )]
    OverrideRequired(String),
    #[error("an override reason needs at least {MIN_OVERRIDE_REASON} characters saying why")]
    ReasonTooShort,
}

/// What may be recorded when a medicine session is held.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorisation {
    pub outcome: Readiness,
    pub override_reason: Option<String>,
}

/// Decides whether a medicine session may be recorded as held.
pub fn authorise(
    review: &ReadinessReview,
    override_reason: Option<&str>,
) -> Result<Authorisation, ReadinessError> {
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    if review.outcome != Readiness::NotReady {
        return Ok(Authorisation {
            outcome: review.outcome,
            override_reason: reason.map(str::to_owned),
        });
    }
    match reason {
        None => {
            let codes: Vec<&str> = review
                .reasons
                .iter()
                .filter(|r| r.outcome == Readiness::NotReady)
                .map(|r| r.code)
                .collect();
            Err(ReadinessError::OverrideRequired(codes.join(", ")))
        }
        Some(r) if r.chars().count() < MIN_OVERRIDE_REASON => Err(ReadinessError::ReasonTooShort),
        Some(r) => Ok(Authorisation {
            outcome: review.outcome,
            override_reason: Some(r.to_owned()),
        }),
    }
}

#[cfg(test)]
mod screen_level_tests {
    use super::ScreenLevel;

    #[test]
    fn risk_codes_name_levels() {
        assert_eq!(
            ScreenLevel::from_code("moderate"),
            Some(ScreenLevel::Moderate)
        );
        assert_eq!(ScreenLevel::from_code("none"), Some(ScreenLevel::None));
        assert_eq!(ScreenLevel::from_code("severe"), None);
    }
}
