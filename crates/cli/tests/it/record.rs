//! `init`, `user`, `backup`, `restore` and `audit verify` on the real binary.

use std::path::Path;

use attune_store::Store;
use attune_store::crypto::Cipher;
use attune_store_sql::SqliteStore;
use attune_store_tests as fixture;

use super::*;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn open(dir: &Path) -> SqliteStore {
    SqliteStore::open(
        &dir.join("attune.db"),
        Cipher::load_or_create(&dir.join("key")).unwrap(),
    )
    .await
    .unwrap()
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let o = attune_in(dir, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn init_creates_a_private_directory_and_is_safe_to_repeat() {
    let dir = data_dir().join("clinic");
    let out = run_ok(&dir, &["init"]);
    assert!(out.starts_with("initialised"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("key")), 0o600);
    }
    let key = std::fs::read(dir.join("key")).unwrap();
    assert!(run_ok(&dir, &["init"]).contains("already initialised"));
    assert_eq!(
        std::fs::read(dir.join("key")).unwrap(),
        key,
        "the key is never replaced"
    );
}

#[test]
fn commands_on_an_uninitialised_directory_say_how_to_fix_it() {
    let dir = data_dir().join("nothing-here");
    let err = fails(&dir, &["user", "list"]);
    assert!(
        err.contains("is not an Attune data directory") && err.contains("attune init"),
        "{err}"
    );
}

#[test]
fn staff_accounts() {
    let dir = data_dir();
    run_ok(&dir, &["init"]);
    let out = run_ok(
        &dir,
        &[
            "user",
            "add",
            "ana",
            "--role",
            "therapist",
            "--name",
            "Ana Reyes",
        ],
    );
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .unwrap();
    assert_eq!(password.len(), 20);
    let err = fails(
        &dir,
        &["user", "add", "ana", "--role", "admin", "--name", "Other"],
    );
    assert!(err.contains("username 'ana' is taken"), "{err}");
    let err = fails(
        &dir,
        &["user", "add", "bo", "--role", "king", "--name", "Bo"],
    );
    assert!(err.contains("--role is one of"), "{err}");
    run_ok(&dir, &["user", "disable", "ana"]);
    let v: serde_json::Value =
        serde_json::from_str(&run_ok(&dir, &["user", "list", "--json"])).unwrap();
    assert_eq!(v[0]["username"], "ana");
    assert_eq!(v[0]["active"], false);
    assert!(
        !run_ok(&dir, &["user", "list"]).contains(password),
        "passwords are never listed"
    );
    let stored =
        rt().block_on(async { open(&dir).await.credentials("ana").await.unwrap().unwrap() });
    assert!(stored.password_hash.starts_with("$argon2id$"));
}

#[test]
fn backup_then_restore_into_a_new_directory_gives_the_same_records() {
    let src = data_dir();
    run_ok(&src, &["init"]);
    let (client, counts) = rt().block_on(async {
        let s = open(&src).await;
        let ana = fixture::therapist(&s, "ana").await;
        let c = fixture::client(&s, "C-0001", ana.id).await;
        for i in 0..5 {
            s.submit(
                &fixture::admin(),
                fixture::submission(&format!("k{i}"), c.id),
            )
            .await
            .unwrap();
        }
        s.close().await;
        (c, open(&src).await.counts().await.unwrap())
    });
    let snapshot = src.join("snapshot.db");
    run_ok(&src, &["backup", snapshot.to_str().unwrap()]);
    assert!(fails(&src, &["backup", snapshot.to_str().unwrap()]).contains("already exists"));

    let dst = data_dir().join("restored");
    let err = fails(&dst, &["restore", snapshot.to_str().unwrap()]);
    assert!(err.contains("--key"), "no key, no restore: {err}");
    // The wrong key is refused before anything is replaced.
    let wrong = data_dir().join("wrong");
    run_ok(&wrong, &["init"]);
    let err = fails(&wrong, &["restore", snapshot.to_str().unwrap(), "--force"]);
    assert!(err.contains("does not open this backup"), "{err}");
    let out = run_ok(
        &dst,
        &[
            "restore",
            snapshot.to_str().unwrap(),
            "--key",
            src.join("key").to_str().unwrap(),
        ],
    );
    assert!(out.contains("1 clients, 5 administrations"), "{out}");
    let (restored_client, restored_counts) = rt().block_on(async {
        let s = open(&dst).await;
        (
            s.client(&fixture::admin(), client.id).await.unwrap(),
            s.counts().await.unwrap(),
        )
    });
    assert_eq!(restored_client, client);
    // The restored copy has the same records; the read above added one audit event.
    assert_eq!(restored_counts.administrations, counts.administrations);
    assert_eq!(restored_counts.audit_events, counts.audit_events + 1);
    let err = fails(&dst, &["restore", snapshot.to_str().unwrap()]);
    assert!(err.contains("pass --force"), "{err}");
    let out = run_ok(&dst, &["restore", snapshot.to_str().unwrap(), "--force"]);
    assert!(out.contains("kept the previous record"), "{out}");
}

#[test]
fn audit_verify_detects_an_edited_row() {
    let dir = data_dir();
    run_ok(&dir, &["init"]);
    run_ok(
        &dir,
        &["user", "add", "ana", "--role", "therapist", "--name", "Ana"],
    );
    run_ok(
        &dir,
        &["user", "add", "ben", "--role", "therapist", "--name", "Ben"],
    );
    let out = run_ok(&dir, &["audit", "verify"]);
    assert_eq!(
        out.trim(),
        "audit log intact: 2 events, hash chain unbroken"
    );
    rt().block_on(async {
        open(&dir)
            .await
            .raw_execute("DROP TRIGGER audit_no_update; UPDATE audit_log SET origin = 'elsewhere' WHERE seq = 1")
            .await
            .unwrap();
    });
    let o = attune_in(&dir, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1), "a finding exits 1");
    assert!(
        stdout(&o).starts_with("AUDIT LOG BROKEN at event 1"),
        "{}",
        stdout(&o)
    );
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&attune_in(&dir, &["audit", "verify", "--json"]))).unwrap();
    assert_eq!(
        (v["intact"].as_bool(), v["event"].as_i64()),
        (Some(false), Some(1))
    );
}
