//! Contraindication and interaction screening: intake and medications against
//! the modality. Decision support, not a clinical protocol: every flag names
//! its source and how well that source is established.
//!
//! Rules follow `shared/domain/instruments.md` section C (SPRAVATO US label;
//! Callaway & Grob 1998; Nayak et al. 2021; trial exclusion criteria of Mitchell
//! 2021/2023, Goodwin 2022, Raison 2023).

use attune_instruments::definition::Evidence;

use crate::course::Modality;
use crate::intake::{DrugClass, Intake, SudSeverity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlagSeverity {
    /// Worth knowing and watching during the session.
    Monitor,
    /// Needs a clinician's decision before dosing.
    Caution,
    /// A reason not to dose (a trial exclusion or label contraindication).
    Contraindicated,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Stable code for filtering and tests (`ssri_ayahuasca`).
    pub code: &'static str,
    pub severity: FlagSeverity,
    pub message: String,
    pub source: &'static str,
    pub evidence: Evidence,
}

/// The substance family a rule is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Mdma,
    Psilocybin,
    Ketamine,
    Ayahuasca,
}

fn family(m: &Modality) -> Option<Family> {
    match m {
        Modality::Mdma => Some(Family::Mdma),
        Modality::Psilocybin => Some(Family::Psilocybin),
        Modality::Ketamine { .. } | Modality::Esketamine => Some(Family::Ketamine),
        Modality::Ayahuasca => Some(Family::Ayahuasca),
        Modality::Other => None,
    }
}

use Evidence::{Secondary, Unverified, Verified};
use Family::{Ayahuasca, Ketamine, Mdma, Psilocybin};
use FlagSeverity::{Caution, Contraindicated, Monitor};

const SPRAVATO: &str = "SPRAVATO (esketamine) US Prescribing Information";
const TRIALS: &str = "Trial exclusion criteria: Mitchell 2021/2023 (MDMA), Goodwin 2022 and Raison 2023 (psilocybin)";

/// One rule: a condition on the intake, and what it means per substance family.
struct Rule {
    code: &'static str,
    applies: fn(&Intake) -> bool,
    per_family: &'static [(Family, FlagSeverity, &'static str, &'static str, Evidence)],
}

fn takes(intake: &Intake, class: DrugClass) -> bool {
    intake.medications.iter().any(|m| m.class == class)
}

const AYAHUASCA_MAOI: &str = "Ayahuasca contains MAO-A inhibitors: avoid other serotonergic medicines and stimulants (shared/domain/instruments.md section C)";

/// Serotonergic medicines beyond the SSRIs and SNRIs (their own rule):
/// tricyclics, trazodone, mirtazapine, dextromethorphan, serotonergic
/// opioids, and linezolid (an MAO inhibitor).
fn other_serotonergic(i: &Intake) -> bool {
    i.medications.iter().any(|m| {
        m.class == DrugClass::Linezolid
            || (m.class.serotonergic()
                && !matches!(
                    m.class,
                    DrugClass::Ssri | DrugClass::Snri | DrugClass::StJohnsWort
                ))
    })
}

