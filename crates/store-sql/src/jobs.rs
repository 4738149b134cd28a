//! `JobStore` on SQL: leased background jobs. The backend picks the next
//! job (`Backend::PICK_JOB`; PostgreSQL adds `FOR UPDATE SKIP LOCKED` so that
//! concurrent workers pass over each other's rows instead of waiting).

use attune_store::Code;
use attune_store::jobs::{MAX_ATTEMPTS, retry_delay};
use attune_store::{Job, JobState, JobStore, StoreError};
use sqlx::Executor;
use uuid::Uuid;

use crate::backend::{Backend, Param, code, get};
use crate::{SqlStore, db_error, now};

type Result<T> = std::result::Result<T, StoreError>;

/// Microseconds since 1970: how both backends compare job times.
pub(crate) fn unix_micros(t: time::OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
}

/// Steps of a job's life inside a caller's transaction.
impl<B: Backend> SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    /// Ends a job for good with its reason (no worker holds it afterwards).
    pub(crate) async fn fail_for_good(
        conn: &mut B::Connection,
        job: Uuid,
        at_us: i64,
        error: &str,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET state = 'failed', lease_owner = NULL, lease_until_us = NULL, \
            finished_us = $1, error = $2 WHERE id = $3",
        )
        .param(at_us)
        .param(error)
        .param(job)
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// The job as `worker` holds it: (attempts, subject), or a conflict.
    pub(crate) async fn held_job(
        conn: &mut B::Connection,
        job: Uuid,
        worker: &str,
    ) -> Result<(i64, Uuid)> {
        let row =
            sqlx::query("SELECT state, lease_owner, attempts, subject FROM jobs WHERE id = $1")
                .param(job)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_error)?
                .ok_or_else(|| StoreError::not_found("job"))?;
        let state: String = get(&row, "state")?;
        let owner: Option<String> = get(&row, "lease_owner")?;
        if state != JobState::Running.code() || owner.as_deref() != Some(worker) {
            return Err(StoreError::Conflict {
                what: "the job is no longer held by this worker".into(),
            });
        }
        Ok((get(&row, "attempts")?, get(&row, "subject")?))
    }
}

impl<B: Backend> JobStore for SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    async fn claim_job(&self, worker: &str, lease: time::Duration) -> Result<Option<Job>> {
        loop {
            let mut tx = self.write().await?;
            let at = unix_micros(now());
            let Some(picked) = sqlx::query(B::PICK_JOB)
                .param(at)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?
            else {
                return Ok(None);
            };
            let (id, attempts): (Uuid, i64) = (get(&picked, "id")?, get(&picked, "attempts")?);
            if attempts >= i64::from(MAX_ATTEMPTS) {
                // Every try ended with its worker gone (killed, out of memory):
                // another would too.
                Self::fail_for_good(&mut tx, id, at, "the worker stopped during every try").await?;
                tx.commit().await.map_err(db_error)?;
                continue;
            }
            let until = crate::micros(now() + lease);
            let row = sqlx::query(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, \
                lease_owner = $1, lease_until_us = $2 WHERE id = $3 \
                    RETURNING kind, subject, attempts",
            )
            .param(worker)
            .param(unix_micros(until))
            .param(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            let job = Job {
                id,
                kind: code(&row, "kind")?,
                subject: get(&row, "subject")?,
                attempt: u32::try_from(get::<_, i64>(&row, "attempts")?).unwrap_or(u32::MAX),
                lease_until: until,
            };
            tx.commit().await.map_err(db_error)?;
            return Ok(Some(job));
        }
    }

    async fn renew_lease(
        &self,
        job: Uuid,
        worker: &str,
        lease: time::Duration,
    ) -> Result<time::OffsetDateTime> {
        let until = crate::micros(now() + lease);
        let done = sqlx::query(
            "UPDATE jobs SET lease_until_us = $1 \
            WHERE id = $2 AND lease_owner = $3 AND state = 'running'",
        )
        .param(unix_micros(until))
        .param(job)
        .param(worker)
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        if B::rows_affected(&done) == 0 {
            return Err(StoreError::Conflict {
                what: "the job is no longer held by this worker".into(),
            });
        }
        Ok(until)
    }

    async fn fail_job(
        &self,
        job: Uuid,
        worker: &str,
        error: &str,
        retry: bool,
    ) -> Result<JobState> {
        let mut tx = self.write().await?;
        let (attempts, _) = Self::held_job(&mut tx, job, worker).await?;
        let attempt = u32::try_from(attempts).unwrap_or(u32::MAX);
        let error: String = error.chars().take(500).collect();
        let at = now();
        let state = if retry && attempt < MAX_ATTEMPTS {
            sqlx::query(
                "UPDATE jobs SET state = 'queued', lease_owner = NULL, \
                lease_until_us = NULL, due_us = $1, error = $2 WHERE id = $3",
            )
            .param(unix_micros(at + retry_delay(attempt)))
            .param(&error)
            .param(job)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            JobState::Queued
        } else {
            Self::fail_for_good(&mut tx, job, unix_micros(at), &error).await?;
            JobState::Failed
        };
        tx.commit().await.map_err(db_error)?;
        Ok(state)
    }
}
