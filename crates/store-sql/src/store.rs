//! `Store` on SQL: clients, courses, sessions, administrations, alerts,
//! records and the audit log, written once for both backends.
use attune_store::Code;
use attune_store::Readiness;
use attune_store::audit::{self, Action, Actor, AuditEvent, Verification};
use attune_store::crypto::Cipher;
use attune_store::records::{check_body, open_json, seal_json};
use attune_store::{
    Administration, AlertTransition, CancelReason, Cancellation, Client, ClientDetails,
    ClientSummary, Consent, ConsentKind, Counts, Course, Credentials, Intake, IntakeRecord,
    JournalEntry, NewAdministration, NewAlert, NewClient, NewCourse, NewNote, NewSession, NewUser,
    Note, NoteKind, ReviewRecord, Session, SessionDetails, SignedReview, Store, StoreError,
    StoredAlert, Submitted, User, check_administration, check_client, check_course, check_details,
    check_user, decode_responses, encode_responses,
};
use sqlx::{Executor, Row};
use time::Date;
use uuid::Uuid;

use crate::audit::audit_row;
use crate::backend::{Backend, Param, code, first, get};
use crate::{SqlStore, db_error, now};

type Result<T> = std::result::Result<T, StoreError>;

pub(crate) fn user_row<R: Row<Database: Backend>>(row: &R) -> Result<User> {
    Ok(User {
        id: get(row, "id")?,
        username: get(row, "username")?,
        display_name: get(row, "display_name")?,
        role: code(row, "role")?,
        active: get(row, "active")?,
        created_at: get(row, "created_at")?,
    })
}

pub(crate) fn course_row<R: Row<Database: Backend>>(row: &R) -> Result<Course> {
    Ok(Course {
        id: get(row, "id")?,
        client: get(row, "client")?,
        modality: get(row, "modality")?,
        protocol: get(row, "protocol")?,
        started_on: get(row, "started_on")?,
        created_at: get(row, "created_at")?,
    })
}

pub(crate) fn session_row<R: Row<Database: Backend>>(row: &R) -> Result<Session> {
    Ok(Session {
        id: get(row, "id")?,
        course: get(row, "course")?,
        kind: code(row, "kind")?,
        number: get::<_, i64>(row, "number")?
            .try_into()
            .map_err(|_| StoreError::invalid("number", "out of range"))?,
        scheduled_at: get(row, "scheduled_at")?,
        held_at: get(row, "held_at")?,
        readiness_override: get(row, "readiness_override")?,
        cancelled: match get::<_, Option<time::OffsetDateTime>>(row, "cancelled_at")? {
            Some(at) => Some(Cancellation {
                at,
                reason: code(row, "cancel_reason")?,
            }),
            None => None,
        },
    })
}

