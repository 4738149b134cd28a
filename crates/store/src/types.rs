//! Row types the store speaks. Enums travel as short codes in the database.

use std::fmt;

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use attune_care::Code;
use attune_care::alerts::{AlertKind, AlertStatus, NewAlert, RaisedAlert, Severity};
use attune_care::course::SessionKind;
use attune_care::measure::{EarlierAdministration, Measured};
use attune_instruments::definition::Respondent;

use crate::StoreError;

/// Staff roles. Clients are not staff: they reach only the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Therapist,
    Supervisor,
    Researcher,
}

impl Code for Role {
    const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Therapist,
        Role::Supervisor,
        Role::Researcher,
    ];

    fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Therapist => "therapist",
            Role::Supervisor => "supervisor",
            Role::Researcher => "researcher",
        }
    }
}

/// How an administration was completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletedVia {
    Portal,
    ClinicianEntry,
    Import,
}

impl Code for CompletedVia {
    const ALL: &'static [CompletedVia] = &[
        CompletedVia::Portal,
        CompletedVia::ClinicianEntry,
        CompletedVia::Import,
    ];

    fn code(self) -> &'static str {
        match self {
            CompletedVia::Portal => "portal",
            CompletedVia::ClinicianEntry => "clinician_entry",
            CompletedVia::Import => "import",
        }
    }
}

/// The value of a stored code, or an error naming the field.
pub fn decode<T: Code>(field: &str, code: &str) -> Result<T, StoreError> {
    T::from_code(code).ok_or_else(|| {
        StoreError::invalid(
            field,
            format!(
                "unknown code '{}'",
                code.chars().take(30).collect::<String>()
            ),
        )
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// An argon2id PHC string; never a password.
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: OffsetDateTime,
}

/// A user with the password hash, for login only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

/// Identifying details: encrypted at rest, redacted in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientDetails {
    pub name: String,
    pub contact: Option<String>,
    pub date_of_birth: Option<Date>,
}

impl fmt::Debug for ClientDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientDetails(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClient {
    /// A pseudonymous code (`C-0042`), the only identifier shown in lists.
    pub code: String,
    pub details: ClientDetails,
    pub lead_therapist: Uuid,
    /// MDMA protocols work as a dyad.
    pub co_therapist: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: Uuid,
    pub code: String,
    pub details: ClientDetails,
    pub lead_therapist: Uuid,
    pub co_therapist: Option<Uuid>,
    pub created_at: OffsetDateTime,
}

/// What a caseload list shows: no identifying details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSummary {
    pub id: Uuid,
    pub code: String,
    pub lead_therapist: Uuid,
    pub co_therapist: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourse {
    pub client: Uuid,
    /// `mdma`, `psilocybin`, `ketamine_im`, ...
    pub modality: String,
    /// `maps_mdma`, `psilocybin_two_dose`, ...
    pub protocol: String,
    pub started_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub id: Uuid,
    pub client: Uuid,
    pub modality: String,
    pub protocol: String,
    pub started_on: Date,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub course: Uuid,
    pub kind: SessionKind,
    /// Position in the course, 1-based.
    pub number: u32,
    pub scheduled_at: OffsetDateTime,
    pub held_at: Option<OffsetDateTime>,
    /// Recorded when a medicine session is held despite a "not ready" review.
    pub readiness_override: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: Uuid,
    pub course: Uuid,
    pub kind: SessionKind,
    pub number: u32,
    pub scheduled_at: OffsetDateTime,
    pub held_at: Option<OffsetDateTime>,
    pub readiness_override: Option<String>,
    /// A planned session that will not take place, and why.
    pub cancelled: Option<Cancellation>,
}

impl Session {
    /// Planned: neither held nor cancelled.
    pub fn planned(&self) -> bool {
        self.held_at.is_none() && self.cancelled.is_none()
    }

    /// When it was held, or else when it is (was) planned.
    pub fn when(&self) -> OffsetDateTime {
        self.held_at.unwrap_or(self.scheduled_at)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub at: OffsetDateTime,
    pub reason: CancelReason,
}

/// Why a session did not take place: codes rather than free text, so that
/// no-shows and cancellations can be counted and nothing identifying is
/// written in clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelReason {
    ClientCancelled,
    ClinicCancelled,
    NoShow,
    ClinicalReason,
    Other,
}

impl Code for CancelReason {
    const ALL: &'static [CancelReason] = &[
        CancelReason::ClientCancelled,
        CancelReason::ClinicCancelled,
        CancelReason::NoShow,
        CancelReason::ClinicalReason,
        CancelReason::Other,
    ];

    fn code(self) -> &'static str {
        match self {
            CancelReason::ClientCancelled => "client_cancelled",
            CancelReason::ClinicCancelled => "clinic_cancelled",
            CancelReason::NoShow => "no_show",
            CancelReason::ClinicalReason => "clinical_reason",
            CancelReason::Other => "other",
        }
    }
}

