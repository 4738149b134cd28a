//! The demo's documents: intakes, medicine-session details, notes and journal
//! lines. All fictional, written for this project.

use attune_care::intake::DrugClass;
use attune_store::records::VitalsRecord;
use attune_store::{IntakeRecord, MedicationRecord, MedicineRecord, SessionDetails};
use time::{Duration, OffsetDateTime};

use crate::model::{ClientModel, Program};
use crate::rng::Rng;

/// The intake the clinic recorded for a client. A few clients carry what the
/// contraindication screen should flag: an SSRI not yet tapered, a family
/// history of psychosis, raised blood pressure.
pub fn intake(m: &ClientModel, rng: &mut Rng) -> IntakeRecord {
    let (concerns, goals) = match m.program {
        Program::MdmaPtsd => (
            "Since the assault I keep reliving it; I sleep badly and avoid crowds.",
            "To go out with friends again and sleep through the night.",
        ),
        Program::PsilocybinTwoDose | Program::PsilocybinSingle => (
            "Years of low mood; nothing I tried lifted it for long.",
            "To feel connected to my family and enjoy things again.",
        ),
        Program::KetamineDepression => (
            "Depression that has not answered to three medications.",
            "To get through a working week without collapsing at the end of it.",
        ),
        Program::KetamineAnxiety => (
            "Constant worry; my chest tightens before every meeting.",
            "To worry less and stop checking everything twice.",
        ),
    };
    let mut medications = Vec::new();
    if rng.chance(0.15) {
        medications.push(MedicationRecord {
            name: "sertraline".into(),
            class: DrugClass::Ssri.code().into(),
            dose: Some("50 mg daily".into()),
        });
    }
    if rng.chance(0.1) {
        medications.push(MedicationRecord {
            name: "lorazepam".into(),
            class: DrugClass::Benzodiazepine.code().into(),
            dose: Some("0.5 mg as needed".into()),
        });
    }
    IntakeRecord {
        presenting_concerns: concerns.into(),
        goals_and_intentions: goals.into(),
        expectations: "Hopeful, a little sceptical.".into(),
        fears: "Losing control during the session.".into(),
        trauma_history: m.program == Program::MdmaPtsd || rng.chance(0.3),
        psychosis_family: rng.chance(0.04),
        medications,
        uncontrolled_hypertension: rng.chance(0.04),
        substance_use_disorder: rng.chance(0.05).then(|| "mild".to_owned()),
        ..IntakeRecord::default()
    }
}

/// What happened in a medicine session: who was there, the setting, the dose, vitals.
pub fn medicine_session(m: &ClientModel, dose_at: OffsetDateTime, rng: &mut Rng) -> SessionDetails {
    let (substance, dose, route, supplement) = match m.program {
        Program::MdmaPtsd => ("MDMA", "120 mg", "oral", Some("60 mg")),
        Program::PsilocybinTwoDose | Program::PsilocybinSingle => {
            ("psilocybin", "25 mg", "oral", None)
        }
        Program::KetamineDepression => ("ketamine", "0.5 mg/kg", "intramuscular", None),
        Program::KetamineAnxiety => ("ketamine", "300 mg lozenge", "sublingual", None),
    };
    let mut present = vec!["client".to_owned(), "lead therapist".to_owned()];
    if m.co_therapist.is_some() {
        present.push("co-therapist".to_owned());
    }
    // Blood pressure rises after MDMA and ketamine; readings every hour for three hours.
    let rise = if m.program == Program::PsilocybinSingle || m.program == Program::PsilocybinTwoDose
    {
        8.0
    } else {
        18.0
    };
    let vitals = (0..4)
        .map(|h| {
            let peak = if h == 1 {
                rise
            } else {
                rise * 0.4 * f64::from(h.min(2))
            };
            VitalsRecord {
                at: dose_at + Duration::hours(i64::from(h)),
                systolic: Some((122.0 + peak + 6.0 * rng.normal()).round() as u16),
                diastolic: Some((78.0 + peak * 0.5 + 4.0 * rng.normal()).round() as u16),
                heart_rate: Some((72.0 + peak * 0.8 + 6.0 * rng.normal()).round() as u16),
                temperature_c: None,
            }
        })
        .collect();
    SessionDetails {
        present,
        room: Some(["Room 1 (garden side)", "Room 2", "Room 3 (quiet)"][m.therapist % 3].into()),
        music: Some("the clinic's session playlist".into()),
        lighting: Some("dimmed, eyeshades offered".into()),
        seating: Some("client on the couch; therapists seated at the side".into()),
        medicine: Some(MedicineRecord {
            substance: substance.into(),
            dose: dose.into(),
            route: route.into(),
            administered_at: Some(dose_at),
            supplement_dose: supplement.map(str::to_owned),
            supplement_at: supplement.map(|_| dose_at + Duration::minutes(105)),
            ended_at: Some(
                dose_at + Duration::hours(if m.program == Program::MdmaPtsd { 7 } else { 3 }),
            ),
            vitals,
            adverse_events: Vec::new(),
        }),
    }
}

const SESSION_NOTES: [&str; 4] = [
    "Settled quickly; stayed with difficult material and asked for support when needed.",
    "Long stretch of silence, then grief for the years lost; integration themes noted.",
    "Initial anxiety eased after the first hour; described a sense of being safe with us.",
    "Physical discomfort early on; reassured; later spoke about forgiving themself.",
];

const JOURNAL: [&str; 5] = [
    "Slept well for the first time in weeks. Walked to the park and noticed the trees.",
    "A heavy day, but I could name the feeling instead of running from it.",
    "Called my sister. We talked for an hour, which has not happened in years.",
    "The memory came back at work, but it did not take over. I breathed through it.",
    "Wrote down the intention again. It still feels true.",
];

pub fn session_note(rng: &mut Rng) -> &'static str {
    SESSION_NOTES[rng.below(SESSION_NOTES.len())]
}

pub fn journal_line(rng: &mut Rng) -> &'static str {
    JOURNAL[rng.below(JOURNAL.len())]
}
