//! Clinical documents kept as sealed (encrypted) JSON: intakes, session
//! details, notes, journal entries. The JSON is a storage format owned by the
//! store, never an API; it is encrypted before it reaches a database.

use attune_care::Code;
use attune_care::intake::{
    self as care, CardiovascularHistory, DrugClass, Medication, PsychiatricHistory, SudSeverity,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// One medication as recorded at intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicationRecord {
    pub name: String,
    /// The screening class code (`ssri`, `maoi`, `lithium`, ... `other`).
    pub class: String,
    pub dose: Option<String>,
}

impl MedicationRecord {
    /// "name, dose" (or the name alone), as staff write and read it.
    pub fn name_and_dose(&self) -> String {
        match &self.dose {
            Some(d) => format!("{}, {d}", self.name),
            None => self.name.clone(),
        }
    }
}

/// An intake, in the client's words where it says so. Versioned: a change is a new version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeRecord {
    pub presenting_concerns: String,
    pub goals_and_intentions: String,
    pub expectations: String,
    pub fears: String,
    pub trauma_history: bool,
    pub psychosis_personal: bool,
    pub psychosis_family: bool,
    pub bipolar1_personal: bool,
    pub bipolar1_family: bool,
    pub medications: Vec<MedicationRecord>,
    pub uncontrolled_hypertension: bool,
    pub cardiac_disease: bool,
    pub aneurysmal_vascular_disease: bool,
    pub arteriovenous_malformation: bool,
    pub intracerebral_haemorrhage: bool,
    pub active_suicidal_intent: bool,
    /// `mild`, `moderate` or `severe`, when present.
    pub substance_use_disorder: Option<String>,
    pub seizure_disorder: bool,
    pub pregnant: bool,
    pub breastfeeding: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    pub client: Uuid,
    pub version: u32,
    pub record: IntakeRecord,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VitalsRecord {
    pub at: OffsetDateTime,
    pub systolic: Option<u16>,
    pub diastolic: Option<u16>,
    pub heart_rate: Option<u16>,
    pub temperature_c: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdverseEventRecord {
    pub at: OffsetDateTime,
    pub description: String,
    pub serious: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicineRecord {
    pub substance: String,
    pub dose: String,
    pub route: String,
    pub administered_at: Option<OffsetDateTime>,
    pub supplement_dose: Option<String>,
    pub supplement_at: Option<OffsetDateTime>,
    pub ended_at: Option<OffsetDateTime>,
    pub vitals: Vec<VitalsRecord>,
    pub adverse_events: Vec<AdverseEventRecord>,
}

/// What happened in a session beyond its time and type. Versioned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionDetails {
    /// Who was present, in words (`client; lead therapist; co-therapist`).
    pub present: Vec<String>,
    pub room: Option<String>,
    pub music: Option<String>,
    pub lighting: Option<String>,
    pub seating: Option<String>,
    pub medicine: Option<MedicineRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// Part of the record: the care team reads it.
    Session,
    /// Psychotherapy process notes: kept apart, readable by their author only
    /// (or in an audited emergency, with a stated reason).
    Process,
}

impl Code for NoteKind {
    const ALL: &'static [NoteKind] = &[NoteKind::Session, NoteKind::Process];

    fn code(self) -> &'static str {
        match self {
            NoteKind::Session => "session",
            NoteKind::Process => "process",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub client: Uuid,
    pub session: Option<Uuid>,
    pub kind: NoteKind,
    pub author: Uuid,
    pub body: String,
    /// A correction names the note it replaces; the original stays.
    pub supersedes: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: Uuid,
    pub client: Uuid,
    pub session: Option<Uuid>,
    pub kind: NoteKind,
    pub author: Uuid,
    pub body: String,
    pub supersedes: Option<Uuid>,
    pub written_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub id: Uuid,
    pub client: Uuid,
    pub body: String,
    pub written_at: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentKind {
    Treatment,
    VideoRecording,
    CaseHistory,
    Research,
}

impl Code for ConsentKind {
    const ALL: &'static [ConsentKind] = &[
        ConsentKind::Treatment,
        ConsentKind::VideoRecording,
        ConsentKind::CaseHistory,
        ConsentKind::Research,
    ];

    fn code(self) -> &'static str {
        match self {
            ConsentKind::Treatment => "treatment",
            ConsentKind::VideoRecording => "video_recording",
            ConsentKind::CaseHistory => "case_history",
            ConsentKind::Research => "research",
        }
    }
}

/// A consent decision. Consents are never edited: a withdrawal is a new row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub client: Uuid,
    pub kind: ConsentKind,
    pub granted: bool,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: OffsetDateTime,
}

