//! Migrations, run at start-up, each in its own transaction. A small runner of
//! our own (a table of applied versions) keeps sqlx's macro crates out of the build.

use sqlx::SqlitePool;

use attune_store::StoreError;

use crate::db_error;

/// (version, SQL), in order. Never edit an applied migration: add a new one.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_initial.sql")),
    (2, include_str!("../../migrations/sqlite/0002_records.sql")),
    (
        3,
        include_str!("../../migrations/sqlite/0003_time_points.sql"),
    ),
    (4, include_str!("../../migrations/sqlite/0004_access.sql")),
    (5, include_str!("../../migrations/sqlite/0005_totp.sql")),
    (
        6,
        include_str!("../../migrations/sqlite/0006_task_schedule.sql"),
    ),
    (
        7,
        include_str!("../../migrations/sqlite/0007_video_jobs.sql"),
    ),
    (
        8,
        include_str!("../../migrations/sqlite/0008_totp_replay.sql"),
    ),
    (
        9,
        include_str!("../../migrations/sqlite/0009_session_cancel.sql"),
    ),
    (
        10,
        include_str!("../../migrations/sqlite/0010_clinic_settings.sql"),
    ),
    (
        11,
        include_str!("../../migrations/sqlite/0011_alert_instrument.sql"),
    ),
    (
        12,
        include_str!("../../migrations/sqlite/0012_alert_episode.sql"),
    ),
    (
        13,
        include_str!("../../migrations/sqlite/0013_readiness_reviews.sql"),
    ),
];

pub(crate) async fn run(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, \
        applied_at TEXT NOT NULL)",
    )
    .execute(pool)
    .await
    .map_err(db_error)?;
    for (version, sql) in MIGRATIONS {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let done: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        if done.is_none() {
            sqlx::raw_sql(*sql)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, datetime('now'))",
            )
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)?;
    }
    Ok(())
}
