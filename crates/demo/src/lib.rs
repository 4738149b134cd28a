//! The demo clinic: a synthetic clinic generated from a documented model
//! ([`model`]) in which the alliance truly influences outcome, written through
//! the real `Store` with real scores and real alerts ([`clinic`]).
//! Reproducible: the same seed and reference date give the same records.

pub mod clinic;
mod digest;
mod documents;
mod items;
pub mod model;
mod rng;
mod video;

pub use clinic::{DemoConfig, DemoError, STAFF, Summary, create_staff, generate};
pub use digest::digest;
pub use rng::Rng;
