//! Test helper for the crash test: opens a SQLite store, then submits forever,
//! printing `ack KEY` only after each submission's commit returned. The test
//! kills it with SIGKILL and checks that every acknowledged key survived.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::PathBuf;

use attune_store::Store;
use attune_store::crypto::Cipher;
use attune_store_sql::SqliteStore;
use attune_store_tests::{admin, client, submission, therapist};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: submit-stream DIR"));
    let cipher = Cipher::load_or_create(&dir.join("key")).unwrap();
    let store = SqliteStore::open(&dir.join("attune.db"), cipher)
        .await
        .unwrap();
    let ana = therapist(&store, "ana").await;
    let c = client(&store, "C-0001", ana.id).await;
    let mut out = std::io::stdout().lock();
    writeln!(out, "client {}", c.id).unwrap();
    for i in 0.. {
        let key = format!("k{i}");
        store
            .submit(&admin(), submission(&key, c.id))
            .await
            .unwrap();
        writeln!(out, "ack {key}").unwrap();
        out.flush().unwrap();
    }
}
