//! The intake: what the client brings, in their words, and the history that
//! screening needs.

/// A class a medication belongs to, as far as screening cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DrugClass {
    Ssri,
    Snri,
    /// Tricyclic antidepressants (serotonergic, several strongly).
    Tca,
    Maoi,
    /// An antibiotic that inhibits monoamine oxidase.
    Linezolid,
    Bupropion,
    Trazodone,
    Mirtazapine,
    Dextromethorphan,
    Lithium,
    Lamotrigine,
    Benzodiazepine,
    Opioid,
    /// Opioids with serotonergic action (tramadol, tapentadol, pethidine,
    /// methadone, fentanyl).
    SerotonergicOpioid,
    Stimulant,
    StJohnsWort,
    Antipsychotic,
    /// Checked by a clinician: no class that screening acts on.
    Other,
    /// A name the screen does not know: a flag until a clinician classifies it.
    Unrecognised,
}

/// Generic and brand names, so that "sertraline" and "Zoloft" get the same
/// class. A name not listed is `Unrecognised`: the screen fails closed.
const KNOWN: &[(&str, DrugClass)] = &[
    ("citalopram", DrugClass::Ssri),
    ("celexa", DrugClass::Ssri),
    ("cipramil", DrugClass::Ssri),
    ("escitalopram", DrugClass::Ssri),
    ("lexapro", DrugClass::Ssri),
    ("cipralex", DrugClass::Ssri),
    ("fluoxetine", DrugClass::Ssri),
    ("prozac", DrugClass::Ssri),
    ("fluvoxamine", DrugClass::Ssri),
    ("luvox", DrugClass::Ssri),
    ("paroxetine", DrugClass::Ssri),
    ("paxil", DrugClass::Ssri),
    ("seroxat", DrugClass::Ssri),
    ("sertraline", DrugClass::Ssri),
    ("zoloft", DrugClass::Ssri),
    ("lustral", DrugClass::Ssri),
    ("vortioxetine", DrugClass::Ssri),
    ("trintellix", DrugClass::Ssri),
    ("brintellix", DrugClass::Ssri),
    ("desvenlafaxine", DrugClass::Snri),
    ("pristiq", DrugClass::Snri),
    ("duloxetine", DrugClass::Snri),
    ("cymbalta", DrugClass::Snri),
    ("levomilnacipran", DrugClass::Snri),
    ("fetzima", DrugClass::Snri),
    ("milnacipran", DrugClass::Snri),
    ("venlafaxine", DrugClass::Snri),
    ("effexor", DrugClass::Snri),
    ("amitriptyline", DrugClass::Tca),
    ("elavil", DrugClass::Tca),
    ("clomipramine", DrugClass::Tca),
    ("anafranil", DrugClass::Tca),
    ("desipramine", DrugClass::Tca),
    ("doxepin", DrugClass::Tca),
    ("imipramine", DrugClass::Tca),
    ("tofranil", DrugClass::Tca),
    ("nortriptyline", DrugClass::Tca),
    ("pamelor", DrugClass::Tca),
    ("protriptyline", DrugClass::Tca),
    ("trimipramine", DrugClass::Tca),
    ("isocarboxazid", DrugClass::Maoi),
    ("marplan", DrugClass::Maoi),
    ("moclobemide", DrugClass::Maoi),
    ("phenelzine", DrugClass::Maoi),
    ("nardil", DrugClass::Maoi),
    ("selegiline", DrugClass::Maoi),
    ("emsam", DrugClass::Maoi),
    ("rasagiline", DrugClass::Maoi),
    ("tranylcypromine", DrugClass::Maoi),
    ("parnate", DrugClass::Maoi),
    ("linezolid", DrugClass::Linezolid),
    ("zyvox", DrugClass::Linezolid),
    ("bupropion", DrugClass::Bupropion),
    ("wellbutrin", DrugClass::Bupropion),
    ("zyban", DrugClass::Bupropion),
    ("trazodone", DrugClass::Trazodone),
    ("desyrel", DrugClass::Trazodone),
    ("mirtazapine", DrugClass::Mirtazapine),
    ("remeron", DrugClass::Mirtazapine),
    ("dextromethorphan", DrugClass::Dextromethorphan),
    ("auvelity", DrugClass::Dextromethorphan),
    ("lithium", DrugClass::Lithium),
    ("lithobid", DrugClass::Lithium),
    ("priadel", DrugClass::Lithium),
    ("lamotrigine", DrugClass::Lamotrigine),
    ("lamictal", DrugClass::Lamotrigine),
    ("alprazolam", DrugClass::Benzodiazepine),
    ("xanax", DrugClass::Benzodiazepine),
    ("clonazepam", DrugClass::Benzodiazepine),
    ("klonopin", DrugClass::Benzodiazepine),
    ("rivotril", DrugClass::Benzodiazepine),
    ("diazepam", DrugClass::Benzodiazepine),
    ("valium", DrugClass::Benzodiazepine),
    ("lorazepam", DrugClass::Benzodiazepine),
    ("ativan", DrugClass::Benzodiazepine),
    ("temazepam", DrugClass::Benzodiazepine),
    ("buprenorphine", DrugClass::Opioid),
    ("subutex", DrugClass::Opioid),
    ("codeine", DrugClass::Opioid),
    ("morphine", DrugClass::Opioid),
    ("oxycodone", DrugClass::Opioid),
    ("oxycontin", DrugClass::Opioid),
    ("hydrocodone", DrugClass::Opioid),
    ("tramadol", DrugClass::SerotonergicOpioid),
    ("ultram", DrugClass::SerotonergicOpioid),
    ("tapentadol", DrugClass::SerotonergicOpioid),
    ("pethidine", DrugClass::SerotonergicOpioid),
    ("meperidine", DrugClass::SerotonergicOpioid),
    ("methadone", DrugClass::SerotonergicOpioid),
    ("fentanyl", DrugClass::SerotonergicOpioid),
    ("amphetamine", DrugClass::Stimulant),
    ("adderall", DrugClass::Stimulant),
    ("dexamfetamine", DrugClass::Stimulant),
    ("dextroamphetamine", DrugClass::Stimulant),
    ("lisdexamfetamine", DrugClass::Stimulant),
    ("vyvanse", DrugClass::Stimulant),
    ("elvanse", DrugClass::Stimulant),
    ("methylphenidate", DrugClass::Stimulant),
    ("ritalin", DrugClass::Stimulant),
    ("concerta", DrugClass::Stimulant),
    ("modafinil", DrugClass::Stimulant),
    ("provigil", DrugClass::Stimulant),
    ("st john's wort", DrugClass::StJohnsWort),
    ("st johns wort", DrugClass::StJohnsWort),
    ("saint john's wort", DrugClass::StJohnsWort),
    ("saint johns wort", DrugClass::StJohnsWort),
    ("hypericum", DrugClass::StJohnsWort),
    ("aripiprazole", DrugClass::Antipsychotic),
    ("abilify", DrugClass::Antipsychotic),
    ("olanzapine", DrugClass::Antipsychotic),
    ("zyprexa", DrugClass::Antipsychotic),
    ("quetiapine", DrugClass::Antipsychotic),
    ("seroquel", DrugClass::Antipsychotic),
    ("risperidone", DrugClass::Antipsychotic),
    ("risperdal", DrugClass::Antipsychotic),
];

