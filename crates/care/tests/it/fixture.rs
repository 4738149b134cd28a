//! A course of care on paper: numbered sessions on known dates, and
//! administrations given for them, as the store or the demo would hold them.

use attune_care::alerts::{AlertKind, AlertStatus, NewAlert, RaisedAlert, Severity};
use attune_care::course::{ProtocolTemplate, SessionKind};
use attune_care::facts::{CourseFacts, EarlierAdministration, SessionFacts};
use attune_care::intake::Intake;
use attune_care::{Code, course::Modality};
use time::{Duration, OffsetDateTime, macros::datetime};
use uuid::Uuid;

/// The first session's day; session n is n - 1 weeks later, at 10:00.
pub const START: OffsetDateTime = datetime!(2026-09-01 10:00 UTC);

pub fn session_id(number: u32) -> Uuid {
    Uuid::from_u128(0x5e55_0000 + u128::from(number))
}

/// Sessions of the given kinds, numbered from 1, one a week; those before
/// `held_before` are held.
pub fn sessions(kinds: &[SessionKind], held_before: OffsetDateTime) -> Vec<SessionFacts> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let at = START + Duration::weeks(i as i64);
            SessionFacts {
                id: session_id(i as u32 + 1),
                number: i as u32 + 1,
                kind: *kind,
                scheduled_at: at,
                held_at: (at < held_before).then_some(at),
                cancelled: false,
            }
        })
        .collect()
}

pub fn course<'a>(
    modality: Modality,
    sessions: &'a [SessionFacts],
    intake: Option<&'a Intake>,
) -> CourseFacts<'a> {
    CourseFacts {
        id: Uuid::from_u128(0xc0),
        modality,
        protocol: ProtocolTemplate::Custom,
        sessions,
        intake,
    }
}

/// An administration given for a session (at its time plus `minutes`).
pub struct Given {
    pub instrument: &'static str,
    pub values: Vec<Option<f64>>,
    pub session: Option<Uuid>,
    pub at: OffsetDateTime,
}

impl Given {
    pub fn at_session(instrument: &'static str, answers: &str, number: u32, minutes: i64) -> Given {
        Given {
            instrument,
            values: values(answers),
            session: Some(session_id(number)),
            at: START + Duration::weeks(i64::from(number) - 1) + Duration::minutes(minutes),
        }
    }
}

impl EarlierAdministration for Given {
    fn instrument(&self) -> &str {
        self.instrument
    }
    fn version(&self) -> u32 {
        1
    }
    fn complete(&self) -> bool {
        self.values.iter().all(Option::is_some)
    }
    fn answers(&self) -> &[Option<f64>] {
        &self.values
    }
    fn total(&self) -> Option<f64> {
        // The Session Alliance Checks are means; enough for these tests.
        let answered: Vec<f64> = self.values.iter().flatten().copied().collect();
        (!answered.is_empty()).then(|| answered.iter().sum::<f64>() / answered.len() as f64)
    }
    fn session(&self) -> Option<Uuid> {
        self.session
    }
    fn at(&self) -> OffsetDateTime {
        self.at
    }
}

pub fn values(text: &str) -> Vec<Option<f64>> {
    text.split_whitespace()
        .map(|v| v.parse::<f64>().ok())
        .collect()
}

/// A stored alert: what a rule raised, with its status and time.
pub struct Stored {
    pub alert: NewAlert,
    pub status: AlertStatus,
    pub at: OffsetDateTime,
}

impl Stored {
    pub fn open(alert: NewAlert, at: OffsetDateTime) -> Stored {
        Stored {
            alert,
            status: AlertStatus::Open,
            at,
        }
    }
}

impl RaisedAlert for Stored {
    fn kind(&self) -> AlertKind {
        self.alert.kind
    }
    fn severity(&self) -> Severity {
        self.alert.severity
    }
    fn instrument(&self) -> Option<&str> {
        self.alert.instrument.as_deref()
    }
    fn episode(&self) -> Option<Uuid> {
        self.alert.episode
    }
    fn message(&self) -> &str {
        &self.alert.message
    }
    fn raised_at(&self) -> Option<OffsetDateTime> {
        Some(self.at)
    }
    fn is_active(&self) -> bool {
        self.status.is_active()
    }
}

/// The kind codes and severities of alerts, for compact assertions.
pub fn kinds(alerts: &[NewAlert]) -> Vec<(&'static str, Severity)> {
    alerts.iter().map(|a| (a.kind.code(), a.severity)).collect()
}
