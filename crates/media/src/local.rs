//! The media store on a local folder.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::MediaError;

/// Temporary files of uploads in progress; anything left here at start-up
/// was interrupted and is removed.
const INCOMING: &str = "incoming";

#[derive(Debug, Clone)]
pub struct LocalMedia {
    root: PathBuf,
}

/// A file safely stored: its key, size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub bytes: u64,
    pub sha256: String,
}

/// An upload being written. Dropped unfinished, its partial file is removed.
pub struct Upload {
    file: Option<tokio::fs::File>,
    temp: PathBuf,
    key: String,
    root: PathBuf,
    bytes: u64,
    limit: u64,
    hash: Sha256,
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> MediaError + use<> {
    let path = path.to_owned();
    move |source| MediaError::Io { what, path, source }
}

#[cfg(unix)]
fn private(builder: &mut std::fs::DirBuilder) {
    use std::os::unix::fs::DirBuilderExt;
    builder.mode(0o700);
}

#[cfg(not(unix))]
fn private(_: &mut std::fs::DirBuilder) {}

impl LocalMedia {
    /// Opens (creating, private) the folder and clears interrupted uploads.
    pub fn open(root: &Path) -> Result<LocalMedia, MediaError> {
        let incoming = root.join(INCOMING);
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        private(&mut builder);
        builder
            .create(&incoming)
            .map_err(io("creating", &incoming))?;
        for entry in std::fs::read_dir(&incoming).map_err(io("listing", &incoming))? {
            let path = entry.map_err(io("listing", &incoming))?.path();
            std::fs::remove_file(&path).map_err(io("removing", &path))?;
        }
        Ok(LocalMedia {
            root: root.to_owned(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Starts an upload of at most `limit` bytes.
    pub async fn begin(&self, limit: u64) -> Result<Upload, MediaError> {
        let key = hex::encode(uuid::Uuid::new_v4().as_bytes());
        let temp = self.root.join(INCOMING).join(&key);
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let file = options.open(&temp).await.map_err(io("creating", &temp))?;
        Ok(Upload {
            file: Some(file),
            temp,
            key,
            root: self.root.clone(),
            bytes: 0,
            limit,
            hash: Sha256::new(),
        })
    }

    /// Where a stored file is, for reading it (keys are checked: no path
    /// outside the folder can be named).
    pub fn path(&self, key: &str) -> Result<PathBuf, MediaError> {
        if key.len() != 32 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(MediaError::BadKey(key.chars().take(40).collect()));
        }
        Ok(self.root.join(key))
    }

    /// Removes a file; a file already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), MediaError> {
        let path = self.path(key)?;
        match tokio::fs::remove_file(&path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io("removing", &path)(e)),
            _ => Ok(()),
        }
    }
}

impl Upload {
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), MediaError> {
        self.bytes += chunk.len() as u64;
        if self.bytes > self.limit {
            return Err(MediaError::TooLarge { limit: self.limit });
        }
        self.hash.update(chunk);
        let temp = &self.temp;
        match self.file.as_mut() {
            Some(f) => f.write_all(chunk).await.map_err(io("writing", temp)),
            None => Ok(()),
        }
    }

    /// Makes the file durable and gives it its key.
    pub async fn finish(mut self) -> Result<Stored, MediaError> {
        if self.bytes == 0 {
            return Err(MediaError::Empty);
        }
        let Some(mut file) = self.file.take() else {
            return Err(MediaError::Empty);
        };
        file.flush().await.map_err(io("writing", &self.temp))?;
        file.sync_all().await.map_err(io("syncing", &self.temp))?;
        drop(file);
        let target = self.root.join(&self.key);
        tokio::fs::rename(&self.temp, &target)
            .await
            .map_err(io("renaming", &target))?;
        // The rename itself is on disk once the folder is synced.
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || std::fs::File::open(&root).and_then(|d| d.sync_all()))
            .await
            .map_err(|e| io("syncing", &self.root)(std::io::Error::other(e)))?
            .map_err(io("syncing", &self.root))?;
        Ok(Stored {
            key: std::mem::take(&mut self.key),
            bytes: self.bytes,
            sha256: hex::encode(self.hash.clone().finalize()),
        })
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("attune-media-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[tokio::test]
    async fn a_finished_upload_is_stored_under_its_key_with_its_hash() {
        let media = LocalMedia::open(&temp("finish")).unwrap();
        let mut up = media.begin(1000).await.unwrap();
        up.write(b"hello ").await.unwrap();
        up.write(b"world").await.unwrap();
        let stored = up.finish().await.unwrap();
        assert_eq!(stored.bytes, 11);
        // SHA-256("hello world"), a well-known value.
        assert_eq!(
            stored.sha256,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        let path = media.path(&stored.key).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello world");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir = std::fs::metadata(media.root())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir & 0o777, 0o700);
        }
        media.delete(&stored.key).await.unwrap();
        assert!(!path.exists());
        media.delete(&stored.key).await.unwrap();
    }

    #[tokio::test]
    async fn too_large_empty_or_abandoned_uploads_leave_nothing() {
        let root = temp("abandon");
        let media = LocalMedia::open(&root).unwrap();
        let mut up = media.begin(4).await.unwrap();
        assert!(matches!(
            up.write(b"12345").await,
            Err(MediaError::TooLarge { limit: 4 })
        ));
        drop(up);
        let empty = media.begin(4).await.unwrap();
        assert!(matches!(empty.finish().await, Err(MediaError::Empty)));
        let incoming: Vec<_> = std::fs::read_dir(root.join(INCOMING)).unwrap().collect();
        assert!(incoming.is_empty());
        let stored: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_file())
            .collect();
        assert!(stored.is_empty());
    }

    #[tokio::test]
    async fn an_interrupted_upload_is_cleared_at_the_next_start() {
        let root = temp("interrupted");
        let media = LocalMedia::open(&root).unwrap();
        let mut up = media.begin(100).await.unwrap();
        up.write(b"half").await.unwrap();
        std::mem::forget(up); // as if the process had died
        assert_eq!(std::fs::read_dir(root.join(INCOMING)).unwrap().count(), 1);
        LocalMedia::open(&root).unwrap();
        assert_eq!(std::fs::read_dir(root.join(INCOMING)).unwrap().count(), 0);
    }

    #[test]
    fn keys_cannot_name_anything_outside_the_folder() {
        let media = LocalMedia::open(&temp("keys")).unwrap();
        for bad in ["../key", "incoming", "", "0123456789abcdef0123456789abcdeg"] {
            assert!(
                matches!(media.path(bad), Err(MediaError::BadKey(_))),
                "{bad}"
            );
        }
        assert!(media.path("0123456789abcdef0123456789abcdef").is_ok());
    }
}
