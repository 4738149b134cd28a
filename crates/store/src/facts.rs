//! The record as the care rules read it: a course with its sessions, plan
//! and intake, owned, so that every write path (portal, clinician entry,
//! API, review, demo) hands the rules the same facts.

use attune_care::course::{Modality, ProtocolTemplate};
use attune_care::facts::{CourseFacts, SessionFacts};
use uuid::Uuid;

use attune_care::readiness::{DoseChecks, ReadinessReview};

use crate::records::{IntakeRecord, ReviewReason, ReviewRecord};
use crate::types::{Course, Session};

impl Session {
    /// This session as the care rules read it.
    pub fn facts(&self) -> SessionFacts {
        SessionFacts {
            id: self.id,
            number: self.number,
            kind: self.kind,
            scheduled_at: self.scheduled_at,
            held_at: self.held_at,
            cancelled: self.cancelled.is_some(),
        }
    }
}

/// One course, owned, from which [`CourseFacts`] are borrowed.
#[derive(Debug, Clone)]
pub struct CourseRecord {
    pub id: Uuid,
    pub modality: Modality,
    pub protocol: ProtocolTemplate,
    pub sessions: Vec<SessionFacts>,
    pub intake: Option<attune_care::intake::Intake>,
}

impl CourseRecord {
    /// An unknown stored modality is screened as "other" (the general
    /// rules); an unknown protocol as a custom one.
    pub fn new(course: &Course, sessions: &[Session], intake: Option<&IntakeRecord>) -> Self {
        CourseRecord {
            id: course.id,
            modality: Modality::from_code(&course.modality).unwrap_or(Modality::Other),
            protocol: ProtocolTemplate::from_code(&course.protocol)
                .unwrap_or(ProtocolTemplate::Custom),
            sessions: sessions.iter().map(Session::facts).collect(),
            intake: intake.map(IntakeRecord::to_care),
        }
    }

    /// The course `id` among a client's courses.
    pub fn find(
        courses: &[(Course, Vec<Session>)],
        id: Uuid,
        intake: Option<&IntakeRecord>,
    ) -> Option<Self> {
        courses
            .iter()
            .find(|(c, _)| c.id == id)
            .map(|(c, s)| CourseRecord::new(c, s, intake))
    }

    pub fn facts(&self) -> CourseFacts<'_> {
        CourseFacts {
            id: self.id,
            modality: self.modality,
            protocol: self.protocol,
            sessions: &self.sessions,
            intake: self.intake.as_ref(),
        }
    }
}

impl ReviewRecord {
    /// A review as it is signed: every reason as shown, and the checks.
    pub fn signed(review: &ReadinessReview, checks: DoseChecks) -> ReviewRecord {
        use attune_care::Code;
        ReviewRecord {
            reasons: review
                .reasons
                .iter()
                .map(|r| ReviewReason {
                    code: r.code.to_owned(),
                    outcome: r.outcome.code().to_owned(),
                    message: r.message.clone(),
                })
                .collect(),
            blood_pressure: checks.blood_pressure.map(|b| (b.systolic, b.diastolic)),
            medications_confirmed: checks.medications_confirmed,
        }
    }
}
