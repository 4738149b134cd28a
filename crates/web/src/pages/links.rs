//! Assigning measures: a portal link (256-bit token, only its hash stored,
//! valid for the clinic's set period) carrying one task per chosen measure.
//! The link is shown once, as text to copy and as a QR code; delivery by
//! e-mail or SMS is not part of Attune yet.

use askama::Template;
use attune_store::Code;
use attune_store::{NewPortalLink, NewTask, token_hash};
use attune_store::{Respondent, SessionKind};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Html;
use qrcode::QrCode;
use qrcode::render::svg;
use time::OffsetDateTime;
use uuid::Uuid;

use super::render;
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::auth::tokens;
use crate::http::error::AppError;

#[derive(Template)]
#[template(path = "link_created.html")]
struct Page {
    me: Option<Me>,
    code: String,
    client: String,
    url: String,
    qr: String,
    expires: String,
    measures: Vec<String>,
    opens: Option<String>,
}

pub fn qr_svg(text: &str) -> Result<String, AppError> {
    let code =
        QrCode::new(text.as_bytes()).map_err(|e| AppError::Internal(format!("QR code: {e}")))?;
    let image = code.render::<svg::Color>().min_dimensions(192, 192).build();
    // Inline in HTML: drop the XML declaration.
    Ok(image
        .find("<svg")
        .map_or(image.clone(), |i| image[i..].to_owned()))
}

/// The address clients open, from the Host the staff member used.
fn base_url(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

pub async fn create<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Html<String>, AppError> {
    let library = app.library();
    let team = access::client(&app, &staff, id, Need::Write).await?;
    let mut chosen: Vec<&attune_instruments::Instrument> = Vec::new();
    for (k, v) in &pairs {
        if k != "instrument" {
            continue;
        }
        let inst = library.get(v).map_err(|_| {
            AppError::invalid(
                "instrument",
                format!("no instrument '{}'", v.chars().take(40).collect::<String>()),
            )
        })?;
        if inst.definition().respondent != Respondent::Client {
            return Err(AppError::invalid(
                "instrument",
                format!("{} is not completed by the client", inst.id()),
            ));
        }
        if !chosen.iter().any(|c| c.id() == inst.id()) {
            chosen.push(inst);
        }
    }
    if chosen.is_empty() {
        return Err(AppError::invalid(
            "instrument",
            "choose at least one measure",
        ));
    }
    if chosen.len() > 12 {
        return Err(AppError::invalid(
            "instrument",
            "at most 12 measures on one link",
        ));
    }
    let time_point = pairs
        .iter()
        .find(|(k, _)| k == "time_point")
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    if time_point.as_ref().is_some_and(|t| t.chars().count() > 40) {
        return Err(AppError::invalid("time point", "at most 40 characters"));
    }
    // "After session N": the measures belong to that session and open in the
    // portal from its planned time; the link stays valid that long after it.
    // "After each planned session (of a kind)": one set of tasks per session.
    let now = OffsetDateTime::now_utc();
    let choice = pairs
        .iter()
        .find(|(k, _)| k == "session")
        .map(|(_, v)| v.trim());
    if let Some(kind) = choice.and_then(|v| {
        (v == EVERY)
            .then_some(None)
            .or_else(|| v.strip_prefix(EVERY_KIND).map(Some))
    }) {
        let kind = kind
            .map(|k| {
                SessionKind::from_code(k)
                    .ok_or_else(|| AppError::invalid("session", "no such kind of session"))
            })
            .transpose()?;
        let (course, sessions) = latest_planned(&app, &staff, id, kind).await?;
        if sessions.len() * chosen.len() > MAX_RECURRING_TASKS {
            return Err(AppError::invalid(
                "session",
                format!(
                    "at most {MAX_RECURRING_TASKS} measures in all on one link: choose fewer measures or one kind of session"
                ),
            ));
        }
        let (first, last) = (
            sessions[0].scheduled_at,
            sessions[sessions.len() - 1].scheduled_at,
        );
        let plan = Plan {
            course: Some(course),
            slots: sessions
                .iter()
                .map(|s| (Some(s.id), Some(s.scheduled_at)))
                .collect(),
            note: format!(
                ", after each of {} sessions ({} to {})",
                sessions.len(),
                first.date(),
                last.date()
            ),
        };
        return issue(
            &app, &staff, &headers, team.code, id, &chosen, time_point, plan,
        )
        .await;
    }
    let after = match choice {
        None | Some("") => None,
        Some(v) => {
            let not_ours = || AppError::invalid("session", "not a session of this client");
            let sid: Uuid = v.parse().map_err(|_| not_ours())?;
            let (_, course) = app
                .store
                .session_owner(sid)
                .await?
                .filter(|(owner, _)| *owner == id)
                .ok_or_else(not_ours)?;
            let session = app
                .store
                .sessions(&staff.actor(), course)
                .await?
                .into_iter()
                .find(|s| s.id == sid)
                .ok_or_else(not_ours)?;
            Some((course, session))
        }
    };
    let (course, session, available_from) = match &after {
        Some((course, s)) => (
            Some(*course),
            Some(s.id),
            (s.planned() && s.scheduled_at > now).then_some(s.scheduled_at),
        ),
        None => {
            let latest = app
                .store
                .courses(&staff.actor(), id)
                .await?
                .last()
                .map(|c| c.id);
            (latest, None, None)
        }
    };
    let plan = Plan {
        course,
        slots: vec![(session, available_from)],
        note: String::new(),
    };
    issue(
        &app, &staff, &headers, team.code, id, &chosen, time_point, plan,
    )
    .await
}

/// What a new link carries: for each slot (the session the measures belong
/// to, and when they open), one task per chosen measure.
struct Plan {
    course: Option<Uuid>,
    slots: Vec<(Option<Uuid>, Option<OffsetDateTime>)>,
    /// Said after each measure's name on the page ("after each of ...").
    note: String,
}

/// Stores the link and shows it once. It stays valid the clinic's period
/// after the last slot opens (or after now).
#[allow(clippy::too_many_arguments)]
async fn issue<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    headers: &HeaderMap,
    code: String,
    client: Uuid,
    chosen: &[&attune_instruments::Instrument],
    time_point: Option<String>,
    plan: Plan,
) -> Result<Html<String>, AppError> {
    let opens = plan.slots.iter().filter_map(|s| s.1).min();
    let last = plan.slots.iter().filter_map(|s| s.1).max();
    let expires_at = last.unwrap_or_else(OffsetDateTime::now_utc)
        + crate::clinic::portal_link_valid(app).await?;
    let tasks = plan
        .slots
        .iter()
        .flat_map(|(session, available_from)| {
            chosen.iter().map(|i| NewTask {
                instrument: i.id().to_owned(),
                instrument_version: i.version(),
                course: plan.course,
                session: *session,
                time_point: time_point.clone(),
                available_from: *available_from,
            })
        })
        .collect();
    let token = tokens::new_token()?;
    let link = app
        .store
        .create_portal_link(
            &staff.actor(),
            NewPortalLink {
                token_hash: token_hash(&token),
                client,
                created_by: staff.user.id,
                expires_at,
                tasks,
            },
        )
        .await?;
    let url = format!(
        "{}/p/{token}",
        base_url(headers, app.settings.secure_cookies)
    );
    render(&Page {
        me: Some(staff.me()),
        code,
        client: client.to_string(),
        qr: qr_svg(&url)?,
        url,
        expires: link.expires_at.date().to_string(),
        opens: opens.map(|t| t.date().to_string()),
        measures: chosen
            .iter()
            .map(|i| format!("{}{}", i.definition().name, plan.note))
            .collect(),
    })
}

