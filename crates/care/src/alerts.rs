//! Alerts: what needs a clinician's attention, who it is routed to, and who
//! acted on it. Safety alerts are raised on the same write that carries the
//! finding; the others come from the rules below.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::alliance::{AllianceSummary, RuptureStatus};
use crate::codes::Code;
use crate::facts::SessionFacts;
use crate::readiness::{Readiness, ReadinessReview};
use attune_instruments::{
    ChangeCategory, Comparison, FindingLevel, Score, definition::SafetyLevel,
};

/// How soon a person must act on an alert, least urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Notice,
    Warning,
    Urgent,
    Immediate,
}

impl Code for Severity {
    const ALL: &'static [Severity] = &[
        Severity::Notice,
        Severity::Warning,
        Severity::Urgent,
        Severity::Immediate,
    ];

    fn code(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Urgent => "urgent",
            Severity::Immediate => "immediate",
        }
    }
}

impl From<SafetyLevel> for Severity {
    fn from(level: SafetyLevel) -> Severity {
        match level {
            SafetyLevel::Review => Severity::Warning,
            SafetyLevel::Urgent => Severity::Urgent,
            SafetyLevel::Immediate => Severity::Immediate,
        }
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// A safety item answered at or above its threshold, or left unanswered.
    Safety,
    /// Reliable deterioration since baseline.
    Deterioration,
    /// Less improvement than expected by this point of the course.
    NotOnTrack,
    /// A drop in the client's alliance rating.
    Rupture,
    /// Client and therapist rate the alliance far apart.
    AllianceGap,
    /// A readiness review short of "ready" before a medicine session.
    Readiness,
}

impl Code for AlertKind {
    const ALL: &'static [AlertKind] = &[
        AlertKind::Safety,
        AlertKind::Deterioration,
        AlertKind::NotOnTrack,
        AlertKind::Rupture,
        AlertKind::AllianceGap,
        AlertKind::Readiness,
    ];

    fn code(self) -> &'static str {
        match self {
            AlertKind::Safety => "safety",
            AlertKind::Deterioration => "deterioration",
            AlertKind::NotOnTrack => "not_on_track",
            AlertKind::Rupture => "rupture",
            AlertKind::AllianceGap => "alliance_gap",
            AlertKind::Readiness => "readiness",
        }
    }
}

impl AlertKind {
    /// Whether an alert of this kind is about one instrument's scores (and so
    /// names it), rather than about the client's course as a whole.
    pub fn about_an_instrument(self) -> bool {
        matches!(
            self,
            AlertKind::Safety | AlertKind::Deterioration | AlertKind::NotOnTrack
        )
    }

    /// Whether completing the course closes an open alert of this kind. A
    /// safety alert stays until a person resolves it: the risk does not end
    /// with the course.
    pub fn closes_with_course(self) -> bool {
        self != AlertKind::Safety
    }
}

/// The reason recorded on alerts closed because their course is complete.
pub const CLOSED_WITH_COURSE: &str = "Closed: the course of care is complete.";

/// An alert a rule raises, before it is stored and routed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    pub kind: AlertKind,
    pub severity: Severity,
    /// The instrument whose scores raised it (safety, deterioration, not on track).
    pub instrument: Option<String>,
    /// The session it is about: the one answered for, the rupture's, the
    /// medicine session reviewed. Its number and date are in the message.
    pub session: Option<Uuid>,
    /// What makes two alerts of one kind the same problem: the rupture (its
    /// session), the gap's first session, the medicine session reviewed.
    /// `None` for problems of the whole course (deterioration on an instrument).
    pub episode: Option<Uuid>,
    pub message: String,
}

/// Where an alert stands: open → acknowledged → resolved (or open → resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
}

impl Code for AlertStatus {
    const ALL: &'static [AlertStatus] = &[
        AlertStatus::Open,
        AlertStatus::Acknowledged,
        AlertStatus::Resolved,
    ];

    fn code(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Acknowledged => "acknowledged",
            AlertStatus::Resolved => "resolved",
        }
    }
}

