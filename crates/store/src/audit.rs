//! The audit log's hash chain. Each event's hash covers the previous hash and
//! the event's own fields, so an edited, removed or reordered row breaks the
//! chain at that point. Backends store events; this module defines the hash.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted, from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<Uuid>,
    /// A readable name: `user:alice`, `portal`, `cli`, `demo`.
    pub name: String,
    /// Where from: an address, or `local`.
    pub origin: String,
}

impl Actor {
    pub fn system(name: &str) -> Actor {
        Actor {
            user: None,
            name: name.to_owned(),
            origin: "local".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Create,
    Update,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
        }
    }
}

/// One audit event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor_user: Option<Uuid>,
    pub actor_name: String,
    pub origin: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<Uuid>,
    pub client_id: Option<Uuid>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an event given its predecessor's hash. Fields are joined with
/// a unit separator and lengths so that no two events hash the same text.
pub fn event_hash(prev: &str, e: &AuditEvent) -> String {
    let fields = [
        e.seq.to_string(),
        e.at.unix_timestamp_nanos().to_string(),
        e.actor_user.map(|u| u.to_string()).unwrap_or_default(),
        e.actor_name.clone(),
        e.origin.clone(),
        e.action.clone(),
        e.record_type.clone(),
        e.record_id.map(|u| u.to_string()).unwrap_or_default(),
        e.client_id.map(|u| u.to_string()).unwrap_or_default(),
    ];
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    for f in fields {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact {
        events: u64,
    },
    /// The first event whose stored hash or link does not match.
    Broken {
        seq: i64,
        reason: String,
    },
}

/// Checks a run of events in sequence order, starting from the genesis hash.
pub fn verify<'a>(events: impl IntoIterator<Item = &'a AuditEvent>) -> Verification {
    let mut prev = GENESIS.to_owned();
    let mut count = 0;
    for (expected_seq, e) in (1..).zip(events) {
        if e.seq != expected_seq {
            return Verification::Broken {
                seq: e.seq,
                reason: format!("expected event {expected_seq}: a row is missing or out of order"),
            };
        }
        if e.prev_hash != prev {
            return Verification::Broken {
                seq: e.seq,
                reason: "its link to the previous event does not match".into(),
            };
        }
        if event_hash(&prev, e) != e.hash {
            return Verification::Broken {
                seq: e.seq,
                reason: "its content does not match its hash (edited)".into(),
            };
        }
        prev = e.hash.clone();
        count += 1;
    }
    Verification::Intact { events: count }
}
