//! The contract suite on SQLite, plus what only SQLite has: a crash in the
//! middle of a stream of submissions, online backup, raw-file tampering.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use attune_store::Store;
use attune_store::audit::Verification;
use attune_store::crypto::Cipher;
use attune_store_sql::SqliteStore;
use attune_store_tests as contract;
use uuid::Uuid;

async fn fresh() -> Option<(SqliteStore, std::path::PathBuf)> {
    let dir = contract::temp_dir("sqlite");
    let cipher = Cipher::load_or_create(&dir.join("key")).unwrap();
    Some((
        SqliteStore::open(&dir.join("attune.db"), cipher)
            .await
            .unwrap(),
        dir,
    ))
}

attune_store_tests::contract_suite!(fresh);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sensitive_fields_are_not_in_the_file_in_clear() {
    let (store, dir) = fresh().await.unwrap();
    let ana = contract::therapist(&store, "ana").await;
    let c = contract::client(&store, "C-0001", ana.id).await;
    store
        .add_journal_entry(&contract::admin(), c.id, "Saw the lighthouse again today")
        .await
        .unwrap();
    let intake = attune_store::IntakeRecord {
        presenting_concerns: "Flashbacks of the flood".into(),
        ..Default::default()
    };
    store
        .save_intake(&contract::admin(), c.id, intake, None)
        .await
        .unwrap();
    store.close().await;
    let mut bytes = std::fs::read(dir.join("attune.db")).unwrap();
    bytes.extend(std::fs::read(dir.join("attune.db-wal")).unwrap_or_default());
    let hay = String::from_utf8_lossy(&bytes);
    assert!(
        hay.contains("C-0001"),
        "the pseudonymous code is plain (sanity check of this test)"
    );
    assert!(
        !hay.contains("Ada Example")
            && !hay.contains("ada@example.org")
            && !hay.contains("1985-03-14")
    );
    // The wrong key cannot read the client back.
    let other = Cipher::generate().unwrap().1;
    let reopened = SqliteStore::open(&dir.join("attune.db"), other)
        .await
        .unwrap();
    let id = reopened.caseload(&contract::admin(), ana.id).await.unwrap()[0].id;
    assert!(matches!(
        reopened.client(&contract::admin(), id).await,
        Err(attune_store::StoreError::Crypto { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_audit_row_is_detected() {
    let (store, _dir) = fresh().await.unwrap();
    let ana = contract::therapist(&store, "ana").await;
    let c = contract::client(&store, "C-0001", ana.id).await;
    store.client(&contract::admin(), c.id).await.unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap(),
        Verification::Intact { events: 3 }
    );
    // The log refuses edits through SQL ...
    assert!(
        store
            .raw_execute("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2")
            .await
            .is_err()
    );
    // ... and an attacker who drops the guard is still caught by the chain.
    store
        .raw_execute("DROP TRIGGER audit_no_update; UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2")
        .await
        .unwrap();
    match store.verify_audit().await.unwrap() {
        Verification::Broken { seq, reason } => {
            assert_eq!((seq, reason.contains("edited")), (2, true), "{reason}")
        }
        other => panic!("tampering not detected: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_audit_row_is_detected() {
    let (store, _dir) = fresh().await.unwrap();
    let ana = contract::therapist(&store, "ana").await;
    contract::client(&store, "C-0001", ana.id).await;
    store
        .raw_execute("DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE seq = 1")
        .await
        .unwrap();
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        Verification::Broken { seq: 2, .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clinical_records_cannot_be_changed_or_deleted() {
    let (store, _dir) = fresh().await.unwrap();
    let ana = contract::therapist(&store, "ana").await;
    let c = contract::client(&store, "C-0001", ana.id).await;
    store
        .submit(&contract::admin(), contract::submission("k", c.id))
        .await
        .unwrap();
    assert!(
        store
            .raw_execute("UPDATE administrations SET total = 0")
            .await
            .is_err()
    );
    assert!(
        store
            .raw_execute("DELETE FROM administrations")
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_backup_restores_the_same_records() {
    let (store, dir) = fresh().await.unwrap();
    let ana = contract::therapist(&store, "ana").await;
    let c = contract::client(&store, "C-0001", ana.id).await;
    for i in 0..20 {
        store
            .submit(
                &contract::admin(),
                contract::submission(&format!("k{i}"), c.id),
            )
            .await
            .unwrap();
    }
    let target = dir.join("backup.db");
    store.backup_to(&target).await.unwrap();
    assert!(store.backup_to(&target).await.is_err(), "never overwrites");
    let copy = SqliteStore::open(&target, Cipher::load_or_create(&dir.join("key")).unwrap())
        .await
        .unwrap();
    assert_eq!(copy.counts().await.unwrap(), store.counts().await.unwrap());
    let actor = contract::admin();
    assert_eq!(
        copy.client(&actor, c.id).await.unwrap(),
        store.client(&actor, c.id).await.unwrap()
    );
    assert_eq!(
        copy.administrations(&actor, c.id).await.unwrap(),
        store.administrations(&actor, c.id).await.unwrap()
    );
    assert!(matches!(
        copy.verify_audit().await.unwrap(),
        Verification::Intact { .. }
    ));
}

/// SIGKILL in the middle of a stream of submissions: every submission that
/// was acknowledged (its commit returned) is in the database afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_loses_nothing_acknowledged() {
    let dir = contract::temp_dir("crash");
    let mut child = Command::new(env!("CARGO_BIN_EXE_submit-stream"))
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let client: Uuid = lines
        .next()
        .unwrap()
        .unwrap()
        .strip_prefix("client ")
        .unwrap()
        .parse()
        .unwrap();
    let mut acked = Vec::new();
    while acked.len() < 300 {
        let line = lines.next().unwrap().unwrap();
        acked.push(line.strip_prefix("ack ").unwrap().to_owned());
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no checkpoint.
    // Whatever was printed before the kill was acknowledged too.
    for line in lines {
        match line {
            Ok(l) => acked.push(l.strip_prefix("ack ").unwrap().to_owned()),
            Err(_) => break,
        }
    }
    child.wait().unwrap();
    let store = SqliteStore::open(
        &dir.join("attune.db"),
        Cipher::load_or_create(&dir.join("key")).unwrap(),
    )
    .await
    .unwrap();
    let stored = store
        .administrations(&contract::admin(), client)
        .await
        .unwrap();
    let keys: std::collections::HashSet<&str> =
        stored.iter().map(|a| a.idempotency_key.as_str()).collect();
    let lost: Vec<&String> = acked
        .iter()
        .filter(|k| !keys.contains(k.as_str()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged submissions lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        Verification::Intact { .. }
    ));
}
