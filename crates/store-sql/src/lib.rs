//! The SQL that both store backends share. SQLite and PostgreSQL accept the
//! same statements here (`$1` placeholders, `ON CONFLICT ... DO NOTHING`,
//! `RETURNING`-free inserts, `BIGINT`/`INTEGER` read as `i64`), so `Store` is
//! written once, in [`impl_sql_store!`], and instantiated with each backend's
//! concrete sqlx types. What differs stays in the backend crates: connection
//! options, migrations, how a write transaction begins, the audit lock, backup.

mod access_macro;
mod store_macro;
mod video_macro;

use attune_store::StoreError;
use time::OffsetDateTime;

// Re-exported so that the macro's paths resolve in the backend crates.
#[doc(hidden)]
pub use {attune_store, sqlx, time, uuid};

/// Maps a database error; constraint names are kept, values never are.
pub fn backend(e: sqlx::Error) -> StoreError {
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

/// Now, truncated to microseconds as PostgreSQL keeps it, so that audit
/// hashes cover the same value on both backends.
pub fn now() -> OffsetDateTime {
    micros(OffsetDateTime::now_utc())
}

/// A time as both backends keep it: whole microseconds.
pub fn micros(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000)
        .unwrap_or(t)
}
