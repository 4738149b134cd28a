//! Contraindication screening, rule by rule and modality by modality.

use attune_care::contraindications::{FlagSeverity, screen};
use attune_care::course::{KetamineRoute, Modality};
use attune_care::intake::{DrugClass, Intake, Medication, SudSeverity};

const KETAMINE: Modality = Modality::Ketamine {
    route: KetamineRoute::Intramuscular,
};
const ALL: [Modality; 5] = [
    Modality::Mdma,
    Modality::Psilocybin,
    KETAMINE,
    Modality::Esketamine,
    Modality::Ayahuasca,
];

fn on(meds: &[&str]) -> Intake {
    Intake {
        medications: meds.iter().map(|m| Medication::named(m, None)).collect(),
        ..Intake::default()
    }
}

/// (code, severity) per modality in ALL's order; None = no flag.
fn severities(intake: &Intake, code: &str) -> Vec<Option<FlagSeverity>> {
    ALL.iter()
        .map(|m| {
            screen(intake, m)
                .into_iter()
                .find(|f| f.code == code)
                .map(|f| f.severity)
        })
        .collect()
}

use FlagSeverity::{Caution as C, Contraindicated as X, Monitor as M};

#[test]
fn medication_names_are_classified() {
    for (name, class) in [
        ("Sertraline", DrugClass::Ssri),
        ("escitalopram 10 mg", DrugClass::Ssri),
        ("venlafaxine", DrugClass::Snri),
        ("phenelzine", DrugClass::Maoi),
        ("Lithium", DrugClass::Lithium),
        ("lamotrigine", DrugClass::Lamotrigine),
        ("lorazepam", DrugClass::Benzodiazepine),
        ("methylphenidate", DrugClass::Stimulant),
        ("St John's wort", DrugClass::StJohnsWort),
        ("ibuprofen", DrugClass::Other),
        ("lithiumish", DrugClass::Other),
    ] {
        assert_eq!(DrugClass::classify(name), class, "{name}");
    }
}

#[test]
fn a_clean_intake_raises_nothing() {
    for m in ALL {
        assert!(screen(&Intake::default(), &m).is_empty());
    }
    assert!(
        screen(&on(&["sertraline"]), &Modality::Other).is_empty(),
        "no rules for other modalities"
    );
}

#[test]
fn each_rule_per_modality() {
    let mut psych = Intake::default();
    psych.psychiatric.bipolar1_personal = true;
    let mut family = Intake::default();
    family.psychiatric.psychosis_family = true;
    let mut heart = Intake::default();
    heart.cardiovascular.uncontrolled_hypertension = true;
    let mut aneurysm = Intake::default();
    aneurysm.cardiovascular.aneurysmal_vascular_disease = true;
    let intent = Intake {
        active_suicidal_intent: true,
        ..Intake::default()
    };
    let sud = Intake {
        substance_use_disorder: Some(SudSeverity::Moderate),
        ..Intake::default()
    };
    let mild_sud = Intake {
        substance_use_disorder: Some(SudSeverity::Mild),
        ..Intake::default()
    };
    let pregnant = Intake {
        pregnant: true,
        ..Intake::default()
    };
    let seizures = Intake {
        seizure_disorder: true,
        ..Intake::default()
    };
    //                                         MDMA      psilocybin ketamine  esketamine ayahuasca
    for (intake, code, expected) in [
        (
            on(&["sertraline"]),
            "ssri_snri",
            [Some(C), Some(C), None, None, Some(X)],
        ),
        (
            on(&["duloxetine"]),
            "ssri_snri",
            [Some(C), Some(C), None, None, Some(X)],
        ),
        (
            on(&["phenelzine"]),
            "maoi",
            [Some(X), Some(C), Some(M), Some(M), Some(X)],
        ),
        (
            on(&["lithium"]),
            "lithium",
            [Some(C), Some(X), None, None, Some(X)],
        ),
        (
            on(&["lamotrigine"]),
            "lithium",
            [None, None, None, None, None],
        ),
        (
            on(&["hypericum"]),
            "serotonergic_herbal",
            [Some(C), None, None, None, Some(X)],
        ),
        (
            on(&["lorazepam"]),
            "cns_depressant",
            [None, None, Some(C), Some(C), None],
        ),
        (
            on(&["methylphenidate"]),
            "stimulant",
            [None, None, Some(C), Some(C), Some(X)],
        ),
        (
            psych,
            "psychosis_bipolar_personal",
            [Some(X), Some(X), Some(C), Some(C), Some(X)],
        ),
        (
            family,
            "psychosis_bipolar_family",
            [Some(C), Some(X), None, None, Some(X)],
        ),
        (
            heart,
            "cardiovascular",
            [Some(X), Some(X), Some(C), Some(C), Some(C)],
        ),
        (
            aneurysm,
            "vascular_label_contraindication",
            [None, None, Some(X), Some(X), None],
        ),
        (
            intent,
            "suicidal_intent",
            [Some(X), Some(X), Some(C), Some(C), Some(X)],
        ),
        (
            sud,
            "substance_use_disorder",
            [Some(X), Some(X), Some(C), Some(C), None],
        ),
        (
            mild_sud,
            "substance_use_disorder",
            [None, None, None, None, None],
        ),
        (
            pregnant,
            "pregnancy",
            [Some(X), Some(X), Some(X), Some(X), Some(X)],
        ),
        (
            seizures,
            "seizure_disorder",
            [Some(C), Some(C), None, None, None],
        ),
    ] {
        assert_eq!(severities(&intake, code), expected, "{code}");
    }
}

#[test]
fn flags_come_worst_first_with_sources() {
    let mut intake = on(&["sertraline", "lithium"]);
    intake.seizure_disorder = true;
    let flags = screen(&intake, &Modality::Psilocybin);
    let order: Vec<FlagSeverity> = flags.iter().map(|f| f.severity).collect();
    assert_eq!(order, [X, C, C]);
    assert!(flags[0].source.contains("Nayak"));
}