impl CancelReason {
    pub fn label(self) -> &'static str {
        match self {
            CancelReason::ClientCancelled => "cancelled by the client",
            CancelReason::ClinicCancelled => "cancelled by the clinic",
            CancelReason::NoShow => "the client did not come",
            CancelReason::ClinicalReason => "postponed for a clinical reason",
            CancelReason::Other => "other reason",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAdministration {
    /// Chosen by the submitter; a retry with the same key stores nothing new.
    pub idempotency_key: String,
    pub client: Uuid,
    pub course: Option<Uuid>,
    pub session: Option<Uuid>,
    /// The protocol time point by name (`baseline`, `week 3`, `follow-up`).
    pub time_point: Option<String>,
    pub instrument: String,
    pub instrument_version: u32,
    pub respondent: Respondent,
    pub responses: Vec<Option<f64>>,
    pub wording_pack: Option<String>,
    pub wording_kind: Option<String>,
    pub completed_via: CompletedVia,
    pub administered_at: OffsetDateTime,
    pub total: Option<f64>,
    pub band: Option<String>,
    pub complete: bool,
    pub prorated: bool,
    pub scorer: String,
    /// Raised in the same transaction as the administration.
    pub alerts: Vec<NewAlert>,
    /// A correction names the administration it replaces; the original stays.
    pub supersedes: Option<Uuid>,
}

/// Where an administration belongs and how it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Chosen by the submitter; a retry with the same key stores nothing new.
    pub idempotency_key: String,
    pub client: Uuid,
    pub course: Option<Uuid>,
    pub session: Option<Uuid>,
    pub time_point: Option<String>,
    pub via: CompletedVia,
    pub at: OffsetDateTime,
}

impl NewAdministration {
    /// The record of what the care workflow measured, placed in the course.
    pub fn measured(m: Measured, place: Placement) -> NewAdministration {
        NewAdministration {
            idempotency_key: place.idempotency_key,
            client: place.client,
            course: place.course,
            session: place.session,
            time_point: place.time_point,
            instrument: m.score.instrument,
            instrument_version: m.score.version,
            respondent: m.respondent,
            responses: m.values,
            wording_pack: m.wording.as_ref().map(|w| w.pack.clone()),
            wording_kind: m.wording.as_ref().map(|w| w.kind.as_str().to_owned()),
            completed_via: place.via,
            administered_at: place.at,
            total: m.score.total,
            band: m.score.band,
            complete: m.score.complete,
            prorated: m.score.prorated,
            scorer: m.score.scorer.to_owned(),
            alerts: m.alerts,
            supersedes: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub id: Uuid,
    /// False when the idempotency key was seen before: the earlier record stands.
    pub created: bool,
    pub alerts: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Administration {
    pub id: Uuid,
    pub idempotency_key: String,
    pub client: Uuid,
    pub course: Option<Uuid>,
    pub session: Option<Uuid>,
    pub time_point: Option<String>,
    pub instrument: String,
    pub instrument_version: u32,
    pub respondent: Respondent,
    pub responses: Vec<Option<f64>>,
    pub wording_pack: Option<String>,
    pub wording_kind: Option<String>,
    pub completed_via: CompletedVia,
    pub administered_at: OffsetDateTime,
    pub total: Option<f64>,
    pub band: Option<String>,
    pub complete: bool,
    pub prorated: bool,
    pub scorer: String,
    pub supersedes: Option<Uuid>,
}

impl EarlierAdministration for Administration {
    fn instrument(&self) -> &str {
        &self.instrument
    }
    fn version(&self) -> u32 {
        self.instrument_version
    }
    fn complete(&self) -> bool {
        self.complete && self.total.is_some()
    }
    fn answers(&self) -> &[Option<f64>] {
        &self.responses
    }
    fn total(&self) -> Option<f64> {
        self.total
    }
    fn session(&self) -> Option<Uuid> {
        self.session
    }
    fn at(&self) -> OffsetDateTime {
        self.administered_at
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAlert {
    pub id: Uuid,
    pub client: Uuid,
    pub administration: Option<Uuid>,
    pub kind: AlertKind,
    pub severity: Severity,
    /// The instrument whose scores raised it, for alerts about one.
    pub instrument: Option<String>,
    pub course: Option<Uuid>,
    /// The session it is about (its number and date are in the message).
    pub session: Option<Uuid>,
    /// What makes two alerts of one kind the same problem (see `NewAlert`).
    pub episode: Option<Uuid>,
    pub message: String,
    pub status: AlertStatus,
    pub routed_to: Option<Uuid>,
    pub raised_at: OffsetDateTime,
}

impl RaisedAlert for StoredAlert {
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
        Some(self.raised_at)
    }
    fn is_active(&self) -> bool {
        self.status.is_active()
    }
}

/// Counts for summaries (the demo, `attune status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub users: u64,
    pub clients: u64,
    pub courses: u64,
    pub sessions: u64,
    pub administrations: u64,
    pub alerts: u64,
    pub audit_events: u64,
}

/// Responses as stored: comma-separated numbers, `-` for a missing answer.
pub fn encode_responses(responses: &[Option<f64>]) -> String {
    responses
        .iter()
        .map(|r| r.map_or_else(|| "-".to_owned(), |v| v.to_string()))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn decode_responses(text: &str) -> Result<Vec<Option<f64>>, StoreError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|t| match t {
            "-" => Ok(None),
            t => t.parse::<f64>().map(Some).map_err(|_| {
                StoreError::invalid("responses", format!("stored value '{t}' is not a number"))
            }),
        })
        .collect()
}

/// Checks a new staff account before any row is written.
pub fn check_user(u: &NewUser) -> Result<(), StoreError> {
    let name = &u.username;
    let ok = (3..=40).contains(&name.len())
        && name.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-' || c == '_'
        });
    if !ok {
        return Err(StoreError::invalid(
            "username",
            "3-40 of a-z, 0-9, '.', '-', '_'",
        ));
    }
    if u.display_name.trim().is_empty() || u.display_name.chars().count() > 100 {
        return Err(StoreError::invalid("display name", "1-100 characters"));
    }
    if !u.password_hash.starts_with("$argon2id$") {
        return Err(StoreError::invalid(
            "password hash",
            "must be an argon2id PHC string",
        ));
    }
    Ok(())
}

/// Checks a new client: a pseudonymous code (not a name) and a name in bounds.
pub fn check_client(c: &NewClient) -> Result<(), StoreError> {
    let code = &c.code;
    let ok = (2..=24).contains(&code.len())
        && code
            .chars()
            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '-');
    if !ok {
        return Err(StoreError::invalid(
            "client code",
            "2-24 of A-Z, 0-9, '-' (a pseudonym, not a name)",
        ));
    }
    check_details(&c.details)
}

