//! The SQL store: one implementation of `Store`, `AccessStore`, `VideoStore`
//! and `JobStore`, generic over the database ([`SqlStore<B: Backend>`]).
//! SQLite and PostgreSQL accept the same statements here (`$1` placeholders,
//! `ON CONFLICT ... DO NOTHING`, `BIGINT`/`INTEGER` read as `i64`); what
//! differs is the [`Backend`] trait, implemented in [`sqlite`] and
//! [`postgres`] (each behind its cargo feature, with its own migrations).

mod access;
mod audit;
mod backend;
mod jobs;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;
mod store;
mod video;

use attune_store::StoreError;
use attune_store::crypto::Cipher;
use sqlx::{Executor, Pool};
use time::OffsetDateTime;

pub use backend::Backend;
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
#[cfg(feature = "sqlite")]
pub use sqlite::{InsertBaseline, SqliteStore};

/// The clinical record on a SQL database. Cloning shares the pool.
#[derive(Debug)]
pub struct SqlStore<B: Backend> {
    pool: Pool<B>,
    cipher: Cipher,
}

impl<B: Backend> Clone for SqlStore<B> {
    fn clone(&self) -> Self {
        SqlStore {
            pool: self.pool.clone(),
            cipher: self.cipher.clone(),
        }
    }
}

impl<B: Backend> SqlStore<B> {
    /// Migrates the database behind `pool` and serves the record from it.
    async fn start(pool: Pool<B>, cipher: Cipher) -> Result<SqlStore<B>, StoreError> {
        B::migrate(&pool).await?;
        Ok(SqlStore { pool, cipher })
    }

    /// A write transaction, as the backend begins one.
    async fn write(&self) -> Result<sqlx::Transaction<'static, B>, StoreError> {
        B::begin_write(&self.pool).await
    }

    /// A transaction whose only write is the audit event of a read.
    async fn read_audited(&self) -> Result<sqlx::Transaction<'static, B>, StoreError> {
        B::begin_read_audited(&self.pool).await
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl<B: Backend> SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    /// Runs raw SQL: for tests that play an attacker with direct access to
    /// the database.
    #[doc(hidden)]
    pub async fn raw_execute(&self, sql: &'static str) -> Result<u64, StoreError> {
        let done = sqlx::raw_sql(sql)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(B::rows_affected(&done))
    }
}

/// Maps a database error. A violated constraint becomes an error about the
/// column it guards (a conflict, a missing reference, an invalid value);
/// anything else keeps the driver's error as its source. Constraint and
/// column names are kept, values never are.
pub fn db_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
            what: match violated_column(db.as_ref()) {
                Some(column) => format!("{column} already taken"),
                None => "a value that must be unique is already taken".into(),
            },
        },
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::not_found(match violated_column(db.as_ref()) {
                Some(column) => format!("the record named in {column}"),
                None => "a referenced record".into(),
            })
        }
        sqlx::Error::Database(db) if db.is_check_violation() => StoreError::invalid(
            violated_column(db.as_ref()).unwrap_or_else(|| "value".into()),
            "out of the allowed range",
        ),
        _ => StoreError::backend("database error", e),
    }
}

/// The column a constraint guards, as a field name: PostgreSQL names the
/// constraint (`alerts_instrument_check`, `users_username_key`); SQLite says
/// `UNIQUE constraint failed: users.username` or `CHECK constraint failed:
/// number >= 1` (and nothing for a foreign key).
fn violated_column(db: &dyn sqlx::error::DatabaseError) -> Option<String> {
    if let Some(name) = db.constraint() {
        let table = db.table().unwrap_or_default();
        let column = name
            .strip_prefix(table)
            .unwrap_or(name)
            .trim_start_matches('_');
        let column = ["_check", "_key", "_fkey", "_pkey"]
            .iter()
            .find_map(|s| column.strip_suffix(s))
            .unwrap_or(column);
        return Some(if column.is_empty() { name } else { column }.to_owned());
    }
    let (_, detail) = db.message().split_once(": ")?;
    let first = detail
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .find(|w| !w.is_empty())?;
    first.rsplit('.').next().map(str::to_owned)
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
