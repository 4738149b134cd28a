//! Accounts: who has access with which role, and the usernames locked by
//! failed sign-ins, with an unlock. Admins see no clinical content here.

use askama::Template;
use attune_store::Code;
use attune_store::audit::Actor;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, Redirect};
use serde::Deserialize;

use super::{day, render};
use crate::access::{self, Area};
use crate::app::{Shared, Stores};
use crate::auth::password;
use crate::auth::session::{Me, Staff};
use crate::http::error::AppError;
use attune_store::{NewUser, Role};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub struct UserRow {
    pub username: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub since: String,
}

pub struct LockRow {
    pub username: String,
    pub failures: u32,
    pub until: String,
}

pub struct PackRow {
    pub instrument: String,
    pub packs: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct Page {
    me: Option<Me>,
    users: Vec<UserRow>,
    locks: Vec<LockRow>,
    supervision: Vec<(String, String)>,
    packs: Vec<PackRow>,
    settings: Vec<(&'static str, String)>,
    clinic: ClinicForm,
    created: Option<(String, String)>,
    error: Option<String>,
}

pub async fn page<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Html<String>, AppError> {
    access::require(&staff, Area::Admin)?;
    render(&build(&app, &staff, None, None).await?)
}

async fn build<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    created: Option<(String, String)>,
    error: Option<String>,
) -> Result<Page, AppError> {
    let library = app.library();
    let all = app.store.users().await?;
    let mut supervision = Vec::new();
    for u in all.iter().filter(|u| u.role == Role::Supervisor) {
        for s in app.store.supervisees(u.id).await? {
            let name = all
                .iter()
                .find(|x| x.id == s)
                .map_or_else(|| s.to_string(), |x| x.username.clone());
            supervision.push((u.username.clone(), name));
        }
    }
    let packs = library
        .latest()
        .map(|i| PackRow {
            instrument: i.definition().name.clone(),
            packs: library
                .packs_for(i)
                .iter()
                .map(|p| {
                    let d = p.definition();
                    format!("{} ({}, {})", p.id(), d.kind.as_str(), d.language)
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let s = &app.settings;
    let yes_no = |b: bool| if b { "yes".to_owned() } else { "no".to_owned() };
    let clinic = ClinicForm {
        crisis_text: crate::clinic::crisis_text(app).await?,
        portal_link_days: crate::clinic::portal_link_valid(app)
            .await?
            .whole_days()
            .to_string(),
        client_progress: if crate::clinic::client_progress(app).await? {
            "yes".into()
        } else {
            String::new()
        },
    };
    let settings = vec![
        (
            "Idle timeout",
            format!("{} minutes", s.session_idle.whole_minutes()),
        ),
        (
            "Absolute session length",
            format!("{} hours", s.session_absolute.whole_hours()),
        ),
        (
            "Lock after failed sign-ins",
            format!(
                "{} failures, for {} minutes",
                s.lock.after_failures,
                s.lock.lock_for.whole_minutes()
            ),
        ),
        (
            "Session video files kept after analysis",
            s.video_retention.map_or_else(
                || "until deleted by hand".to_owned(),
                |d| format!("{} days", d.whole_days()),
            ),
        ),
        ("Largest session video", format!("{} GB", s.max_video >> 30)),
        (
            "Request time limit",
            format!("{} s (uploads exempt)", s.request_timeout.as_secs()),
        ),
        ("Secure cookies", yes_no(s.secure_cookies)),
    ];
    let users = all
        .into_iter()
        .map(|u| UserRow {
            username: u.username,
            name: u.display_name,
            role: u.role.code().to_owned(),
            active: u.active,
            since: day(u.created_at),
        })
        .collect();
    let locks = app
        .store
        .locked_logins()
        .await?
        .into_iter()
        .map(|(username, s)| LockRow {
            username,
            failures: s.failures,
            until: s.locked_until.map_or_else(String::new, |t| t.to_string()),
        })
        .collect();
    Ok(Page {
        me: Some(staff.me()),
        users,
        locks,
        supervision,
        packs,
        settings,
        clinic,
        created,
        error,
    })
}

#[derive(Deserialize)]
pub struct NewAccount {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
}

/// Creates an account with a generated password, shown once on the page.
pub async fn create_user<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Form(form): Form<NewAccount>,
) -> Result<Response, AppError> {
    access::require(&staff, Area::Admin)?;
    let role = Role::from_code(form.role.trim())
        .ok_or_else(|| AppError::invalid("role", "admin, therapist, supervisor or researcher"))?;
    let secret = password::generate().map_err(|e| AppError::Internal(e.to_string()))?;
    let hashed = {
        let secret = secret.clone();
        tokio::task::spawn_blocking(move || password::hash(&secret))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))?
    };
    let username = form.username.trim().to_lowercase();
    let created = app
        .store
        .create_user(
            &staff.actor(),
            NewUser {
                username: username.clone(),
                display_name: form.display_name.trim().to_owned(),
                role,
                password_hash: hashed,
            },
        )
        .await;
    match created {
        Ok(_) => Ok(
            render(&build(&app, &staff, Some((username, secret)), None).await?)?.into_response(),
        ),
        Err(e) => {
            let e = AppError::from(e);
            let page = build(&app, &staff, None, Some(e.public_message())).await?;
            Ok((e.status(), render(&page)?).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct Activity {
    #[serde(default)]
    username: String,
    #[serde(default)]
    active: String,
}

pub async fn set_active<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Form(form): Form<Activity>,
) -> Result<Redirect, AppError> {
    access::require(&staff, Area::Admin)?;
    if form.username == staff.user.username {
        return Err(AppError::invalid(
            "username",
            "you cannot disable your own account",
        ));
    }
    let active = match form.active.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::invalid("active", "true or false")),
    };
    app.store
        .set_user_active(&staff.actor(), &form.username, active)
        .await?;
    Ok(Redirect::to("/admin"))
}

#[derive(Deserialize)]
pub struct Link {
    #[serde(default)]
    supervisor: String,
    #[serde(default)]
    supervisee: String,
}

pub async fn supervise<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Form(form): Form<Link>,
) -> Result<Redirect, AppError> {
    access::require(&staff, Area::Admin)?;
    let users = app.store.users().await?;
    let find = |name: &str, field: &str| {
        users
            .iter()
            .find(|u| u.username == name.trim())
            .cloned()
            .ok_or_else(|| AppError::invalid(field, "no such user"))
    };
    let (boss, member) = (
        find(&form.supervisor, "supervisor")?,
        find(&form.supervisee, "supervisee")?,
    );
    if boss.role != Role::Supervisor {
        return Err(AppError::invalid(
            "supervisor",
            "the account's role is not supervisor",
        ));
    }
    if !matches!(member.role, Role::Therapist | Role::Supervisor) || boss.id == member.id {
        return Err(AppError::invalid(
            "supervisee",
            "another therapist or supervisor",
        ));
    }
    app.store
        .add_supervision(&staff.actor(), boss.id, member.id)
        .await?;
    Ok(Redirect::to("/admin"))
}

#[derive(Deserialize)]
pub struct Unlock {
    #[serde(default)]
    username: String,
}

pub async fn unlock<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Form(form): Form<Unlock>,
) -> Result<Redirect, AppError> {
    access::require(&staff, Area::Admin)?;
    let name = form.username.trim();
    if name.is_empty() || name.len() > 64 {
        return Err(AppError::invalid("username", "1-64 characters"));
    }
    let actor = Actor {
        name: format!("user:{} unlocking {name}", staff.user.username),
        ..staff.actor()
    };
    app.store.clear_login_failures(&actor, name).await?;
    Ok(Redirect::to("/admin"))
}

/// The largest wording pack file accepted (a pack is a few kilobytes).
pub const MAX_PACK: usize = 256 * 1024;

/// Installs a wording pack a clinic licensed: checked against its
/// instrument, kept in the data directory, and used from the next page on.
pub async fn install_pack<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    mut form: axum::extract::Multipart,
) -> Result<Response, AppError> {
    access::require(&staff, Area::Admin)?;
    let mut text = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("pack") => {
                let bytes = field.bytes().await.map_err(|e| {
                    AppError::invalid(
                        "pack",
                        format!("the file did not arrive whole ({})", e.body_text()),
                    )
                })?;
                text = Some(String::from_utf8(bytes.to_vec()).map_err(|_| {
                    AppError::invalid("pack", "a wording pack is a UTF-8 text (TOML) file")
                })?);
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                return Err(AppError::invalid(
                    "pack",
                    format!("the file did not arrive whole ({})", e.body_text()),
                ));
            }
        }
    }
    let outcome = match text.filter(|t| !t.trim().is_empty()) {
        None => Err(AppError::invalid(
            "pack",
            "choose a wording pack file (TOML)",
        )),
        Some(t) => app.install_wording(&t),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/admin#wording").into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let page = build(&app, &staff, None, Some(e.public_message())).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The settings a clinic edits here (see `crate::clinic`).
#[derive(Deserialize, Default)]
pub struct ClinicForm {
    #[serde(default)]
    crisis_text: String,
    #[serde(default)]
    portal_link_days: String,
    /// "yes" when the box is ticked; absent otherwise.
    #[serde(default)]
    client_progress: String,
}

pub async fn save_settings<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Form(form): Form<ClinicForm>,
) -> Result<Response, AppError> {
    use crate::clinic::{
        CLIENT_PROGRESS, CRISIS_TEXT, LINK_DAYS, LINK_DAYS_RANGE, MAX_CRISIS_TEXT,
    };
    access::require(&staff, Area::Admin)?;
    let crisis = form.crisis_text.trim();
    let days = form.portal_link_days.trim().parse::<i64>().ok();
    let refusal = if crisis.is_empty() || crisis.chars().count() > MAX_CRISIS_TEXT {
        Some(AppError::invalid(
            "crisis information",
            format!("1-{MAX_CRISIS_TEXT} characters: what a client should do and whom to call"),
        ))
    } else if !days.is_some_and(|d| LINK_DAYS_RANGE.contains(&d)) {
        Some(AppError::invalid(
            "portal links valid for",
            "a whole number of days from 1 to 90",
        ))
    } else {
        None
    };
    if let Some(e) = refusal {
        let page = build(&app, &staff, None, Some(e.public_message())).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let actor = staff.actor();
    let progress = if form.client_progress == "yes" {
        "yes"
    } else {
        "no"
    };
    let days = days.unwrap_or_default().to_string();
    for (key, value) in [
        (CRISIS_TEXT, crisis),
        (LINK_DAYS, days.as_str()),
        (CLIENT_PROGRESS, progress),
    ] {
        app.store.set_clinic_setting(&actor, key, value).await?;
    }
    Ok(Redirect::to("/admin#settings").into_response())
}
