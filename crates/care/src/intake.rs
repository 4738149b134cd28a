//! The intake: what the client brings, in their words, and the history that
//! screening needs.

/// A class a medication belongs to, as far as screening cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DrugClass {
    Ssri,
    Snri,
    Maoi,
    Lithium,
    Lamotrigine,
    Benzodiazepine,
    Opioid,
    Stimulant,
    StJohnsWort,
    Antipsychotic,
    Other,
}

/// Common names, so that a clinician typing "sertraline" gets the right class.
/// Anything not listed is `Other` and the clinician may set the class by hand.
const KNOWN: &[(&str, DrugClass)] = &[
    ("citalopram", DrugClass::Ssri),
    ("escitalopram", DrugClass::Ssri),
    ("fluoxetine", DrugClass::Ssri),
    ("fluvoxamine", DrugClass::Ssri),
    ("paroxetine", DrugClass::Ssri),
    ("sertraline", DrugClass::Ssri),
    ("vortioxetine", DrugClass::Ssri),
    ("desvenlafaxine", DrugClass::Snri),
    ("duloxetine", DrugClass::Snri),
    ("levomilnacipran", DrugClass::Snri),
    ("venlafaxine", DrugClass::Snri),
    ("isocarboxazid", DrugClass::Maoi),
    ("moclobemide", DrugClass::Maoi),
    ("phenelzine", DrugClass::Maoi),
    ("selegiline", DrugClass::Maoi),
    ("tranylcypromine", DrugClass::Maoi),
    ("lithium", DrugClass::Lithium),
    ("lamotrigine", DrugClass::Lamotrigine),
    ("alprazolam", DrugClass::Benzodiazepine),
    ("clonazepam", DrugClass::Benzodiazepine),
    ("diazepam", DrugClass::Benzodiazepine),
    ("lorazepam", DrugClass::Benzodiazepine),
    ("buprenorphine", DrugClass::Opioid),
    ("codeine", DrugClass::Opioid),
    ("methadone", DrugClass::Opioid),
    ("morphine", DrugClass::Opioid),
    ("oxycodone", DrugClass::Opioid),
    ("tramadol", DrugClass::Opioid),
    ("amphetamine", DrugClass::Stimulant),
    ("dexamfetamine", DrugClass::Stimulant),
    ("lisdexamfetamine", DrugClass::Stimulant),
    ("methylphenidate", DrugClass::Stimulant),
    ("modafinil", DrugClass::Stimulant),
    ("st john's wort", DrugClass::StJohnsWort),
    ("hypericum", DrugClass::StJohnsWort),
    ("aripiprazole", DrugClass::Antipsychotic),
    ("olanzapine", DrugClass::Antipsychotic),
    ("quetiapine", DrugClass::Antipsychotic),
    ("risperidone", DrugClass::Antipsychotic),
];

impl DrugClass {
    pub const ALL: [DrugClass; 11] = [
        DrugClass::Ssri,
        DrugClass::Snri,
        DrugClass::Maoi,
        DrugClass::Lithium,
        DrugClass::Lamotrigine,
        DrugClass::Benzodiazepine,
        DrugClass::Opioid,
        DrugClass::Stimulant,
        DrugClass::StJohnsWort,
        DrugClass::Antipsychotic,
        DrugClass::Other,
    ];

    /// The code stored for this class.
    pub fn code(self) -> &'static str {
        match self {
            DrugClass::Ssri => "ssri",
            DrugClass::Snri => "snri",
            DrugClass::Maoi => "maoi",
            DrugClass::Lithium => "lithium",
            DrugClass::Lamotrigine => "lamotrigine",
            DrugClass::Benzodiazepine => "benzodiazepine",
            DrugClass::Opioid => "opioid",
            DrugClass::Stimulant => "stimulant",
            DrugClass::StJohnsWort => "st_johns_wort",
            DrugClass::Antipsychotic => "antipsychotic",
            DrugClass::Other => "other",
        }
    }

    /// A stored code back to its class; unknown codes are `Other`.
    pub fn from_code(code: &str) -> DrugClass {
        DrugClass::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .unwrap_or(DrugClass::Other)
    }

    /// The class of a medication name, by its first word (case-insensitive).
    pub fn classify(name: &str) -> DrugClass {
        let lower = name.trim().to_lowercase();
        KNOWN
            .iter()
            .find(|(known, _)| lower == *known || lower.starts_with(&format!("{known} ")))
            .map_or(DrugClass::Other, |(_, class)| *class)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Medication {
    pub name: String,
    pub class: DrugClass,
    pub dose: Option<String>,
}

impl Medication {
    /// A medication whose class is looked up from its name.
    pub fn named(name: &str, dose: Option<&str>) -> Medication {
        Medication {
            name: name.trim().to_owned(),
            class: DrugClass::classify(name),
            dose: dose.map(str::to_owned),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SudSeverity {
    Mild,
    Moderate,
    Severe,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PsychiatricHistory {
    pub psychosis_personal: bool,
    /// First-degree relatives.
    pub psychosis_family: bool,
    pub bipolar1_personal: bool,
    pub bipolar1_family: bool,
    pub trauma_history: bool,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardiovascularHistory {
    pub uncontrolled_hypertension: bool,
    pub cardiac_disease: bool,
    pub aneurysmal_vascular_disease: bool,
    pub arteriovenous_malformation: bool,
    pub intracerebral_haemorrhage: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intake {
    /// In the client's own words.
    pub presenting_concerns: String,
    pub goals_and_intentions: String,
    pub expectations: String,
    pub fears: String,
    pub psychiatric: PsychiatricHistory,
    pub medications: Vec<Medication>,
    pub cardiovascular: CardiovascularHistory,
    pub active_suicidal_intent: bool,
    pub substance_use_disorder: Option<SudSeverity>,
    pub seizure_disorder: bool,
    pub pregnant: bool,
    pub breastfeeding: bool,
}
