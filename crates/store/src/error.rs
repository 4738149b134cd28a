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
    /// The database (or the encoding of a stored document) failed. Neither
    /// the context nor the source holds client data; the source is the
    /// original error (a `sqlx::Error`, boxed so that no sqlx type is in this
    /// API), for logs that print the cause chain.
    #[error("{context}")]
    Backend {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

/// An error with its causes, one line: "database error: connection refused".
pub fn report(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        line.push_str(": ");
        line.push_str(&e.to_string());
        cause = e.source();
    }
    line
}

impl StoreError {
    pub fn not_found(what: impl Into<String>) -> Self {
        StoreError::NotFound { what: what.into() }
    }

    /// A failure of the database or of encoding, with its cause.
    pub fn backend(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        StoreError::Backend {
            context: context.into(),
            source: source.into(),
        }
    }

    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
