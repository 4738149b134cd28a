//! Conversions between PostgreSQL rows and the store's types, and error mapping.

use attune_store::StoreError;
use attune_store::audit::AuditEvent;
use attune_store::{AlertStatus, Course, Role, Session, StoredAlert, User};
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;

/// Maps a database error; constraint names are kept, values never are.
pub(crate) fn backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
            what: db.message().to_owned(),
        },
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::not_found(format!("a referenced record ({})", db.message()))
        }
        sqlx::Error::Database(db) if db.is_check_violation() => {
            StoreError::invalid("value", db.message().to_owned())
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

/// Now, truncated to microseconds as PostgreSQL keeps it.
pub(crate) fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}

pub(crate) fn get<'r, T>(row: &'r PgRow, col: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(col).map_err(backend)
}

pub(crate) fn user(row: &PgRow) -> Result<User, StoreError> {
    Ok(User {
        id: get(row, "id")?,
        username: get(row, "username")?,
        display_name: get(row, "display_name")?,
        role: Role::parse(&get::<String>(row, "role")?)?,
        active: get(row, "active")?,
        created_at: get(row, "created_at")?,
    })
}

pub(crate) fn course(row: &PgRow) -> Result<Course, StoreError> {
    Ok(Course {
        id: get(row, "id")?,
        client: get(row, "client")?,
        modality: get(row, "modality")?,
        protocol: get(row, "protocol")?,
        started_on: get(row, "started_on")?,
        created_at: get(row, "created_at")?,
    })
}

pub(crate) fn session(row: &PgRow) -> Result<Session, StoreError> {
    Ok(Session {
        id: get(row, "id")?,
        course: get(row, "course")?,
        kind: get(row, "kind")?,
        number: get::<i32>(row, "number")?
            .try_into()
            .map_err(|_| StoreError::invalid("number", "out of range"))?,
        scheduled_at: get(row, "scheduled_at")?,
        held_at: get(row, "held_at")?,
        readiness_override: get(row, "readiness_override")?,
    })
}

pub(crate) fn alert(row: &PgRow) -> Result<StoredAlert, StoreError> {
    Ok(StoredAlert {
        id: get(row, "id")?,
        client: get(row, "client")?,
        administration: get(row, "administration")?,
        kind: get(row, "kind")?,
        severity: get(row, "severity")?,
        message: get(row, "message")?,
        status: AlertStatus::parse(&get::<String>(row, "status")?)?,
        routed_to: get(row, "routed_to")?,
        raised_at: get(row, "raised_at")?,
    })
}

pub(crate) fn audit_event(row: &PgRow) -> Result<AuditEvent, StoreError> {
    Ok(AuditEvent {
        seq: get(row, "seq")?,
        at: get(row, "at")?,
        actor_user: get(row, "actor_user")?,
        actor_name: get(row, "actor_name")?,
        origin: get(row, "origin")?,
        action: get(row, "action")?,
        record_type: get(row, "record_type")?,
        record_id: get(row, "record_id")?,
        client_id: get(row, "client_id")?,
        prev_hash: get(row, "prev_hash")?,
        hash: get(row, "hash")?,
    })
}
