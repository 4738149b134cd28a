//! One integration-test binary for the demo crate: the model's promises on a
//! large cohort, and the clinic written to a real SQLite store.
#![allow(clippy::unwrap_used)]

mod clinic;
mod model;
