//! `VideoStore` on SQL: session videos (attached only with consent, their
//! analysis job queued in the same transaction) and their analyses.

use attune_store::Code;
use attune_store::audit::{Action, Actor};
use attune_store::crypto::Cipher;
use attune_store::records::{open_json, seal_json};
use attune_store::{JobKind, JobState};
use attune_store::{NewVideo, SessionVideo, StoreError, VideoAnalysis, VideoLayout, VideoStore};
use sqlx::{Executor, Row};
use uuid::Uuid;

use crate::backend::{Backend, Param, code, first, get};
use crate::{SqlStore, db_error, now};

type Result<T> = std::result::Result<T, StoreError>;

use crate::jobs::unix_micros;

impl<B: Backend> SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    /// Whose video this is (for the audit event of a change to it).
    pub(crate) async fn video_client(conn: &mut B::Connection, video: Uuid) -> Result<Uuid> {
        sqlx::query("SELECT client FROM session_videos WHERE id = $1")
            .param(video)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?
            .as_ref()
            .map(first)
            .transpose()?
            .ok_or_else(|| StoreError::not_found("video"))
    }
}

fn video_row<R: Row<Database: Backend>>(cipher: &Cipher, row: &R) -> Result<SessionVideo> {
    let id: Uuid = get(row, "id")?;
    let sealed: Option<Vec<u8>> = get(row, "analysis_enc")?;
    let analysis = sealed
        .map(|s| open_json::<VideoAnalysis>(cipher, &format!("video/{id}/analysis"), &s))
        .transpose()?;
    let layout = VideoLayout::from_json(&get::<_, String>(row, "layout")?)?;
    let name: Vec<u8> = get(row, "file_name_enc")?;
    Ok(SessionVideo {
        id,
        session: get(row, "session")?,
        client: get(row, "client")?,
        media_key: get(row, "media_key")?,
        file_name: cipher.open_str(&format!("video/{id}/file_name"), &name)?,
        bytes: u64::try_from(get::<_, i64>(row, "bytes")?).unwrap_or(0),
        sha256: get(row, "sha256")?,
        layout,
        uploaded_by: get(row, "uploaded_by")?,
        uploaded_at: get(row, "uploaded_at")?,
        state: code(row, "state")?,
        attempts: u32::try_from(get::<_, i64>(row, "attempts")?).unwrap_or(u32::MAX),
        error: get(row, "error")?,
        analysis,
        analysed_at: get(row, "analysed_at")?,
        file_deleted_at: get(row, "file_deleted_at")?,
    })
}

