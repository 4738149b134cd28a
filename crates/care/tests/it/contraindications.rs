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
        ("St John\u{2019}s wort", DrugClass::StJohnsWort),
        ("st johns wort 300 mg", DrugClass::StJohnsWort),
        ("Zoloft", DrugClass::Ssri),
        ("Lexapro 10 mg", DrugClass::Ssri),
        ("Adderall XR", DrugClass::Stimulant),
        ("amitriptyline", DrugClass::Tca),
        ("Wellbutrin XL", DrugClass::Bupropion),
        ("trazodone", DrugClass::Trazodone),
        ("mirtazapine", DrugClass::Mirtazapine),
        ("dextromethorphan", DrugClass::Dextromethorphan),
        ("linezolid", DrugClass::Linezolid),
        ("Tramadol", DrugClass::SerotonergicOpioid),
        ("ibuprofen", DrugClass::Unrecognised),
        ("lithiumish", DrugClass::Unrecognised),
    ] {
        assert_eq!(DrugClass::classify(name), class, "{name}");
    }
}

/// Every name in the table classifies as listed, in any case, with a dose
/// after it; its stored code reads back as the same class.
#[test]
fn every_name_in_the_table() {
    let mut n = 0;
    for (name, class) in DrugClass::known_names() {
        assert_ne!(class, DrugClass::Unrecognised, "{name}");
        assert_eq!(DrugClass::classify(name), class, "{name}");
        assert_eq!(DrugClass::classify(&name.to_uppercase()), class, "{name}");
        assert_eq!(
            DrugClass::classify(&format!("{name} 20 mg")),
            class,
            "{name}"
        );
        assert_eq!(DrugClass::from_code(class.code()), class, "{name}");
        n += 1;
    }
    assert!(n > 100, "{n} names");
}

/// A medicine the screen cannot classify blocks "ready" for every modality
/// (including "other") until a clinician records its class.
#[test]
fn an_unrecognised_medicine_fails_closed() {
    let intake = Intake {
        medications: vec![Medication::named("Fooximab", None)],
        ..Intake::default()
    };
    for m in ALL.iter().chain([&Modality::Other]) {
        let flags = screen(&intake, m);
        assert_eq!(
            flags
                .iter()
                .map(|f| (f.code, f.severity))
                .collect::<Vec<_>>(),
            [("medication_unrecognised", X)],
            "{m:?}"
        );
        assert!(flags[0].message.starts_with("Fooximab: not recognised"));
    }
    let checked = Intake {
        medications: vec![Medication {
            class: DrugClass::Other,
            ..Medication::named("Fooximab", None)
        }],
        ..Intake::default()
    };
    assert!(screen(&checked, &Modality::Mdma).is_empty());
}

/// Every serotonergic class with ayahuasca's MAO inhibitors is
/// contraindicated; with MDMA or psilocybin, a caution to check by hand.
#[test]
fn serotonergic_medicines_with_ayahuasca() {
    for name in [
        "amitriptyline",
        "trazodone",
        "mirtazapine",
        "dextromethorphan",
        "linezolid",
        "tramadol",
        "Zoloft",
        "Wellbutrin",
        "St John\u{2019}s wort",
    ] {
        let intake = Intake {
            medications: vec![Medication::named(name, None)],
            ..Intake::default()
        };
        let worst = |m: &Modality| screen(&intake, m).first().map(|f| f.severity);
        assert_eq!(worst(&Modality::Ayahuasca), Some(X), "{name} ayahuasca");
        assert!(worst(&Modality::Mdma).is_some(), "{name} with MDMA");
    }
}

/// MDMA and psilocybin have vascular rules; a modality without rules of its
/// own is screened by the strictest.
#[test]
fn vascular_rules_and_the_other_modality() {
    let intake = Intake {
        cardiovascular: attune_care::intake::CardiovascularHistory {
            arteriovenous_malformation: true,
            ..Default::default()
        },
        ..Intake::default()
    };
    for m in [Modality::Mdma, Modality::Psilocybin, Modality::Other] {
        assert!(
            screen(&intake, &m)
                .iter()
                .any(|f| f.code == "vascular_label_contraindication" && f.severity == X),
            "{m:?}"
        );
    }
    let ssri = Intake {
        medications: vec![Medication::named("sertraline", None)],
        ..Intake::default()
    };
    let other = screen(&ssri, &Modality::Other);
    assert_eq!(other[0].severity, X, "the ayahuasca row is the strictest");
    assert!(other[0].message.starts_with("For a modality without rules"));
}

#[test]
fn a_clean_intake_raises_nothing() {
    for m in ALL {
        assert!(screen(&Intake::default(), &m).is_empty());
    }
    assert!(screen(&Intake::default(), &Modality::Other).is_empty());
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
            [Some(X), Some(X), Some(X), Some(X), None],
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
