//! The store's error: what went wrong, in terms a caller can act on.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{what} not found")]
    NotFound { what: String },
    /// A unique value already taken, or an idempotency key reused for a different request.
    #[error("conflict: {what}")]
    Conflict { what: String },
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
    /// Sensitive data could not be decrypted: wrong key, or the row was altered.
    #[error("cannot decrypt {what}: wrong key or altered data")]
    Crypto { what: String },
    #[error("key file: {0}")]
    KeyFile(String),
    /// The database itself failed; the message never contains client data.
    #[error("database error: {0}")]
    Backend(String),
}

impl StoreError {
    pub fn not_found(what: impl Into<String>) -> Self {
        StoreError::NotFound { what: what.into() }
    }

    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
