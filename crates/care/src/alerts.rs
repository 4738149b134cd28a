//! Alerts: what needs a clinician's attention, who it is routed to, and who
//! acted on it. Safety alerts are raised on the same write that carries the
//! finding; the others come from the rules below.

use attune_instruments::{
    ChangeCategory, Comparison, FindingLevel, Score, definition::SafetyLevel,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::alliance::{AllianceSummary, RuptureStatus};
use crate::readiness::{Readiness, ReadinessReview};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertSeverity {
    Notice,
    Warning,
    Urgent,
    Immediate,
}

impl AlertSeverity {
    pub fn code(self) -> &'static str {
        match self {
            AlertSeverity::Notice => "notice",
            AlertSeverity::Warning => "warning",
            AlertSeverity::Urgent => "urgent",
            AlertSeverity::Immediate => "immediate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertKind {
    Safety {
        instrument: String,
        item: String,
        level: FindingLevel,
    },
    ReliableDeterioration {
        instrument: String,
    },
    NotOnTrack {
        instrument: String,
    },
    Rupture {
        session: u32,
    },
    AllianceGap {
        session: u32,
    },
    Readiness,
}

impl AlertKind {
    pub fn code(&self) -> &'static str {
        match self {
            AlertKind::Safety { .. } => "safety",
            AlertKind::ReliableDeterioration { .. } => "deterioration",
            AlertKind::NotOnTrack { .. } => "not_on_track",
            AlertKind::Rupture { .. } => "rupture",
            AlertKind::AllianceGap { .. } => "alliance_gap",
            AlertKind::Readiness => "readiness",
        }
    }
}

/// An alert a rule raises, before it is stored and routed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlert {
    pub kind: AlertKind,
    pub severity: AlertSeverity,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertAction {
    pub at: OffsetDateTime,
    pub by: Uuid,
    pub to: AlertStatus,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub raised: NewAlert,
    pub raised_at: OffsetDateTime,
    /// The client's lead therapist.
    pub routed_to: Option<Uuid>,
    pub status: AlertStatus,
    pub history: Vec<AlertAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertError {
    #[error("the alert is already resolved")]
    AlreadyResolved,
    #[error("the alert is already acknowledged")]
    AlreadyAcknowledged,
}

impl Alert {
    pub fn open(raised: NewAlert, at: OffsetDateTime, routed_to: Option<Uuid>) -> Alert {
        Alert {
            raised,
            raised_at: at,
            routed_to,
            status: AlertStatus::Open,
            history: Vec::new(),
        }
    }

    pub fn acknowledge(&mut self, by: Uuid, at: OffsetDateTime) -> Result<(), AlertError> {
        match self.status {
            AlertStatus::Open => self.act(by, at, AlertStatus::Acknowledged, None),
            AlertStatus::Acknowledged => Err(AlertError::AlreadyAcknowledged),
            AlertStatus::Resolved => Err(AlertError::AlreadyResolved),
        }
    }

    pub fn resolve(
        &mut self,
        by: Uuid,
        at: OffsetDateTime,
        note: Option<String>,
    ) -> Result<(), AlertError> {
        match self.status {
            AlertStatus::Resolved => Err(AlertError::AlreadyResolved),
            _ => self.act(by, at, AlertStatus::Resolved, note),
        }
    }

    fn act(
        &mut self,
        by: Uuid,
        at: OffsetDateTime,
        to: AlertStatus,
        note: Option<String>,
    ) -> Result<(), AlertError> {
        self.status = to;
        self.history.push(AlertAction { at, by, to, note });
        Ok(())
    }
}

/// Whether two alerts are about the same ongoing problem: the same kind, and
/// for outcome alerts the same instrument. Sessions do not matter: a gap that
/// persists over three sessions is one problem.
fn same_problem(a: &AlertKind, b: &AlertKind) -> bool {
    match (a, b) {
        (
            AlertKind::ReliableDeterioration { instrument: x },
            AlertKind::ReliableDeterioration { instrument: y },
        )
        | (AlertKind::NotOnTrack { instrument: x }, AlertKind::NotOnTrack { instrument: y }) => {
            x == y
        }
        (AlertKind::Safety { .. }, _) | (_, AlertKind::Safety { .. }) => false,
        _ => a.code() == b.code(),
    }
}

/// Drops alerts about a problem that already has an open alert for this
/// client, so that a persisting problem is one alert in the inbox rather than
/// one per session. Safety findings are never held back: each is raised.
pub fn without_duplicates(raised: Vec<NewAlert>, open: &[AlertKind]) -> Vec<NewAlert> {
    let mut kept: Vec<NewAlert> = Vec::new();
    for a in raised {
        let duplicate = open
            .iter()
            .chain(kept.iter().map(|k| &k.kind))
            .any(|o| same_problem(&a.kind, o));
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
            let severity = match f.level {
                FindingLevel::NotAnswered | FindingLevel::Safety(SafetyLevel::Review) => {
                    AlertSeverity::Warning
                }
                FindingLevel::Safety(SafetyLevel::Urgent) => AlertSeverity::Urgent,
                FindingLevel::Safety(SafetyLevel::Immediate) => AlertSeverity::Immediate,
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
                kind: AlertKind::Safety {
                    instrument: score.instrument.clone(),
                    item: f.item.clone(),
                    level: f.level,
                },
                severity,
                message: what,
            }
        })
        .collect()
}

/// Reliable deterioration against the baseline administration.
pub fn from_change(change: &Comparison) -> Option<NewAlert> {
    (change.category == Some(ChangeCategory::Deteriorated)).then(|| NewAlert {
        kind: AlertKind::ReliableDeterioration {
            instrument: change.instrument.clone(),
        },
        severity: AlertSeverity::Urgent,
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
        kind: AlertKind::NotOnTrack { instrument: change.instrument.clone() },
        severity: AlertSeverity::Warning,
        message: format!(
            "{}: {:.0} % improvement {} weeks after the first dose; at least {:.0} % is expected by then.",
            change.instrument,
            achieved * 100.0,
            weeks_since_first_dose,
            fraction * 100.0
        ),
    })
}

/// Alliance alerts for the latest session: a new rupture, or a flagged gap.
pub fn from_alliance(summary: &AllianceSummary, latest_session: u32) -> Vec<NewAlert> {
    let mut out = Vec::new();
    if let Some(r) = summary
        .ruptures
        .iter()
        .find(|r| r.session == latest_session)
        && !matches!(r.status, RuptureStatus::Repaired { .. })
    {
        out.push(NewAlert {
            kind: AlertKind::Rupture { session: r.session },
            severity: AlertSeverity::Warning,
            message: format!(
                "Possible alliance rupture at session {}: the client's rating fell from about {:.1} to {:.1}.",
                r.session, r.baseline, r.value
            ),
        });
    }
    if let Some(g) = summary
        .gaps
        .iter()
        .find(|g| g.session == latest_session && g.flagged)
    {
        let who = if g.gap > 0.0 {
            "the client rates it higher than the therapist"
        } else {
            "the therapist rates it higher than the client"
        };
        out.push(NewAlert {
            kind: AlertKind::AllianceGap { session: g.session },
            severity: AlertSeverity::Notice,
            message: format!(
                "Alliance gap of {:.1} at session {}: {who}.",
                g.gap.abs(),
                g.session
            ),
        });
    }
    out
}

/// A readiness review that is not "ready" before a medicine session.
pub fn from_readiness(review: &ReadinessReview) -> Option<NewAlert> {
    let severity = match review.outcome {
        Readiness::Ready => return None,
        Readiness::Caution => AlertSeverity::Notice,
        Readiness::NotReady => AlertSeverity::Warning,
    };
    let reasons: Vec<&str> = review
        .reasons
        .iter()
        .filter(|r| r.outcome == review.outcome)
        .map(|r| r.message.as_str())
        .collect();
    Some(NewAlert {
        kind: AlertKind::Readiness,
        severity,
        message: format!("Readiness review: {}", reasons.join(" ")),
    })
}