/// What a person does to an alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertTransition {
    Acknowledge,
    Resolve { note: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertError {
    #[error("the alert is already resolved")]
    AlreadyResolved,
    #[error("the alert is already acknowledged")]
    AlreadyAcknowledged,
}

impl AlertStatus {
    /// The alert life cycle: the status after `transition`, or why it cannot
    /// be taken. A resolved alert is final; acknowledging is done once.
    pub fn after(self, transition: &AlertTransition) -> Result<AlertStatus, AlertError> {
        match (self, transition) {
            (AlertStatus::Resolved, _) => Err(AlertError::AlreadyResolved),
            (AlertStatus::Acknowledged, AlertTransition::Acknowledge) => {
                Err(AlertError::AlreadyAcknowledged)
            }
            (_, AlertTransition::Acknowledge) => Ok(AlertStatus::Acknowledged),
            (_, AlertTransition::Resolve { .. }) => Ok(AlertStatus::Resolved),
        }
    }

    /// Open or acknowledged: someone still has to act.
    pub fn is_active(self) -> bool {
        self != AlertStatus::Resolved
    }
}

/// What the de-duplication rule reads of an alert raised earlier for the
/// same client: the stored alerts, or alerts raised moments before.
pub trait RaisedAlert {
    fn kind(&self) -> AlertKind;
    fn severity(&self) -> Severity;
    fn instrument(&self) -> Option<&str>;
    fn episode(&self) -> Option<Uuid>;
    fn message(&self) -> &str;
    /// When it was raised; `None` for an alert being raised now.
    fn raised_at(&self) -> Option<OffsetDateTime>;
    /// Not yet resolved.
    fn is_active(&self) -> bool;
}

impl RaisedAlert for NewAlert {
    fn kind(&self) -> AlertKind {
        self.kind
    }
    fn severity(&self) -> Severity {
        self.severity
    }
    fn instrument(&self) -> Option<&str> {
        self.instrument.as_deref()
    }
    fn episode(&self) -> Option<Uuid> {
        self.episode
    }
    fn message(&self) -> &str {
        &self.message
    }
    fn raised_at(&self) -> Option<OffsetDateTime> {
        None
    }
    fn is_active(&self) -> bool {
        true
    }
}

/// Whether `new` repeats a problem that `earlier` already stands for: the
/// same kind, about the same instrument, in the same episode, and no more
/// severe. A gap that persists over three sessions is one episode, one
/// problem; a new rupture after a repair is a new episode; a problem that
/// grows more severe is raised again. Safety findings repeat nothing: each
/// is raised.
fn repeats(new: &NewAlert, earlier: &impl RaisedAlert) -> bool {
    new.kind != AlertKind::Safety
        && earlier.is_active()
        && earlier.kind() == new.kind
        && earlier.instrument() == new.instrument.as_deref()
        && earlier.episode() == new.episode
        && earlier.severity() >= new.severity
}

/// Drops alerts about a problem that already has an active alert for this
/// client (or one raised earlier in `raised`), so that a persisting problem is
/// one alert in the inbox rather than one per session.
pub fn without_duplicates<A: RaisedAlert>(raised: Vec<NewAlert>, earlier: &[A]) -> Vec<NewAlert> {
    let mut kept: Vec<NewAlert> = Vec::new();
    for a in raised {
        let duplicate =
            earlier.iter().any(|e| repeats(&a, e)) || kept.iter().any(|k| repeats(&a, k));
        if !duplicate {
            kept.push(a);
        }
    }
    kept
}

/// Safety findings of a score, one alert each, raised at once.
pub fn from_score(score: &Score) -> Vec<NewAlert> {
    score
        .safety
        .iter()
        .map(|f| {
            // An item left blank after an endorsed one counts as its worst answer.
            let level = match (f.level, f.possibly) {
                (FindingLevel::NotAnswered, Some(worst)) => FindingLevel::Safety(worst),
                (level, _) => level,
            };
            let severity = match level {
                FindingLevel::NotAnswered => Severity::Warning,
                FindingLevel::Safety(l) => Severity::from(l),
            };
            let what = match f.value {
                Some(v) => format!(
                    "{} item {} answered {v}: {}",
                    score.instrument, f.item, f.action
                ),
                None => format!(
                    "{} item {} not answered: {}",
                    score.instrument, f.item, f.action
                ),
            };
            NewAlert {
                kind: AlertKind::Safety,
                severity,
                instrument: Some(score.instrument.clone()),
                session: None,
                episode: None,
                message: what,
            }
        })
        .collect()
}

/// Reliable deterioration against the baseline administration.
pub fn from_change(change: &Comparison) -> Option<NewAlert> {
    (change.category == Some(ChangeCategory::Deteriorated)).then(|| NewAlert {
        kind: AlertKind::Deterioration,
        severity: Severity::Urgent,
        instrument: Some(change.instrument.clone()),
        session: None,
        episode: None,
        message: format!(
            "{}: reliable deterioration from {} to {} since baseline.",
            change.instrument, change.before, change.after
        ),
    })
}

/// The expected course after the first medicine session: by `week`, at least
/// `fraction` of the baseline score should be gone. A project rule, set well
/// below trial means so that only clients clearly off course are flagged
/// (Goodwin 2022: MADRS −12.0 at week 3 with 25 mg psilocybin, about a third of
/// baseline; Carhart-Harris 2021: QIDS-SR16 −8.0 of 14.5 at week 6).
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedCourse {
    pub milestones: Vec<(u32, f64)>,
}

impl Default for ExpectedCourse {
    fn default() -> Self {
        ExpectedCourse {
            milestones: vec![(3, 0.15), (6, 0.20), (12, 0.25)],
        }
    }
}

impl ExpectedCourse {
    /// The least improvement expected by `weeks` after the first dose, if any milestone applies.
    pub fn expected_fraction(&self, weeks: u32) -> Option<f64> {
        self.milestones
            .iter()
            .rev()
            .find(|(w, _)| weeks >= *w)
            .map(|(_, f)| *f)
    }
}

/// Not on track: by this point in the course the symptom score has improved
/// less than expected. Only for symptom scales (higher is worse).
pub fn not_on_track(
    change: &Comparison,
    weeks_since_first_dose: u32,
    expected: &ExpectedCourse,
) -> Option<NewAlert> {
    let fraction = expected.expected_fraction(weeks_since_first_dose)?;
    if change.before <= 0.0 {
        return None;
    }
    let achieved = change.improvement / change.before;
    (achieved < fraction).then(|| NewAlert {
        kind: AlertKind::NotOnTrack,
        severity: Severity::Warning,
        instrument: Some(change.instrument.clone()),
        session: None,
        episode: None,
        message: format!(
            "{}: {:.0} % improvement {} weeks after the first dose; at least {:.0} % is expected by then.",
            change.instrument,
            achieved * 100.0,
            weeks_since_first_dose,
            fraction * 100.0
        ),
    })
}

/// Alliance alerts for the latest rated session: a rupture that starts
/// there, or a flagged gap (one alert per run of flagged sessions).
/// Sessions are named by their own number and date.
pub fn from_alliance(
    summary: &AllianceSummary,
    latest: &SessionFacts,
    sessions: &[SessionFacts],
) -> Vec<NewAlert> {
    let by_number = |n: u32| sessions.iter().find(|s| s.number == n);
    let mut out = Vec::new();
    if let Some(r) = summary.ruptures.iter().find(|r| r.session == latest.number)
        && !matches!(r.status, RuptureStatus::Repaired { .. })
    {
        out.push(NewAlert {
            kind: AlertKind::Rupture,
            severity: Severity::Warning,
            instrument: None,
            session: Some(latest.id),
            episode: Some(latest.id),
            message: format!(
                "Possible alliance rupture at {}: the client's rating fell from about {:.1} to {:.1}.",
                latest.label(),
                r.baseline,
                r.value
            ),
        });
    }
    if let Some(g) = summary
        .gaps
        .iter()
        .find(|g| g.session == latest.number && g.flagged)
    {
        // The run of flagged gaps this one belongs to starts the episode.
        let first = summary
            .gaps
            .iter()
            .rev()
            .skip_while(|x| x.session > latest.number)
            .take_while(|x| x.flagged)
            .last()
            .map_or(latest.number, |x| x.session);
        let who = if g.gap > 0.0 {
            "the client rates it higher than the therapist"
        } else {
            "the therapist rates it higher than the client"
        };
        out.push(NewAlert {
            kind: AlertKind::AllianceGap,
            severity: Severity::Notice,
            instrument: None,
            session: Some(latest.id),
            episode: by_number(first).map(|s| s.id),
            message: format!(
                "Alliance gap of {:.1} at {}: {who}.",
                g.gap.abs(),
                latest.label()
            ),
        });
    }
    out
}

/// A readiness review short of "ready" before the medicine session `dose`.
/// With `findings_only`, what is still to do before the dose (a check not yet
/// sent, blood pressure not yet taken) is left out: a review raised by a
/// submission days before the dose alerts on what the record shows.
pub fn from_readiness(
    review: &ReadinessReview,
    dose: &SessionFacts,
    findings_only: bool,
) -> Option<NewAlert> {
    let counted: Vec<_> = review
        .reasons
        .iter()
        .filter(|r| !(findings_only && r.to_do))
        .collect();
    let outcome = counted
        .iter()
        .map(|r| r.outcome)
        .max()
        .unwrap_or(Readiness::Ready);
    let severity = match outcome {
        Readiness::Ready => return None,
        Readiness::Caution => Severity::Notice,
        Readiness::NotReady => Severity::Warning,
    };
    let reasons: Vec<&str> = counted
        .iter()
        .filter(|r| r.outcome == outcome)
        .map(|r| r.message.as_str())
        .collect();
    Some(NewAlert {
        kind: AlertKind::Readiness,
        severity,
        instrument: None,
        session: Some(dose.id),
        episode: Some(dose.id),
        message: format!(
            "Readiness for {}: {}. {}",
            dose.label(),
            outcome.label(),
            reasons.join(" ")
        ),
    })
}
