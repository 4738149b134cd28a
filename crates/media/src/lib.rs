//! The media store: where session videos wait for analysis, and how long.
//! Files live in one private folder (0700, files 0600), under random keys
//! that say nothing about the client; the record keeps who a key belongs
//! to. A file is written under a temporary name and renamed only when it is
//! complete and on disk, so a key never names half a video. Files are never
//! served over HTTP: the worker reads them by path, and retention deletes them.
//!
//! DESIGN.md names `object_store` for this; a local folder needs four file
//! operations, so they are written here (an S3 backend can implement the
//! same three calls behind a feature when a deployment needs one).

mod error;
mod local;

pub use error::MediaError;
pub use local::{LocalMedia, Stored, Upload};
