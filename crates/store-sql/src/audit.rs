//! The audit hash chain on SQL: appending events inside the transaction
//! whose change they record, and reading them back.

use attune_store::StoreError;
use attune_store::audit::{self, Action, Actor, AuditEvent, GENESIS};
use sqlx::{Executor, Row};
use uuid::Uuid;

use crate::backend::{Backend, Param, get};
use crate::{SqlStore, db_error, now};

type Result<T> = std::result::Result<T, StoreError>;

/// Columns of `audit_log` written per event.
const AUDIT_COLUMNS: usize = 11;

pub(crate) fn audit_row<R: Row<Database: Backend>>(row: &R) -> Result<AuditEvent> {
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

impl<B: Backend> SqlStore<B>
where
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
{
    /// Appends one audit event, chained to the last one. The backend's
    /// `lock_audit` (a write lock on SQLite, an advisory lock on PostgreSQL) keeps
    /// any other writer from reading the same last hash until this one commits.
    pub(crate) async fn audit(
        conn: &mut B::Connection,
        actor: &Actor,
        action: Action,
        record_type: &str,
        record_id: Option<Uuid>,
        client_id: Option<Uuid>,
    ) -> Result<()> {
        Self::audit_all(conn, actor, &[(action, record_type, record_id, client_id)]).await
    }

    /// Appends several events of one actor to the chain with one read of
    /// its end and one insert: a request that touches several records
    /// pays two round trips for its audit, not two per record.
    pub(crate) async fn audit_all(
        conn: &mut B::Connection,
        actor: &Actor,
        events: &[(Action, &str, Option<Uuid>, Option<Uuid>)],
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        B::lock_audit(&mut *conn).await?;
        let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?
            .map(|row| Ok::<_, StoreError>((get(&row, "seq")?, get(&row, "hash")?)))
            .transpose()?;
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
        // One multi-row insert: `($1, ..., $11), ($12, ...)`.
        let rows: Vec<String> = (0..chained.len())
            .map(|r| {
                let row: Vec<String> = (1..=AUDIT_COLUMNS)
                    .map(|c| format!("${}", r * AUDIT_COLUMNS + c))
                    .collect();
                format!("({})", row.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (seq, at, actor_user, actor_name, origin, action, record_type, \
                record_id, client_id, prev_hash, hash) VALUES {}",
            rows.join(", ")
        );
        let mut insert = sqlx::query(sqlx::AssertSqlSafe(sql));
        for e in chained {
            insert = insert
                .param(e.seq)
                .param(e.at)
                .param(e.actor_user)
                .param(e.actor_name)
                .param(e.origin)
                .param(e.action)
                .param(e.record_type)
                .param(e.record_id)
                .param(e.client_id)
                .param(e.prev_hash)
                .param(e.hash);
        }
        insert.execute(&mut *conn).await.map_err(db_error)?;
        Ok(())
    }

    /// Records the audit event and commits: how every method that touches
    /// client data ends, so that the event and the change land together.
    pub(crate) async fn audited<T>(
        mut tx: sqlx::Transaction<'static, B>,
        actor: &Actor,
        action: Action,
        record_type: &str,
        record_id: Option<Uuid>,
        client_id: Option<Uuid>,
        value: T,
    ) -> Result<T> {
        Self::audit(&mut tx, actor, action, record_type, record_id, client_id).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(value)
    }
}
