/// Implements `JobStore` and `VideoStore` for a backend. Invoke it in the
/// same module as, and after, [`impl_sql_store!`](crate::impl_sql_store).
/// The backend supplies `$store::PICK_JOB`: the query that picks the next
/// job id (PostgreSQL adds `FOR UPDATE SKIP LOCKED` so that concurrent
/// workers pass over each other's rows instead of waiting).
#[macro_export]
macro_rules! impl_sql_video {
    ($store:ident, $db:ty, $row:ty, $conn:ty) => {
        use $crate::attune_store::jobs::{MAX_ATTEMPTS, retry_delay};
        use $crate::attune_store::{
            Job, JobKind, JobState, JobStore, NewVideo, SessionVideo, VideoAnalysis, VideoLayout, VideoStore,
        };

        fn unix_micros(t: $crate::time::OffsetDateTime) -> i64 {
            i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
        }

        /// Ends a job for good with its reason (no worker holds it afterwards).
        async fn fail_for_good(conn: &mut $conn, job: Uuid, at_us: i64, error: &str) -> Result<()> {
            $crate::sqlx::query("UPDATE jobs SET state = 'failed', lease_owner = NULL, lease_until_us = NULL, finished_us = $1, error = $2 WHERE id = $3")
                .bind(at_us)
                .bind(error)
                .bind(job)
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
            Ok(())
        }

        /// Whose video this is (for the audit event of a change to it).
        async fn video_client(conn: &mut $conn, video: Uuid) -> Result<Uuid> {
            $crate::sqlx::query_scalar("SELECT client FROM session_videos WHERE id = $1")
                .bind(video)
                .fetch_optional(&mut *conn)
                .await
                .map_err(backend)?
                .ok_or_else(|| StoreError::not_found("video"))
        }

        fn video_row(cipher: &Cipher, row: &$row) -> Result<SessionVideo> {
            let id: Uuid = get(row, "id")?;
            let sealed: Option<Vec<u8>> = get(row, "analysis_enc")?;
            let analysis = sealed
                .map(|s| open_json::<VideoAnalysis>(cipher, &format!("video/{id}/analysis"), &s))
                .transpose()?;
            let layout = VideoLayout::from_json(&get::<String>(row, "layout")?)?;
            let name: Vec<u8> = get(row, "file_name_enc")?;
            Ok(SessionVideo {
                id,
                session: get(row, "session")?,
                client: get(row, "client")?,
                media_key: get(row, "media_key")?,
                file_name: cipher.open_str(&format!("video/{id}/file_name"), &name)?,
                bytes: u64::try_from(get::<i64>(row, "bytes")?).unwrap_or(0),
                sha256: get(row, "sha256")?,
                layout,
                uploaded_by: get(row, "uploaded_by")?,
                uploaded_at: get(row, "uploaded_at")?,
                state: JobState::parse(&get::<String>(row, "state")?)?,
                attempts: u32::try_from(get::<i64>(row, "attempts")?).unwrap_or(u32::MAX),
                error: get(row, "error")?,
                analysis,
                analysed_at: get(row, "analysed_at")?,
                file_deleted_at: get(row, "file_deleted_at")?,
            })
        }

        /// The job as `worker` holds it: (attempts, subject), or a conflict.
        async fn held_job(conn: &mut $conn, job: Uuid, worker: &str) -> Result<(i64, Uuid)> {
            let row = $crate::sqlx::query("SELECT state, lease_owner, attempts, subject FROM jobs WHERE id = $1")
                .bind(job)
                .fetch_optional(&mut *conn)
                .await
                .map_err(backend)?
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

        impl JobStore for $store {
            async fn claim_job(&self, worker: &str, lease: $crate::time::Duration) -> Result<Option<Job>> {
                loop {
                    let mut tx = self.write().await?;
                    let at = unix_micros(now());
                    let Some((id, attempts)) = $crate::sqlx::query_as::<_, (Uuid, i64)>($store::PICK_JOB)
                        .bind(at)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend)?
                    else {
                        return Ok(None);
                    };
                    if attempts >= i64::from(MAX_ATTEMPTS) {
                        // Every try ended with its worker gone (killed, out of memory):
                        // another would too.
                        fail_for_good(&mut tx, id, at, "the worker stopped during every try").await?;
                        tx.commit().await.map_err(backend)?;
                        continue;
                    }
                    let until = $crate::micros(now() + lease);
                    let row = $crate::sqlx::query("UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = $1, lease_until_us = $2 WHERE id = $3 RETURNING kind, subject, attempts")
                        .bind(worker)
                        .bind(unix_micros(until))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend)?;
                    let job = Job {
                        id,
                        kind: JobKind::parse(&get::<String>(&row, "kind")?)?,
                        subject: get(&row, "subject")?,
                        attempt: u32::try_from(get::<i64>(&row, "attempts")?).unwrap_or(u32::MAX),
                        lease_until: until,
                    };
                    tx.commit().await.map_err(backend)?;
                    return Ok(Some(job));
                }
            }

            async fn renew_lease(&self, job: Uuid, worker: &str, lease: $crate::time::Duration) -> Result<$crate::time::OffsetDateTime> {
                let until = $crate::micros(now() + lease);
                let done = $crate::sqlx::query("UPDATE jobs SET lease_until_us = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'running'")
                    .bind(unix_micros(until))
                    .bind(job)
                    .bind(worker)
                    .execute(&self.pool)
                    .await
                    .map_err(backend)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict {
                        what: "the job is no longer held by this worker".into(),
                    });
                }
                Ok(until)
            }

            async fn fail_job(&self, job: Uuid, worker: &str, error: &str, retry: bool) -> Result<JobState> {
                let mut tx = self.write().await?;
                let (attempts, _) = held_job(&mut tx, job, worker).await?;
                let attempt = u32::try_from(attempts).unwrap_or(u32::MAX);
                let error: String = error.chars().take(500).collect();
                let at = now();
                let state = if retry && attempt < MAX_ATTEMPTS {
                    $crate::sqlx::query("UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_until_us = NULL, due_us = $1, error = $2 WHERE id = $3")
                        .bind(unix_micros(at + retry_delay(attempt)))
                        .bind(&error)
                        .bind(job)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend)?;
                    JobState::Queued
                } else {
                    fail_for_good(&mut tx, job, unix_micros(at), &error).await?;
                    JobState::Failed
                };
                tx.commit().await.map_err(backend)?;
                Ok(state)
            }
        }

        impl VideoStore for $store {
            async fn attach_video(&self, actor: &Actor, new: NewVideo) -> Result<SessionVideo> {
                new.layout.check().map_err(|e| StoreError::invalid("layout", e))?;
                if new.file_name.trim().is_empty() || new.media_key.is_empty() {
                    return Err(StoreError::invalid("video", "a file name and a media key are needed"));
                }
                let mut tx = self.write().await?;
                let row = $crate::sqlx::query(
                    "SELECT c.client, s.cancel_reason FROM sessions s JOIN courses c ON c.id = s.course WHERE s.id = $1",
                )
                .bind(new.session)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend)?
                .ok_or_else(|| StoreError::not_found("session"))?;
                let client: Uuid = get(&row, "client")?;
                if get::<Option<String>>(&row, "cancel_reason")?.is_some() {
                    return Err(StoreError::Conflict {
                        what: "the session was cancelled: it has no video".into(),
                    });
                }
                let granted: Option<bool> = $crate::sqlx::query_scalar(
                    "SELECT granted FROM consents WHERE client = $1 AND kind = 'video_recording' ORDER BY recorded_at DESC, id DESC LIMIT 1",
                )
                .bind(client)
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend)?;
                if granted != Some(true) {
                    return Err(StoreError::Conflict {
                        what: "the client has not consented to video recording".into(),
                    });
                }
                let (id, job, at) = (Uuid::now_v7(), Uuid::now_v7(), now());
                $crate::sqlx::query("INSERT INTO jobs (id, kind, subject, state, attempts, due_us, queued_at) VALUES ($1, $2, $3, 'queued', 0, $4, $5)")
                    .bind(job)
                    .bind(JobKind::VideoAnalysis.code())
                    .bind(id)
                    .bind(unix_micros(at))
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                let layout = new.layout.to_json()?;
                let bytes = i64::try_from(new.bytes).map_err(|_| StoreError::invalid("bytes", "too large"))?;
                $crate::sqlx::query("INSERT INTO session_videos (id, session, client, job, media_key, file_name_enc, bytes, sha256, layout, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                    .bind(id)
                    .bind(new.session)
                    .bind(client)
                    .bind(job)
                    .bind(&new.media_key)
                    .bind(self.cipher.seal_str(&format!("video/{id}/file_name"), &new.file_name)?)
                    .bind(bytes)
                    .bind(&new.sha256)
                    .bind(layout)
                    .bind(new.uploaded_by)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                let video = SessionVideo {
                    id,
                    session: new.session,
                    client,
                    media_key: new.media_key,
                    file_name: new.file_name,
                    bytes: new.bytes,
                    sha256: new.sha256,
                    layout: new.layout,
                    uploaded_by: new.uploaded_by,
                    uploaded_at: at,
                    state: JobState::Queued,
                    attempts: 0,
                    error: None,
                    analysis: None,
                    analysed_at: None,
                    file_deleted_at: None,
                };
                audited(tx, actor, Action::Create, "session_video", Some(id), Some(client), video).await
            }

            async fn video_owner(&self, id: Uuid) -> Result<Option<(Uuid, Uuid)>> {
                let row = $crate::sqlx::query("SELECT client, session FROM session_videos WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(backend)?;
                row.map(|r| Ok((get(&r, "client")?, get(&r, "session")?))).transpose()
            }

            async fn video(&self, actor: &Actor, id: Uuid) -> Result<SessionVideo> {
                let mut tx = self.read_audited().await?;
                let row = $crate::sqlx::query("SELECT v.*, j.state, j.attempts, j.error FROM session_videos v JOIN jobs j ON j.id = v.job WHERE v.id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?
                    .ok_or_else(|| StoreError::not_found("video"))?;
                let video = video_row(&self.cipher, &row)?;
                let client = video.client;
                audited(tx, actor, Action::Read, "session_video", Some(id), Some(client), video).await
            }

            async fn client_videos(&self, actor: &Actor, client: Uuid) -> Result<Vec<SessionVideo>> {
                let mut tx = self.read_audited().await?;
                let rows = $crate::sqlx::query(
                    "SELECT v.*, j.state, j.attempts, j.error FROM session_videos v JOIN jobs j ON j.id = v.job \
                     JOIN sessions s ON s.id = v.session WHERE v.client = $1 ORDER BY s.scheduled_at, v.uploaded_at, v.id",
                )
                .bind(client)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend)?;
                let videos = rows
                    .iter()
                    .map(|r| video_row(&self.cipher, r))
                    .collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "session_video", None, Some(client), videos).await
            }

            async fn record_analysis(&self, actor: &Actor, job: Uuid, worker: &str, analysis: &VideoAnalysis) -> Result<()> {
                let mut tx = self.write().await?;
                let (_, video) = held_job(&mut tx, job, worker).await?;
                let client = video_client(&mut tx, video).await?;
                let at = now();
                $crate::sqlx::query("UPDATE session_videos SET analysis_enc = $1, analysed_at = $2 WHERE id = $3")
                    .bind(seal_json(&self.cipher, &format!("video/{video}/analysis"), analysis)?)
                    .bind(at)
                    .bind(video)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                $crate::sqlx::query("UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until_us = NULL, finished_us = $1, error = NULL WHERE id = $2")
                    .bind(unix_micros(at))
                    .bind(job)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                audited(tx, actor, Action::Update, "session_video", Some(video), Some(client), ()).await
            }

            async fn videos_past_retention(&self, before: $crate::time::OffsetDateTime) -> Result<Vec<(Uuid, String)>> {
                let rows = $crate::sqlx::query(
                    "SELECT v.id, v.media_key FROM session_videos v JOIN jobs j ON j.id = v.job \
                     WHERE v.file_deleted_at IS NULL AND j.state IN ('done', 'failed') AND j.finished_us < $1 ORDER BY j.finished_us",
                )
                .bind(unix_micros(before))
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
                rows.iter().map(|r| Ok((get(r, "id")?, get(r, "media_key")?))).collect()
            }

            async fn mark_video_file_deleted(&self, actor: &Actor, video: Uuid) -> Result<()> {
                let mut tx = self.write().await?;
                let client = video_client(&mut tx, video).await?;
                $crate::sqlx::query("UPDATE session_videos SET file_deleted_at = $1 WHERE id = $2 AND file_deleted_at IS NULL")
                    .bind(now())
                    .bind(video)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                audited(tx, actor, Action::Update, "session_video", Some(video), Some(client), ()).await
            }
        }
    };
}
