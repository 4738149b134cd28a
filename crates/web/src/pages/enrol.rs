//! Taking on a client: a new record with a pseudonymous code (the therapist
//! who enrols is the lead; an MDMA dyad names a co-therapist), and a course
//! of care whose sessions are planned from a protocol template in one
//! transaction.

use askama::Template;
use attune_care::course::{Modality, ProtocolTemplate};
use attune_store::{ClientDetails, NewClient, NewCourse, PlannedSessionRow, Role};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::macros::format_description;
use time::{Date, Duration, Time};
use uuid::Uuid;

use super::render;
use crate::access::{self, Area, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::http::error::AppError;

#[derive(Deserialize, Default)]
pub struct ClientForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    co_therapist: String,
}

#[derive(Template)]
#[template(path = "new_client.html")]
struct Page {
    me: Option<Me>,
    f: ClientForm,
    colleagues: Vec<(String, String)>,
    error: Option<String>,
}

async fn page<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    f: ClientForm,
    error: Option<String>,
) -> Result<Page, AppError> {
    let colleagues = app
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| {
            u.active
                && u.id != staff.user.id
                && matches!(u.role, Role::Therapist | Role::Supervisor)
        })
        .map(|u| (u.id.to_string(), u.display_name))
        .collect();
    Ok(Page {
        me: Some(staff.me()),
        f,
        colleagues,
        error,
    })
}

pub async fn form<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Response, AppError> {
    access::require(&staff, Area::Clinical)?;
    Ok(render(&page(&app, &staff, ClientForm::default(), None).await?)?.into_response())
}

fn date(field: &str, text: &str) -> Result<Option<Date>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => Date::parse(t, format_description!("[year]-[month]-[day]"))
            .map(Some)
            .map_err(|_| AppError::invalid(field, "a date as YYYY-MM-DD")),
    }
}

fn to_new_client(f: &ClientForm, lead: Uuid, colleagues: &[Uuid]) -> Result<NewClient, AppError> {
    let co = match f.co_therapist.trim() {
        "" => None,
        v => Some(
            v.parse::<Uuid>()
                .ok()
                .filter(|id| colleagues.contains(id))
                .ok_or_else(|| {
                    AppError::invalid("co-therapist", "not a therapist of this clinic")
                })?,
        ),
    };
    Ok(NewClient {
        code: f.code.trim().to_uppercase(),
        details: details(&f.name, &f.contact, &f.date_of_birth)?,
        lead_therapist: lead,
        co_therapist: co,
    })
}

/// A client's identifying details from form text, checked field by field.
pub(super) fn details(
    name: &str,
    contact: &str,
    date_of_birth: &str,
) -> Result<ClientDetails, AppError> {
    let contact = contact.trim();
    if contact.chars().count() > 200 {
        return Err(AppError::invalid("contact", "at most 200 characters"));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::invalid("name", "1-200 characters"));
    }
    Ok(ClientDetails {
        name: name.to_owned(),
        contact: (!contact.is_empty()).then(|| contact.to_owned()),
        date_of_birth: date("date of birth", date_of_birth)?,
    })
}

pub async fn create<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Form(f): Form<ClientForm>,
) -> Result<Response, AppError> {
    access::require(&staff, Area::Clinical)?;
    let colleagues: Vec<Uuid> = app
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Therapist | Role::Supervisor))
        .map(|u| u.id)
        .collect();
    let result = match to_new_client(&f, staff.user.id, &colleagues) {
        Ok(new) => {
            let code = new.code.clone();
            app.store
                .create_client(&staff.actor(), new)
                .await
                .map_err(|e| match AppError::from(e) {
                    AppError::Conflict(_) => {
                        AppError::Conflict(format!("the code {code} is already in use"))
                    }
                    other => other,
                })
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/clients/{}", c.id)).into_response()),
        Err(e) => {
            let status = e.status();
            let p = page(&app, &staff, f, Some(e.public_message())).await?;
            Ok((status, render(&p)?).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct CourseForm {
    #[serde(default)]
    modality: String,
    #[serde(default)]
    protocol: String,
    #[serde(default)]
    doses: String,
    #[serde(default)]
    started_on: String,
}

/// A course, with the sessions its protocol plans at 10:00 UTC on their days.
pub async fn start_course<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(f): Form<CourseForm>,
) -> Result<Redirect, AppError> {
    access::client(&app, &staff, id, Need::Write).await?;
    let modality = Modality::from_code(f.modality.trim())
        .ok_or_else(|| AppError::invalid("modality", "choose a substance and route"))?;
    let protocol = match ProtocolTemplate::from_code(f.protocol.trim()) {
        Some(ProtocolTemplate::KetamineSeries { .. }) => {
            let doses: u8 = f
                .doses
                .trim()
                .parse()
                .ok()
                .filter(|d| (1..=12).contains(d))
                .ok_or_else(|| AppError::invalid("doses", "a ketamine series has 1 to 12 doses"))?;
            ProtocolTemplate::KetamineSeries { doses }
        }
        Some(p) => p,
        None => return Err(AppError::invalid("protocol", "choose a protocol")),
    };
    let start = date("start", &f.started_on)?
        .ok_or_else(|| AppError::invalid("start", "a date as YYYY-MM-DD"))?;
    let at = |day: u32| {
        start
            .with_time(Time::from_hms(10, 0, 0).unwrap_or(Time::MIDNIGHT))
            .assume_utc()
            + Duration::days(i64::from(day))
    };
    let sessions = protocol
        .plan()
        .iter()
        .enumerate()
        .map(|(i, p)| PlannedSessionRow {
            kind: p.kind,
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            scheduled_at: at(p.day),
        })
        .collect();
    app.store
        .create_planned_course(
            &staff.actor(),
            NewCourse {
                client: id,
                modality: modality.code().to_owned(),
                protocol: protocol.code().to_owned(),
                started_on: start,
            },
            sessions,
        )
        .await?;
    Ok(Redirect::to(&format!("/clients/{id}")))
}

/// The choices the course form offers.
pub fn modalities() -> Vec<&'static str> {
    Modality::ALL.iter().map(|m| m.code()).collect()
}

pub const PROTOCOLS: [&str; 5] = [
    "maps_mdma",
    "psilocybin_single",
    "psilocybin_two_dose",
    "ketamine_series",
    "custom",
];