/// Checks a client's identifying details.
pub fn check_details(d: &ClientDetails) -> Result<(), StoreError> {
    if d.name.trim().is_empty() || d.name.chars().count() > 200 {
        return Err(StoreError::invalid("name", "1-200 characters"));
    }
    if d.contact.as_ref().is_some_and(|c| c.chars().count() > 200) {
        return Err(StoreError::invalid("contact", "at most 200 characters"));
    }
    Ok(())
}

/// Checks a new course's codes.
pub fn check_course(c: &NewCourse) -> Result<(), StoreError> {
    for (field, v) in [("modality", &c.modality), ("protocol", &c.protocol)] {
        if v.is_empty() || v.len() > 40 {
            return Err(StoreError::invalid(field, "1-40 characters"));
        }
    }
    Ok(())
}

/// Checks a new administration before any row is written.
pub fn check_administration(a: &NewAdministration) -> Result<(), StoreError> {
    let key = &a.idempotency_key;
    if key.is_empty()
        || key.len() > 128
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(StoreError::invalid(
            "idempotency_key",
            "1-128 of A-Z, a-z, 0-9, '-', '_'",
        ));
    }
    if a.responses.iter().flatten().any(|v| !v.is_finite()) {
        return Err(StoreError::invalid(
            "responses",
            "every answer must be a finite number",
        ));
    }
    if a.time_point
        .as_ref()
        .is_some_and(|t| t.trim().is_empty() || t.chars().count() > 40)
    {
        return Err(StoreError::invalid("time_point", "1-40 characters"));
    }
    if a.total.is_some_and(|t| !t.is_finite()) {
        return Err(StoreError::invalid("total", "must be a finite number"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_round_trip() {
        let r = vec![Some(1.0), None, Some(2.5), Some(0.0)];
        assert_eq!(encode_responses(&r), "1,-,2.5,0");
        assert_eq!(decode_responses("1,-,2.5,0").unwrap(), r);
        assert!(decode_responses("1,x").is_err());
        assert_eq!(decode_responses("").unwrap(), Vec::<Option<f64>>::new());
    }

    #[test]
    fn codes_round_trip_and_reject_unknown() {
        for r in Role::ALL {
            assert_eq!(decode::<Role>("role", r.code()).unwrap(), *r);
        }
        for v in CompletedVia::ALL {
            assert_eq!(decode::<CompletedVia>("via", v.code()).unwrap(), *v);
        }
        let err = decode::<Role>("role", "root").unwrap_err();
        assert!(err.to_string().contains("role"), "{err}");
    }

    #[test]
    fn sensitive_types_redact_debug() {
        let d = ClientDetails {
            name: "Ada".into(),
            contact: None,
            date_of_birth: None,
        };
        assert!(!format!("{d:?}").contains("Ada"));
    }
}
