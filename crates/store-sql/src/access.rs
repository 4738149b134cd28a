//! `AccessStore` on SQL: staff sessions, login throttling, TOTP, portal
//! links, tasks and submissions through a link.

use attune_store::audit::{Action, Actor};
use attune_store::{
    AccessStore, ClientSummary, CohortTotal, Course, LockPolicy, LoginState, NewAdministration,
    NewCourse, NewPortalLink, NewSession, NewStaffSession, PlannedSessionRow, PortalContext,
    PortalLink, PortalTask, Session, StaffSession, StoreError, StoredAlert, Submitted,
    check_administration, check_course, decode, decode_responses, encode_responses,
};
use sqlx::{Executor, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::backend::{Backend, Binds, Param, first, get};
use crate::store::{administration_row, alert_row, course_row, session_row, user_row};
use crate::{SqlStore, db_error, now};
use attune_store::records::open_json;

type Result<T> = std::result::Result<T, StoreError>;

fn staff_session_row<R: Row<Database: Backend>>(row: &R) -> Result<StaffSession> {
    Ok(StaffSession {
        token_hash: get(row, "token_hash")?,
        user: user_row(row)?,
        csrf_token: get(row, "csrf_token")?,
        created_at: get(row, "session_created_at")?,
        last_seen_at: get(row, "last_seen_at")?,
        expires_at: get(row, "expires_at")?,
    })
}

fn login_state_row<R: Row<Database: Backend>>(row: &R) -> Result<LoginState> {
    Ok(LoginState {
        failures: to_u32(get(row, "failures")?, "failures")?,
        locked_until: get(row, "locked_until")?,
    })
}

fn to_u32(v: i64, field: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::invalid(field, "out of range"))
}

fn task_row<R: Row<Database: Backend>>(row: &R) -> Result<PortalTask> {
    let draft: Option<String> = get(row, "draft")?;
    Ok(PortalTask {
        id: get(row, "id")?,
        link: get(row, "link")?,
        position: to_u32(get(row, "position")?, "position")?,
        instrument: get(row, "instrument")?,
        instrument_version: to_u32(get(row, "instrument_version")?, "instrument_version")?,
        course: get(row, "course")?,
        session: get(row, "session")?,
        time_point: get(row, "time_point")?,
        available_from: get(row, "available_from")?,
        draft: decode_responses(draft.as_deref().unwrap_or(""))?,
        draft_saved_at: get(row, "draft_saved_at")?,
        administration: get(row, "administration")?,
    })
}

/// Steps that run inside a caller's transaction.
impl<B: Backend> SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    /// The links `select` finds (one bound value), with their tasks.
    pub(crate) async fn links_where<T>(
        conn: &mut B::Connection,
        select: &'static str,
        value: T,
    ) -> Result<Vec<PortalLink>>
    where
        T: Send + Clone,
        B: Binds<T>,
    {
        let rows = sqlx::query(select)
            .param(value)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_error)?;
        let mut links = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: Uuid = get(r, "id")?;
            let tasks = sqlx::query("SELECT * FROM portal_tasks WHERE link = $1 ORDER BY position")
                .param(id)
                .fetch_all(&mut *conn)
                .await
                .map_err(db_error)?
                .iter()
                .map(task_row)
                .collect::<Result<Vec<_>>>()?;
            links.push(PortalLink {
                id,
                client: get(r, "client")?,
                created_by: get(r, "created_by")?,
                created_at: get(r, "created_at")?,
                expires_at: get(r, "expires_at")?,
                revoked: get(r, "revoked")?,
                tasks,
            });
        }
        Ok(links)
    }

    /// The task and its link's client; refuses a submitted task.
    pub(crate) async fn open_task(
        conn: &mut B::Connection,
        task: Uuid,
    ) -> Result<(PortalTask, Uuid)> {
        let row = sqlx::query(
            "SELECT t.*, l.client AS link_client \
            FROM portal_tasks t JOIN portal_links l ON l.id = t.link WHERE t.id = $1",
        )
        .param(task)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| StoreError::not_found("task"))?;
        Ok((task_row(&row)?, get(&row, "link_client")?))
    }

    /// Links a task to the administration that completes it; a retry of
    /// the same submission changes nothing, another one is refused.
    pub(crate) async fn mark_task_done(
        conn: &mut B::Connection,
        task: Uuid,
        earlier: Option<Uuid>,
        done: Uuid,
    ) -> Result<()> {
        match earlier {
            None => {
                sqlx::query(
                    "UPDATE portal_tasks SET administration = $1, \
                    draft_saved_at = $2 WHERE id = $3",
                )
                .param(done)
                .param(now())
                .param(task)
                .execute(&mut *conn)
                .await
                .map_err(db_error)?;
                Ok(())
            }
            Some(e) if e == done => Ok(()),
            Some(_) => Err(StoreError::Conflict {
                what: "this task has been submitted already".into(),
            }),
        }
    }
}

