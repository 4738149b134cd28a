//! PostgreSQL, for a clinic or multi-site study that outgrows one file:
//! several `attune serve` processes can share it. Native types (UUID,
//! TIMESTAMPTZ, BYTEA); transaction-scoped advisory locks where SQLite has its
//! single writer.

mod migrate;

use attune_store::StoreError;
use attune_store::crypto::Cipher;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres, Transaction};

use crate::{Backend, SqlStore, db_error};

/// The store on a PostgreSQL database.
pub type PostgresStore = SqlStore<Postgres>;

/// The advisory lock that serialises appends to the audit chain.
const AUDIT_LOCK: i64 = 0x4154_544e_4155_4454;

impl Backend for Postgres {
    /// Rows another worker is claiming are skipped, not waited for.
    const PICK_JOB: &'static str = "SELECT id, attempts FROM jobs \
        WHERE (state = 'queued' AND due_us <= $1) OR (state = 'running' AND lease_until_us < $1) \
        ORDER BY due_us, id LIMIT 1 FOR UPDATE SKIP LOCKED";

    fn rows_affected(done: &sqlx::postgres::PgQueryResult) -> u64 {
        done.rows_affected()
    }

    async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
        migrate::run(pool).await
    }

    /// READ COMMITTED; the audit lock orders the chain, `ON CONFLICT` settles
    /// two submissions of one idempotency key.
    async fn begin_write(pool: &PgPool) -> Result<Transaction<'static, Postgres>, StoreError> {
        pool.begin().await.map_err(db_error)
    }

    /// Its commit does not wait for the WAL flush (`synchronous_commit = off`):
    /// a server crash may lose the last such events, never data, and a later
    /// durable commit flushes them.
    async fn begin_read_audited(
        pool: &PgPool,
    ) -> Result<Transaction<'static, Postgres>, StoreError> {
        pool.begin_with("BEGIN; SET LOCAL synchronous_commit = off")
            .await
            .map_err(db_error)
    }

    /// A transaction-scoped advisory lock, released at commit or rollback: no
    /// other writer, in this process or another, reads the same last hash.
    async fn lock_audit(conn: &mut PgConnection) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK)
            .execute(&mut *conn)
            .await
            .map(|_| ())
            .map_err(db_error)
    }
}

impl SqlStore<Postgres> {
    /// Connects to `url` (`postgres://user:pass@host/db`) and runs migrations.
    pub async fn connect(url: &str, cipher: Cipher) -> Result<PostgresStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect(url)
            .await
            .map_err(|e| {
                // The driver's message may hold the URL with its password:
                // only a redacted copy is kept.
                StoreError::backend("connecting to PostgreSQL", redact(&e.to_string(), url))
            })?;
        SqlStore::start(pool, cipher).await
    }
}

/// Never let a connection URL (with its password) reach a message.
fn redact(message: &str, url: &str) -> String {
    if url.is_empty() {
        message.to_owned()
    } else {
        message.replace(url, "<database url>")
    }
}