/// One reason of a signed readiness review, as it was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewReason {
    pub code: String,
    /// `ready` (a note), `caution` or `not_ready`.
    pub outcome: String,
    pub message: String,
}

/// What a clinician signed before a medicine session: the reasons as
/// shown and what was confirmed just before the dose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRecord {
    pub reasons: Vec<ReviewReason>,
    /// Systolic and diastolic, mmHg.
    pub blood_pressure: Option<(u16, u16)>,
    pub medications_confirmed: bool,
}

/// A signed readiness review: kept as it was, whatever the record says later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedReview {
    pub id: Uuid,
    pub session: Uuid,
    pub client: Uuid,
    pub verdict: attune_care::readiness::Readiness,
    pub record: ReviewRecord,
    pub signed_by: Uuid,
    pub signed_at: OffsetDateTime,
}

/// The longest free text a note or journal entry may hold.
pub const MAX_BODY: usize = 20_000;

pub fn check_body(field: &str, body: &str) -> Result<(), crate::StoreError> {
    if body.trim().is_empty() || body.chars().count() > MAX_BODY {
        return Err(crate::StoreError::invalid(
            field,
            format!("1-{MAX_BODY} characters"),
        ));
    }
    Ok(())
}

/// Seals a document for a row and purpose.
pub fn seal_json<T: Serialize>(
    cipher: &crate::crypto::Cipher,
    context: &str,
    value: &T,
) -> Result<Vec<u8>, crate::StoreError> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| crate::StoreError::backend(format!("encoding {context}"), e))?;
    cipher.seal(context, &bytes)
}

pub fn open_json<T: for<'de> Deserialize<'de>>(
    cipher: &crate::crypto::Cipher,
    context: &str,
    sealed: &[u8],
) -> Result<T, crate::StoreError> {
    let bytes = cipher.open(context, sealed)?;
    serde_json::from_slice(&bytes).map_err(|_| crate::StoreError::Crypto {
        what: context.to_owned(),
    })
}

impl IntakeRecord {
    pub fn to_care(&self) -> care::Intake {
        let r = self;
        care::Intake {
            presenting_concerns: r.presenting_concerns.clone(),
            goals_and_intentions: r.goals_and_intentions.clone(),
            expectations: r.expectations.clone(),
            fears: r.fears.clone(),
            psychiatric: PsychiatricHistory {
                psychosis_personal: r.psychosis_personal,
                psychosis_family: r.psychosis_family,
                bipolar1_personal: r.bipolar1_personal,
                bipolar1_family: r.bipolar1_family,
                trauma_history: r.trauma_history,
                notes: None,
            },
            medications: r
                .medications
                .iter()
                .map(|m| Medication {
                    name: m.name.clone(),
                    class: DrugClass::from_code(&m.class),
                    dose: m.dose.clone(),
                })
                .collect(),
            cardiovascular: CardiovascularHistory {
                uncontrolled_hypertension: r.uncontrolled_hypertension,
                cardiac_disease: r.cardiac_disease,
                aneurysmal_vascular_disease: r.aneurysmal_vascular_disease,
                arteriovenous_malformation: r.arteriovenous_malformation,
                intracerebral_haemorrhage: r.intracerebral_haemorrhage,
            },
            active_suicidal_intent: r.active_suicidal_intent,
            substance_use_disorder: match r.substance_use_disorder.as_deref() {
                Some("mild") => Some(SudSeverity::Mild),
                Some("moderate") => Some(SudSeverity::Moderate),
                Some("severe") => Some(SudSeverity::Severe),
                _ => None,
            },
            seizure_disorder: r.seizure_disorder,
            pregnant: r.pregnant,
            breastfeeding: r.breastfeeding,
        }
    }
}
