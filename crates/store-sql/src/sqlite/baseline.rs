//! The load benchmark's baseline: the least a durable web write can do on
//! this machine (one row inserted in an `IMMEDIATE` transaction, same file
//! settings as the store: WAL, `synchronous=FULL`). `attune bench web`
//! serves it from a minimal axum app beside the real portal.

use std::path::Path;

use attune_store::StoreError;
use sqlx::SqlitePool;

#[derive(Debug, Clone)]
pub struct InsertBaseline {
    pool: SqlitePool,
}

impl InsertBaseline {
    pub async fn open(path: &Path) -> Result<InsertBaseline, StoreError> {
        let pool = super::pool(path).await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS baseline (key TEXT PRIMARY KEY, body TEXT NOT NULL, \
                at TEXT NOT NULL)",
        )
        .execute(&pool)
        .await
        .map_err(crate::db_error)?;
        Ok(InsertBaseline { pool })
    }

    /// Stores one submission; a repeated key stores nothing new.
    pub async fn insert(&self, key: &str, body: &str) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(crate::db_error)?;
        sqlx::query(
            "INSERT INTO baseline (key, body, at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(body)
        .bind(crate::now())
        .execute(&mut *tx)
        .await
        .map_err(crate::db_error)?;
        tx.commit().await.map_err(crate::db_error)
    }

    pub async fn count(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT count(*) FROM baseline")
            .fetch_one(&self.pool)
            .await
            .map_err(crate::db_error)
    }
}