const RULES: &[Rule] = &[
    Rule {
        code: "serotonergic",
        applies: other_serotonergic,
        per_family: &[
            (
                Ayahuasca,
                Contraindicated,
                "Serotonin syndrome risk: ayahuasca's MAO-A inhibitors with a serotonergic medicine (tricyclic, trazodone, mirtazapine, dextromethorphan, tramadol and like opioids, linezolid).",
                AYAHUASCA_MAOI,
                Verified,
            ),
            (
                Mdma,
                Caution,
                "A serotonergic medicine with MDMA: possible serotonin toxicity (not verified for this class: check by hand).",
                TRIALS,
                Unverified,
            ),
            (
                Psilocybin,
                Caution,
                "A serotonergic medicine with psilocybin: the response may change (not verified for this class: check by hand).",
                TRIALS,
                Unverified,
            ),
        ],
    },
    Rule {
        code: "bupropion",
        applies: |i| takes(i, DrugClass::Bupropion),
        per_family: &[
            (
                Ayahuasca,
                Contraindicated,
                "Bupropion with ayahuasca's MAO-A inhibitors: risk of a hypertensive reaction.",
                AYAHUASCA_MAOI,
                Verified,
            ),
            (
                Mdma,
                Caution,
                "Bupropion with MDMA: interaction (enzyme inhibition, seizure threshold) not verified: check by hand.",
                TRIALS,
                Unverified,
            ),
        ],
    },
    Rule {
        code: "ssri_snri",
        applies: |i| takes(i, DrugClass::Ssri) || takes(i, DrugClass::Snri),
        per_family: &[
            (
                Mdma,
                Caution,
                "SSRIs/SNRIs blunt MDMA's effects and were tapered before the MAPS trials; some agents add a serotonin-toxicity risk.",
                TRIALS,
                Verified,
            ),
            (
                Psilocybin,
                Caution,
                "SSRIs/SNRIs blunt the response to psilocybin and were tapered in the COMP trials.",
                TRIALS,
                Verified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "Serotonin syndrome risk: ayahuasca's MAO-A inhibitors with an SSRI/SNRI.",
                "Callaway JC, Grob CS. J Psychoactive Drugs 1998;30:367-369",
                Verified,
            ),
        ],
    },
    Rule {
        code: "maoi",
        applies: |i| takes(i, DrugClass::Maoi) || takes(i, DrugClass::Linezolid),
        per_family: &[
            (
                Mdma,
                Contraindicated,
                "MAOI with MDMA: risk of hypertensive or serotonin crisis.",
                TRIALS,
                Verified,
            ),
            (
                Psilocybin,
                Caution,
                "MAOI with psilocybin: caution; excluded in trials.",
                TRIALS,
                Verified,
            ),
            (
                Ketamine,
                Monitor,
                "MAOI with ketamine/esketamine: monitor blood pressure closely.",
                SPRAVATO,
                Verified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "Ayahuasca already contains an MAOI: no other MAOI or serotonergic drug.",
                "Callaway JC, Grob CS. J Psychoactive Drugs 1998;30:367-369",
                Verified,
            ),
        ],
    },
    Rule {
        code: "lithium",
        applies: |i| takes(i, DrugClass::Lithium),
        per_family: &[
            (
                Mdma,
                Caution,
                "Lithium: excluded in MDMA trials (unverified).",
                TRIALS,
                Unverified,
            ),
            (
                Psilocybin,
                Contraindicated,
                "Lithium with a classic psychedelic: seizures in 47 % of 62 reports, 39 % needed medical attention.",
                "Nayak SM et al. Pharmacopsychiatry 2021;54(5):240-245",
                Verified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "Lithium with a classic psychedelic: seizure risk, as with psilocybin (unverified for ayahuasca).",
                "Nayak SM et al. Pharmacopsychiatry 2021;54(5):240-245",
                Unverified,
            ),
        ],
    },
    Rule {
        code: "serotonergic_herbal",
        applies: |i| takes(i, DrugClass::StJohnsWort),
        per_family: &[
            (
                Mdma,
                Caution,
                "St John's wort is serotonergic: serotonin-toxicity risk with MDMA.",
                TRIALS,
                Unverified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "St John's wort with ayahuasca's MAOI: avoid.",
                "Callaway JC, Grob CS. J Psychoactive Drugs 1998;30:367-369",
                Verified,
            ),
        ],
    },
    Rule {
        code: "cns_depressant",
        applies: |i| {
            takes(i, DrugClass::Benzodiazepine)
                || takes(i, DrugClass::Opioid)
                || takes(i, DrugClass::SerotonergicOpioid)
        },
        per_family: &[(
            Ketamine,
            Caution,
            "Benzodiazepines or opioids with ketamine: increased sedation.",
            SPRAVATO,
            Verified,
        )],
    },
    Rule {
        code: "stimulant",
        applies: |i| takes(i, DrugClass::Stimulant),
        per_family: &[
            (
                Ketamine,
                Caution,
                "Psychostimulants with ketamine: blood pressure rises further.",
                SPRAVATO,
                Verified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "Stimulants with ayahuasca's MAOI: avoid.",
                "Callaway JC, Grob CS. J Psychoactive Drugs 1998;30:367-369",
                Verified,
            ),
        ],
    },
    Rule {
        code: "psychosis_bipolar_personal",
        applies: |i| i.psychiatric.psychosis_personal || i.psychiatric.bipolar1_personal,
        per_family: &[
            (
                Mdma,
                Contraindicated,
                "Personal history of psychosis or bipolar I: excluded from MDMA trials.",
                TRIALS,
                Secondary,
            ),
            (
                Psilocybin,
                Contraindicated,
                "Personal history of psychosis or bipolar I: excluded from psilocybin trials.",
                TRIALS,
                Verified,
            ),
            (
                Ketamine,
                Caution,
                "Personal history of psychosis or bipolar I: the label warns of psychosis; often excluded in KAP.",
                SPRAVATO,
                Verified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "Personal history of psychosis or bipolar I: customary exclusion.",
                TRIALS,
                Secondary,
            ),
        ],
    },
    Rule {
        code: "psychosis_bipolar_family",
        applies: |i| i.psychiatric.psychosis_family || i.psychiatric.bipolar1_family,
        per_family: &[
            (
                Mdma,
                Caution,
                "First-degree family history of psychosis or bipolar I: a clinician's decision (trials excluded personal history).",
                TRIALS,
                Unverified,
            ),
            (
                Psilocybin,
                Contraindicated,
                "First-degree family history of psychosis or bipolar I: excluded from psilocybin trials.",
                TRIALS,
                Verified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "First-degree family history of psychosis or bipolar I: customary exclusion.",
                TRIALS,
                Secondary,
            ),
        ],
    },
    Rule {
        code: "cardiovascular",
        applies: |i| i.cardiovascular.uncontrolled_hypertension || i.cardiovascular.cardiac_disease,
        per_family: &[
            (
                Mdma,
                Contraindicated,
                "Uncontrolled hypertension or heart disease: MDMA raises blood pressure and heart rate; excluded in trials.",
                TRIALS,
                Secondary,
            ),
            (
                Psilocybin,
                Contraindicated,
                "Uncontrolled hypertension or heart disease: commonly excluded from psilocybin trials.",
                TRIALS,
                Secondary,
            ),
            (
                Ketamine,
                Caution,
                "Hypertension or heart disease: ketamine raises blood pressure; monitor for at least 2 hours after the dose.",
                SPRAVATO,
                Verified,
            ),
            (
                Ayahuasca,
                Caution,
                "Hypertension or heart disease: ayahuasca raises blood pressure.",
                TRIALS,
                Unverified,
            ),
        ],
    },
    Rule {
        code: "vascular_label_contraindication",
        applies: |i| {
            let c = &i.cardiovascular;
            c.aneurysmal_vascular_disease
                || c.arteriovenous_malformation
                || c.intracerebral_haemorrhage
        },
        per_family: &[
            (
                Ketamine,
                Contraindicated,
                "Aneurysmal vascular disease, arteriovenous malformation or past intracerebral haemorrhage: contraindicated on the label.",
                SPRAVATO,
                Verified,
            ),
            (
                Mdma,
                Contraindicated,
                "Aneurysmal vascular disease, arteriovenous malformation or past intracerebral haemorrhage: MDMA raises blood pressure and heart rate; excluded in trials.",
                TRIALS,
                Secondary,
            ),
            (
                Psilocybin,
                Contraindicated,
                "Aneurysmal vascular disease, arteriovenous malformation or past intracerebral haemorrhage: psilocybin raises blood pressure (trial exclusion not verified: check by hand).",
                TRIALS,
                Unverified,
            ),
        ],
    },
    Rule {
        code: "suicidal_intent",
        applies: |i| i.active_suicidal_intent,
        per_family: &[
            (
                Mdma,
                Contraindicated,
                "Active suicidal intent: an exclusion in MDMA trials unless managed.",
                TRIALS,
                Verified,
            ),
            (
                Psilocybin,
                Contraindicated,
                "Suicidal ideation with intent or plan: excluded from psilocybin trials.",
                TRIALS,
                Verified,
            ),
            (
                Ketamine,
                Caution,
                "Active suicidal ideation: esketamine is indicated for it, but only under monitoring.",
                SPRAVATO,
                Verified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "Active suicidal intent: manage the risk before any dosing.",
                TRIALS,
                Unverified,
            ),
        ],
    },
    Rule {
        code: "substance_use_disorder",
        applies: |i| {
            matches!(
                i.substance_use_disorder,
                Some(SudSeverity::Moderate | SudSeverity::Severe)
            )
        },
        per_family: &[
            (
                Mdma,
                Contraindicated,
                "Moderate or severe substance use disorder: excluded from MAPP trials.",
                TRIALS,
                Secondary,
            ),
            (
                Psilocybin,
                Contraindicated,
                "Active substance use disorder: excluded from psilocybin trials.",
                TRIALS,
                Secondary,
            ),
            (
                Ketamine,
                Caution,
                "Substance use disorder: ketamine has misuse potential (REMS programme).",
                SPRAVATO,
                Secondary,
            ),
        ],
    },
    Rule {
        code: "pregnancy",
        applies: |i| i.pregnant || i.breastfeeding,
        per_family: &[
            (
                Mdma,
                Contraindicated,
                "Pregnancy or breastfeeding: excluded.",
                TRIALS,
                Verified,
            ),
            (
                Psilocybin,
                Contraindicated,
                "Pregnancy or breastfeeding: excluded.",
                TRIALS,
                Verified,
            ),
            (
                Ketamine,
                Contraindicated,
                "Pregnancy or breastfeeding: not recommended.",
                SPRAVATO,
                Verified,
            ),
            (
                Ayahuasca,
                Contraindicated,
                "Pregnancy or breastfeeding: excluded.",
                TRIALS,
                Verified,
            ),
        ],
    },
    Rule {
        code: "seizure_disorder",
        applies: |i| i.seizure_disorder,
        per_family: &[
            (
                Mdma,
                Caution,
                "Seizure disorder: caution (unverified).",
                TRIALS,
                Unverified,
            ),
            (
                Psilocybin,
                Caution,
                "Seizure disorder: caution (unverified).",
                TRIALS,
                Unverified,
            ),
        ],
    },
];

