//! Installing a wording pack file: written under a temporary name, synced,
//! then renamed into place, so that a pack folder never holds half a file.
//! The CLI's `instruments add-wording` and the admin page both use it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `text` as `<folder>/<name>.toml`; refuses to replace a file.
pub fn install(folder: &Path, name: &str, text: &str) -> std::io::Result<PathBuf> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        || name.starts_with('.')
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("'{name}' cannot be a file name"),
        ));
    }
    fs::create_dir_all(folder)?;
    let target = folder.join(format!("{name}.toml"));
    if target.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", target.display()),
        ));
    }
    let tmp = folder.join(format!(".{name}.toml.tmp"));
    let mut file = fs::File::create(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, &target)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_once_and_never_outside_its_folder() {
        let dir = std::env::temp_dir().join(format!("attune-packs-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = install(&dir, "gad7-en-official", "id = 1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("id = 1"));
        let again = install(&dir, "gad7-en-official", "id = 2").map(|_| ());
        assert_eq!(
            again.map_err(|e| e.kind()),
            Err(std::io::ErrorKind::AlreadyExists)
        );
        for bad in ["../x", "a/b", "", ".hidden"] {
            assert!(install(&dir, bad, "x").is_err(), "{bad}");
        }
    }
}
