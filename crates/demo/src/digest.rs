//! A fingerprint of a clinic's clinical content, read back through the store:
//! who, what, when and every answer and score, but not the surrogate ids and
//! row timestamps a store assigns. Two runs with one seed and one reference
//! date give the same fingerprint.

use attune_store::Code;
use std::collections::BTreeMap;
use std::fmt::Write;

use attune_store::audit::Actor;
use attune_store::{Role, Store, StoreError, encode_responses};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub async fn digest<S: Store>(store: &S) -> Result<String, StoreError> {
    let actor = Actor::system("demo-digest");
    let users = store.users().await?;
    let names: BTreeMap<Uuid, String> = users.iter().map(|u| (u.id, u.username.clone())).collect();
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    let mut text = String::new();
    for u in &users {
        let _ = writeln!(
            text,
            "user {} {} {} {}",
            u.username,
            u.display_name,
            u.role.code(),
            u.active
        );
    }
    let mut clients = BTreeMap::new();
    for u in users
        .iter()
        .filter(|u| matches!(u.role, Role::Therapist | Role::Supervisor))
    {
        for c in store.caseload(&actor, u.id).await? {
            clients.insert(c.code.clone(), c.id);
        }
    }
    for (code, id) in clients {
        let c = store.client(&actor, id).await?;
        let d = &c.details;
        let co = c.co_therapist.map(|x| name(&x)).unwrap_or_default();
        let _ = writeln!(
            text,
            "client {code} {} {:?} {:?} {} {co}",
            d.name,
            d.contact,
            d.date_of_birth,
            name(&c.lead_therapist)
        );
        for course in store.courses(&actor, id).await? {
            let _ = writeln!(
                text,
                " course {} {} {}",
                course.modality, course.protocol, course.started_on
            );
            for s in store.sessions(&actor, course.id).await? {
                let _ = writeln!(
                    text,
                    "  session {} {} {} {:?} {:?}",
                    s.number,
                    s.kind.code(),
                    s.scheduled_at,
                    s.held_at,
                    s.readiness_override
                );
            }
        }
        // Lines are sorted: rows with equal times come back in id order, and ids
        // are random, so the database's order is not part of the content.
        let mut measures = Vec::new();
        for a in store.administrations(&actor, id).await? {
            let mut line = String::new();
            let _ = writeln!(
                line,
                " measure {} {:?} {} v{} {} [{}] {:?} {:?} {} {} {:?} {:?} {}",
                a.administered_at,
                a.time_point,
                a.instrument,
                a.instrument_version,
                a.respondent.code(),
                encode_responses(&a.responses),
                a.total,
                a.band,
                a.complete,
                a.prorated,
                a.wording_pack,
                a.wording_kind,
                a.completed_via.code()
            );
            measures.push(line);
        }
        measures.sort();
        text.extend(measures);
    }
    for u in &users {
        for a in store.alerts_for(&actor, u.id, false).await? {
            let _ = writeln!(
                text,
                "alert {} {} {} {} {}",
                name(&u.id),
                a.kind.code(),
                a.severity.code(),
                a.status.code(),
                a.message
            );
        }
    }
    Ok(hex::encode(Sha256::digest(text.as_bytes())))
}
