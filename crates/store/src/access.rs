//! Web access kept in the record: staff sessions, login throttling, and
//! portal links with the tasks they carry. Tokens never reach the store:
//! callers pass the SHA-256 of a token ([`token_hash`]), so a copy of the
//! database opens no session and no portal.

use std::fmt;
use std::future::Future;

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::SessionKind;
use crate::audit::Actor;
use crate::store::Result;
use crate::types::{
    Administration, ClientSummary, NewAdministration, StoredAlert, Submitted, User,
};

/// The hex SHA-256 of a bearer token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(Clone, PartialEq, Eq)]
pub struct NewStaffSession {
    pub token_hash: String,
    pub user: Uuid,
    /// Sent back with every state-changing request (forms and htmx).
    pub csrf_token: String,
    pub origin: String,
    /// The absolute end of the session, whatever its activity.
    pub expires_at: OffsetDateTime,
}

#[derive(Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub token_hash: String,
    pub user: User,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

impl fmt::Debug for StaffSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaffSession")
            .field("user", &self.user.username)
            .field("last_seen_at", &self.last_seen_at)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for NewStaffSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewStaffSession")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Throttling state of one username.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginState {
    pub failures: u32,
    pub locked_until: Option<OffsetDateTime>,
}

impl LoginState {
    pub fn locked_at(&self, at: OffsetDateTime) -> bool {
        self.locked_until.is_some_and(|u| u > at)
    }
}

/// When repeated failures lock an account, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    pub after_failures: u32,
    pub lock_for: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub instrument: String,
    pub instrument_version: u32,
    pub course: Option<Uuid>,
    pub session: Option<Uuid>,
    pub time_point: Option<String>,
    /// Opens in the portal only from then (a measure for after a planned session).
    pub available_from: Option<OffsetDateTime>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct NewPortalLink {
    pub token_hash: String,
    pub client: Uuid,
    pub created_by: Uuid,
    pub expires_at: OffsetDateTime,
    pub tasks: Vec<NewTask>,
}

impl fmt::Debug for NewPortalLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewPortalLink")
            .field("client", &self.client)
            .field("tasks", &self.tasks)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PortalTask {
    pub id: Uuid,
    pub link: Uuid,
    pub position: u32,
    pub instrument: String,
    pub instrument_version: u32,
    pub course: Option<Uuid>,
    pub session: Option<Uuid>,
    pub time_point: Option<String>,
    pub available_from: Option<OffsetDateTime>,
    /// Answers saved so far; empty before the first save.
    pub draft: Vec<Option<f64>>,
    pub draft_saved_at: Option<OffsetDateTime>,
    /// Set once the task is submitted.
    pub administration: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PortalLink {
    pub id: Uuid,
    pub client: Uuid,
    pub created_by: Uuid,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub revoked: bool,
    pub tasks: Vec<PortalTask>,
}

impl PortalTask {
    pub fn open_at(&self, at: OffsetDateTime) -> bool {
        self.available_from.is_none_or(|from| from <= at)
    }
}

impl PortalLink {
    /// Whether the link still opens anything at `at`.
    pub fn usable_at(&self, at: OffsetDateTime) -> bool {
        !self.revoked
            && at < self.expires_at
            && self.tasks.iter().any(|t| t.administration.is_none())
    }
}

/// A session a protocol template plans, stored with its course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSessionRow {
    pub kind: SessionKind,
    pub number: u32,
    pub scheduled_at: OffsetDateTime,
}

/// A link with what a submission through it needs to know of its client.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalContext {
    pub link: PortalLink,
    pub administrations: Vec<Administration>,
    pub alerts: Vec<StoredAlert>,
    /// The client's courses with their sessions (by number): the care
    /// rules read session numbers, dates and the plan from them.
    pub courses: Vec<(crate::Course, Vec<crate::Session>)>,
    /// The current intake, for the readiness review ahead of a dose.
    pub intake: Option<crate::records::IntakeRecord>,
}

/// One scored administration as cohort figures read it: no identifying
/// detail, no answers; the client id only to group by.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortTotal {
    pub client: Uuid,
    pub lead_therapist: Uuid,
    pub co_therapist: Option<Uuid>,
    pub course: Option<Uuid>,
    pub session_kind: Option<SessionKind>,
    pub session_number: Option<u32>,
    pub instrument: String,
    pub total: f64,
    pub administered_at: OffsetDateTime,
}

