/// Implements `Store` for a backend whose SQL dialect accepts the shared text
/// (`$1` placeholders, `ON CONFLICT ... DO NOTHING`, `TRUE`, `max()`, joins).
/// The backend type must have a `pool`, a `cipher`, and two inherent methods:
/// `write(&self)`, which begins a write transaction, and
/// `lock_audit(conn)`, which serialises appends to the audit chain.
#[macro_export]
macro_rules! impl_sql_store {
    ($store:ident, $db:ty, $row:ty, $conn:ty) => {
        use $crate::attune_store::audit::{self, Action, Actor, AuditEvent, GENESIS, Verification};
        use $crate::attune_store::crypto::Cipher;
        use $crate::attune_store::records::{check_body, open_json, seal_json};
        use $crate::attune_store::{
            Administration, AlertStatus, AlertTransition, CancelReason, Cancellation, Client, ClientDetails, ClientSummary, CompletedVia, Consent, ConsentKind, Counts,
            Course, Credentials, Intake, IntakeRecord, JournalEntry, NewAdministration, NewClient, NewCourse, NewNote, NewSession, NewUser,
            Note, NoteKind, Role, Session, SessionDetails, Store, StoreError, StoredAlert, Submitted, User, check_administration,
            check_client, check_details, check_course, check_user, decode_responses, encode_responses,
        };
        use $crate::sqlx::Row;
        use $crate::time::Date;
        use $crate::uuid::Uuid;
        use $crate::{backend, now};

        type Result<T> = std::result::Result<T, StoreError>;

        fn get<'r, T>(row: &'r $row, col: &str) -> Result<T>
        where
            T: $crate::sqlx::Decode<'r, $db> + $crate::sqlx::Type<$db>,
        {
            row.try_get(col).map_err(backend)
        }

        fn user_row(row: &$row) -> Result<User> {
            Ok(User {
                id: get(row, "id")?,
                username: get(row, "username")?,
                display_name: get(row, "display_name")?,
                role: Role::parse(&get::<String>(row, "role")?)?,
                active: get(row, "active")?,
                created_at: get(row, "created_at")?,
            })
        }

        fn course_row(row: &$row) -> Result<Course> {
            Ok(Course {
                id: get(row, "id")?,
                client: get(row, "client")?,
                modality: get(row, "modality")?,
                protocol: get(row, "protocol")?,
                started_on: get(row, "started_on")?,
                created_at: get(row, "created_at")?,
            })
        }

        fn session_row(row: &$row) -> Result<Session> {
            Ok(Session {
                id: get(row, "id")?,
                course: get(row, "course")?,
                kind: get(row, "kind")?,
                number: get::<i64>(row, "number")?
                    .try_into()
                    .map_err(|_| StoreError::invalid("number", "out of range"))?,
                scheduled_at: get(row, "scheduled_at")?,
                held_at: get(row, "held_at")?,
                readiness_override: get(row, "readiness_override")?,
                cancelled: match get::<Option<$crate::time::OffsetDateTime>>(row, "cancelled_at")? {
                    Some(at) => Some(Cancellation {
                        at,
                        reason: CancelReason::parse(&get::<String>(row, "cancel_reason")?)
                            .ok_or_else(|| StoreError::invalid("cancel_reason", "unknown"))?,
                    }),
                    None => None,
                },
            })
        }

        /// The session, for a change that only a planned one may take.
        async fn planned_session(conn: &mut $conn, session: Uuid) -> Result<Session> {
            let row = $crate::sqlx::query("SELECT * FROM sessions WHERE id = $1")
                .bind(session)
                .fetch_optional(&mut *conn)
                .await
                .map_err(backend)?
                .ok_or_else(|| StoreError::not_found("session"))?;
            let current = session_row(&row)?;
            if current.held_at.is_some() {
                return Err(StoreError::Conflict { what: "the session is already recorded as held".into() });
            }
            if current.cancelled.is_some() {
                return Err(StoreError::Conflict { what: "the session is cancelled".into() });
            }
            Ok(current)
        }

        fn alert_row(row: &$row) -> Result<StoredAlert> {
            Ok(StoredAlert {
                id: get(row, "id")?,
                client: get(row, "client")?,
                administration: get(row, "administration")?,
                kind: get(row, "kind")?,
                severity: get(row, "severity")?,
                message: get(row, "message")?,
                status: AlertStatus::parse(&get::<String>(row, "status")?)?,
                routed_to: get(row, "routed_to")?,
                raised_at: get(row, "raised_at")?,
            })
        }

        fn audit_row(row: &$row) -> Result<AuditEvent> {
            Ok(AuditEvent {
                seq: get(row, "seq")?,
                at: get(row, "at")?,
                actor_user: get(row, "actor_user")?,
                actor_name: get(row, "actor_name")?,
                origin: get(row, "origin")?,
                action: get(row, "action")?,
                record_type: get(row, "record_type")?,
                record_id: get(row, "record_id")?,
                client_id: get(row, "client_id")?,
                prev_hash: get(row, "prev_hash")?,
                hash: get(row, "hash")?,
            })
        }

        /// Appends one audit event, chained to the last one. The backend's
        /// `lock_audit` (a write lock on SQLite, an advisory lock on PostgreSQL) keeps
        /// any other writer from reading the same last hash until this one commits.
        async fn audit(
            conn: &mut $conn,
            actor: &Actor,
            action: Action,
            record_type: &str,
            record_id: Option<Uuid>,
            client_id: Option<Uuid>,
        ) -> Result<()> {
            audit_all(conn, actor, &[(action, record_type, record_id, client_id)]).await
        }

        /// Appends several events of one actor to the chain with one read of
        /// its end and one insert: a request that touches several records
        /// pays two round trips for its audit, not two per record.
        async fn audit_all(
            conn: &mut $conn,
            actor: &Actor,
            events: &[(Action, &str, Option<Uuid>, Option<Uuid>)],
        ) -> Result<()> {
            if events.is_empty() {
                return Ok(());
            }
            $store::lock_audit(&mut *conn).await?;
            let last: Option<(i64, String)> =
                $crate::sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(backend)?;
            let (mut seq, mut prev) = last.unwrap_or((0, GENESIS.to_owned()));
            let at = now();
            let mut chained = Vec::with_capacity(events.len());
            for (action, record_type, record_id, client_id) in events {
                let mut e = AuditEvent {
                    seq: seq + 1,
                    at,
                    actor_user: actor.user,
                    actor_name: actor.name.clone(),
                    origin: actor.origin.clone(),
                    action: action.as_str().to_owned(),
                    record_type: (*record_type).to_owned(),
                    record_id: *record_id,
                    client_id: *client_id,
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = audit::event_hash(&prev, &e);
                (seq, prev) = (e.seq, e.hash.clone());
                chained.push(e);
            }
            let mut insert = $crate::sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO audit_log (seq, at, actor_user, actor_name, origin, action, record_type, record_id, client_id, prev_hash, hash) ",
            );
            insert.push_values(&chained, |mut row, e| {
                row.push_bind(e.seq)
                    .push_bind(e.at)
                    .push_bind(e.actor_user)
                    .push_bind(e.actor_name.clone())
                    .push_bind(e.origin.clone())
                    .push_bind(e.action.clone())
                    .push_bind(e.record_type.clone())
                    .push_bind(e.record_id)
                    .push_bind(e.client_id)
                    .push_bind(e.prev_hash.clone())
                    .push_bind(e.hash.clone());
            });
            insert.build().execute(&mut *conn).await.map_err(backend)?;
            Ok(())
        }

        /// Records the audit event and commits: how every method that touches
        /// client data ends, so that the event and the change land together.
        async fn audited<T>(
            mut tx: $crate::sqlx::Transaction<'static, $db>,
            actor: &Actor,
            action: Action,
            record_type: &str,
            record_id: Option<Uuid>,
            client_id: Option<Uuid>,
            value: T,
        ) -> Result<T> {
            audit(&mut tx, actor, action, record_type, record_id, client_id).await?;
            tx.commit().await.map_err(backend)?;
            Ok(value)
        }

        fn seal_opt(c: &Cipher, ctx: String, v: Option<&str>) -> Result<Option<Vec<u8>>> {
            v.map(|v| c.seal_str(&ctx, v)).transpose()
        }

        fn client_row(c: &Cipher, row: &$row) -> Result<Client> {
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

        fn administration_row(row: &$row) -> Result<Administration> {
            Ok(Administration {
                id: get(row, "id")?,
                idempotency_key: get(row, "idempotency_key")?,
                client: get(row, "client")?,
                course: get(row, "course")?,
                session: get(row, "session")?,
                time_point: get(row, "time_point")?,
                instrument: get(row, "instrument")?,
                instrument_version: get::<i64>(row, "instrument_version")?
                    .try_into()
                    .map_err(|_| StoreError::invalid("instrument_version", "out of range"))?,
                respondent: get(row, "respondent")?,
                responses: decode_responses(&get::<String>(row, "responses")?)?,
                wording_pack: get(row, "wording_pack")?,
                wording_kind: get(row, "wording_kind")?,
                completed_via: CompletedVia::parse(&get::<String>(row, "completed_via")?)?,
                administered_at: get(row, "administered_at")?,
                total: get(row, "total")?,
                band: get(row, "band")?,
                complete: get(row, "complete")?,
                prorated: get(row, "prorated")?,
                scorer: get(row, "scorer")?,
                supersedes: get(row, "supersedes")?,
            })
        }

        /// The client a session belongs to (through its course).
        async fn session_client(conn: &mut $conn, session: Uuid) -> Result<Uuid> {
            $crate::sqlx::query_scalar(
                "SELECT c.client FROM sessions s JOIN courses c ON c.id = s.course WHERE s.id = $1",
            )
            .bind(session)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?
            .ok_or_else(|| StoreError::not_found("session"))
        }

        fn note_row(c: &Cipher, row: &$row) -> Result<Note> {
            let id: Uuid = get(row, "id")?;
            let kind = match get::<String>(row, "kind")?.as_str() {
                "process" => NoteKind::Process,
                _ => NoteKind::Session,
            };
            Ok(Note {
                id,
                client: get(row, "client")?,
                session: get(row, "session")?,
                kind,
                author: get(row, "author")?,
                body: c.open_str(&format!("note/{id}"), &get::<Vec<u8>>(row, "body_enc")?)?,
                supersedes: get(row, "supersedes")?,
                written_at: get(row, "written_at")?,
            })
        }

        impl $store {
            async fn user_by(
                &self,
                conn: &mut $conn,
                username: &str,
            ) -> Result<Option<(User, String)>> {
                let row = $crate::sqlx::query("SELECT * FROM users WHERE username = $1")
                    .bind(username)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(backend)?;
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
                let done = submit_in(&mut tx, actor, new, &[]).await?;
                if done.is_some() {
                    tx.commit().await.map_err(backend)?;
                }
                Ok(done)
            }
        }

        /// Inserts a course row inside the caller's transaction.
        async fn insert_course(conn: &mut $conn, id: Uuid, new: &NewCourse, at: $crate::time::OffsetDateTime) -> Result<()> {
            $crate::sqlx::query(
                "INSERT INTO courses (id, client, modality, protocol, started_on, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(id)
            .bind(new.client)
            .bind(&new.modality)
            .bind(&new.protocol)
            .bind(new.started_on)
            .bind(at)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
            Ok(())
        }

        /// Inserts a session row inside the caller's transaction.
        async fn insert_session(conn: &mut $conn, id: Uuid, new: &NewSession, at: $crate::time::OffsetDateTime) -> Result<()> {
            $crate::sqlx::query(
                "INSERT INTO sessions (id, course, kind, number, scheduled_at, held_at, readiness_override, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(id)
            .bind(new.course)
            .bind(&new.kind)
            .bind(i64::try_from(new.number).map_err(|_| StoreError::invalid("number", "too large"))?)
            .bind($crate::micros(new.scheduled_at))
            .bind(new.held_at.map($crate::micros))
            .bind(&new.readiness_override)
            .bind(at)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
            Ok(())
        }

        /// Stores an administration and its alerts inside the caller's
        /// transaction (audited, not committed). `None` when a concurrent
        /// transaction took the idempotency key first.
        /// The stored submission with `new`'s idempotency key, when the
        /// request is a retry; a conflict if the key was used for another
        /// client or instrument. `None` if no such row is visible (the retry
        /// loop of the caller tries again).
        async fn earlier_submission(tx: &mut $conn, new: &NewAdministration) -> Result<Option<Submitted>> {
            let Some(row) = $crate::sqlx::query(
                "SELECT id, client, instrument FROM administrations WHERE idempotency_key = $1",
            )
            .bind(&new.idempotency_key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
            else {
                return Ok(None);
            };
            let (id, client, instrument): (Uuid, Uuid, String) =
                (get(&row, "id")?, get(&row, "client")?, get(&row, "instrument")?);
            if client != new.client || instrument != new.instrument {
                return Err(StoreError::Conflict {
                    what: "idempotency key already used for a different submission".into(),
                });
            }
            let alerts = $crate::sqlx::query_scalar("SELECT id FROM alerts WHERE administration = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend)?;
            Ok(Some(Submitted {
                id,
                created: false,
                alerts,
            }))
        }

        /// Stores one administration with its alerts. `reads`: audit events
        /// of reads made earlier in the same transaction, appended with the
        /// writes' events in one go.
        async fn submit_in(
            tx: &mut $conn,
            actor: &Actor,
            new: &NewAdministration,
            reads: &[(Action, &str, Option<Uuid>, Option<Uuid>)],
        ) -> Result<Option<Submitted>> {
                if let Some(original) = new.supersedes {
                    let row = $crate::sqlx::query("SELECT client, instrument FROM administrations WHERE id = $1")
                        .bind(original)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend)?
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
                let inserted = $crate::sqlx::query(
                    "INSERT INTO administrations (id, idempotency_key, client, course, session, instrument, instrument_version,
                        respondent, responses, wording_pack, wording_kind, completed_via, administered_at, total, band,
                        complete, prorated, scorer, created_at, supersedes, time_point)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
                     ON CONFLICT (idempotency_key) DO NOTHING",
                )
                .bind(id)
                .bind(&new.idempotency_key)
                .bind(new.client)
                .bind(new.course)
                .bind(new.session)
                .bind(&new.instrument)
                .bind(i64::try_from(new.instrument_version).map_err(|_| StoreError::invalid("instrument_version", "too large"))?)
                .bind(&new.respondent)
                .bind(encode_responses(&new.responses))
                .bind(&new.wording_pack)
                .bind(&new.wording_kind)
                .bind(new.completed_via.code())
                .bind(new.administered_at)
                .bind(new.total)
                .bind(&new.band)
                .bind(new.complete)
                .bind(new.prorated)
                .bind(&new.scorer)
                .bind(at)
                .bind(new.supersedes)
                .bind(&new.time_point)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
                if inserted.rows_affected() == 0 {
                    // The key is taken: this request is a retry of a stored one.
                    audit_all(&mut *tx, actor, reads).await?;
                    return earlier_submission(tx, new).await;
                }
                // Alerts go to the lead therapist; most submissions raise none.
                let lead: Uuid = if new.alerts.is_empty() {
                    Uuid::nil()
                } else {
                    $crate::sqlx::query_scalar("SELECT lead_therapist FROM clients WHERE id = $1")
                        .bind(new.client)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend)?
                        .ok_or_else(|| StoreError::not_found("client"))?
                };
                let mut alert_ids = Vec::with_capacity(new.alerts.len());
                for a in &new.alerts {
                    let alert_id = Uuid::now_v7();
                    $crate::sqlx::query(
                        "INSERT INTO alerts (id, client, administration, kind, severity, message, status, routed_to, raised_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8)",
                    )
                    .bind(alert_id)
                    .bind(new.client)
                    .bind(id)
                    .bind(&a.kind)
                    .bind(&a.severity)
                    .bind(&a.message)
                    .bind(lead)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                    alert_ids.push(alert_id);
                }
                let mut events: Vec<(Action, &str, Option<Uuid>, Option<Uuid>)> = reads.to_vec();
                events.extend(
                    alert_ids
                        .iter()
                        .map(|a| (Action::Create, "alert", Some(*a), Some(new.client))),
                );
                events.push((Action::Create, "administration", Some(id), Some(new.client)));
                audit_all(tx, actor, &events).await?;
                Ok(Some(Submitted {
                    id,
                    created: true,
                    alerts: alert_ids,
                }))
        }

        impl Store for $store {
            async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User> {
                check_user(&new)?;
                let mut tx = self.write().await?;
                let id = Uuid::now_v7();
                let at = now();
                $crate::sqlx::query(
                    "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6)",
                )
                .bind(id)
                .bind(&new.username)
                .bind(new.display_name.trim())
                .bind(new.role.code())
                .bind(&new.password_hash)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(|e| match backend(e) {
                    StoreError::Conflict { .. } => StoreError::Conflict { what: format!("username '{}' is taken", new.username) },
                    other => other,
                })?;
                audited(tx, actor, Action::Create, "user", Some(id), None, User {
                    id,
                    username: new.username,
                    display_name: new.display_name.trim().to_owned(),
                    role: new.role,
                    active: true,
                    created_at: at,
                }).await
            }

            async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
                let mut conn = self.pool.acquire().await.map_err(backend)?;
                Ok(self
                    .user_by(&mut conn, username)
                    .await?
                    .map(|(user, password_hash)| Credentials {
                        user,
                        password_hash,
                    }))
            }

            async fn users(&self) -> Result<Vec<User>> {
                let rows = $crate::sqlx::query("SELECT * FROM users ORDER BY username")
                    .fetch_all(&self.pool)
                    .await
                    .map_err(backend)?;
                rows.iter().map(user_row).collect()
            }

            async fn set_user_active(&self, actor: &Actor, username: &str, active: bool) -> Result<User> {
                let mut tx = self.write().await?;
                let changed =
                    $crate::sqlx::query("UPDATE users SET active = $1, updated_at = $2 WHERE username = $3")
                        .bind(active)
                        .bind(now())
                        .bind(username)
                        .execute(&mut *tx)
                        .await
                        .map_err(backend)?;
                if changed.rows_affected() == 0 {
                    return Err(StoreError::not_found(format!("user '{username}'")));
                }
                let (user, _) = self
                    .user_by(&mut tx, username)
                    .await?
                    .ok_or_else(|| StoreError::not_found("user"))?;
                audited(tx, actor, Action::Update, "user", Some(user.id), None, user).await
            }

            async fn add_supervision(
                &self,
                actor: &Actor,
                supervisor: Uuid,
                supervisee: Uuid,
            ) -> Result<()> {
                let mut tx = self.write().await?;
                $crate::sqlx::query(
                    "INSERT INTO supervision (supervisor, supervisee, created_at) VALUES ($1, $2, $3)",
                )
                .bind(supervisor)
                .bind(supervisee)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
                audited(tx, actor, Action::Create, "supervision", Some(supervisee), None, ()).await
            }

            async fn supervisees(&self, supervisor: Uuid) -> Result<Vec<Uuid>> {
                $crate::sqlx::query_scalar(
                    "SELECT supervisee FROM supervision WHERE supervisor = $1 ORDER BY supervisee",
                )
                .bind(supervisor)
                .fetch_all(&self.pool)
                .await
                .map_err(backend)
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
                $crate::sqlx::query(
                    "INSERT INTO clients (id, code, name_enc, contact_enc, dob_enc, lead_therapist, co_therapist, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                )
                .bind(id)
                .bind(&new.code)
                .bind(name)
                .bind(contact)
                .bind(dob)
                .bind(new.lead_therapist)
                .bind(new.co_therapist)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(|e| match backend(e) {
                    StoreError::Conflict { .. } => StoreError::Conflict { what: format!("client code '{}' is taken", new.code) },
                    other => other,
                })?;
                audited(tx, actor, Action::Create, "client", Some(id), Some(id), Client {
                    id,
                    code: new.code,
                    details: ClientDetails {
                        name: d.name.trim().to_owned(),
                        ..new.details
                    },
                    lead_therapist: new.lead_therapist,
                    co_therapist: new.co_therapist,
                    created_at: at,
                }).await
            }

            async fn update_client_details(&self, actor: &Actor, id: Uuid, details: ClientDetails) -> Result<Client> {
                check_details(&details)?;
                let c = &self.cipher;
                let name = c.seal_str(&format!("client/{id}/name"), details.name.trim())?;
                let contact = seal_opt(c, format!("client/{id}/contact"), details.contact.as_deref())?;
                let dob_text = details.date_of_birth.map(|x| x.to_string());
                let dob = seal_opt(c, format!("client/{id}/dob"), dob_text.as_deref())?;
                let mut tx = self.write().await?;
                let done = $crate::sqlx::query("UPDATE clients SET name_enc = $1, contact_enc = $2, dob_enc = $3, updated_at = $4 WHERE id = $5")
                    .bind(name)
                    .bind(contact)
                    .bind(dob)
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::not_found("client"));
                }
                let row = $crate::sqlx::query("SELECT * FROM clients WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(backend)?;
                let client = client_row(&self.cipher, &row)?;
                audited(tx, actor, Action::Update, "client", Some(id), Some(id), client).await
            }

            async fn client(&self, actor: &Actor, id: Uuid) -> Result<Client> {
                let mut tx = self.read_audited().await?;
                let row = $crate::sqlx::query("SELECT * FROM clients WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?
                    .ok_or_else(|| StoreError::not_found("client"))?;
                let client = client_row(&self.cipher, &row)?;
                audited(tx, actor, Action::Read, "client", Some(id), Some(id), client).await
            }

            async fn caseload(&self, actor: &Actor, therapist: Uuid) -> Result<Vec<ClientSummary>> {
                let mut tx = self.read_audited().await?;
                let rows = $crate::sqlx::query(
                    "SELECT id, code, lead_therapist, co_therapist FROM clients
                     WHERE lead_therapist = $1 OR co_therapist = $1 ORDER BY code",
                )
                .bind(therapist)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend)?;
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
                audited(tx, actor, Action::Read, "caseload", Some(therapist), None, list).await
            }

            async fn create_course(&self, actor: &Actor, new: NewCourse) -> Result<Course> {
                check_course(&new)?;
                let mut tx = self.write().await?;
                let id = Uuid::now_v7();
                let at = now();
                insert_course(&mut tx, id, &new, at).await?;
                audited(tx, actor, Action::Create, "course", Some(id), Some(new.client), Course {
                    id,
                    client: new.client,
                    modality: new.modality,
                    protocol: new.protocol,
                    started_on: new.started_on,
                    created_at: at,
                }).await
            }

            async fn courses(&self, actor: &Actor, client: Uuid) -> Result<Vec<Course>> {
                let mut tx = self.read_audited().await?;
                let rows = $crate::sqlx::query("SELECT * FROM courses WHERE client = $1 ORDER BY started_on, id")
                    .bind(client)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(backend)?;
                let list = rows.iter().map(course_row).collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "courses", None, Some(client), list).await
            }

            async fn add_session(&self, actor: &Actor, new: NewSession) -> Result<Session> {
                let mut tx = self.write().await?;
                let client: Uuid = $crate::sqlx::query_scalar("SELECT client FROM courses WHERE id = $1")
                    .bind(new.course)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?
                    .ok_or_else(|| StoreError::not_found("course"))?;
                let id = Uuid::now_v7();
                let at = now();
                insert_session(&mut tx, id, &new, at).await?;
                audited(tx, actor, Action::Create, "session", Some(id), Some(client), Session {
                    id,
                    course: new.course,
                    kind: new.kind,
                    number: new.number,
                    scheduled_at: new.scheduled_at,
                    held_at: new.held_at,
                    readiness_override: new.readiness_override,
                    cancelled: None,
                }).await
            }

            async fn hold_session(
                &self,
                actor: &Actor,
                session: Uuid,
                held_at: $crate::time::OffsetDateTime,
                readiness_override: Option<String>,
            ) -> Result<Session> {
                if readiness_override.as_ref().is_some_and(|r| r.chars().count() > 2000) {
                    return Err(StoreError::invalid("readiness_override", "at most 2,000 characters"));
                }
                let mut tx = self.write().await?;
                let mut current = planned_session(&mut tx, session).await?;
                let client = session_client(&mut tx, session).await?;
                let held_at = $crate::micros(held_at);
                $crate::sqlx::query("UPDATE sessions SET held_at = $1, readiness_override = $2, updated_at = $3 WHERE id = $4")
                    .bind(held_at)
                    .bind(&readiness_override)
                    .bind(now())
                    .bind(session)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                current.held_at = Some(held_at);
                current.readiness_override = readiness_override;
                audited(tx, actor, Action::Update, "session", Some(session), Some(client), current).await
            }

            async fn reschedule_session(
                &self,
                actor: &Actor,
                session: Uuid,
                scheduled_at: $crate::time::OffsetDateTime,
            ) -> Result<Session> {
                let mut tx = self.write().await?;
                let mut current = planned_session(&mut tx, session).await?;
                let client = session_client(&mut tx, session).await?;
                let at = $crate::micros(scheduled_at);
                $crate::sqlx::query("UPDATE sessions SET scheduled_at = $1, updated_at = $2 WHERE id = $3")
                    .bind(at)
                    .bind(now())
                    .bind(session)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                current.scheduled_at = at;
                audited(tx, actor, Action::Update, "session", Some(session), Some(client), current).await
            }

            async fn cancel_session(&self, actor: &Actor, session: Uuid, reason: CancelReason) -> Result<Session> {
                let mut tx = self.write().await?;
                let mut current = planned_session(&mut tx, session).await?;
                let client = session_client(&mut tx, session).await?;
                let at = now();
                $crate::sqlx::query("UPDATE sessions SET cancelled_at = $1, cancel_reason = $2, updated_at = $1 WHERE id = $3")
                    .bind(at)
                    .bind(reason.code())
                    .bind(session)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                current.cancelled = Some(Cancellation { at, reason });
                audited(tx, actor, Action::Update, "session", Some(session), Some(client), current).await
            }

            async fn sessions(&self, actor: &Actor, course: Uuid) -> Result<Vec<Session>> {
                let mut tx = self.read_audited().await?;
                let client: Uuid = $crate::sqlx::query_scalar("SELECT client FROM courses WHERE id = $1")
                    .bind(course)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?
                    .ok_or_else(|| StoreError::not_found("course"))?;
                let rows = $crate::sqlx::query("SELECT * FROM sessions WHERE course = $1 ORDER BY number")
                    .bind(course)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(backend)?;
                let list = rows.iter().map(session_row).collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "sessions", Some(course), Some(client), list).await
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
                let rows = $crate::sqlx::query(
                    "SELECT * FROM administrations WHERE client = $1 ORDER BY administered_at, id",
                )
                .bind(client)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend)?;
                let list = rows
                    .iter()
                    .map(administration_row)
                    .collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "administrations", None, Some(client), list).await
            }

            async fn alerts_for(
                &self,
                actor: &Actor,
                routed_to: Uuid,
                open_only: bool,
            ) -> Result<Vec<StoredAlert>> {
                let mut tx = self.read_audited().await?;
                let rows = $crate::sqlx::query(
                    "SELECT * FROM alerts WHERE routed_to = $1 AND (NOT $2 OR status <> 'resolved') ORDER BY raised_at, id",
                )
                .bind(routed_to)
                .bind(open_only)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend)?;
                let list = rows.iter().map(alert_row).collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "alerts", Some(routed_to), None, list).await
            }

            async fn act_on_alert(
                &self,
                actor: &Actor,
                alert: Uuid,
                by: Uuid,
                transition: AlertTransition,
            ) -> Result<StoredAlert> {
                let mut tx = self.write().await?;
                let row = $crate::sqlx::query("SELECT * FROM alerts WHERE id = $1")
                    .bind(alert)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?
                    .ok_or_else(|| StoreError::not_found("alert"))?;
                let mut current = alert_row(&row)?;
                let (to, note) = match (current.status, transition) {
                    (AlertStatus::Resolved, _) => {
                        return Err(StoreError::Conflict {
                            what: "the alert is already resolved".into(),
                        });
                    }
                    (AlertStatus::Acknowledged, AlertTransition::Acknowledge) => {
                        return Err(StoreError::Conflict {
                            what: "the alert is already acknowledged".into(),
                        });
                    }
                    (_, AlertTransition::Acknowledge) => (AlertStatus::Acknowledged, None),
                    (_, AlertTransition::Resolve { note }) => (AlertStatus::Resolved, note),
                };
                let at = now();
                $crate::sqlx::query("UPDATE alerts SET status = $1, updated_at = $2 WHERE id = $3")
                    .bind(to.code())
                    .bind(at)
                    .bind(alert)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                $crate::sqlx::query("INSERT INTO alert_actions (alert, at, by_user, to_status, note) VALUES ($1, $2, $3, $4, $5)")
                    .bind(alert)
                    .bind(at)
                    .bind(by)
                    .bind(to.code())
                    .bind(note)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                current.status = to;
                let client = current.client;
                audited(tx, actor, Action::Update, "alert", Some(alert), Some(client), current).await
            }

            async fn audit_events(&self) -> Result<Vec<AuditEvent>> {
                let rows = $crate::sqlx::query("SELECT * FROM audit_log ORDER BY seq")
                    .fetch_all(&self.pool)
                    .await
                    .map_err(backend)?;
                rows.iter().map(audit_row).collect()
            }

            async fn verify_audit(&self) -> Result<Verification> {
                Ok(audit::verify(&self.audit_events().await?))
            }

            async fn counts(&self) -> Result<Counts> {
                let row = $crate::sqlx::query(
                    "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM clients) AS clients,
                            (SELECT count(*) FROM courses) AS courses, (SELECT count(*) FROM sessions) AS sessions,
                            (SELECT count(*) FROM administrations) AS administrations, (SELECT count(*) FROM alerts) AS alerts,
                            (SELECT count(*) FROM audit_log) AS audit_events",
                )
                .fetch_one(&self.pool)
                .await
                .map_err(backend)?;
                let n = |c: &str| -> Result<u64> {
                    Ok(row.try_get::<i64, _>(c).map_err(backend)?.max(0) as u64)
                };
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
                let last: Option<i64> =
                    $crate::sqlx::query_scalar("SELECT max(version) FROM intakes WHERE client = $1")
                        .bind(client)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend)?;
                let version = last.unwrap_or(0) + 1;
                let body = seal_json(&self.cipher, &format!("intake/{client}/{version}"), &record)?;
                let at = now();
                $crate::sqlx::query("INSERT INTO intakes (client, version, body_enc, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(client)
                    .bind(version)
                    .bind(body)
                    .bind(by)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                audited(tx, actor, Action::Create, "intake", Some(client), Some(client), Intake {
                    client,
                    version: version as u32,
                    record,
                    recorded_by: by,
                    recorded_at: at,
                }).await
            }

            async fn intakes(&self, actor: &Actor, client: Uuid) -> Result<Vec<Intake>> {
                let mut tx = self.read_audited().await?;
                let rows = $crate::sqlx::query("SELECT * FROM intakes WHERE client = $1 ORDER BY version")
                    .bind(client)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(backend)?;
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
                                &get::<Vec<u8>>(r, "body_enc")?,
                            )?,
                            recorded_by: get(r, "recorded_by")?,
                            recorded_at: get(r, "recorded_at")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "intakes", Some(client), Some(client), list).await
            }

            async fn save_session_details(
                &self,
                actor: &Actor,
                session: Uuid,
                details: SessionDetails,
                by: Option<Uuid>,
            ) -> Result<u32> {
                let mut tx = self.write().await?;
                let client = session_client(&mut tx, session).await?;
                let last: Option<i64> =
                    $crate::sqlx::query_scalar("SELECT max(version) FROM session_details WHERE session = $1")
                        .bind(session)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(backend)?;
                let version = last.unwrap_or(0) + 1;
                let body = seal_json(
                    &self.cipher,
                    &format!("session/{session}/{version}"),
                    &details,
                )?;
                $crate::sqlx::query("INSERT INTO session_details (session, version, body_enc, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(session)
                    .bind(version)
                    .bind(body)
                    .bind(by)
                    .bind(now())
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                audited(tx, actor, Action::Create, "session_details", Some(session), Some(client), version as u32).await
            }

            async fn session_details(
                &self,
                actor: &Actor,
                session: Uuid,
            ) -> Result<Option<(u32, SessionDetails)>> {
                let mut tx = self.read_audited().await?;
                let client = session_client(&mut tx, session).await?;
                let row = $crate::sqlx::query("SELECT version, body_enc FROM session_details WHERE session = $1 ORDER BY version DESC LIMIT 1")
                    .bind(session)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(backend)?;
                let found = match row {
                    Some(r) => {
                        let version: i64 = get(&r, "version")?;
                        let details = open_json(
                            &self.cipher,
                            &format!("session/{session}/{version}"),
                            &get::<Vec<u8>>(&r, "body_enc")?,
                        )?;
                        Some((version as u32, details))
                    }
                    None => None,
                };
                audited(tx, actor, Action::Read, "session_details", Some(session), Some(client), found).await
            }

            async fn add_note(&self, actor: &Actor, new: NewNote) -> Result<Note> {
                check_body("note", &new.body)?;
                let mut tx = self.write().await?;
                if let Some(original) = new.supersedes {
                    let row = $crate::sqlx::query("SELECT client, kind, author FROM notes WHERE id = $1")
                        .bind(original)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(backend)?
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
                $crate::sqlx::query(
                    "INSERT INTO notes (id, client, session, kind, author, body_enc, supersedes, written_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(new.client)
                .bind(new.session)
                .bind(new.kind.code())
                .bind(new.author)
                .bind(body)
                .bind(new.supersedes)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
                let record_type = match new.kind {
                    NoteKind::Session => "note",
                    NoteKind::Process => "process_note",
                };
                audited(tx, actor, Action::Create, record_type, Some(id), Some(new.client), Note {
                    id,
                    client: new.client,
                    session: new.session,
                    kind: new.kind,
                    author: new.author,
                    body: new.body,
                    supersedes: new.supersedes,
                    written_at: at,
                }).await
            }

            async fn notes(&self, actor: &Actor, client: Uuid, reader: Uuid) -> Result<Vec<Note>> {
                let mut tx = self.read_audited().await?;
                let rows = $crate::sqlx::query("SELECT * FROM notes WHERE client = $1 AND (kind = 'session' OR author = $2) ORDER BY written_at, id")
                    .bind(client)
                    .bind(reader)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(backend)?;
                let list = rows
                    .iter()
                    .map(|r| note_row(&self.cipher, r))
                    .collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "notes", Some(reader), Some(client), list).await
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
                $crate::sqlx::query("INSERT INTO emergency_access (id, at, by_user, client, reason_enc) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id)
                    .bind(now())
                    .bind(reader)
                    .bind(client)
                    .bind(sealed)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                let rows = $crate::sqlx::query(
                    "SELECT * FROM notes WHERE client = $1 AND kind = 'process' ORDER BY written_at, id",
                )
                .bind(client)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend)?;
                let list = rows
                    .iter()
                    .map(|r| note_row(&self.cipher, r))
                    .collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "process_notes_emergency", Some(id), Some(client), list).await
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
                $crate::sqlx::query("INSERT INTO journal_entries (id, client, body_enc, written_at) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(client)
                    .bind(sealed)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                audited(tx, actor, Action::Create, "journal_entry", Some(id), Some(client), JournalEntry {
                    id,
                    client,
                    body: body.to_owned(),
                    written_at: at,
                }).await
            }

            async fn journal(&self, actor: &Actor, client: Uuid) -> Result<Vec<JournalEntry>> {
                let mut tx = self.read_audited().await?;
                let rows =
                    $crate::sqlx::query("SELECT * FROM journal_entries WHERE client = $1 ORDER BY written_at, id")
                        .bind(client)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(backend)?;
                let list = rows
                    .iter()
                    .map(|r| {
                        let id: Uuid = get(r, "id")?;
                        Ok(JournalEntry {
                            id,
                            client,
                            body: self
                                .cipher
                                .open_str(&format!("journal/{id}"), &get::<Vec<u8>>(r, "body_enc")?)?,
                            written_at: get(r, "written_at")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                audited(tx, actor, Action::Read, "journal", None, Some(client), list).await
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
                $crate::sqlx::query("INSERT INTO consents (id, client, kind, granted, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(id)
                    .bind(client)
                    .bind(kind.code())
                    .bind(granted)
                    .bind(by)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                audited(tx, actor, Action::Create, "consent", Some(id), Some(client), Consent {
                    client,
                    kind,
                    granted,
                    recorded_by: by,
                    recorded_at: at,
                }).await
            }

            async fn consents(&self, actor: &Actor, client: Uuid) -> Result<Vec<Consent>> {
                let mut tx = self.read_audited().await?;
                let rows = $crate::sqlx::query("SELECT * FROM consents WHERE client = $1 ORDER BY recorded_at, id")
                    .bind(client)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(backend)?;
                let mut current: Vec<Consent> = Vec::new();
                for r in &rows {
                    let kind = ConsentKind::parse(&get::<String>(r, "kind")?)
                        .ok_or_else(|| StoreError::invalid("consent kind", "unknown"))?;
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
                audited(tx, actor, Action::Read, "consents", None, Some(client), current).await
            }

            async fn check_key(&self) -> Result<()> {
                let row = $crate::sqlx::query("SELECT * FROM clients ORDER BY id LIMIT 1")
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(backend)?;
                match row {
                    Some(r) => client_row(&self.cipher, &r).map(|_| ()),
                    None => Ok(()),
                }
            }
        }
    };
}