impl<B: Backend> VideoStore for SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    async fn attach_video(&self, actor: &Actor, new: NewVideo) -> Result<SessionVideo> {
        new.layout
            .check()
            .map_err(|e| StoreError::invalid("layout", e))?;
        if new.file_name.trim().is_empty() || new.media_key.is_empty() {
            return Err(StoreError::invalid(
                "video",
                "a file name and a media key are needed",
            ));
        }
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "SELECT c.client, s.cancel_reason \
                FROM sessions s JOIN courses c ON c.id = s.course WHERE s.id = $1",
        )
        .param(new.session)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        .ok_or_else(|| StoreError::not_found("session"))?;
        let client: Uuid = get(&row, "client")?;
        if get::<_, Option<String>>(&row, "cancel_reason")?.is_some() {
            return Err(StoreError::Conflict {
                what: "the session was cancelled: it has no video".into(),
            });
        }
        let granted: Option<bool> = sqlx::query(
            "SELECT granted FROM consents \
                WHERE client = $1 AND kind = 'video_recording' \
                    ORDER BY recorded_at DESC, id DESC LIMIT 1",
        )
        .param(client)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        .as_ref()
        .map(first)
        .transpose()?;
        if granted != Some(true) {
            return Err(StoreError::Conflict {
                what: "the client has not consented to video recording".into(),
            });
        }
        let (id, job, at) = (Uuid::now_v7(), Uuid::now_v7(), now());
        sqlx::query(
            "INSERT INTO jobs (id, kind, subject, state, attempts, due_us, \
            queued_at) VALUES ($1, $2, $3, 'queued', 0, $4, $5)",
        )
        .param(job)
        .param(JobKind::VideoAnalysis.code())
        .param(id)
        .param(unix_micros(at))
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let layout = new.layout.to_json()?;
        let bytes =
            i64::try_from(new.bytes).map_err(|_| StoreError::invalid("bytes", "too large"))?;
        sqlx::query(
            "INSERT INTO session_videos (id, session, client, job, media_key, \
            file_name_enc, bytes, sha256, layout, uploaded_by, uploaded_at) \
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .param(id)
        .param(new.session)
        .param(client)
        .param(job)
        .param(&new.media_key)
        .param(
            self.cipher
                .seal_str(&format!("video/{id}/file_name"), &new.file_name)?,
        )
        .param(bytes)
        .param(&new.sha256)
        .param(layout)
        .param(new.uploaded_by)
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
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
        Self::audited(
            tx,
            actor,
            Action::Create,
            "session_video",
            Some(id),
            Some(client),
            video,
        )
        .await
    }

    async fn video_owner(&self, id: Uuid) -> Result<Option<(Uuid, Uuid)>> {
        let row = sqlx::query("SELECT client, session FROM session_videos WHERE id = $1")
            .param(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
        row.map(|r| Ok((get(&r, "client")?, get(&r, "session")?)))
            .transpose()
    }

    async fn video(&self, actor: &Actor, id: Uuid) -> Result<SessionVideo> {
        let mut tx = self.read_audited().await?;
        let row = sqlx::query(
            "SELECT v.*, j.state, j.attempts, j.error \
            FROM session_videos v JOIN jobs j ON j.id = v.job WHERE v.id = $1",
        )
        .param(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        .ok_or_else(|| StoreError::not_found("video"))?;
        let video = video_row(&self.cipher, &row)?;
        let client = video.client;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "session_video",
            Some(id),
            Some(client),
            video,
        )
        .await
    }

    async fn client_videos(&self, actor: &Actor, client: Uuid) -> Result<Vec<SessionVideo>> {
        let mut tx = self.read_audited().await?;
        let rows = sqlx::query(
            "SELECT v.*, j.state, j.attempts, j.error \
                FROM session_videos v JOIN jobs j ON j.id = v.job \
             JOIN sessions s ON s.id = v.session \
                 WHERE v.client = $1 ORDER BY s.scheduled_at, v.uploaded_at, v.id",
        )
        .param(client)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        let videos = rows
            .iter()
            .map(|r| video_row(&self.cipher, r))
            .collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "session_video",
            None,
            Some(client),
            videos,
        )
        .await
    }

    async fn record_analysis(
        &self,
        actor: &Actor,
        job: Uuid,
        worker: &str,
        analysis: &VideoAnalysis,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let (_, video) = Self::held_job(&mut tx, job, worker).await?;
        let client = Self::video_client(&mut tx, video).await?;
        let at = now();
        sqlx::query("UPDATE session_videos SET analysis_enc = $1, analysed_at = $2 WHERE id = $3")
            .param(seal_json(
                &self.cipher,
                &format!("video/{video}/analysis"),
                analysis,
            )?)
            .param(at)
            .param(video)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::query(
            "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until_us = NULL, \
            finished_us = $1, error = NULL WHERE id = $2",
        )
        .param(unix_micros(at))
        .param(job)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Update,
            "session_video",
            Some(video),
            Some(client),
            (),
        )
        .await
    }

    async fn videos_past_retention(
        &self,
        before: time::OffsetDateTime,
    ) -> Result<Vec<(Uuid, String)>> {
        let rows = sqlx::query(
            "SELECT v.id, v.media_key FROM session_videos v JOIN jobs j ON j.id = v.job \
             WHERE v.file_deleted_at IS NULL AND j.state IN ('done', 'failed') \
                 AND j.finished_us < $1 ORDER BY j.finished_us",
        )
        .param(unix_micros(before))
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| Ok((get(r, "id")?, get(r, "media_key")?)))
            .collect()
    }

    async fn mark_video_file_deleted(&self, actor: &Actor, video: Uuid) -> Result<()> {
        let mut tx = self.write().await?;
        let client = Self::video_client(&mut tx, video).await?;
        sqlx::query(
            "UPDATE session_videos SET file_deleted_at = $1 \
            WHERE id = $2 AND file_deleted_at IS NULL",
        )
        .param(now())
        .param(video)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Update,
            "session_video",
            Some(video),
            Some(client),
            (),
        )
        .await
    }
}
