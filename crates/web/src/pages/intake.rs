//! The intake: history, medications, goals and fears, and what the
//! contraindication rules read. Each save is a new version; medications are
//! classed from their generic or brand names (care::intake::DrugClass::
//! classify); a name the screen does not know is flagged until a clinician
//! gives its class by hand, as `name, dose [class]` (`[other]`: checked, no
//! class the screen acts on).

use askama::Template;
use attune_care::intake::DrugClass;
use attune_store::{IntakeRecord, MedicationRecord};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::render;
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::http::error::AppError;

/// The yes/no questions of the intake, as (form field, label).
const FLAGS: [(&str, &str); 14] = [
    ("trauma_history", "trauma history"),
    ("psychosis_personal", "psychosis, personal history"),
    ("psychosis_family", "psychosis, first-degree family"),
    ("bipolar1_personal", "bipolar I, personal history"),
    ("bipolar1_family", "bipolar I, first-degree family"),
    ("uncontrolled_hypertension", "uncontrolled hypertension"),
    ("cardiac_disease", "cardiac disease"),
    ("aneurysmal_vascular_disease", "aneurysmal vascular disease"),
    ("arteriovenous_malformation", "arteriovenous malformation"),
    ("intracerebral_haemorrhage", "intracerebral haemorrhage"),
    ("active_suicidal_intent", "active suicidal intent"),
    ("seizure_disorder", "seizure disorder"),
    ("pregnant", "pregnant"),
    ("breastfeeding", "breastfeeding"),
];

fn flag<'a>(r: &'a mut IntakeRecord, field: &str) -> Option<&'a mut bool> {
    Some(match field {
        "trauma_history" => &mut r.trauma_history,
        "psychosis_personal" => &mut r.psychosis_personal,
        "psychosis_family" => &mut r.psychosis_family,
        "bipolar1_personal" => &mut r.bipolar1_personal,
        "bipolar1_family" => &mut r.bipolar1_family,
        "uncontrolled_hypertension" => &mut r.uncontrolled_hypertension,
        "cardiac_disease" => &mut r.cardiac_disease,
        "aneurysmal_vascular_disease" => &mut r.aneurysmal_vascular_disease,
        "arteriovenous_malformation" => &mut r.arteriovenous_malformation,
        "intracerebral_haemorrhage" => &mut r.intracerebral_haemorrhage,
        "active_suicidal_intent" => &mut r.active_suicidal_intent,
        "seizure_disorder" => &mut r.seizure_disorder,
        "pregnant" => &mut r.pregnant,
        "breastfeeding" => &mut r.breastfeeding,
        _ => return None,
    })
}

pub struct Check {
    pub field: &'static str,
    pub label: &'static str,
    pub on: bool,
}

#[derive(Template)]
#[template(path = "intake.html")]
struct Page {
    me: Option<Me>,
    id: String,
    code: String,
    version: Option<u32>,
    concerns: String,
    goals: String,
    expectations: String,
    fears: String,
    medications: String,
    sud: String,
    checks: Vec<Check>,
    error: Option<String>,
}