/// Steps that run inside a caller's transaction.
impl<B: Backend> SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    /// The session, for a change that only a planned one may take.
    pub(crate) async fn planned_session(
        conn: &mut B::Connection,
        session: Uuid,
    ) -> Result<Session> {
        let row = sqlx::query("SELECT * FROM sessions WHERE id = $1")
            .param(session)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?
            .ok_or_else(|| StoreError::not_found("session"))?;
        let current = session_row(&row)?;
        if current.held_at.is_some() {
            return Err(StoreError::Conflict {
                what: "the session is already recorded as held".into(),
            });
        }
        if current.cancelled.is_some() {
            return Err(StoreError::Conflict {
                what: "the session is cancelled".into(),
            });
        }
        Ok(current)
    }

    /// Once no session of `course` is planned any more, the course is
    /// complete: its open alerts close, with the reason recorded, but for the
    /// safety ones (`AlertKind::closes_with_course`), which a person resolves.
    /// Returns the alerts closed, for the audit events.
    pub(crate) async fn close_alerts_if_complete(
        conn: &mut B::Connection,
        course: Uuid,
        by: Option<Uuid>,
    ) -> Result<Vec<Uuid>> {
        let planned: i64 = sqlx::query(
            "SELECT COUNT(*) FROM sessions \
            WHERE course = $1 AND held_at IS NULL AND cancelled_at IS NULL",
        )
        .param(course)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error)
        .and_then(|r| first(&r))?;
        // An action names a person; a change no person made closes nothing.
        let Some(by) = by.filter(|_| planned == 0) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query("SELECT * FROM alerts WHERE course = $1 AND status <> 'resolved'")
            .param(course)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_error)?;
        let at = now();
        let mut closed = Vec::new();
        for row in &rows {
            let alert = alert_row(row)?;
            if !alert.kind.closes_with_course() {
                continue;
            }
            let to = alert
                .status
                .after(&AlertTransition::Resolve { note: None })
                .map_err(|e| StoreError::Conflict {
                    what: e.to_string(),
                })?;
            sqlx::query("UPDATE alerts SET status = $1, updated_at = $2 WHERE id = $3")
                .param(to.code())
                .param(at)
                .param(alert.id)
                .execute(&mut *conn)
                .await
                .map_err(db_error)?;
            sqlx::query(
                "INSERT INTO alert_actions (alert, at, by_user, to_status, note) \
                VALUES ($1, $2, $3, $4, $5)",
            )
            .param(alert.id)
            .param(at)
            .param(by)
            .param(to.code())
            .param(attune_store::CLOSED_WITH_COURSE)
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
            closed.push(alert.id);
        }
        Ok(closed)
    }

    /// Inserts alerts of a client, routed to the lead therapist, inside the
    /// caller's transaction; `administration` names the one that raised them.
    pub(crate) async fn insert_alerts(
        conn: &mut B::Connection,
        client: Uuid,
        course: Option<Uuid>,
        administration: Option<Uuid>,
        alerts: &[NewAlert],
        at: time::OffsetDateTime,
    ) -> Result<Vec<Uuid>> {
        if alerts.is_empty() {
            return Ok(Vec::new());
        }
        let lead: Uuid = sqlx::query("SELECT lead_therapist FROM clients WHERE id = $1")
            .param(client)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?
            .as_ref()
            .map(first)
            .transpose()?
            .ok_or_else(|| StoreError::not_found("client"))?;
        let mut ids = Vec::with_capacity(alerts.len());
        for a in alerts {
            let alert_id = Uuid::now_v7();
            sqlx::query(
                "INSERT INTO alerts (id, client, administration, kind, severity, instrument, \
                    message, status, routed_to, raised_at, updated_at, course, session, episode)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $9, $10, $11, $12)",
            )
            .param(alert_id)
            .param(client)
            .param(administration)
            .param(a.kind.code())
            .param(a.severity.code())
            .param(&a.instrument)
            .param(&a.message)
            .param(lead)
            .param(at)
            .param(course)
            .param(a.session)
            .param(a.episode)
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
            ids.push(alert_id);
        }
        Ok(ids)
    }

    /// A session held or cancelled: the course may be complete now. Commits.
    pub(crate) async fn session_changed(
        mut tx: sqlx::Transaction<'static, B>,
        actor: &Actor,
        client: Uuid,
        session: Session,
    ) -> Result<Session> {
        let closed = Self::close_alerts_if_complete(&mut tx, session.course, actor.user).await?;
        let mut events = vec![(Action::Update, "session", Some(session.id), Some(client))];
        events.extend(
            closed
                .into_iter()
                .map(|a| (Action::Update, "alert", Some(a), Some(client))),
        );
        Self::audit_all(&mut tx, actor, &events).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(session)
    }

    /// The client a session belongs to (through its course).
    pub(crate) async fn session_client(conn: &mut B::Connection, session: Uuid) -> Result<Uuid> {
        sqlx::query(
            "SELECT c.client FROM sessions s JOIN courses c ON c.id = s.course WHERE s.id = $1",
        )
        .param(session)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_error)?
        .as_ref()
        .map(first)
        .transpose()?
        .ok_or_else(|| StoreError::not_found("session"))
    }

    /// Inserts a course row inside the caller's transaction.
    pub(crate) async fn insert_course(
        conn: &mut B::Connection,
        new: NewCourse,
        at: time::OffsetDateTime,
    ) -> Result<Course> {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO courses (id, client, modality, protocol, started_on, created_at, \
                updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .param(id)
        .param(new.client)
        .param(&new.modality)
        .param(&new.protocol)
        .param(new.started_on)
        .param(at)
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
        Ok(Course {
            id,
            client: new.client,
            modality: new.modality,
            protocol: new.protocol,
            started_on: new.started_on,
            created_at: at,
        })
    }

    /// Inserts a session row inside the caller's transaction.
    pub(crate) async fn insert_session(
        conn: &mut B::Connection,
        id: Uuid,
        new: &NewSession,
        at: time::OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id, course, kind, number, scheduled_at, held_at, \
            readiness_override, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .param(id)
        .param(new.course)
        .param(new.kind.code())
        .param(i64::from(new.number))
        .param(crate::micros(new.scheduled_at))
        .param(new.held_at.map(crate::micros))
        .param(&new.readiness_override)
        .param(at)
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// Stores an administration and its alerts inside the caller's
    /// transaction (audited, not committed). `None` when a concurrent
    /// transaction took the idempotency key first.
    /// The stored submission with `new`'s idempotency key, when the
    /// request is a retry; a conflict if the key was used for another
    /// client or instrument. `None` if no such row is visible (the retry
    /// loop of the caller tries again).
    pub(crate) async fn earlier_submission(
        tx: &mut B::Connection,
        new: &NewAdministration,
    ) -> Result<Option<Submitted>> {
        let Some(row) = sqlx::query(
            "SELECT id, client, instrument FROM administrations WHERE idempotency_key = $1",
        )
        .param(&new.idempotency_key)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        else {
            return Ok(None);
        };
        let (id, client, instrument): (Uuid, Uuid, String) = (
            get(&row, "id")?,
            get(&row, "client")?,
            get(&row, "instrument")?,
        );
        if client != new.client || instrument != new.instrument {
            return Err(StoreError::Conflict {
                what: "idempotency key already used for a different submission".into(),
            });
        }
        let alerts = sqlx::query("SELECT id FROM alerts WHERE administration = $1 ORDER BY id")
            .param(id)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?
            .iter()
            .map(first)
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(Submitted {
            id,
            created: false,
            alerts,
        }))
    }

    /// Stores one administration with its alerts. `reads`: audit events
    /// of reads made earlier in the same transaction, appended with the
    /// writes' events in one go.
    pub(crate) async fn submit_in(
        tx: &mut B::Connection,
        actor: &Actor,
        new: &NewAdministration,
        reads: &[(Action, &str, Option<Uuid>, Option<Uuid>)],
    ) -> Result<Option<Submitted>> {
        if let Some(original) = new.supersedes {
            let row = sqlx::query("SELECT client, instrument FROM administrations WHERE id = $1")
                .param(original)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?
                .ok_or_else(|| StoreError::not_found("the administration being corrected"))?;
            let (client, instrument): (Uuid, String) =
                (get(&row, "client")?, get(&row, "instrument")?);
            if client != new.client || instrument != new.instrument {
                return Err(StoreError::invalid(
                    "supersedes",
                    "a correction replaces an administration of the same client and instrument",
                ));
            }
        }
        let id = Uuid::now_v7();
        let at = now();
        let inserted = sqlx::query(
            "INSERT INTO administrations (id, idempotency_key, client, course, session, \
                instrument, instrument_version,
                respondent, responses, wording_pack, wording_kind, completed_via, \
                    administered_at, total, band,
                complete, prorated, scorer, created_at, supersedes, time_point)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                 $18, $19, $20, $21)
             ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .param(id)
        .param(&new.idempotency_key)
        .param(new.client)
        .param(new.course)
        .param(new.session)
        .param(&new.instrument)
        .param(i64::from(new.instrument_version))
        .param(new.respondent.code())
        .param(encode_responses(&new.responses))
        .param(&new.wording_pack)
        .param(&new.wording_kind)
        .param(new.completed_via.code())
        .param(new.administered_at)
        .param(new.total)
        .param(&new.band)
        .param(new.complete)
        .param(new.prorated)
        .param(&new.scorer)
        .param(at)
        .param(new.supersedes)
        .param(&new.time_point)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if B::rows_affected(&inserted) == 0 {
            // The key is taken: this request is a retry of a stored one.
            Self::audit_all(&mut *tx, actor, reads).await?;
            return Self::earlier_submission(tx, new).await;
        }
        let alert_ids =
            Self::insert_alerts(tx, new.client, new.course, Some(id), &new.alerts, at).await?;
        let mut events: Vec<(Action, &str, Option<Uuid>, Option<Uuid>)> = reads.to_vec();
        events.extend(
            alert_ids
                .iter()
                .map(|a| (Action::Create, "alert", Some(*a), Some(new.client))),
        );
        events.push((Action::Create, "administration", Some(id), Some(new.client)));
        Self::audit_all(tx, actor, &events).await?;
        Ok(Some(Submitted {
            id,
            created: true,
            alerts: alert_ids,
        }))
    }
}

