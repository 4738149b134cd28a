//! The data directory: where everything of one Attune installation lives on
//! disk, and the one way files are written there.
//!
//! ```text
//! <data dir>/            0700
//!   key                  0600  the data key (hex); never in the database
//!   attune.db            0600  the SQLite record (with -wal and -shm beside it)
//!   attune.toml          0600  settings written by `attune init` (database URL)
//!   instruments/*.toml         instrument definitions a clinic added
//!   wording/*.toml             wording packs a clinic installed
//!   media/                     session videos (see attune-media)
//! ```
//!
//! Writes are private (files 0600, folders 0700) and atomic: the bytes go to
//! a temporary file in the same folder, are synced, and the file takes its
//! name whole, so that a crash never leaves half a key, setting or pack.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The file holding the data key.
pub const KEY: &str = "key";
/// The SQLite database file.
pub const DATABASE: &str = "attune.db";
/// Settings written by `attune init`.
pub const SETTINGS: &str = "attune.toml";
const INSTRUMENTS: &str = "instruments";
const WORDING: &str = "wording";
const MEDIA: &str = "media";

/// A data directory (which may not exist yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// Creates the directory (0700) if it does not exist and makes it private.
    pub fn create(root: impl Into<PathBuf>) -> io::Result<DataDir> {
        let dir = DataDir::new(root);
        create_private_dir(&dir.root)?;
        Ok(dir)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Initialised: it holds a key file.
    pub fn is_initialised(&self) -> bool {
        self.key().exists()
    }

    pub fn key(&self) -> PathBuf {
        self.root.join(KEY)
    }

    pub fn database(&self) -> PathBuf {
        self.root.join(DATABASE)
    }

    pub fn settings(&self) -> PathBuf {
        self.root.join(SETTINGS)
    }

    pub fn instruments(&self) -> PathBuf {
        self.root.join(INSTRUMENTS)
    }

    pub fn wording(&self) -> PathBuf {
        self.root.join(WORDING)
    }

    pub fn media(&self) -> PathBuf {
        self.root.join(MEDIA)
    }
}

/// Whether a write may replace a file that is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse (`AlreadyExists`): keys and installed packs are never replaced.
    Keep,
    Replace,
}

/// Creates `dir` and its parents, and makes `dir` private (0700).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    restrict(dir, 0o700)
}

/// Writes `bytes` to `path` privately (0600) and atomically: a temporary file
/// beside it is written and synced, then takes the name whole. With
/// [`Existing::Keep`] an existing file is left as it is and the write fails
/// with `AlreadyExists`, even when two processes race for the name.
pub fn write_private(path: &Path, bytes: &[u8], existing: Existing) -> io::Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "a file path needs a file name")
    })?;
    if existing == Existing::Keep && path.exists() {
        return Err(already_exists(path));
    }
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = folder.join(tmp_name);
    let written = write_synced(&tmp, bytes).and_then(|()| match existing {
        // A hard link fails if the name is taken: no check-then-write race.
        Existing::Keep => fs::hard_link(&tmp, path).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => already_exists(path),
            _ => e,
        }),
        Existing::Replace => fs::rename(&tmp, path),
    });
    // After a rename the temporary name is gone; after a link or a failure it
    // is removed here.
    let _ = fs::remove_file(&tmp);
    written?;
    sync_dir(folder)
}

/// Installs `text` as `<folder>/<name>.toml` (creating the folder), never
/// replacing a file; `name` must be a plain file name (letters, digits,
/// `-`, `_`, `.`; not starting with a dot), so that nothing is written
/// outside `folder`.
pub fn install(folder: &Path, name: &str, text: &str) -> io::Result<PathBuf> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !plain {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("'{name}' cannot be a file name"),
        ));
    }
    create_private_dir(folder)?;
    let target = folder.join(format!("{name}.toml"));
    write_private(&target, text.as_bytes(), Existing::Keep)?;
    Ok(target)
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn already_exists(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{} already exists", path.display()),
    )
}

/// Makes a rename durable: the folder's entry is on disk too.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_: &Path, _: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("attune-data-dir-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn layout_and_private_folder() {
        let dir = DataDir::create(scratch("layout").join("nested")).unwrap();
        assert!(dir.root().is_dir());
        assert!(!dir.is_initialised());
        assert_eq!(dir.key(), dir.root().join("key"));
        assert_eq!(dir.database(), dir.root().join("attune.db"));
        assert_eq!(dir.wording(), dir.root().join("wording"));
        #[cfg(unix)]
        assert_eq!(mode(dir.root()), 0o700);
    }

    #[test]
    fn writes_are_private_whole_and_keep_or_replace() {
        let dir = DataDir::create(scratch("writes")).unwrap();
        let key = dir.key();
        write_private(&key, b"first", Existing::Keep).unwrap();
        #[cfg(unix)]
        assert_eq!(mode(&key), 0o600);
        let again = write_private(&key, b"second", Existing::Keep).unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&key).unwrap(), b"first");
        write_private(&key, b"third", Existing::Replace).unwrap();
        assert_eq!(fs::read(&key).unwrap(), b"third");
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.root())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["key"]);
    }

    #[test]
    fn installs_once_and_never_outside_its_folder() {
        let dir = scratch("install");
        let path = install(&dir, "gad7-en-official", "id = 1").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "id = 1");
        let again = install(&dir, "gad7-en-official", "id = 2").unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        for bad in ["../x", "a/b", "", ".hidden"] {
            assert!(install(&dir, bad, "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_write_into_a_missing_folder_fails_cleanly() {
        let missing = scratch("missing").join("no").join("file");
        assert!(write_private(&missing, b"x", Existing::Replace).is_err());
    }
}