/// Screens an intake against a modality. Flags come most severe first.
///
/// The screen fails closed: a medication it cannot classify is itself a
/// flag that blocks "ready" until a clinician records its class; a
/// modality without rules of its own ("other") is screened by the
/// strictest rule of any substance.
pub fn screen(intake: &Intake, modality: &Modality) -> Vec<Flag> {
    let fam = family(modality);
    let mut flags: Vec<Flag> = RULES
        .iter()
        .filter(|rule| (rule.applies)(intake))
        .flat_map(|rule| {
            let rows = rule
                .per_family
                .iter()
                .filter(move |(f, ..)| Some(*f) == fam);
            // No family: the most severe row of the rule stands for all.
            let strictest = fam
                .is_none()
                .then(|| rule.per_family.iter().max_by_key(|row| row.1))
                .flatten();
            rows.chain(strictest)
                .map(move |(_, severity, message, source, evidence)| Flag {
                    code: rule.code,
                    severity: *severity,
                    message: if fam.is_none() {
                        format!("For a modality without rules of its own, the strictest: {message}")
                    } else {
                        (*message).to_owned()
                    },
                    source,
                    evidence: *evidence,
                })
        })
        .collect();
    for m in intake
        .medications
        .iter()
        .filter(|m| m.class == DrugClass::Unrecognised)
    {
        flags.push(Flag {
            code: "medication_unrecognised",
            severity: Contraindicated,
            message: format!(
                "{}: not recognised by the screen. Check it by hand and record its class in the intake.",
                m.name
            ),
            source: "Attune: the screen fails closed on a medicine it cannot classify",
            evidence: Evidence::Project,
        });
    }
    flags.sort_by_key(|f| std::cmp::Reverse(f.severity));
    flags
}