pub(crate) fn alert_row<R: Row<Database: Backend>>(row: &R) -> Result<StoredAlert> {
    Ok(StoredAlert {
        id: get(row, "id")?,
        client: get(row, "client")?,
        administration: get(row, "administration")?,
        kind: code(row, "kind")?,
        severity: code(row, "severity")?,
        instrument: get(row, "instrument")?,
        course: get(row, "course")?,
        session: get(row, "session")?,
        episode: get(row, "episode")?,
        message: get(row, "message")?,
        status: code(row, "status")?,
        routed_to: get(row, "routed_to")?,
        raised_at: get(row, "raised_at")?,
    })
}

pub(crate) fn seal_opt(c: &Cipher, ctx: String, v: Option<&str>) -> Result<Option<Vec<u8>>> {
    v.map(|v| c.seal_str(&ctx, v)).transpose()
}

pub(crate) fn client_row<R: Row<Database: Backend>>(c: &Cipher, row: &R) -> Result<Client> {
    let id: Uuid = get(row, "id")?;
    let open = |field: &str| -> Result<Option<String>> {
        let sealed: Option<Vec<u8>> = get(row, &format!("{field}_enc"))?;
        sealed
            .map(|s| c.open_str(&format!("client/{id}/{field}"), &s))
            .transpose()
    };
    let dob = match open("dob")? {
        Some(text) => Some(
            Date::parse(&text, &time::format_description::well_known::Iso8601::DATE).map_err(
                |_| StoreError::Crypto {
                    what: format!("client/{id}/dob"),
                },
            )?,
        ),
        None => None,
    };
    Ok(Client {
        id,
        code: get(row, "code")?,
        details: ClientDetails {
            name: open("name")?.unwrap_or_default(),
            contact: open("contact")?,
            date_of_birth: dob,
        },
        lead_therapist: get(row, "lead_therapist")?,
        co_therapist: get(row, "co_therapist")?,
        created_at: get(row, "created_at")?,
    })
}

pub(crate) fn administration_row<R: Row<Database: Backend>>(row: &R) -> Result<Administration> {
    Ok(Administration {
        id: get(row, "id")?,
        idempotency_key: get(row, "idempotency_key")?,
        client: get(row, "client")?,
        course: get(row, "course")?,
        session: get(row, "session")?,
        time_point: get(row, "time_point")?,
        instrument: get(row, "instrument")?,
        instrument_version: get::<_, i64>(row, "instrument_version")?
            .try_into()
            .map_err(|_| StoreError::invalid("instrument_version", "out of range"))?,
        respondent: code(row, "respondent")?,
        responses: decode_responses(&get::<_, String>(row, "responses")?)?,
        wording_pack: get(row, "wording_pack")?,
        wording_kind: get(row, "wording_kind")?,
        completed_via: code(row, "completed_via")?,
        administered_at: get(row, "administered_at")?,
        total: get(row, "total")?,
        band: get(row, "band")?,
        complete: get(row, "complete")?,
        prorated: get(row, "prorated")?,
        scorer: get(row, "scorer")?,
        supersedes: get(row, "supersedes")?,
    })
}

pub(crate) fn note_row<R: Row<Database: Backend>>(c: &Cipher, row: &R) -> Result<Note> {
    let id: Uuid = get(row, "id")?;
    let kind: NoteKind = code(row, "kind")?;
    Ok(Note {
        id,
        client: get(row, "client")?,
        session: get(row, "session")?,
        kind,
        author: get(row, "author")?,
        body: c.open_str(&format!("note/{id}"), &get::<_, Vec<u8>>(row, "body_enc")?)?,
        supersedes: get(row, "supersedes")?,
        written_at: get(row, "written_at")?,
    })
}