/// The web layer's part of the record. Session and throttling rows are not
/// client data and are not audited per request; logins, logouts, unlocks and
/// every portal read and write are.
pub trait AccessStore: Send + Sync {
    fn open_staff_session(
        &self,
        actor: &Actor,
        new: NewStaffSession,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The session and its (active) user; `None` when unknown, or the user is disabled.
    fn staff_session(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<StaffSession>>> + Send;
    fn touch_staff_session(
        &self,
        token_hash: &str,
        at: OffsetDateTime,
    ) -> impl Future<Output = Result<()>> + Send;
    fn close_staff_session(
        &self,
        actor: &Actor,
        token_hash: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The account's TOTP secret, when two-step sign-in is on.
    fn totp_secret(&self, user: Uuid) -> impl Future<Output = Result<Option<Vec<u8>>>> + Send;
    /// Turns two-step sign-in on (a secret) or off (`None`); audited.
    fn set_totp(
        &self,
        actor: &Actor,
        user: Uuid,
        secret: Option<Vec<u8>>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Records that a one-time code of time step `step` was used to sign in;
    /// false if that step or a later one was used already (a replay). A new
    /// secret starts afresh.
    fn claim_totp_step(&self, user: Uuid, step: u64) -> impl Future<Output = Result<bool>> + Send;

    /// A clinic-wide setting an admin changed (crisis information, how long
    /// portal links last, ...), by key; `None` while the default holds.
    fn clinic_setting(&self, key: &str) -> impl Future<Output = Result<Option<String>>> + Send;
    /// Sets a clinic-wide setting; audited (no client data).
    fn set_clinic_setting(
        &self,
        actor: &Actor,
        key: &str,
        value: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    fn login_state(&self, username: &str) -> impl Future<Output = Result<LoginState>> + Send;
    /// Counts a failure and locks the name when the policy says so.
    fn record_login_failure(
        &self,
        username: &str,
        policy: LockPolicy,
    ) -> impl Future<Output = Result<LoginState>> + Send;
    /// After a successful login, or an admin's unlock (audited).
    fn clear_login_failures(
        &self,
        actor: &Actor,
        username: &str,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Usernames locked now, for the admin page.
    fn locked_logins(&self) -> impl Future<Output = Result<Vec<(String, LoginState)>>> + Send;

    /// A client's care team without any identifying detail: what an access
    /// check reads before deciding whether the record may be opened at all.
    fn care_team(&self, client: Uuid)
    -> impl Future<Output = Result<Option<ClientSummary>>> + Send;
    /// Which client and course a session belongs to (for access checks).
    fn session_owner(
        &self,
        session: Uuid,
    ) -> impl Future<Output = Result<Option<(Uuid, Uuid)>>> + Send;
    /// Which client an alert is about: what an access check reads before
    /// anyone may act on the alert.
    fn alert_client(&self, alert: Uuid) -> impl Future<Output = Result<Option<Uuid>>> + Send;
    /// Every alert of one client, newest first.
    fn client_alerts(
        &self,
        actor: &Actor,
        client: Uuid,
    ) -> impl Future<Output = Result<Vec<StoredAlert>>> + Send;

    /// Totals of the given instruments across the whole clinic, oldest first,
    /// for aggregate figures (the clinic's alliance distribution, cohort
    /// analytics). One audit event records the cohort read.
    fn cohort_totals(
        &self,
        actor: &Actor,
        instruments: &[&str],
    ) -> impl Future<Output = Result<Vec<CohortTotal>>> + Send;

    fn create_portal_link(
        &self,
        actor: &Actor,
        new: NewPortalLink,
    ) -> impl Future<Output = Result<PortalLink>> + Send;
    /// The link and its tasks; `None` for an unknown token.
    fn portal_link(
        &self,
        actor: &Actor,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<PortalLink>>> + Send;
    /// A new course and every session its protocol plans, in one transaction.
    fn create_planned_course(
        &self,
        actor: &Actor,
        new: crate::types::NewCourse,
        sessions: Vec<PlannedSessionRow>,
    ) -> impl Future<Output = Result<crate::types::Course>> + Send;

    /// A submission through a portal link, whole, in one write transaction:
    /// reads what scoring needs (the link with its tasks, the client's
    /// administrations for change from baseline, their alerts so that a
    /// problem is not raised twice), hands it to `build` (`None` for an
    /// unknown link), and stores what `build` returns as the completion of
    /// `task`: the administration, its alerts and the task's link to it.
    /// `build` returning `Ok(None)` or an error stores nothing but the
    /// audit of the reads. Each read and write is audited as the separate
    /// calls would be. One transaction instead of a read and a write halves
    /// the portal's busiest request (see ARCHITECTURE.md, "Durability").
    fn submit_through_link<F, E>(
        &self,
        actor: &Actor,
        token_hash: &str,
        task: Uuid,
        build: F,
    ) -> impl Future<Output = std::result::Result<Option<Submitted>, E>> + Send
    where
        F: FnOnce(Option<&PortalContext>) -> std::result::Result<Option<NewAdministration>, E>
            + Send,
        E: From<crate::StoreError> + Send;
    fn portal_links(
        &self,
        actor: &Actor,
        client: Uuid,
    ) -> impl Future<Output = Result<Vec<PortalLink>>> + Send;
    /// Withdraws a link of this client: it opens nothing from now on.
    fn revoke_portal_link(
        &self,
        actor: &Actor,
        client: Uuid,
        link: Uuid,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Saves the answers given so far; refused once the task is submitted.
    fn save_draft(
        &self,
        actor: &Actor,
        task: Uuid,
        answers: &[Option<f64>],
    ) -> impl Future<Output = Result<()>> + Send;
    /// Stores the administration and marks the task done, in one transaction.
    /// A retry (same idempotency key) returns the first submission.
    fn complete_task(
        &self,
        actor: &Actor,
        task: Uuid,
        new: NewAdministration,
    ) -> impl Future<Output = Result<Submitted>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_hash_is_hex_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lock_ends_at_its_time() {
        let t = OffsetDateTime::UNIX_EPOCH;
        let s = LoginState {
            failures: 5,
            locked_until: Some(t + Duration::minutes(15)),
        };
        assert!(s.locked_at(t));
        assert!(!s.locked_at(t + Duration::minutes(15)));
        assert!(!LoginState::default().locked_at(t));
    }
}
