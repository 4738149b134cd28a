//! Envelope encryption of sensitive fields (names, contact details, dates of
//! birth, free text) with XChaCha20-Poly1305. The key lives in a file outside
//! the database; each value is bound to its record and field through the
//! associated data, so a ciphertext moved to another row does not decrypt.

use std::fmt;
use std::fs;
use std::path::Path;

use attune_data_dir::Existing;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::StoreError;

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// A format byte in front of each ciphertext, so that the scheme can change later.
const VERSION: u8 = 1;

/// The data key. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct Cipher {
    aead: XChaCha20Poly1305,
}

impl fmt::Debug for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cipher(<redacted>)")
    }
}

impl Cipher {
    pub fn from_key(key: &[u8; KEY_LEN]) -> Cipher {
        Cipher {
            aead: XChaCha20Poly1305::new(Key::from_slice(key)),
        }
    }

    /// A fresh random key (tests, and first run).
    pub fn generate() -> Result<([u8; KEY_LEN], Cipher), StoreError> {
        let mut key = [0u8; KEY_LEN];
        getrandom::fill(&mut key)
            .map_err(|e| StoreError::KeyFile(format!("no randomness: {e}")))?;
        let cipher = Cipher::from_key(&key);
        Ok((key, cipher))
    }

    /// Loads the key file, creating it (mode 0600) on first run.
    pub fn load_or_create(path: &Path) -> Result<Cipher, StoreError> {
        match fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| {
                    StoreError::KeyFile(format!("{} is not a key file", path.display()))
                })?;
                let raw = hex::decode(text.trim()).map_err(|_| {
                    StoreError::KeyFile(format!("{} is not a key file", path.display()))
                })?;
                let key: [u8; KEY_LEN] = raw.try_into().map_err(|_| {
                    StoreError::KeyFile(format!(
                        "{} holds a key of the wrong length",
                        path.display()
                    ))
                })?;
                Ok(Cipher::from_key(&key))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let (key, cipher) = Cipher::generate()?;
                write_private(path, hex::encode(key).as_bytes())?;
                Ok(cipher)
            }
            Err(e) => Err(StoreError::KeyFile(format!(
                "reading {}: {e}",
                path.display()
            ))),
        }
    }

    /// Encrypts `plain`, bound to `context` (e.g. "client/<id>/name").
    pub fn seal(&self, context: &str, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| StoreError::KeyFile(format!("no randomness: {e}")))?;
        let sealed = self
            .aead
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| StoreError::Crypto {
                what: context.to_owned(),
            })?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        let fail = || StoreError::Crypto {
            what: context.to_owned(),
        };
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != VERSION {
            return Err(fail());
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
        self.aead
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| fail())
    }

    pub fn seal_str(&self, context: &str, plain: &str) -> Result<Vec<u8>, StoreError> {
        self.seal(context, plain.as_bytes())
    }

    pub fn open_str(&self, context: &str, sealed: &[u8]) -> Result<String, StoreError> {
        String::from_utf8(self.open(context, sealed)?).map_err(|_| StoreError::Crypto {
            what: context.to_owned(),
        })
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    attune_data_dir::write_private(path, bytes, Existing::Keep)
        .map_err(|e| StoreError::KeyFile(format!("creating {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding_to_context() {
        let (_, c) = Cipher::generate().unwrap();
        let sealed = c.seal_str("client/1/name", "Ada").unwrap();
        assert_eq!(c.open_str("client/1/name", &sealed).unwrap(), "Ada");
        assert!(
            c.open_str("client/2/name", &sealed).is_err(),
            "moved to another row"
        );
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(c.open_str("client/1/name", &tampered).is_err());
        let (_, other) = Cipher::generate().unwrap();
        assert!(
            other.open_str("client/1/name", &sealed).is_err(),
            "wrong key"
        );
        assert_ne!(
            c.seal_str("x", "same").unwrap(),
            c.seal_str("x", "same").unwrap(),
            "fresh nonce each time"
        );
        assert_eq!(format!("{c:?}"), "Cipher(<redacted>)");
    }

    #[test]
    fn key_file_is_created_private_and_reloaded() {
        let dir = std::env::temp_dir().join(format!("attune-key-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key");
        let a = Cipher::load_or_create(&path).unwrap();
        let sealed = a.seal_str("f", "secret").unwrap();
        let b = Cipher::load_or_create(&path).unwrap();
        assert_eq!(b.open_str("f", &sealed).unwrap(), "secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        fs::write(&path, "not hex").unwrap();
        assert!(matches!(
            Cipher::load_or_create(&path),
            Err(StoreError::KeyFile(_))
        ));
        let _ = fs::remove_dir_all(&dir);
    }
}
