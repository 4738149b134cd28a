//! What the rules read of a client's course: its sessions, its plan, the
//! intake, and the measures taken, however the caller holds them (the
//! store's rows, the demo's memory). Session numbers and dates come from
//! here, so that an alert names a session as the clinic numbers it, not by
//! its position among rated sessions.

use std::collections::BTreeMap;

use time::OffsetDateTime;
use uuid::Uuid;

use crate::alliance::{AllianceObservation, AllianceRules, AllianceSummary, summarise};
use crate::course::{Modality, ProtocolTemplate, SessionKind};
use crate::intake::Intake;

/// The Session Alliance Checks, client- and therapist-rated.
pub const ALLIANCE_CLIENT: &str = "alliance-check-client";
pub const ALLIANCE_THERAPIST: &str = "alliance-check-therapist";
/// The check a client fills in before each dose.
pub const PRE_SESSION_CHECK: &str = "pre-session-check";
/// The suicide-risk screen the readiness review reads.
pub const SAFETY_SCREEN: &str = "cssrs-screener";

/// What the rules read of an administration of the client's.
pub trait EarlierAdministration {
    fn instrument(&self) -> &str;
    fn version(&self) -> u32;
    /// Every item answered, so that it can serve as a baseline.
    fn complete(&self) -> bool;
    fn answers(&self) -> &[Option<f64>];
    fn total(&self) -> Option<f64>;
    /// The session it was answered for, if any.
    fn session(&self) -> Option<Uuid>;
    /// When it was answered.
    fn at(&self) -> OffsetDateTime;
}

/// A session of the course as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFacts {
    pub id: Uuid,
    /// The session's own number in the course (1-based).
    pub number: u32,
    pub kind: SessionKind,
    pub scheduled_at: OffsetDateTime,
    pub held_at: Option<OffsetDateTime>,
    pub cancelled: bool,
}

impl SessionFacts {
    /// When it was held, or else when it is (was) planned.
    pub fn when(&self) -> OffsetDateTime {
        self.held_at.unwrap_or(self.scheduled_at)
    }

    /// Neither held nor cancelled.
    pub fn planned(&self) -> bool {
        self.held_at.is_none() && !self.cancelled
    }

    /// "session 5 (3 Nov 2026)": how messages name it.
    pub fn label(&self) -> String {
        let d = self.when().date();
        let month = d.month().to_string();
        format!(
            "session {} ({} {} {})",
            self.number,
            d.day(),
            &month[..3],
            d.year()
        )
    }
}

/// One course of care as the rules read it.
#[derive(Debug, Clone, Copy)]
pub struct CourseFacts<'a> {
    pub id: Uuid,
    pub modality: Modality,
    pub protocol: ProtocolTemplate,
    /// Every session of the course, in any order.
    pub sessions: &'a [SessionFacts],
    /// The client's current intake, once there is one.
    pub intake: Option<&'a Intake>,
}

impl<'a> CourseFacts<'a> {
    pub fn session(&self, id: Uuid) -> Option<&'a SessionFacts> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// When the first medicine session was held, if it was by `at`.
    pub fn first_dose_by(&self, at: OffsetDateTime) -> Option<OffsetDateTime> {
        self.sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Medicine)
            .filter_map(|s| s.held_at)
            .filter(|held| *held <= at)
            .min()
    }

    /// Whole weeks from the first dose to `at`, once there was one.
    pub fn weeks_since_first_dose(&self, at: OffsetDateTime) -> Option<u32> {
        self.first_dose_by(at)
            .map(|first| ((at - first).whole_days().max(0) / 7) as u32)
    }

    /// The medicine session that answers given at `at` for `session` prepare
    /// for: that session if it is one, else the next planned medicine session
    /// within `days` after `at`.
    pub fn dose_ahead(
        &self,
        session: Option<Uuid>,
        at: OffsetDateTime,
        days: i64,
    ) -> Option<&'a SessionFacts> {
        if let Some(s) = session.and_then(|id| self.session(id))
            && s.kind == SessionKind::Medicine
        {
            return Some(s);
        }
        self.sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Medicine && s.planned())
            .filter(|s| s.scheduled_at >= at && s.scheduled_at - at <= time::Duration::days(days))
            .min_by_key(|s| s.scheduled_at)
    }

    /// The medicine session held last before `dose`, if any.
    pub fn previous_dose(&self, dose: &SessionFacts) -> Option<&'a SessionFacts> {
        self.sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Medicine && s.held_at.is_some())
            .filter(|s| s.number < dose.number)
            .max_by_key(|s| s.number)
    }

    /// The Session Alliance Checks of this course by session number, from
    /// sessions numbered up to `through` (all when `None`).
    pub fn alliance_observations(
        &self,
        administrations: &[&dyn EarlierAdministration],
        through: Option<u32>,
    ) -> Vec<AllianceObservation> {
        alliance_observations(self.sessions, administrations, through)
    }

    /// The alliance over sessions numbered up to `through`.
    pub fn alliance(
        &self,
        administrations: &[&dyn EarlierAdministration],
        through: Option<u32>,
    ) -> AllianceSummary {
        summarise(
            &self.alliance_observations(administrations, through),
            &AllianceRules::default(),
        )
    }
}

/// The Session Alliance Checks given for `sessions`, by the sessions' own
/// numbers, from sessions numbered up to `through` (all when `None`).
pub fn alliance_observations(
    sessions: &[SessionFacts],
    administrations: &[&dyn EarlierAdministration],
    through: Option<u32>,
) -> Vec<AllianceObservation> {
    let mut by_session: BTreeMap<u32, AllianceObservation> = BTreeMap::new();
    for a in administrations {
        let Some(s) = a
            .session()
            .and_then(|id| sessions.iter().find(|s| s.id == id))
        else {
            continue;
        };
        if through.is_some_and(|n| s.number > n) {
            continue;
        }
        let o = by_session.entry(s.number).or_insert(AllianceObservation {
            session: s.number,
            client: None,
            therapist: None,
        });
        match a.instrument() {
            ALLIANCE_CLIENT => o.client = a.total().or(o.client),
            ALLIANCE_THERAPIST => o.therapist = a.total().or(o.therapist),
            _ => {}
        }
    }
    by_session.into_values().collect()
}
