//! The session details form: its fields as text (what is shown and what
//! comes back) and the checks that turn them into the record's document,
//! field by field, with a message naming the field.

use attune_store::records::{AdverseEventRecord, VitalsRecord};
use attune_store::{MedicineRecord, Session, SessionDetails};
use serde::Deserialize;
use time::{OffsetDateTime, Time};

use crate::http::error::AppError;

/// The details form's fields as text (what is shown and what comes back).
#[derive(Deserialize, Default)]
pub struct DetailsForm {
    #[serde(default)]
    pub present: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub music: String,
    #[serde(default)]
    pub lighting: String,
    #[serde(default)]
    pub seating: String,
    #[serde(default)]
    pub substance: String,
    #[serde(default)]
    pub dose: String,
    #[serde(default)]
    pub route: String,
    #[serde(default)]
    pub dosed_at: String,
    #[serde(default)]
    pub systolic: String,
    #[serde(default)]
    pub diastolic: String,
    #[serde(default)]
    pub heart_rate: String,
    #[serde(default)]
    pub temperature: String,
    #[serde(default)]
    pub adverse_event: String,
    #[serde(default)]
    pub serious: Option<String>,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn hhmm(t: OffsetDateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

impl DetailsForm {
    pub(super) fn from_details(d: &SessionDetails) -> DetailsForm {
        let m = d.medicine.as_ref();
        let v = m.and_then(|m| m.vitals.last());
        let show = |x: Option<u16>| x.map(|x| x.to_string()).unwrap_or_default();
        let ae = m.and_then(|m| m.adverse_events.last());
        DetailsForm {
            present: d.present.join("\n"),
            room: text(&d.room),
            music: text(&d.music),
            lighting: text(&d.lighting),
            seating: text(&d.seating),
            substance: m.map(|m| m.substance.clone()).unwrap_or_default(),
            dose: m.map(|m| m.dose.clone()).unwrap_or_default(),
            route: m.map(|m| m.route.clone()).unwrap_or_default(),
            dosed_at: m
                .and_then(|m| m.administered_at)
                .map(hhmm)
                .unwrap_or_default(),
            systolic: show(v.and_then(|v| v.systolic)),
            diastolic: show(v.and_then(|v| v.diastolic)),
            heart_rate: show(v.and_then(|v| v.heart_rate)),
            temperature: v
                .and_then(|v| v.temperature_c)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            adverse_event: ae.map(|a| a.description.clone()).unwrap_or_default(),
            serious: ae.filter(|a| a.serious).map(|_| "on".into()),
        }
    }

    /// Checks every field and builds the details; the first problem names its field.
    pub(super) fn to_details(
        &self,
        session: &Session,
        medicine: bool,
    ) -> Result<SessionDetails, AppError> {
        let short = |field: &str, v: &str| -> Result<Option<String>, AppError> {
            let v = v.trim();
            if v.chars().count() > 200 {
                return Err(AppError::invalid(field, "at most 200 characters"));
            }
            Ok((!v.is_empty()).then(|| v.to_owned()))
        };
        let present: Vec<String> = self
            .present
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if present.len() > 20 || present.iter().any(|p| p.chars().count() > 100) {
            return Err(AppError::invalid(
                "present",
                "at most 20 people, 100 characters each",
            ));
        }
        let day_of = session.when();
        let number = |field: &str, v: &str, lo: f64, hi: f64| -> Result<Option<f64>, AppError> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            let x: f64 = v
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| AppError::invalid(field, "must be a number"))?;
            if !(lo..=hi).contains(&x) {
                return Err(AppError::invalid(
                    field,
                    format!("must be between {lo} and {hi}"),
                ));
            }
            Ok(Some(x))
        };
        let medicine = if medicine && !self.substance.trim().is_empty() {
            let at = match self.dosed_at.trim() {
                "" => None,
                t => {
                    let (h, m) = t
                        .split_once(':')
                        .and_then(|(h, m)| Some((h.parse::<u8>().ok()?, m.parse::<u8>().ok()?)))
                        .ok_or_else(|| AppError::invalid("dosed at", "a time as HH:MM"))?;
                    let time = Time::from_hms(h, m, 0)
                        .map_err(|_| AppError::invalid("dosed at", "a time as HH:MM"))?;
                    Some(day_of.replace_time(time))
                }
            };
            let (sys, dia, hr) = (
                number("systolic", &self.systolic, 40.0, 300.0)?,
                number("diastolic", &self.diastolic, 20.0, 200.0)?,
                number("heart rate", &self.heart_rate, 20.0, 250.0)?,
            );
            let temp = number("temperature", &self.temperature, 30.0, 45.0)?;
            let vitals = if sys.is_some() || dia.is_some() || hr.is_some() || temp.is_some() {
                vec![VitalsRecord {
                    at: at.unwrap_or(day_of),
                    systolic: sys.map(|v| v as u16),
                    diastolic: dia.map(|v| v as u16),
                    heart_rate: hr.map(|v| v as u16),
                    temperature_c: temp.map(|v| v as f32),
                }]
            } else {
                Vec::new()
            };
            let adverse = short("adverse event", &self.adverse_event)?;
            Some(MedicineRecord {
                substance: short("substance", &self.substance)?.unwrap_or_default(),
                dose: short("dose", &self.dose)?
                    .ok_or_else(|| AppError::invalid("dose", "needed with a substance"))?,
                route: short("route", &self.route)?
                    .ok_or_else(|| AppError::invalid("route", "needed with a substance"))?,
                administered_at: at,
                supplement_dose: None,
                supplement_at: None,
                ended_at: None,
                vitals,
                adverse_events: adverse
                    .map(|description| AdverseEventRecord {
                        at: at.unwrap_or(day_of),
                        description,
                        serious: self.serious.is_some(),
                    })
                    .into_iter()
                    .collect(),
            })
        } else {
            None
        };
        Ok(SessionDetails {
            present,
            room: short("room", &self.room)?,
            music: short("music", &self.music)?,
            lighting: short("lighting", &self.lighting)?,
            seating: short("seating", &self.seating)?,
            medicine,
        })
    }
}
