//! The contract suite on PostgreSQL. Needs `ATTUNE_TEST_DATABASE_URL`, a URL
//! whose role may create databases (`.ci/run` starts a server and sets it).
//! Without it the tests skip locally, and fail under `CI=true`.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use attune_store::Store;
use attune_store::audit::Verification;
use attune_store::crypto::Cipher;
use attune_store_sql::PostgresStore;
use attune_store_tests as contract;
use uuid::Uuid;

/// A fresh database for one test (left behind: the CI server is thrown away,
/// and a developer's can be cleaned with `DROP DATABASE attune_test_...`).
/// Nothing to keep alive beside the store, hence the `()`.
async fn fresh() -> Option<(PostgresStore, ())> {
    let Ok(admin_url) = std::env::var("ATTUNE_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "ATTUNE_TEST_DATABASE_URL must be set under CI: PostgreSQL tests may not skip"
        );
        eprintln!("skipping: ATTUNE_TEST_DATABASE_URL is not set");
        return None;
    };
    let name = format!("attune_test_{}", Uuid::now_v7().simple());
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .expect("connect to ATTUNE_TEST_DATABASE_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let base = admin_url.split('?').next().unwrap();
    let url = format!("{}/{name}", &base[..base.rfind('/').unwrap()]);
    let store = PostgresStore::connect(&url, Cipher::generate().unwrap().1)
        .await
        .unwrap();
    Some((store, ()))
}

attune_store_tests::contract_suite!(fresh);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_key_from_many_tasks_at_once_is_stored_once() {
    let Some((store, ())) = fresh().await else {
        return;
    };
    let store = Arc::new(store);
    let ana = contract::therapist(&*store, "ana").await;
    let c = contract::client(&*store, "C-0001", ana.id).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .submit(&contract::admin(), contract::submission("same", c.id))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut created = 0;
    for t in tasks {
        created += usize::from(t.await.unwrap().created);
    }
    assert_eq!(created, 1);
    assert_eq!(
        store
            .administrations(&contract::admin(), c.id)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_audit_row_is_detected() {
    let Some((store, ())) = fresh().await else {
        return;
    };
    let ana = contract::therapist(&store, "ana").await;
    contract::client(&store, "C-0001", ana.id).await;
    assert!(
        store
            .raw_execute("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2")
            .await
            .is_err()
    );
    let c = store.caseload(&contract::admin(), ana.id).await.unwrap()[0].id;
    store
        .submit(&contract::admin(), contract::submission("k", c))
        .await
        .unwrap();
    assert!(
        store
            .raw_execute("UPDATE administrations SET total = 0")
            .await
            .is_err(),
        "clinical rows are append-only"
    );
    assert!(
        store
            .raw_execute("DELETE FROM administrations")
            .await
            .is_err()
    );
    store
        .raw_execute("ALTER TABLE audit_log DISABLE TRIGGER audit_append_only; UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2")
        .await
        .unwrap();
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        Verification::Broken { seq: 2, .. }
    ));
}
