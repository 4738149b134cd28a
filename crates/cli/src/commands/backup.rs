//! `attune backup FILE` and `attune restore FILE [--force]`, for the SQLite
//! record. (A PostgreSQL record is backed up with the server's own pg_dump.)

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use attune_data_dir::{DataDir, Existing};
use attune_store::Store;
use attune_store::audit::Verification;
use attune_store::crypto::Cipher;
use attune_store_sql::SqliteStore;
use time::OffsetDateTime;

use crate::record::{self, Backend};

pub async fn backup(dir: &Path, url: Option<&str>, file: &Path) -> Result<()> {
    match record::open(dir, url).await? {
        Backend::Sqlite(s) => {
            s.backup_to(file)
                .await
                .with_context(|| format!("backing up to {}", file.display()))?;
            println!(
                "backed up {} to {} (the key file is not in it: keep {} safe separately)",
                record::database_path(dir).display(),
                file.display(),
                attune_data_dir::KEY
            );
            Ok(())
        }
        Backend::Postgres(_) => {
            bail!("this record is on PostgreSQL: back it up with pg_dump, the server's own tool")
        }
    }
}

pub async fn restore(
    dir: &Path,
    url: Option<&str>,
    file: &Path,
    force: bool,
    key: Option<&Path>,
) -> Result<()> {
    if url.is_some() {
        bail!("restore works on the SQLite record; restore a PostgreSQL record with pg_restore");
    }
    if !file.is_file() {
        bail!("{}: no such backup file", file.display());
    }
    let db = record::database_path(dir);
    if db.exists() && !force {
        bail!(
            "{} exists; pass --force to replace it (the current record is kept beside it)",
            db.display()
        );
    }
    let data = DataDir::create(dir).with_context(|| format!("creating {}", dir.display()))?;
    let key_path = data.key();
    match (key_path.exists(), key) {
        (false, None) => bail!(
            "{} has no key file: pass --key with the key file of the backed-up data directory (a backup never contains it)",
            dir.display()
        ),
        (true, Some(_)) => bail!(
            "{} already has a key file; restore without --key",
            dir.display()
        ),
        (false, Some(k)) => {
            // Refuse a file that is not a key before it lands in the directory.
            Cipher::load_or_create(k)
                .with_context(|| format!("{} is not a key file", k.display()))?;
            let text = fs::read_to_string(k).with_context(|| format!("reading {}", k.display()))?;
            attune_data_dir::write_private(&key_path, text.as_bytes(), Existing::Keep)
                .with_context(|| format!("writing {}", key_path.display()))?;
        }
        (true, None) => {}
    }
    let cipher = Cipher::load_or_create(&key_path)?;
    // Check a copy before it replaces anything: it must open, the key must
    // decrypt it, and its audit chain must be intact.
    let staged = dir.join("attune.db.restoring");
    let _ = fs::remove_file(&staged);
    fs::copy(file, &staged).with_context(|| format!("copying {}", file.display()))?;
    let check = SqliteStore::open(&staged, cipher)
        .await
        .with_context(|| format!("{} is not an Attune backup", file.display()))?;
    if let Err(e) = check.check_key().await {
        check.close().await;
        let _ = fs::remove_file(&staged);
        bail!(
            "{}: the key in {} does not open this backup ({e}); not restored",
            file.display(),
            dir.display()
        );
    }
    let verdict = check.verify_audit().await?;
    let counts = check.counts().await?;
    check.close().await;
    if let Verification::Broken { seq, reason } = verdict {
        let _ = fs::remove_file(&staged);
        bail!(
            "{}: audit log broken at event {seq} ({reason}); not restored",
            file.display()
        );
    }
    if db.exists() {
        let stamp = OffsetDateTime::now_utc().unix_timestamp();
        let kept = dir.join(format!("attune.db.replaced-{stamp}"));
        fs::rename(&db, &kept)
            .with_context(|| format!("keeping the old record as {}", kept.display()))?;
        for side in ["attune.db-wal", "attune.db-shm"] {
            let _ = fs::rename(dir.join(side), dir.join(format!("{side}.replaced-{stamp}")));
        }
        println!("kept the previous record as {}", kept.display());
    }
    for side in ["attune.db.restoring-wal", "attune.db.restoring-shm"] {
        let _ = fs::remove_file(dir.join(side));
    }
    fs::rename(&staged, &db).with_context(|| format!("installing {}", db.display()))?;
    println!(
        "restored {}: {} users, {} clients, {} administrations, {} audit events",
        file.display(),
        counts.users,
        counts.clients,
        counts.administrations,
        counts.audit_events
    );
    Ok(())
}
