//! Accounts: who has access with which role, and the usernames locked by
//! failed sign-ins, with an unlock. Admins see no clinical content here.

use askama::Template;
use attune_store::audit::Actor;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, Redirect};
use serde::Deserialize;

use super::{day, render};
use crate::access::{self, Area};
use crate::app::{Shared, Stores};
use crate::error::AppError;
use crate::session::{Me, Staff};

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

#[derive(Template)]
#[template(path = "admin.html")]
struct Page {
    me: Option<Me>,
    users: Vec<UserRow>,
    locks: Vec<LockRow>,
}

pub async fn page<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Html<String>, AppError> {
    access::require(&staff, Area::Admin)?;
    let users = app
        .store
        .users()
        .await?
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
    render(&Page {
        me: Some(staff.me()),
        users,
        locks,
    })
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
