//! The `Store` trait: every backend implements it, one contract suite
//! (`store-tests`) proves each one. Every method that touches client data
//! takes the acting [`Actor`] and appends an audit event in the same
//! transaction as the read or write it records.

use std::future::Future;

use uuid::Uuid;

use crate::AlertTransition;
use crate::StoreError;
use crate::audit::{Actor, AuditEvent, Verification};
use crate::records::{
    Consent, ConsentKind, Intake, IntakeRecord, JournalEntry, NewNote, Note, SessionDetails,
};
use crate::types::*;

pub type Result<T> = std::result::Result<T, StoreError>;

pub trait Store: Send + Sync {
    // Staff.
    fn create_user(&self, actor: &Actor, new: NewUser)
    -> impl Future<Output = Result<User>> + Send;
    fn credentials(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<Option<Credentials>>> + Send;
    fn users(&self) -> impl Future<Output = Result<Vec<User>>> + Send;
    fn set_user_active(
        &self,
        actor: &Actor,
        username: &str,
        active: bool,
    ) -> impl Future<Output = Result<User>> + Send;
    fn add_supervision(
        &self,
        actor: &Actor,
        supervisor: Uuid,
        supervisee: Uuid,
    ) -> impl Future<Output = Result<()>> + Send;
    fn supervisees(&self, supervisor: Uuid) -> impl Future<Output = Result<Vec<Uuid>>> + Send;

    // Clients and their care.
    fn create_client(
        &self,
        actor: &Actor,
        new: NewClient,
    ) -> impl Future<Output = Result<Client>> + Send;
    fn client(&self, actor: &Actor, id: Uuid) -> impl Future<Output = Result<Client>> + Send;
    /// Corrects the identifying details (name, contact, date of birth),
    /// sealed as at creation; the code and the care team stay. Audited.
    fn update_client_details(
        &self,
        actor: &Actor,
        id: Uuid,
        details: ClientDetails,
    ) -> impl Future<Output = Result<Client>> + Send;
    /// Clients on whose care team `therapist` is (lead or co-therapist).
    fn caseload(
        &self,
        actor: &Actor,
        therapist: Uuid,
    ) -> impl Future<Output = Result<Vec<ClientSummary>>> + Send;
    fn create_course(
        &self,
        actor: &Actor,
        new: NewCourse,
    ) -> impl Future<Output = Result<Course>> + Send;
    fn courses(
        &self,
        actor: &Actor,
        client: Uuid,
    ) -> impl Future<Output = Result<Vec<Course>>> + Send;
    fn add_session(
        &self,
        actor: &Actor,
        new: NewSession,
    ) -> impl Future<Output = Result<Session>> + Send;
    fn sessions(
        &self,
        actor: &Actor,
        course: Uuid,
    ) -> impl Future<Output = Result<Vec<Session>>> + Send;
    /// Records a planned session as held, once; a medicine session held over a
    /// "not ready" review carries the override reason.
    fn hold_session(
        &self,
        actor: &Actor,
        session: Uuid,
        held_at: time::OffsetDateTime,
        readiness_override: Option<String>,
    ) -> impl Future<Output = Result<Session>> + Send;

    /// Signs the readiness review of a medicine session, as shown, with the
    /// alert it raises (if any) in the same transaction; returns the review
    /// and the alert's id.
    fn sign_review(
        &self,
        actor: &Actor,
        session: Uuid,
        verdict: attune_care::readiness::Readiness,
        review: crate::records::ReviewRecord,
        by: Uuid,
        alert: Option<crate::NewAlert>,
    ) -> impl Future<Output = Result<(crate::records::SignedReview, Option<Uuid>)>> + Send;
    /// The signed reviews of a session, oldest first.
    fn reviews(
        &self,
        actor: &Actor,
        session: Uuid,
    ) -> impl Future<Output = Result<Vec<crate::records::SignedReview>>> + Send;

    /// Moves a planned session to another time; refused once it is held or
    /// cancelled.
    fn reschedule_session(
        &self,
        actor: &Actor,
        session: Uuid,
        scheduled_at: time::OffsetDateTime,
    ) -> impl Future<Output = Result<Session>> + Send;
    /// Records that a planned session will not take place; refused once it
    /// is held or cancelled. The session stays in the course, marked.
    fn cancel_session(
        &self,
        actor: &Actor,
        session: Uuid,
        reason: crate::CancelReason,
    ) -> impl Future<Output = Result<Session>> + Send;

    // The client's intake: each save is a new version; the latest is current.
    fn save_intake(
        &self,
        actor: &Actor,
        client: Uuid,
        record: IntakeRecord,
        by: Option<Uuid>,
    ) -> impl Future<Output = Result<Intake>> + Send;
    /// Every version, oldest first.
    fn intakes(
        &self,
        actor: &Actor,
        client: Uuid,
    ) -> impl Future<Output = Result<Vec<Intake>>> + Send;
    /// Setting, people present, medicine details: each save is a new version.
    fn save_session_details(
        &self,
        actor: &Actor,
        session: Uuid,
        details: SessionDetails,
        by: Option<Uuid>,
    ) -> impl Future<Output = Result<u32>> + Send;
    /// The latest version and its number.
    fn session_details(
        &self,
        actor: &Actor,
        session: Uuid,
    ) -> impl Future<Output = Result<Option<(u32, SessionDetails)>>> + Send;

    // Notes, journal, consents.
    fn add_note(&self, actor: &Actor, new: NewNote) -> impl Future<Output = Result<Note>> + Send;
    /// Session notes, and the process notes that `reader` wrote: no one else's.
    fn notes(
        &self,
        actor: &Actor,
        client: Uuid,
        reader: Uuid,
    ) -> impl Future<Output = Result<Vec<Note>>> + Send;
    /// All process notes of a client, for an emergency: the reason is recorded and audited.
    fn process_notes_in_emergency(
        &self,
        actor: &Actor,
        client: Uuid,
        reader: Uuid,
        reason: &str,
    ) -> impl Future<Output = Result<Vec<Note>>> + Send;
    fn add_journal_entry(
        &self,
        actor: &Actor,
        client: Uuid,
        body: &str,
    ) -> impl Future<Output = Result<JournalEntry>> + Send;
    fn journal(
        &self,
        actor: &Actor,
        client: Uuid,
    ) -> impl Future<Output = Result<Vec<JournalEntry>>> + Send;
    fn record_consent(
        &self,
        actor: &Actor,
        client: Uuid,
        kind: ConsentKind,
        granted: bool,
        by: Option<Uuid>,
    ) -> impl Future<Output = Result<Consent>> + Send;
    /// The current decision for each kind ever recorded.
    fn consents(
        &self,
        actor: &Actor,
        client: Uuid,
    ) -> impl Future<Output = Result<Vec<Consent>>> + Send;

    // Measures: stored with their score and any alerts, in one transaction.
    fn submit(
        &self,
        actor: &Actor,
        new: NewAdministration,
    ) -> impl Future<Output = Result<Submitted>> + Send;
    fn administrations(
        &self,
        actor: &Actor,
        client: Uuid,
    ) -> impl Future<Output = Result<Vec<Administration>>> + Send;

    // Alerts.
    fn alerts_for(
        &self,
        actor: &Actor,
        routed_to: Uuid,
        open_only: bool,
    ) -> impl Future<Output = Result<Vec<StoredAlert>>> + Send;
    fn act_on_alert(
        &self,
        actor: &Actor,
        alert: Uuid,
        by: Uuid,
        transition: AlertTransition,
    ) -> impl Future<Output = Result<StoredAlert>> + Send;

    // Integrity.
    fn audit_events(&self) -> impl Future<Output = Result<Vec<AuditEvent>>> + Send;
    fn verify_audit(&self) -> impl Future<Output = Result<Verification>> + Send;
    fn counts(&self) -> impl Future<Output = Result<Counts>> + Send;
    /// Proves the key opens this record's sealed fields (decrypts one, if any).
    fn check_key(&self) -> impl Future<Output = Result<()>> + Send;
}
