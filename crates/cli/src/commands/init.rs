//! `attune init`.

use std::path::Path;

use anyhow::Result;

use crate::record;

pub async fn run(dir: &Path, url: Option<&str>) -> Result<()> {
    let created = record::init(dir, url).await?;
    let backend = if url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    if created {
        println!(
            "initialised {} ({backend}); the key file {}/{} encrypts identifying data: back it up separately",
            dir.display(),
            dir.display(),
            attune_data_dir::KEY
        );
    } else {
        println!(
            "{} is already initialised ({backend}); schema is up to date",
            dir.display()
        );
    }
    Ok(())
}
