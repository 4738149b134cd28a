//! The embedded default store: one SQLite file in the data directory, in WAL
//! mode with `synchronous=FULL` (a commit that returned is on disk), foreign
//! keys on, and every write transaction begun `IMMEDIATE` so that a
//! read-then-write never fails to upgrade its lock.

mod baseline;
mod migrate;
mod store_impl;

pub use baseline::InsertBaseline;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use attune_store::StoreError;
use attune_store::crypto::Cipher;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// A pool on the file at `path` with the store's durability settings.
async fn pool(path: &Path) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(attune_store_sql::backend)?
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
        .map_err(attune_store_sql::backend)
}

/// The SQLite store. Cloning shares the pool.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    cipher: Cipher,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and runs migrations.
    pub async fn open(path: &Path, cipher: Cipher) -> Result<SqliteStore, StoreError> {
        let pool = pool(path).await?;
        migrate::run(&pool).await?;
        Ok(SqliteStore { pool, cipher })
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
            .map_err(attune_store_sql::backend)?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs raw SQL: for tests that play an attacker with direct file access.
    #[doc(hidden)]
    pub async fn raw_execute(&self, sql: &'static str) -> Result<u64, StoreError> {
        let r = sqlx::raw_sql(sql)
            .execute(&self.pool)
            .await
            .map_err(attune_store_sql::backend)?;
        Ok(r.rows_affected())
    }
}
