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

impl SqliteStore {
    /// A write transaction begun `IMMEDIATE`: it takes SQLite's single write
    /// lock up front, so a read-then-write never fails to upgrade.
    async fn write(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(attune_store_sql::backend)
    }

    /// Nothing to do: the `IMMEDIATE` transaction already holds the only write lock.
    async fn lock_audit(_conn: &mut SqliteConnection) -> std::result::Result<(), StoreError> {
        Ok(())
    }
}
