//! The data directory's share of the library: instruments and wording packs a
//! clinic installed. Files are read here; validation happens in the library.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use attune_data_dir::DataDir;
use attune_instruments::Library;

/// Installed files are small; anything larger is not a definition.
const MAX_FILE: u64 = 1024 * 1024;

/// The built-in library plus everything installed in `dir`.
pub fn load(dir: &Path) -> Result<Library> {
    let mut lib = Library::builtin().context("loading the built-in library")?;
    let data = DataDir::new(dir);
    for path in toml_files(&data.instruments())? {
        let text = read(&path)?;
        lib.add_instrument(&path.display().to_string(), &text)?;
    }
    for path in toml_files(&data.wording())? {
        let text = read(&path)?;
        lib.add_wording(&path.display().to_string(), &text)?;
    }
    Ok(lib)
}

/// Reads a file a user named, refusing what cannot be a definition.
pub fn read(path: &Path) -> Result<String> {
    let meta = fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.len() > MAX_FILE {
        bail!(
            "{}: larger than 1 MiB; not a definition file",
            path.display()
        );
    }
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("listing {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    // A stable order, so that the same directory always loads the same way.
    files.sort();
    Ok(files)
}

pub enum Kind {
    Instrument,
    Wording,
}

/// Stores a validated file in the data directory under `name`, atomically
/// (the same code the admin page installs packs with).
pub fn install(dir: &Path, kind: Kind, name: &str, text: &str) -> Result<PathBuf> {
    let data = DataDir::new(dir);
    let folder = match kind {
        Kind::Instrument => data.instruments(),
        Kind::Wording => data.wording(),
    };
    attune_data_dir::install(&folder, name, text)
        .with_context(|| format!("installing {name} in {}", folder.display()))
}
