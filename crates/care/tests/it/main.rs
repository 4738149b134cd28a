//! Table-driven tests of the clinical rules.
#![allow(clippy::unwrap_used)]

mod alerts;
mod alliance;
mod contraindications;
mod protocol;
mod readiness;
