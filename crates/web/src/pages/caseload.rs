//! The caseload: every client on the therapist's care team, and for a
//! supervisor, each supervisee's caseload (read-only), with what needs
//! attention first.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::overview::{Record, Row, row};
use super::render;
use crate::access::{self, Area};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::http::error::AppError;

pub struct Group {
    pub title: String,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct Page {
    me: Option<Me>,
    groups: Vec<Group>,
}

async fn rows<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    therapist: uuid::Uuid,
) -> Result<Vec<Row>, AppError> {
    let mut rows = Vec::new();
    for c in app.store.caseload(&staff.actor(), therapist).await? {
        let record = Record::load(app, staff, c.id).await?;
        rows.push(row(&c, &record, staff.user.id));
    }
    // Urgent alerts first, then any open alert, then by code.
    rows.sort_by(|a, b| {
        (!a.urgent, a.open_alerts == 0, &a.code).cmp(&(!b.urgent, b.open_alerts == 0, &b.code))
    });
    Ok(rows)
}

pub async fn page<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Html<String>, AppError> {
    access::require(&staff, Area::Clinical)?;
    let mut groups = vec![Group {
        title: "My clients".into(),
        rows: rows(&app, &staff, staff.user.id).await?,
    }];
    if staff.user.role == attune_store::Role::Supervisor {
        let users = app.store.users().await?;
        for id in app.store.supervisees(staff.user.id).await? {
            let name = users
                .iter()
                .find(|u| u.id == id)
                .map_or_else(|| id.to_string(), |u| u.display_name.clone());
            groups.push(Group {
                title: format!("Supervised: {name}"),
                rows: rows(&app, &staff, id).await?,
            });
        }
    }
    render(&Page {
        me: Some(staff.me()),
        groups,
    })
}
