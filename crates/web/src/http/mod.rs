//! HTTP plumbing every route passes through: the error type and its
//! responses (`error`), security headers (`headers`), the request time limit
//! (`timeout`), request ids and logs (`trace`), embedded assets (`assets`).
//! Knows nothing of clinical records.

pub mod assets;
pub mod error;
pub mod headers;
pub mod timeout;
pub mod trace;