/// The `session` field's value for "after each planned session", and the
/// prefix of "after each planned session of this kind".
pub const EVERY: &str = "every";
pub const EVERY_KIND: &str = "every:";
/// Sessions × measures on one recurring link.
const MAX_RECURRING_TASKS: usize = 60;

/// The latest course's planned sessions (of `kind`, if given), in order.
async fn latest_planned<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    client: Uuid,
    kind: Option<SessionKind>,
) -> Result<(Uuid, Vec<attune_store::Session>), AppError> {
    let none = || {
        AppError::invalid(
            "session",
            "no planned sessions to repeat the measures after",
        )
    };
    let course = app
        .store
        .courses(&staff.actor(), client)
        .await?
        .last()
        .map(|c| c.id)
        .ok_or_else(none)?;
    let mut sessions: Vec<attune_store::Session> = app
        .store
        .sessions(&staff.actor(), course)
        .await?
        .into_iter()
        .filter(|s| s.planned() && kind.is_none_or(|k| s.kind == k))
        .collect();
    sessions.sort_by_key(|s| s.scheduled_at);
    if sessions.is_empty() {
        return Err(none());
    }
    Ok((course, sessions))
}

/// Withdraws a link (given to the wrong person, or no longer wanted).
pub async fn revoke<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path((id, link)): Path<(Uuid, Uuid)>,
) -> Result<axum::response::Redirect, AppError> {
    access::client(&app, &staff, id, Need::Write).await?;
    app.store
        .revoke_portal_link(&staff.actor(), id, link)
        .await?;
    Ok(axum::response::Redirect::to(&format!("/clients/{id}")))
}