impl DrugClass {
    pub const ALL: [DrugClass; 19] = [
        DrugClass::Ssri,
        DrugClass::Snri,
        DrugClass::Tca,
        DrugClass::Maoi,
        DrugClass::Linezolid,
        DrugClass::Bupropion,
        DrugClass::Trazodone,
        DrugClass::Mirtazapine,
        DrugClass::Dextromethorphan,
        DrugClass::Lithium,
        DrugClass::Lamotrigine,
        DrugClass::Benzodiazepine,
        DrugClass::Opioid,
        DrugClass::SerotonergicOpioid,
        DrugClass::Stimulant,
        DrugClass::StJohnsWort,
        DrugClass::Antipsychotic,
        DrugClass::Other,
        DrugClass::Unrecognised,
    ];

    /// The code stored for this class.
    pub fn code(self) -> &'static str {
        match self {
            DrugClass::Ssri => "ssri",
            DrugClass::Snri => "snri",
            DrugClass::Tca => "tca",
            DrugClass::Maoi => "maoi",
            DrugClass::Linezolid => "linezolid",
            DrugClass::Bupropion => "bupropion",
            DrugClass::Trazodone => "trazodone",
            DrugClass::Mirtazapine => "mirtazapine",
            DrugClass::Dextromethorphan => "dextromethorphan",
            DrugClass::Lithium => "lithium",
            DrugClass::Lamotrigine => "lamotrigine",
            DrugClass::Benzodiazepine => "benzodiazepine",
            DrugClass::Opioid => "opioid",
            DrugClass::SerotonergicOpioid => "serotonergic_opioid",
            DrugClass::Stimulant => "stimulant",
            DrugClass::StJohnsWort => "st_johns_wort",
            DrugClass::Antipsychotic => "antipsychotic",
            DrugClass::Other => "other",
            DrugClass::Unrecognised => "unrecognised",
        }
    }

    /// A stored code back to its class; an unknown code is unrecognised.
    pub fn from_code(code: &str) -> DrugClass {
        DrugClass::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .unwrap_or(DrugClass::Unrecognised)
    }

    /// The class of a medication name: a listed generic or brand name, as
    /// the whole name or its first words (case-insensitive, any apostrophe);
    /// anything else is `Unrecognised`.
    pub fn classify(name: &str) -> DrugClass {
        let lower = name
            .trim()
            .to_lowercase()
            .replace(['\u{2019}', '\u{2018}', '`', '\u{b4}'], "'");
        KNOWN
            .iter()
            .find(|(known, _)| lower == *known || lower.starts_with(&format!("{known} ")))
            .map_or(DrugClass::Unrecognised, |(_, class)| *class)
    }

    /// Every generic and brand name the screen knows, with its class.
    pub fn known_names() -> impl Iterator<Item = (&'static str, DrugClass)> {
        KNOWN.iter().copied()
    }

    /// Serotonergic: adds to serotonin toxicity with an MAOI or MDMA.
    pub fn serotonergic(self) -> bool {
        matches!(
            self,
            DrugClass::Ssri
                | DrugClass::Snri
                | DrugClass::Tca
                | DrugClass::Trazodone
                | DrugClass::Mirtazapine
                | DrugClass::Dextromethorphan
                | DrugClass::SerotonergicOpioid
                | DrugClass::StJohnsWort
        )
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
