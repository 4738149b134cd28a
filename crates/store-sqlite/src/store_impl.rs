//! `Store` for SQLite: the shared implementation (crates/store-sql), plus
//! what SQLite does its own way.

use sqlx::SqliteConnection;

use crate::SqliteStore;

attune_store_sql::impl_sql_store!(
    SqliteStore,
    sqlx::Sqlite,
    sqlx::sqlite::SqliteRow,
    sqlx::SqliteConnection
);
attune_store_sql::impl_sql_access!(
    SqliteStore,
    sqlx::Sqlite,
    sqlx::sqlite::SqliteRow,
    sqlx::SqliteConnection
);
attune_store_sql::impl_sql_video!(
    SqliteStore,
    sqlx::Sqlite,
    sqlx::sqlite::SqliteRow,
    sqlx::SqliteConnection
);

impl SqliteStore {
    /// The next job to run, with its tries so far. SQLite has one writer at a time (the claim runs
    /// in an `IMMEDIATE` transaction), so no row locking is needed.
    const PICK_JOB: &'static str = "SELECT id, attempts FROM jobs WHERE (state = 'queued' AND due_us <= $1) \
        OR (state = 'running' AND lease_until_us < $1) ORDER BY due_us, id LIMIT 1";

    /// A write transaction begun `IMMEDIATE`: it takes SQLite's single write
    /// lock up front, so a read-then-write never fails to upgrade.
    async fn write(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        self.pool
            .begin_with("PRAGMA synchronous = FULL; BEGIN IMMEDIATE")
            .await
            .map_err(attune_store_sql::backend)
    }

    /// A transaction whose only write is the audit event of a read, committed
    /// with `synchronous = NORMAL`: in WAL mode it survives a crash of the
    /// process, and a power loss can drop only the last such events (never
    /// data); the next durable commit syncs them. Each transaction sets the
    /// mode it needs, so a pooled connection never carries it into the next.
    async fn read_audited(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        self.pool
            .begin_with("PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE")
            .await
            .map_err(attune_store_sql::backend)
    }

    /// Nothing to do: the `IMMEDIATE` transaction already holds the only write lock.
    async fn lock_audit(_conn: &mut SqliteConnection) -> std::result::Result<(), StoreError> {
        Ok(())
    }
}