fn page(
    staff: &Staff,
    id: Uuid,
    code: String,
    version: Option<u32>,
    r: &IntakeRecord,
    error: Option<String>,
) -> Page {
    let mut copy = r.clone();
    Page {
        me: Some(staff.me()),
        id: id.to_string(),
        code,
        version,
        concerns: r.presenting_concerns.clone(),
        goals: r.goals_and_intentions.clone(),
        expectations: r.expectations.clone(),
        fears: r.fears.clone(),
        medications: r
            .medications
            .iter()
            .map(|m| {
                // A class given by hand is shown, so that a new version keeps it.
                let by_hand = DrugClass::from_code(&m.class) != DrugClass::classify(&m.name);
                let line = m.name_and_dose();
                if by_hand {
                    format!("{line} [{}]", m.class)
                } else {
                    line
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        sud: r.substance_use_disorder.clone().unwrap_or_default(),
        checks: FLAGS
            .iter()
            .map(|(field, label)| Check {
                field,
                label,
                on: flag(&mut copy, field).is_some_and(|b| *b),
            })
            .collect(),
        error,
    }
}

pub async fn show<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let team = access::client(&app, &staff, id, Need::Write).await?;
    let latest = app.store.intakes(&staff.actor(), id).await?.pop();
    let record = latest
        .as_ref()
        .map(|i| i.record.clone())
        .unwrap_or_default();
    Ok(render(&page(
        &staff,
        id,
        team.code,
        latest.map(|i| i.version),
        &record,
        None,
    ))?
    .into_response())
}

/// Reads the form into a record; the first problem names its field.
fn read(pairs: &[(String, String)]) -> Result<IntakeRecord, AppError> {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let long = |field: &str, name: &str| -> Result<String, AppError> {
        let v = value(name).trim();
        if v.chars().count() > 5000 {
            return Err(AppError::invalid(field, "at most 5,000 characters"));
        }
        Ok(v.to_owned())
    };
    let mut r = IntakeRecord {
        presenting_concerns: long("presenting concerns", "concerns")?,
        goals_and_intentions: long("goals and intentions", "goals")?,
        expectations: long("expectations", "expectations")?,
        fears: long("fears", "fears")?,
        ..IntakeRecord::default()
    };
    for line in value("medications")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        if line.chars().count() > 200 {
            return Err(AppError::invalid(
                "medications",
                "one medication per line, at most 200 characters",
            ));
        }
        let (line, by_hand) = match line.strip_suffix(']').and_then(|l| l.rsplit_once('[')) {
            Some((rest, class)) => {
                let class = class.trim().to_lowercase().replace([' ', '-'], "_");
                let known = DrugClass::ALL
                    .into_iter()
                    .find(|c| c.code() == class && *c != DrugClass::Unrecognised)
                    .ok_or_else(|| {
                        let codes: Vec<&str> = DrugClass::ALL
                            .iter()
                            .filter(|c| **c != DrugClass::Unrecognised)
                            .map(|c| c.code())
                            .collect();
                        AppError::invalid(
                            "medications",
                            format!("the class in [ ] is one of: {}", codes.join(", ")),
                        )
                    })?;
                (rest.trim(), Some(known))
            }
            None => (line, None),
        };
        let (name, dose) = match line.split_once(',') {
            Some((n, d)) => (
                n.trim(),
                Some(d.trim().to_owned()).filter(|d| !d.is_empty()),
            ),
            None => (line, None),
        };
        r.medications.push(MedicationRecord {
            name: name.to_owned(),
            class: by_hand
                .unwrap_or_else(|| DrugClass::classify(name))
                .code()
                .to_owned(),
            dose,
        });
    }
    if r.medications.len() > 50 {
        return Err(AppError::invalid("medications", "at most 50"));
    }
    r.substance_use_disorder = match value("sud") {
        "" => None,
        s @ ("mild" | "moderate" | "severe") => Some(s.to_owned()),
        _ => {
            return Err(AppError::invalid(
                "substance use disorder",
                "none, mild, moderate or severe",
            ));
        }
    };
    for (k, v) in pairs {
        if let Some(b) = flag(&mut r, k) {
            *b = v == "on";
        }
    }
    Ok(r)
}

pub async fn save<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let team = access::client(&app, &staff, id, Need::Write).await?;
    match read(&pairs) {
        Ok(record) => {
            app.store
                .save_intake(&staff.actor(), id, record, Some(staff.user.id))
                .await?;
            Ok(Redirect::to(&format!("/clients/{id}#intake")).into_response())
        }
        Err(e) => {
            let partial = IntakeRecord::default();
            let html = render(&page(
                &staff,
                id,
                team.code,
                None,
                &partial,
                Some(e.public_message()),
            ))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}
