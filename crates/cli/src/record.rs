//! Opening the clinical record a data directory points at: SQLite in the
//! directory by default, or PostgreSQL when `database_url` is set (flag,
//! `ATTUNE_DATABASE_URL`, or `attune.toml` written by `attune init`).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use attune_data_dir::{DataDir, Existing};
use attune_store::crypto::Cipher;
use attune_store_sql::PostgresStore;
use attune_store_sql::SqliteStore;
use serde::{Deserialize, Serialize};

/// The backend behind a data directory.
pub enum Backend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// Runs `$body` with `$s` bound to whichever store `$backend` holds: each
/// command is written once, generically over `Store`.
macro_rules! with_store {
    ($backend:expr, $s:ident => $body:expr) => {
        match $backend {
            $crate::record::Backend::Sqlite($s) => $body,
            $crate::record::Backend::Postgres($s) => $body,
        }
    };
}
pub(crate) use with_store;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
}

pub fn database_path(dir: &Path) -> PathBuf {
    DataDir::new(dir).database()
}

fn read_config(dir: &Path) -> Result<Config> {
    let path = DataDir::new(dir).settings();
    if !path.exists() {
        return Ok(Config::default());
    }
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("reading {}", path.display()))
}

/// Opens the record of an initialised data directory.
pub async fn open(dir: &Path, url: Option<&str>) -> Result<Backend> {
    if !DataDir::new(dir).is_initialised() {
        bail!(
            "{} is not an Attune data directory (no key file): run `attune init --data-dir {}`",
            dir.display(),
            dir.display()
        );
    }
    connect(dir, url).await
}

async fn connect(dir: &Path, url: Option<&str>) -> Result<Backend> {
    let config = read_config(dir)?;
    let cipher = Cipher::load_or_create(&DataDir::new(dir).key())?;
    match url.map(str::to_owned).or(config.database_url) {
        None => Ok(Backend::Sqlite(
            SqliteStore::open(&database_path(dir), cipher).await?,
        )),
        Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
            Ok(Backend::Postgres(PostgresStore::connect(&u, cipher).await?))
        }
        Some(_) => bail!(
            "unsupported database URL: only postgres:// URLs are supported (SQLite needs none)"
        ),
    }
}

/// Creates a data directory (0700), its key file (0600) and the database, or
/// confirms one that exists. Returns whether anything was created.
pub async fn init(dir: &Path, url: Option<&str>) -> Result<bool> {
    let data = DataDir::create(dir).with_context(|| format!("creating {}", dir.display()))?;
    let fresh = !data.is_initialised();
    if let Some(u) = url {
        let text = toml::to_string(&Config {
            database_url: Some(u.to_owned()),
        })?;
        let path = data.settings();
        attune_data_dir::write_private(&path, text.as_bytes(), Existing::Replace)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let backend = connect(dir, url).await?;
    with_store!(backend, s => s.close().await);
    Ok(fresh)
}
