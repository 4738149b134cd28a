//! `Store` for PostgreSQL: the shared implementation (crates/store-sql),
//! plus what PostgreSQL does its own way.

use sqlx::PgConnection;

use crate::PostgresStore;

attune_store_sql::impl_sql_store!(
    PostgresStore,
    sqlx::Postgres,
    sqlx::postgres::PgRow,
    sqlx::PgConnection
);
attune_store_sql::impl_sql_access!(
    PostgresStore,
    sqlx::Postgres,
    sqlx::postgres::PgRow,
    sqlx::PgConnection
);
attune_store_sql::impl_sql_video!(
    PostgresStore,
    sqlx::Postgres,
    sqlx::postgres::PgRow,
    sqlx::PgConnection
);

/// The advisory lock that serialises appends to the audit chain.
const AUDIT_LOCK: i64 = 0x4154_544e_4155_4454;

impl PostgresStore {
    /// The next job to run (with its tries so far); rows another worker is claiming are skipped,
    /// not waited for.
    const PICK_JOB: &'static str = "SELECT id, attempts FROM jobs WHERE (state = 'queued' AND due_us <= $1) \
        OR (state = 'running' AND lease_until_us < $1) ORDER BY due_us, id LIMIT 1 FOR UPDATE SKIP LOCKED";

    /// A write transaction (READ COMMITTED; the audit lock orders the chain,
    /// `ON CONFLICT` settles two submissions of one idempotency key).
    async fn write(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        self.pool.begin().await.map_err(attune_store_sql::backend)
    }

    /// A transaction whose only write is the audit event of a read. Its
    /// commit does not wait for the WAL flush (`synchronous_commit = off`):
    /// a server crash may lose the last such events, never data, and a later
    /// durable commit flushes them. See ARCHITECTURE.md, "Durability".
    async fn read_audited(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        self.pool
            .begin_with("BEGIN; SET LOCAL synchronous_commit = off")
            .await
            .map_err(attune_store_sql::backend)
    }

    /// A transaction-scoped advisory lock, released at commit or rollback:
    /// no other writer, in this process or another, reads the same last hash.
    async fn lock_audit(conn: &mut PgConnection) -> std::result::Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK)
            .execute(&mut *conn)
            .await
            .map(|_| ())
            .map_err(attune_store_sql::backend)
    }
}
