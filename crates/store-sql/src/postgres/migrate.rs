//! Migrations, run at start-up. An advisory lock makes concurrent start-ups of
//! several servers take turns; each migration is one transaction.

use sqlx::PgPool;

use attune_store::StoreError;

use crate::db_error;

const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        include_str!("../../migrations/postgres/0002_records.sql"),
    ),
    (
        3,
        include_str!("../../migrations/postgres/0003_time_points.sql"),
    ),
    (4, include_str!("../../migrations/postgres/0004_access.sql")),
    (5, include_str!("../../migrations/postgres/0005_totp.sql")),
    (
        6,
        include_str!("../../migrations/postgres/0006_task_schedule.sql"),
    ),
    (
        7,
        include_str!("../../migrations/postgres/0007_video_jobs.sql"),
    ),
    (
        8,
        include_str!("../../migrations/postgres/0008_totp_replay.sql"),
    ),
    (
        9,
        include_str!("../../migrations/postgres/0009_session_cancel.sql"),
    ),
    (
        10,
        include_str!("../../migrations/postgres/0010_clinic_settings.sql"),
    ),
    (
        11,
        include_str!("../../migrations/postgres/0011_alert_instrument.sql"),
    ),
    (
        12,
        include_str!("../../migrations/postgres/0012_alert_episode.sql"),
    ),
    (
        13,
        include_str!("../../migrations/postgres/0013_readiness_reviews.sql"),
    ),
];
const MIGRATION_LOCK: i64 = 0x4154_544e_4d49_4752;

pub(crate) async fn run(pool: &PgPool) -> Result<(), StoreError> {
    let mut tx = pool.begin().await.map_err(db_error)?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, \
        applied_at TIMESTAMPTZ NOT NULL)",
    )
    .execute(&mut *tx)
    .await
    .map_err(db_error)?;
    for (version, sql) in MIGRATIONS {
        let done: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        if done.is_none() {
            sqlx::raw_sql(*sql)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())")
                .bind(version)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
    }
    tx.commit().await.map_err(db_error)
}