impl<B: Backend> SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    async fn user_by(
        &self,
        conn: &mut B::Connection,
        username: &str,
    ) -> Result<Option<(User, String)>> {
        let row = sqlx::query("SELECT * FROM users WHERE username = $1")
            .param(username)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?;
        row.map(|r| Ok((user_row(&r)?, get(&r, "password_hash")?)))
            .transpose()
    }

    /// One attempt; `None` when a concurrent transaction took the key first.
    async fn submit_once(
        &self,
        actor: &Actor,
        new: &NewAdministration,
    ) -> Result<Option<Submitted>> {
        let mut tx = self.write().await?;
        let done = Self::submit_in(&mut tx, actor, new, &[]).await?;
        if done.is_some() {
            tx.commit().await.map_err(db_error)?;
        }
        Ok(done)
    }
}

impl<B: Backend> Store for SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User> {
        check_user(&new)?;
        let mut tx = self.write().await?;
        let id = Uuid::now_v7();
        let at = now();
        sqlx::query(
            "INSERT INTO users (id, username, display_name, role, password_hash, active, \
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6)",
        )
        .param(id)
        .param(&new.username)
        .param(new.display_name.trim())
        .param(new.role.code())
        .param(&new.password_hash)
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_error(e) {
            StoreError::Conflict { .. } => StoreError::Conflict {
                what: format!(
                    "username '{}' is \
                taken",
                    new.username
                ),
            },
            other => other,
        })?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "user",
            Some(id),
            None,
            User {
                id,
                username: new.username,
                display_name: new.display_name.trim().to_owned(),
                role: new.role,
                active: true,
                created_at: at,
            },
        )
        .await
    }

    async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        Ok(self
            .user_by(&mut conn, username)
            .await?
            .map(|(user, password_hash)| Credentials {
                user,
                password_hash,
            }))
    }

    async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT * FROM users ORDER BY username")
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?;
        rows.iter().map(user_row).collect()
    }

    async fn set_user_active(&self, actor: &Actor, username: &str, active: bool) -> Result<User> {
        let mut tx = self.write().await?;
        let changed =
            sqlx::query("UPDATE users SET active = $1, updated_at = $2 WHERE username = $3")
                .param(active)
                .param(now())
                .param(username)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        if B::rows_affected(&changed) == 0 {
            return Err(StoreError::not_found(format!("user '{username}'")));
        }
        let (user, _) = self
            .user_by(&mut tx, username)
            .await?
            .ok_or_else(|| StoreError::not_found("user"))?;
        Self::audited(tx, actor, Action::Update, "user", Some(user.id), None, user).await
    }

    async fn add_supervision(
        &self,
        actor: &Actor,
        supervisor: Uuid,
        supervisee: Uuid,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO supervision (supervisor, supervisee, created_at) VALUES ($1, $2, $3)",
        )
        .param(supervisor)
        .param(supervisee)
        .param(now())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "supervision",
            Some(supervisee),
            None,
            (),
        )
        .await
    }

    async fn supervisees(&self, supervisor: Uuid) -> Result<Vec<Uuid>> {
        sqlx::query("SELECT supervisee FROM supervision WHERE supervisor = $1 ORDER BY supervisee")
            .param(supervisor)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?
            .iter()
            .map(first)
            .collect::<Result<Vec<_>>>()
    }

    async fn create_client(&self, actor: &Actor, new: NewClient) -> Result<Client> {
        check_client(&new)?;
        let d = &new.details;
        let id = Uuid::now_v7();
        let c = &self.cipher;
        let name = c.seal_str(&format!("client/{id}/name"), d.name.trim())?;
        let contact = seal_opt(c, format!("client/{id}/contact"), d.contact.as_deref())?;
        let dob_text = d.date_of_birth.map(|x| x.to_string());
        let dob = seal_opt(c, format!("client/{id}/dob"), dob_text.as_deref())?;
        let mut tx = self.write().await?;
        let at = now();
        sqlx::query(
            "INSERT INTO clients (id, code, name_enc, contact_enc, dob_enc, lead_therapist, \
                co_therapist, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .param(id)
        .param(&new.code)
        .param(name)
        .param(contact)
        .param(dob)
        .param(new.lead_therapist)
        .param(new.co_therapist)
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_error(e) {
            StoreError::Conflict { .. } => StoreError::Conflict {
                what: format!(
                    "client code '{}' \
                is taken",
                    new.code
                ),
            },
            other => other,
        })?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "client",
            Some(id),
            Some(id),
            Client {
                id,
                code: new.code,
                details: ClientDetails {
                    name: d.name.trim().to_owned(),
                    ..new.details
                },
                lead_therapist: new.lead_therapist,
                co_therapist: new.co_therapist,
                created_at: at,
            },
        )
        .await
    }

    async fn update_client_details(
        &self,
        actor: &Actor,
        id: Uuid,
        details: ClientDetails,
    ) -> Result<Client> {
        check_details(&details)?;
        let c = &self.cipher;
        let name = c.seal_str(&format!("client/{id}/name"), details.name.trim())?;
        let contact = seal_opt(
            c,
            format!("client/{id}/contact"),
            details.contact.as_deref(),
        )?;
        let dob_text = details.date_of_birth.map(|x| x.to_string());
        let dob = seal_opt(c, format!("client/{id}/dob"), dob_text.as_deref())?;
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE clients SET name_enc = $1, contact_enc = $2, dob_enc = $3, \
            updated_at = $4 WHERE id = $5",
        )
        .param(name)
        .param(contact)
        .param(dob)
        .param(now())
        .param(id)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if B::rows_affected(&done) == 0 {
            return Err(StoreError::not_found("client"));
        }
        let row = sqlx::query("SELECT * FROM clients WHERE id = $1")
            .param(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        let client = client_row(&self.cipher, &row)?;
        Self::audited(
            tx,
            actor,
            Action::Update,
            "client",
            Some(id),
            Some(id),
            client,
        )
        .await
    }

    async fn client(&self, actor: &Actor, id: Uuid) -> Result<Client> {
        let mut tx = self.read_audited().await?;
        let row = sqlx::query("SELECT * FROM clients WHERE id = $1")
            .param(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?
            .ok_or_else(|| StoreError::not_found("client"))?;
        let client = client_row(&self.cipher, &row)?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "client",
            Some(id),
            Some(id),
            client,
        )
        .await
    }

    async fn caseload(&self, actor: &Actor, therapist: Uuid) -> Result<Vec<ClientSummary>> {
        let mut tx = self.read_audited().await?;
        let rows = sqlx::query(
            "SELECT id, code, lead_therapist, co_therapist FROM clients
             WHERE lead_therapist = $1 OR co_therapist = $1 ORDER BY code",
        )
        .param(therapist)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(ClientSummary {
                    id: get(r, "id")?,
                    code: get(r, "code")?,
                    lead_therapist: get(r, "lead_therapist")?,
                    co_therapist: get(r, "co_therapist")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "caseload",
            Some(therapist),
            None,
            list,
        )
        .await
    }

    async fn create_course(&self, actor: &Actor, new: NewCourse) -> Result<Course> {
        check_course(&new)?;
        let mut tx = self.write().await?;
        let course = Self::insert_course(&mut tx, new, now()).await?;
        let (id, client) = (course.id, course.client);
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

    async fn courses(&self, actor: &Actor, client: Uuid) -> Result<Vec<Course>> {
        let mut tx = self.read_audited().await?;
        let rows = sqlx::query("SELECT * FROM courses WHERE client = $1 ORDER BY started_on, id")
            .param(client)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        let list = rows.iter().map(course_row).collect::<Result<Vec<_>>>()?;
        Self::audited(tx, actor, Action::Read, "courses", None, Some(client), list).await
    }

    async fn add_session(&self, actor: &Actor, new: NewSession) -> Result<Session> {
        let mut tx = self.write().await?;
        let client: Uuid = sqlx::query("SELECT client FROM courses WHERE id = $1")
            .param(new.course)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?
            .as_ref()
            .map(first)
            .transpose()?
            .ok_or_else(|| StoreError::not_found("course"))?;
        let id = Uuid::now_v7();
        let at = now();
        Self::insert_session(&mut tx, id, &new, at).await?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "session",
            Some(id),
            Some(client),
            Session {
                id,
                course: new.course,
                kind: new.kind,
                number: new.number,
                scheduled_at: new.scheduled_at,
                held_at: new.held_at,
                readiness_override: new.readiness_override,
                cancelled: None,
            },
        )
        .await
    }

    async fn hold_session(
        &self,
        actor: &Actor,
        session: Uuid,
        held_at: time::OffsetDateTime,
        readiness_override: Option<String>,
    ) -> Result<Session> {
        if readiness_override
            .as_ref()
            .is_some_and(|r| r.chars().count() > 2000)
        {
            return Err(StoreError::invalid(
                "readiness_override",
                "at most 2,000 characters",
            ));
        }
        let mut tx = self.write().await?;
        let mut current = Self::planned_session(&mut tx, session).await?;
        let client = Self::session_client(&mut tx, session).await?;
        let held_at = crate::micros(held_at);
        sqlx::query(
            "UPDATE sessions SET held_at = $1, readiness_override = $2, \
            updated_at = $3 WHERE id = $4",
        )
        .param(held_at)
        .param(&readiness_override)
        .param(now())
        .param(session)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        current.held_at = Some(held_at);
        current.readiness_override = readiness_override;
        Self::session_changed(tx, actor, client, current).await
    }

    async fn sign_review(
        &self,
        actor: &Actor,
        session: Uuid,
        verdict: Readiness,
        review: ReviewRecord,
        by: Uuid,
        alert: Option<NewAlert>,
    ) -> Result<(SignedReview, Option<Uuid>)> {
        if review.reasons.len() > 200
            || review
                .reasons
                .iter()
                .any(|r| r.message.chars().count() > 2000)
        {
            return Err(StoreError::invalid(
                "review",
                "too many or too long reasons",
            ));
        }
        let mut tx = self.write().await?;
        let client = Self::session_client(&mut tx, session).await?;
        let course: Uuid = sqlx::query("SELECT course FROM sessions WHERE id = $1")
            .param(session)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)
            .and_then(|r| first(&r))?;
        let id = Uuid::now_v7();
        let at = now();
        let sealed = seal_json(&self.cipher, &format!("review/{id}"), &review)?;
        sqlx::query(
            "INSERT INTO readiness_reviews (id, session, client, verdict, body_enc, signed_by, \
                signed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .param(id)
        .param(session)
        .param(client)
        .param(verdict.code())
        .param(sealed)
        .param(by)
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let alerts: Vec<NewAlert> = alert.into_iter().collect();
        let alert_ids =
            Self::insert_alerts(&mut tx, client, Some(course), None, &alerts, at).await?;
        let mut events = vec![(Action::Create, "readiness_review", Some(id), Some(client))];
        events.extend(
            alert_ids
                .iter()
                .map(|a| (Action::Create, "alert", Some(*a), Some(client))),
        );
        Self::audit_all(&mut tx, actor, &events).await?;
        tx.commit().await.map_err(db_error)?;
        let signed = SignedReview {
            id,
            session,
            client,
            verdict,
            record: review,
            signed_by: by,
            signed_at: at,
        };
        Ok((signed, alert_ids.first().copied()))
    }

    async fn reviews(&self, actor: &Actor, session: Uuid) -> Result<Vec<SignedReview>> {
        let mut tx = self.read_audited().await?;
        let client = Self::session_client(&mut tx, session).await?;
        let rows = sqlx::query(
            "SELECT * FROM readiness_reviews WHERE session = $1 ORDER BY signed_at, id",
        )
        .param(session)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        let list = rows
            .iter()
            .map(|r| {
                let id: Uuid = get(r, "id")?;
                Ok(SignedReview {
                    id,
                    session,
                    client,
                    verdict: code(r, "verdict")?,
                    record: open_json(
                        &self.cipher,
                        &format!("review/{id}"),
                        &get::<_, Vec<u8>>(r, "body_enc")?,
                    )?,
                    signed_by: get(r, "signed_by")?,
                    signed_at: get(r, "signed_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "readiness_reviews",
            Some(session),
            Some(client),
            list,
        )
        .await
    }

    async fn reschedule_session(
        &self,
        actor: &Actor,
        session: Uuid,
        scheduled_at: time::OffsetDateTime,
    ) -> Result<Session> {
        let mut tx = self.write().await?;
        let mut current = Self::planned_session(&mut tx, session).await?;
        let client = Self::session_client(&mut tx, session).await?;
        let at = crate::micros(scheduled_at);
        sqlx::query("UPDATE sessions SET scheduled_at = $1, updated_at = $2 WHERE id = $3")
            .param(at)
            .param(now())
            .param(session)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        current.scheduled_at = at;
        Self::audited(
            tx,
            actor,
            Action::Update,
            "session",
            Some(session),
            Some(client),
            current,
        )
        .await
    }

    async fn cancel_session(
        &self,
        actor: &Actor,
        session: Uuid,
        reason: CancelReason,
    ) -> Result<Session> {
        let mut tx = self.write().await?;
        let mut current = Self::planned_session(&mut tx, session).await?;
        let client = Self::session_client(&mut tx, session).await?;
        let at = now();
        sqlx::query(
            "UPDATE sessions SET cancelled_at = $1, cancel_reason = $2, \
            updated_at = $1 WHERE id = $3",
        )
        .param(at)
        .param(reason.code())
        .param(session)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        current.cancelled = Some(Cancellation { at, reason });
        Self::session_changed(tx, actor, client, current).await
    }

    async fn sessions(&self, actor: &Actor, course: Uuid) -> Result<Vec<Session>> {
        let mut tx = self.read_audited().await?;
        let client: Uuid = sqlx::query("SELECT client FROM courses WHERE id = $1")
            .param(course)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?
            .as_ref()
            .map(first)
            .transpose()?
            .ok_or_else(|| StoreError::not_found("course"))?;
        let rows = sqlx::query("SELECT * FROM sessions WHERE course = $1 ORDER BY number")
            .param(course)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        let list = rows.iter().map(session_row).collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "sessions",
            Some(course),
            Some(client),
            list,
        )
        .await
    }

    async fn submit(&self, actor: &Actor, new: NewAdministration) -> Result<Submitted> {
        check_administration(&new)?;
        // A second pass is needed only when another transaction committed the
        // same key between our check and our insert; then the key is found.
        for _ in 0..2 {
            if let Some(done) = self.submit_once(actor, &new).await? {
                return Ok(done);
            }
        }
        Err(StoreError::Conflict {
            what: "idempotency key in use by a concurrent submission".into(),
        })
    }

    async fn administrations(&self, actor: &Actor, client: Uuid) -> Result<Vec<Administration>> {
        let mut tx = self.read_audited().await?;
        let rows = sqlx::query(
            "SELECT * FROM administrations WHERE client = $1 ORDER BY administered_at, id",
        )
        .param(client)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        let list = rows
            .iter()
            .map(administration_row)
            .collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "administrations",
            None,
            Some(client),
            list,
        )
        .await
    }

    async fn alerts_for(
        &self,
        actor: &Actor,
        routed_to: Uuid,
        open_only: bool,
    ) -> Result<Vec<StoredAlert>> {
        let mut tx = self.read_audited().await?;
        let rows = sqlx::query(
            "SELECT * FROM alerts WHERE routed_to = $1 \
                AND (NOT $2 OR status <> 'resolved') ORDER BY raised_at, id",
        )
        .param(routed_to)
        .param(open_only)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        let list = rows.iter().map(alert_row).collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "alerts",
            Some(routed_to),
            None,
            list,
        )
        .await
    }

    async fn act_on_alert(
        &self,
        actor: &Actor,
        alert: Uuid,
        by: Uuid,
        transition: AlertTransition,
    ) -> Result<StoredAlert> {
        let mut tx = self.write().await?;
        let row = sqlx::query("SELECT * FROM alerts WHERE id = $1")
            .param(alert)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?
            .ok_or_else(|| StoreError::not_found("alert"))?;
        let mut current = alert_row(&row)?;
        let to = current
            .status
            .after(&transition)
            .map_err(|e| StoreError::Conflict {
                what: e.to_string(),
            })?;
        let note = match transition {
            AlertTransition::Resolve { note } => note,
            AlertTransition::Acknowledge => None,
        };
        let at = now();
        sqlx::query("UPDATE alerts SET status = $1, updated_at = $2 WHERE id = $3")
            .param(to.code())
            .param(at)
            .param(alert)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::query(
            "INSERT INTO alert_actions (alert, at, by_user, to_status, note) \
            VALUES ($1, $2, $3, $4, $5)",
        )
        .param(alert)
        .param(at)
        .param(by)
        .param(to.code())
        .param(note)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        current.status = to;
        let client = current.client;
        Self::audited(
            tx,
            actor,
            Action::Update,
            "alert",
            Some(alert),
            Some(client),
            current,
        )
        .await
    }

    async fn audit_events(&self) -> Result<Vec<AuditEvent>> {
        let rows = sqlx::query("SELECT * FROM audit_log ORDER BY seq")
            .fetch_all(&self.pool)
            .await
            .map_err(db_error)?;
        rows.iter().map(audit_row).collect()
    }

    async fn verify_audit(&self) -> Result<Verification> {
        Ok(audit::verify(&self.audit_events().await?))
    }

    async fn counts(&self) -> Result<Counts> {
        let row = sqlx::query(
            "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) \
                FROM clients) AS clients,
                    (SELECT count(*) FROM courses) AS courses, (SELECT count(*) \
                        FROM sessions) AS sessions,
                    (SELECT count(*) FROM administrations) AS administrations, \
                        (SELECT count(*) FROM alerts) AS alerts,
                    (SELECT count(*) FROM audit_log) AS audit_events",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_error)?;
        let n = |c: &str| -> Result<u64> { Ok(get::<_, i64>(&row, c)?.max(0) as u64) };
        Ok(Counts {
            users: n("users")?,
            clients: n("clients")?,
            courses: n("courses")?,
            sessions: n("sessions")?,
            administrations: n("administrations")?,
            alerts: n("alerts")?,
            audit_events: n("audit_events")?,
        })
    }

    async fn save_intake(
        &self,
        actor: &Actor,
        client: Uuid,
        record: IntakeRecord,
        by: Option<Uuid>,
    ) -> Result<Intake> {
        let mut tx = self.write().await?;
        let last: Option<i64> = sqlx::query("SELECT max(version) FROM intakes WHERE client = $1")
            .param(client)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)
            .and_then(|r| first(&r))?;
        let version = last.unwrap_or(0) + 1;
        let body = seal_json(&self.cipher, &format!("intake/{client}/{version}"), &record)?;
        let at = now();
        sqlx::query(
            "INSERT INTO intakes (client, version, body_enc, recorded_by, \
            recorded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .param(client)
        .param(version)
        .param(body)
        .param(by)
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "intake",
            Some(client),
            Some(client),
            Intake {
                client,
                version: version as u32,
                record,
                recorded_by: by,
                recorded_at: at,
            },
        )
        .await
    }

    async fn intakes(&self, actor: &Actor, client: Uuid) -> Result<Vec<Intake>> {
        let mut tx = self.read_audited().await?;
        let rows = sqlx::query("SELECT * FROM intakes WHERE client = $1 ORDER BY version")
            .param(client)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        let list = rows
            .iter()
            .map(|r| {
                let version: i64 = get(r, "version")?;
                Ok(Intake {
                    client,
                    version: version as u32,
                    record: open_json(
                        &self.cipher,
                        &format!("intake/{client}/{version}"),
                        &get::<_, Vec<u8>>(r, "body_enc")?,
                    )?,
                    recorded_by: get(r, "recorded_by")?,
                    recorded_at: get(r, "recorded_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "intakes",
            Some(client),
            Some(client),
            list,
        )
        .await
    }

    async fn save_session_details(
        &self,
        actor: &Actor,
        session: Uuid,
        details: SessionDetails,
        by: Option<Uuid>,
    ) -> Result<u32> {
        let mut tx = self.write().await?;
        let client = Self::session_client(&mut tx, session).await?;
        let last: Option<i64> =
            sqlx::query("SELECT max(version) FROM session_details WHERE session = $1")
                .param(session)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)
                .and_then(|r| first(&r))?;
        let version = last.unwrap_or(0) + 1;
        let body = seal_json(
            &self.cipher,
            &format!("session/{session}/{version}"),
            &details,
        )?;
        sqlx::query(
            "INSERT INTO session_details (session, version, body_enc, recorded_by, \
            recorded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .param(session)
        .param(version)
        .param(body)
        .param(by)
        .param(now())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "session_details",
            Some(session),
            Some(client),
            version as u32,
        )
        .await
    }

    async fn session_details(
        &self,
        actor: &Actor,
        session: Uuid,
    ) -> Result<Option<(u32, SessionDetails)>> {
        let mut tx = self.read_audited().await?;
        let client = Self::session_client(&mut tx, session).await?;
        let row = sqlx::query(
            "SELECT version, body_enc FROM session_details \
            WHERE session = $1 ORDER BY version DESC LIMIT 1",
        )
        .param(session)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let found = match row {
            Some(r) => {
                let version: i64 = get(&r, "version")?;
                let details = open_json(
                    &self.cipher,
                    &format!("session/{session}/{version}"),
                    &get::<_, Vec<u8>>(&r, "body_enc")?,
                )?;
                Some((version as u32, details))
            }
            None => None,
        };
        Self::audited(
            tx,
            actor,
            Action::Read,
            "session_details",
            Some(session),
            Some(client),
            found,
        )
        .await
    }

    async fn add_note(&self, actor: &Actor, new: NewNote) -> Result<Note> {
        check_body("note", &new.body)?;
        let mut tx = self.write().await?;
        if let Some(original) = new.supersedes {
            let row = sqlx::query("SELECT client, kind, author FROM notes WHERE id = $1")
                .param(original)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?
                .ok_or_else(|| StoreError::not_found("the note being corrected"))?;
            let (client, kind, author): (Uuid, String, Uuid) = (
                get(&row, "client")?,
                get(&row, "kind")?,
                get(&row, "author")?,
            );
            if client != new.client || kind != new.kind.code() || author != new.author {
                return Err(StoreError::invalid(
                    "supersedes",
                    "a correction is by the same author, of a note of the same kind and client",
                ));
            }
        }
        let id = Uuid::now_v7();
        let at = now();
        let body = self.cipher.seal_str(&format!("note/{id}"), &new.body)?;
        sqlx::query(
            "INSERT INTO notes (id, client, session, kind, author, body_enc, supersedes, written_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .param(id)
        .param(new.client)
        .param(new.session)
        .param(new.kind.code())
        .param(new.author)
        .param(body)
        .param(new.supersedes)
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let record_type = match new.kind {
            NoteKind::Session => "note",
            NoteKind::Process => "process_note",
        };
        Self::audited(
            tx,
            actor,
            Action::Create,
            record_type,
            Some(id),
            Some(new.client),
            Note {
                id,
                client: new.client,
                session: new.session,
                kind: new.kind,
                author: new.author,
                body: new.body,
                supersedes: new.supersedes,
                written_at: at,
            },
        )
        .await
    }

    async fn notes(&self, actor: &Actor, client: Uuid, reader: Uuid) -> Result<Vec<Note>> {
        let mut tx = self.read_audited().await?;
        let rows = sqlx::query(
            "SELECT * FROM notes WHERE client = $1 \
            AND (kind = 'session' OR author = $2) ORDER BY written_at, id",
        )
        .param(client)
        .param(reader)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        let list = rows
            .iter()
            .map(|r| note_row(&self.cipher, r))
            .collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "notes",
            Some(reader),
            Some(client),
            list,
        )
        .await
    }

    async fn process_notes_in_emergency(
        &self,
        actor: &Actor,
        client: Uuid,
        reader: Uuid,
        reason: &str,
    ) -> Result<Vec<Note>> {
        if reason.trim().chars().count() < 15 {
            return Err(StoreError::invalid(
                "reason",
                "an emergency access states its reason in at least 15 characters",
            ));
        }
        check_body("reason", reason)?;
        let mut tx = self.write().await?;
        let id = Uuid::now_v7();
        let sealed = self
            .cipher
            .seal_str(&format!("emergency/{id}"), reason.trim())?;
        sqlx::query(
            "INSERT INTO emergency_access (id, at, by_user, client, reason_enc) \
            VALUES ($1, $2, $3, $4, $5)",
        )
        .param(id)
        .param(now())
        .param(reader)
        .param(client)
        .param(sealed)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        let rows = sqlx::query(
            "SELECT * FROM notes WHERE client = $1 AND kind = 'process' ORDER BY written_at, id",
        )
        .param(client)
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        let list = rows
            .iter()
            .map(|r| note_row(&self.cipher, r))
            .collect::<Result<Vec<_>>>()?;
        Self::audited(
            tx,
            actor,
            Action::Read,
            "process_notes_emergency",
            Some(id),
            Some(client),
            list,
        )
        .await
    }

    async fn add_journal_entry(
        &self,
        actor: &Actor,
        client: Uuid,
        body: &str,
    ) -> Result<JournalEntry> {
        check_body("journal entry", body)?;
        let mut tx = self.write().await?;
        let id = Uuid::now_v7();
        let at = now();
        let sealed = self.cipher.seal_str(&format!("journal/{id}"), body)?;
        sqlx::query(
            "INSERT INTO journal_entries (id, client, body_enc, written_at) \
            VALUES ($1, $2, $3, $4)",
        )
        .param(id)
        .param(client)
        .param(sealed)
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "journal_entry",
            Some(id),
            Some(client),
            JournalEntry {
                id,
                client,
                body: body.to_owned(),
                written_at: at,
            },
        )
        .await
    }

    async fn journal(&self, actor: &Actor, client: Uuid) -> Result<Vec<JournalEntry>> {
        let mut tx = self.read_audited().await?;
        let rows =
            sqlx::query("SELECT * FROM journal_entries WHERE client = $1 ORDER BY written_at, id")
                .param(client)
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
        let list = rows
            .iter()
            .map(|r| {
                let id: Uuid = get(r, "id")?;
                Ok(JournalEntry {
                    id,
                    client,
                    body: self
                        .cipher
                        .open_str(&format!("journal/{id}"), &get::<_, Vec<u8>>(r, "body_enc")?)?,
                    written_at: get(r, "written_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Self::audited(tx, actor, Action::Read, "journal", None, Some(client), list).await
    }

    async fn record_consent(
        &self,
        actor: &Actor,
        client: Uuid,
        kind: ConsentKind,
        granted: bool,
        by: Option<Uuid>,
    ) -> Result<Consent> {
        let mut tx = self.write().await?;
        let id = Uuid::now_v7();
        let at = now();
        sqlx::query(
            "INSERT INTO consents (id, client, kind, granted, recorded_by, \
            recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .param(id)
        .param(client)
        .param(kind.code())
        .param(granted)
        .param(by)
        .param(at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        Self::audited(
            tx,
            actor,
            Action::Create,
            "consent",
            Some(id),
            Some(client),
            Consent {
                client,
                kind,
                granted,
                recorded_by: by,
                recorded_at: at,
            },
        )
        .await
    }

    async fn consents(&self, actor: &Actor, client: Uuid) -> Result<Vec<Consent>> {
        let mut tx = self.read_audited().await?;
        let rows = sqlx::query("SELECT * FROM consents WHERE client = $1 ORDER BY recorded_at, id")
            .param(client)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        let mut current: Vec<Consent> = Vec::new();
        for r in &rows {
            let kind: ConsentKind = code(r, "kind")?;
            let c = Consent {
                client,
                kind,
                granted: get(r, "granted")?,
                recorded_by: get(r, "recorded_by")?,
                recorded_at: get(r, "recorded_at")?,
            };
            // Later rows replace earlier decisions of the same kind.
            current.retain(|x| x.kind != kind);
            current.push(c);
        }
        Self::audited(
            tx,
            actor,
            Action::Read,
            "consents",
            None,
            Some(client),
            current,
        )
        .await
    }

    async fn check_key(&self) -> Result<()> {
        let row = sqlx::query("SELECT * FROM clients ORDER BY id LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
        match row {
            Some(r) => client_row(&self.cipher, &r).map(|_| ()),
            None => Ok(()),
        }
    }
}