impl<B: Backend> AccessStore for SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    async fn open_staff_session(&self, actor: &Actor, new: NewStaffSession) -> Result<()> {
        let mut tx = self.write().await?;
        let at = now();
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, user_id, csrf_token, origin, created_at, \
                last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $5, $6)",
        )
        .param(&new.token_hash)
        .param(new.user)
        .param(&new.csrf_token)
        .param(&new.origin)
        .param(at)
        .param(crate::micros(new.expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "staff_session",
            Some(new.user),
            None,
            (),
        )
        .await
    }

    async fn staff_session(&self, token_hash: &str) -> Result<Option<StaffSession>> {
        let row = sqlx::query(
            "SELECT u.*, s.token_hash, s.csrf_token, s.created_at AS session_created_at, \
                s.last_seen_at, s.expires_at
             FROM staff_sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND u.active = TRUE",
        )
        .param(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        row.as_ref().map(staff_session_row).transpose()
    }

    async fn touch_staff_session(&self, token_hash: &str, at: OffsetDateTime) -> Result<()> {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .param(at)
            .param(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn close_staff_session(&self, actor: &Actor, token_hash: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let user: Option<Uuid> =
            sqlx::query("SELECT user_id FROM staff_sessions WHERE token_hash = $1")
                .param(token_hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?
                .as_ref()
                .map(first)
                .transpose()?;
        let Some(user) = user else {
            return Ok(());
        };
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .param(token_hash)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Update,
            "staff_session",
            Some(user),
            None,
            (),
        )
        .await
    }

    async fn totp_secret(&self, user: Uuid) -> Result<Option<Vec<u8>>> {
        let sealed: Option<Option<Vec<u8>>> =
            sqlx::query("SELECT totp_enc FROM users WHERE id = $1")
                .param(user)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?
                .as_ref()
                .map(first)
                .transpose()?;
        sealed
            .flatten()
            .map(|s| self.cipher.open(&format!("user/{user}/totp"), &s))
            .transpose()
    }

    async fn set_totp(&self, actor: &Actor, user: Uuid, secret: Option<Vec<u8>>) -> Result<()> {
        let sealed = secret
            .map(|s| self.cipher.seal(&format!("user/{user}/totp"), &s))
            .transpose()?;
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE users SET totp_enc = $1, totp_last_step = NULL, updated_at = $2 WHERE id = $3",
        )
        .param(sealed)
        .param(now())
        .param(user)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if B::rows_affected(&done) == 0 {
            return Err(StoreError::not_found("user"));
        }
        Self::audited(tx, actor, Action::Update, "user_totp", Some(user), None, ()).await
    }

    async fn claim_totp_step(&self, user: Uuid, step: u64) -> Result<bool> {
        let step = i64::try_from(step).map_err(|_| StoreError::invalid("step", "out of range"))?;
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 \
                WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .param(step)
        .param(user)
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(B::rows_affected(&done) == 1)
    }

    async fn clinic_setting(&self, key: &str) -> Result<Option<String>> {
        sqlx::query("SELECT value FROM clinic_settings WHERE key = $1")
            .param(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?
            .as_ref()
            .map(first)
            .transpose()
    }

    async fn set_clinic_setting(&self, actor: &Actor, key: &str, value: &str) -> Result<()> {
        if key.is_empty() || key.len() > 64 || value.chars().count() > 4000 {
            return Err(StoreError::invalid(
                "setting",
                "a key of 1-64 characters, a value of at most 4,000",
            ));
        }
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO clinic_settings (key, value, updated_by, updated_at) \
                VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE \
                 SET value = excluded.value, updated_by = excluded.updated_by, \
                     updated_at = excluded.updated_at",
        )
        .param(key)
        .param(value)
        .param(actor.user)
        .param(now())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(tx, actor, Action::Update, "clinic_setting", None, None, ()).await
    }

    async fn login_state(&self, username: &str) -> Result<LoginState> {
        let row =
            sqlx::query("SELECT failures, locked_until FROM login_failures WHERE username = $1")
                .param(username)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
        Ok(row
            .as_ref()
            .map(login_state_row)
            .transpose()?
            .unwrap_or_default())
    }

    async fn record_login_failure(&self, username: &str, policy: LockPolicy) -> Result<LoginState> {
        let mut tx = self.write().await?;
        let at = now();
        let row =
            sqlx::query("SELECT failures, locked_until FROM login_failures WHERE username = $1")
                .param(username)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        let before = row
            .as_ref()
            .map(login_state_row)
            .transpose()?
            .unwrap_or_default();
        // A lock that has run out starts a fresh count.
        let failures = if before.locked_until.is_some_and(|u| u <= at) {
            1
        } else {
            before.failures.saturating_add(1)
        };
        let locked_until = if before.locked_at(at) {
            before.locked_until
        } else if failures >= policy.after_failures {
            Some(at + policy.lock_for)
        } else {
            None
        };
        sqlx::query(
            "INSERT INTO login_failures (username, failures, last_at, locked_until) \
                VALUES ($1, $2, $3, $4)
             ON CONFLICT (username) DO UPDATE SET failures = $2, last_at = $3, locked_until = $4",
        )
        .param(username)
        .param(i64::from(failures))
        .param(at)
        .param(locked_until)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        Ok(LoginState {
            failures,
            locked_until,
        })
    }

    async fn clear_login_failures(&self, actor: &Actor, username: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query("DELETE FROM login_failures WHERE username = $1")
            .param(username)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if B::rows_affected(&done) == 0 {
            return Ok(());
        }
        Self::audited(tx, actor, Action::Update, "login_lock", None, None, ()).await
    }

    async fn locked_logins(&self) -> Result<Vec<(String, LoginState)>> {
        let rows = sqlx::query(
            "SELECT username, failures, locked_until FROM login_failures \
                WHERE locked_until > $1 ORDER BY username",
        )
        .param(now())
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| Ok((get(r, "username")?, login_state_row(r)?)))
            .collect()
    }

    async fn care_team(&self, client: Uuid) -> Result<Option<ClientSummary>> {
        let row =
            sqlx::query("SELECT id, code, lead_therapist, co_therapist FROM clients WHERE id = $1")
                .param(client)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
        row.map(|r| {
            Ok(ClientSummary {
                id: get(&r, "id")?,
                code: get(&r, "code")?,
                lead_therapist: get(&r, "lead_therapist")?,
                co_therapist: get(&r, "co_therapist")?,
            })
        })
        .transpose()
    }

    async fn session_owner(&self, session: Uuid) -> Result<Option<(Uuid, Uuid)>> {
        let row = sqlx::query(
            "SELECT c.client, c.id AS course \
                FROM sessions s JOIN courses c ON c.id = s.course WHERE s.id = $1",
        )
        .param(session)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        row.map(|r| Ok((get(&r, "client")?, get(&r, "course")?)))
            .transpose()
    }

    async fn alert_client(&self, alert: Uuid) -> Result<Option<Uuid>> {
        sqlx::query("SELECT client FROM alerts WHERE id = $1")
            .param(alert)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?
            .as_ref()
            .map(first)
            .transpose()
    }

    async fn client_alerts(&self, actor: &Actor, client: Uuid) -> Result<Vec<StoredAlert>> {
        let mut tx = self.read_audited().await?;
        let rows =
            sqlx::query("SELECT * FROM alerts WHERE client = $1 ORDER BY raised_at DESC, id DESC")
                .param(client)
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
        let list = rows.iter().map(alert_row).collect::<Result<Vec<_>>>()?;
        Self::audited(tx, actor, Action::Read, "alerts", None, Some(client), list).await
    }

    async fn cohort_totals(&self, actor: &Actor, instruments: &[&str]) -> Result<Vec<CohortTotal>> {
        let mut tx = self.read_audited().await?;
        let mut out = Vec::new();
        for instrument in instruments {
            let rows = sqlx::query(
                "SELECT a.client, c.lead_therapist, c.co_therapist, a.course, s.kind, s.number, \
                    a.instrument, a.total, a.administered_at
                 FROM administrations a JOIN clients c ON c.id = a.client \
                     LEFT JOIN sessions s ON s.id = a.session
                 WHERE a.instrument = $1 AND a.total IS NOT NULL ORDER BY a.administered_at, a.id",
            )
            .param(*instrument)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
            for r in &rows {
                out.push(CohortTotal {
                    client: get(r, "client")?,
                    lead_therapist: get(r, "lead_therapist")?,
                    co_therapist: get(r, "co_therapist")?,
                    course: get(r, "course")?,
                    session_kind: get::<_, Option<String>>(r, "kind")?
                        .map(|k| decode("kind", &k))
                        .transpose()?,
                    session_number: get::<_, Option<i64>>(r, "number")?
                        .map(|n| to_u32(n, "number"))
                        .transpose()?,
                    instrument: get(r, "instrument")?,
                    total: get(r, "total")?,
                    administered_at: get(r, "administered_at")?,
                });
            }
        }
        out.sort_by_key(|a| a.administered_at);
        Self::audited(tx, actor, Action::Read, "cohort", None, None, out).await
    }

    async fn create_portal_link(&self, actor: &Actor, new: NewPortalLink) -> Result<PortalLink> {
        if new.tasks.is_empty() {
            return Err(StoreError::invalid(
                "tasks",
                "a link needs at least one task",
            ));
        }
        if new.token_hash.len() != 64 {
            return Err(StoreError::invalid("token_hash", "a hex SHA-256"));
        }
        let mut tx = self.write().await?;
        let id = Uuid::now_v7();
        let at = now();
        sqlx::query(
            "INSERT INTO portal_links (id, token_hash, client, created_by, created_at, \
                expires_at, revoked)
             VALUES ($1, $2, $3, $4, $5, $6, FALSE)",
        )
        .param(id)
        .param(&new.token_hash)
        .param(new.client)
        .param(new.created_by)
        .param(at)
        .param(crate::micros(new.expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let mut tasks = Vec::with_capacity(new.tasks.len());
        for (i, t) in new.tasks.iter().enumerate() {
            let task = PortalTask {
                id: Uuid::now_v7(),
                link: id,
                position: u32::try_from(i + 1)
                    .map_err(|_| StoreError::invalid("tasks", "too many"))?,
                instrument: t.instrument.clone(),
                instrument_version: t.instrument_version,
                course: t.course,
                session: t.session,
                time_point: t.time_point.clone(),
                available_from: t.available_from.map(crate::micros),
                draft: Vec::new(),
                draft_saved_at: None,
                administration: None,
            };
            sqlx::query(
                "INSERT INTO portal_tasks (id, link, position, instrument, instrument_version, \
                    course, session, time_point, available_from)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .param(task.id)
            .param(id)
            .param(i64::from(task.position))
            .param(&task.instrument)
            .param(i64::from(task.instrument_version))
            .param(task.course)
            .param(task.session)
            .param(&task.time_point)
            .param(task.available_from)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            tasks.push(task);
        }
        let link = PortalLink {
            id,
            client: new.client,
            created_by: new.created_by,
            created_at: at,
            expires_at: crate::micros(new.expires_at),
            revoked: false,
            tasks,
        };
        Self::audited(
            tx,
            actor,
            Action::Create,
            "portal_link",
            Some(id),
            Some(new.client),
            link,
        )
        .await
    }

    async fn portal_link(&self, actor: &Actor, token_hash: &str) -> Result<Option<PortalLink>> {
        let mut tx = self.read_audited().await?;
        let Some(link) = Self::links_where(
            &mut tx,
            "SELECT * FROM portal_links WHERE token_hash = $1",
            token_hash.to_owned(),
        )
        .await?
        .pop() else {
            return Ok(None);
        };
        let (id, client) = (link.id, link.client);
        Self::audited(
            tx,
            actor,
            Action::Read,
            "portal_link",
            Some(id),
            Some(client),
            Some(link),
        )
        .await
    }

    async fn create_planned_course(
        &self,
        actor: &Actor,
        new: NewCourse,
        sessions: Vec<PlannedSessionRow>,
    ) -> Result<Course> {
        check_course(&new)?;
        if sessions.len() > 200 {
            return Err(StoreError::invalid(
                "sessions",
                "at most 200 planned sessions",
            ));
        }
        let mut tx = self.write().await?;
        let at = now();
        let course = Self::insert_course(&mut tx, new, at).await?;
        let (id, client) = (course.id, course.client);
        for s in &sessions {
            let sid = Uuid::now_v7();
            let planned = NewSession {
                course: id,
                kind: s.kind,
                number: s.number,
                scheduled_at: s.scheduled_at,
                held_at: None,
                readiness_override: None,
            };
            Self::insert_session(&mut tx, sid, &planned, at).await?;
            Self::audit(
                &mut tx,
                actor,
                Action::Create,
                "session",
                Some(sid),
                Some(client),
            )
            .await?;
        }
        Self::audited(
            tx,
            actor,
            Action::Create,
            "course",
            Some(id),
            Some(client),
            course,
        )
        .await
    }

    async fn submit_through_link<F, E>(
        &self,
        actor: &Actor,
        token_hash: &str,
        task: Uuid,
        build: F,
    ) -> std::result::Result<Option<Submitted>, E>
    where
        F: FnOnce(Option<&PortalContext>) -> std::result::Result<Option<NewAdministration>, E>
            + Send,
        E: From<StoreError> + Send,
    {
        let mut tx = self.write().await?;
        let Some(link) = Self::links_where(
            &mut tx,
            "SELECT * FROM portal_links WHERE token_hash = $1",
            token_hash.to_owned(),
        )
        .await?
        .pop() else {
            return build(None).map(|_| None);
        };
        let client = link.client;
        let administrations = sqlx::query(
            "SELECT * FROM administrations WHERE client = $1 ORDER BY administered_at, id",
        )
        .param(client)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?
        .iter()
        .map(administration_row)
        .collect::<Result<Vec<_>>>()?;
        let alerts =
            sqlx::query("SELECT * FROM alerts WHERE client = $1 ORDER BY raised_at DESC, id DESC")
                .param(client)
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?
                .iter()
                .map(alert_row)
                .collect::<Result<Vec<_>>>()?;
        let courses = self.courses_in(&mut tx, client).await?;
        let intake = sqlx::query(
            "SELECT version, body_enc FROM intakes WHERE client = $1 ORDER BY version DESC LIMIT 1",
        )
        .param(client)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        .map(|r| {
            let version: i64 = get(&r, "version")?;
            open_json(
                &self.cipher,
                &format!("intake/{client}/{version}"),
                &get::<_, Vec<u8>>(&r, "body_enc")?,
            )
        })
        .transpose()?;
        let reads = [
            (Action::Read, "portal_link", Some(link.id), Some(client)),
            (Action::Read, "administrations", None, Some(client)),
            (Action::Read, "alerts", None, Some(client)),
            (Action::Read, "courses", None, Some(client)),
            (Action::Read, "intakes", None, Some(client)),
        ];
        let context = PortalContext {
            link,
            administrations,
            alerts,
            courses,
            intake,
        };
        let new = match build(Some(&context)) {
            Ok(Some(new)) => new,
            other => {
                Self::audit_all(&mut tx, actor, &reads).await?;
                tx.commit().await.map_err(db_error)?;
                return other.map(|_| None);
            }
        };
        let current = context.link.tasks.iter().find(|t| t.id == task);
        let refusal = match (check_administration(&new), current) {
            (Err(e), _) => Some(e),
            (Ok(()), None) => Some(StoreError::not_found("task")),
            (Ok(()), Some(t)) if new.client != client || t.instrument != new.instrument => {
                Some(StoreError::invalid(
                    "administration",
                    "a task is completed by its own client's answers to its own instrument",
                ))
            }
            _ => None,
        };
        let (None, Some(current)) = (refusal.as_ref(), current) else {
            // Refused before any write: the reads stay on record.
            Self::audit_all(&mut tx, actor, &reads).await?;
            tx.commit().await.map_err(db_error)?;
            return Err(refusal
                .unwrap_or_else(|| StoreError::not_found("task"))
                .into());
        };
        let Some(done) = Self::submit_in(&mut tx, actor, &new, &reads).await? else {
            return Err(StoreError::Conflict {
                what: "idempotency key in use by a concurrent submission".into(),
            }
            .into());
        };
        Self::mark_task_done(&mut tx, task, current.administration, done.id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Some(done))
    }

    async fn portal_links(&self, actor: &Actor, client: Uuid) -> Result<Vec<PortalLink>> {
        let mut tx = self.read_audited().await?;
        let links = Self::links_where(
            &mut tx,
            "SELECT * FROM portal_links WHERE client = $1 ORDER BY created_at DESC, id",
            client,
        )
        .await?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "portal_links",
            None,
            Some(client),
            links,
        )
        .await
    }

    async fn revoke_portal_link(&self, actor: &Actor, client: Uuid, link: Uuid) -> Result<()> {
        let mut tx = self.write().await?;
        let done =
            sqlx::query("UPDATE portal_links SET revoked = TRUE WHERE id = $1 AND client = $2")
                .param(link)
                .param(client)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        if B::rows_affected(&done) == 0 {
            return Err(StoreError::not_found("portal link"));
        }
        Self::audited(
            tx,
            actor,
            Action::Update,
            "portal_link",
            Some(link),
            Some(client),
            (),
        )
        .await
    }

    async fn save_draft(&self, actor: &Actor, task: Uuid, answers: &[Option<f64>]) -> Result<()> {
        if answers.iter().flatten().any(|v| !v.is_finite()) {
            return Err(StoreError::invalid(
                "answers",
                "every answer must be a finite number",
            ));
        }
        let mut tx = self.write().await?;
        let (current, client) = Self::open_task(&mut tx, task).await?;
        if current.administration.is_some() {
            return Err(StoreError::Conflict {
                what: "this task has been submitted already".into(),
            });
        }
        sqlx::query("UPDATE portal_tasks SET draft = $1, draft_saved_at = $2 WHERE id = $3")
            .param(encode_responses(answers))
            .param(now())
            .param(task)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Update,
            "portal_task",
            Some(task),
            Some(client),
            (),
        )
        .await
    }

    async fn complete_task(
        &self,
        actor: &Actor,
        task: Uuid,
        new: NewAdministration,
    ) -> Result<Submitted> {
        check_administration(&new)?;
        for _ in 0..2 {
            let mut tx = self.write().await?;
            let (current, client) = Self::open_task(&mut tx, task).await?;
            if client != new.client || current.instrument != new.instrument {
                return Err(StoreError::invalid(
                    "administration",
                    "a task is completed by its own client's answers to its own instrument",
                ));
            }
            let Some(done) = Self::submit_in(&mut tx, actor, &new, &[]).await? else {
                continue;
            };
            Self::mark_task_done(&mut tx, task, current.administration, done.id).await?;
            tx.commit().await.map_err(db_error)?;
            return Ok(done);
        }
        Err(StoreError::Conflict {
            what: "idempotency key in use by a concurrent submission".into(),
        })
    }
}

impl<B: Backend> SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    /// A client's courses, each with its sessions by number, inside the
    /// caller's transaction.
    pub(crate) async fn courses_in(
        &self,
        conn: &mut B::Connection,
        client: Uuid,
    ) -> Result<Vec<(Course, Vec<Session>)>> {
        let courses =
            sqlx::query("SELECT * FROM courses WHERE client = $1 ORDER BY started_on, id")
                .param(client)
                .fetch_all(&mut *conn)
                .await
                .map_err(db_error)?
                .iter()
                .map(course_row)
                .collect::<Result<Vec<_>>>()?;
        let sessions = sqlx::query(
            "SELECT s.* FROM sessions s JOIN courses c ON c.id = s.course \
            WHERE c.client = $1 ORDER BY s.number",
        )
        .param(client)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?
        .iter()
        .map(session_row)
        .collect::<Result<Vec<_>>>()?;
        Ok(courses
            .into_iter()
            .map(|c| {
                let mine = sessions
                    .iter()
                    .filter(|s| s.course == c.id)
                    .cloned()
                    .collect();
                (c, mine)
            })
            .collect())
    }
}
