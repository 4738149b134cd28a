//! The storage boundary of Attune: the [`Store`] trait that every backend
//! implements, the row types it speaks, and what every backend shares without
//! SQL: encryption of sensitive fields ([`crypto`]) and the audit hash chain
//! ([`audit`]). No sqlx type appears in this API.

pub mod access;
pub mod audit;
pub mod crypto;
mod error;
mod facts;
pub mod jobs;
pub mod records;
mod store;
mod types;
pub mod video;

pub use access::{
    AccessStore, CohortTotal, LockPolicy, LoginState, NewPortalLink, NewStaffSession, NewTask,
    PlannedSessionRow, PortalContext, PortalLink, PortalTask, StaffSession, token_hash,
};
// The clinical codes the record stores, defined (with their one text
// mapping) by the domain.
pub use attune_care::Code;
pub use attune_care::alerts::{
    AlertKind, AlertStatus, AlertTransition, CLOSED_WITH_COURSE, NewAlert, Severity,
};
pub use attune_care::course::SessionKind;
pub use attune_care::readiness::Readiness;
pub use attune_instruments::definition::Respondent;
pub use error::{StoreError, report};
pub use facts::CourseRecord;
pub use jobs::{Job, JobKind, JobState, JobStore};
pub use records::{
    Consent, ConsentKind, Intake, IntakeRecord, JournalEntry, MedicationRecord, MedicineRecord,
    NewNote, Note, NoteKind, ReviewReason, ReviewRecord, SessionDetails, SignedReview,
};
pub use store::Store;
pub use types::*;
pub use video::{
    MovementRecord, NewVideo, PercentRect, Region, SessionVideo, SurrogateRecord, VideoAnalysis,
    VideoLayout, VideoStore,
};
