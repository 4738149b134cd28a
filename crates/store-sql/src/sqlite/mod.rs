//! The embedded default: one SQLite file in the data directory, in WAL mode
//! with `synchronous=FULL` (a commit that returned is on disk), foreign keys
//! on, and every write transaction begun `IMMEDIATE` so that a read-then-write
//! never fails to upgrade its lock.

mod baseline;
mod migrate;

pub use baseline::InsertBaseline;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use attune_store::StoreError;
use attune_store::crypto::Cipher;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, SqliteConnection, Transaction};

use crate::{Backend, SqlStore, db_error};

/// The store on one SQLite file.
pub type SqliteStore = SqlStore<Sqlite>;

impl Backend for Sqlite {
    /// SQLite has one writer at a time (the claim runs in an `IMMEDIATE`
    /// transaction), so no row locking is needed.
    const PICK_JOB: &'static str = "SELECT id, attempts FROM jobs \
        WHERE (state = 'queued' AND due_us <= $1) OR (state = 'running' AND lease_until_us < $1) \
        ORDER BY due_us, id LIMIT 1";

    fn rows_affected(done: &sqlx::sqlite::SqliteQueryResult) -> u64 {
        done.rows_affected()
    }

    async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
        migrate::run(pool).await
    }

    /// Begun `IMMEDIATE`: it takes SQLite's single write lock up front, so a
    /// read-then-write never fails to upgrade.
    async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>, StoreError> {
        pool.begin_with("PRAGMA synchronous = FULL; BEGIN IMMEDIATE")
            .await
            .map_err(db_error)
    }

    /// Committed with `synchronous = NORMAL`: in WAL mode it survives a crash
    /// of the process, and a power loss can drop only the last such events
    /// (never data); the next durable commit syncs them. Each transaction sets
    /// the mode it needs, so a pooled connection never carries it into the next.
    async fn begin_read_audited(
        pool: &SqlitePool,
    ) -> Result<Transaction<'static, Sqlite>, StoreError> {
        pool.begin_with("PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE")
            .await
            .map_err(db_error)
    }

    /// Nothing to do: the `IMMEDIATE` transaction already holds the only write lock.
    async fn lock_audit(_conn: &mut SqliteConnection) -> Result<(), StoreError> {
        Ok(())
    }
}

/// A pool on the file at `path` with the store's durability settings.
async fn pool(path: &Path) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(db_error)?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30));
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(db_error)
}

impl SqlStore<Sqlite> {
    /// Opens (creating if needed) the database at `path` and runs migrations.
    pub async fn open(path: &Path, cipher: Cipher) -> Result<SqliteStore, StoreError> {
        SqlStore::start(pool(path).await?, cipher).await
    }

    /// A consistent online snapshot into a new file (`VACUUM INTO`), taken
    /// while others keep reading and writing.
    pub async fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Conflict {
                what: format!("{} already exists", target.display()),
            });
        }
        let target = target
            .to_str()
            .ok_or_else(|| StoreError::invalid("backup path", "must be valid UTF-8"))?;
        sqlx::query("VACUUM INTO ?1")
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }
}
