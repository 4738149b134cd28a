//! The PostgreSQL store, for a clinic or multi-site study that outgrows one
//! file: several `attune serve` processes can share it. Same contract as the
//! SQLite store; native types (UUID, TIMESTAMPTZ, BYTEA).

mod migrate;
mod store_impl;

use attune_store::StoreError;
use attune_store::crypto::Cipher;
use sqlx::postgres::{PgPool, PgPoolOptions};

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
    cipher: Cipher,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:pass@host/db`) and runs migrations.
    pub async fn connect(url: &str, cipher: Cipher) -> Result<PostgresStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect(url)
            .await
            .map_err(|e| {
                StoreError::Backend(format!(
                    "connecting to PostgreSQL: {}",
                    redact(&e.to_string(), url)
                ))
            })?;
        migrate::run(&pool).await?;
        Ok(PostgresStore { pool, cipher })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs raw SQL: for tests that play an attacker with direct database access.
    #[doc(hidden)]
    pub async fn raw_execute(&self, sql: &'static str) -> Result<u64, StoreError> {
        let r = sqlx::raw_sql(sql)
            .execute(&self.pool)
            .await
            .map_err(attune_store_sql::backend)?;
        Ok(r.rows_affected())
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
