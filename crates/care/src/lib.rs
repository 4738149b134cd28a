//! The clinical domain of Attune. Pure: no IO, no SQL, no HTTP, no wire formats.
//!
//! Data: [`intake`], [`course`], [`facts`] (what the rules read of a
//! course, however the caller holds it). Rules: [`contraindications`],
//! [`alliance`] (trajectory, ruptures, repairs, gap), [`readiness`] (the
//! review before a medicine session), [`alerts`] (what raises one,
//! de-duplication, life cycle). The workflow: [`measure`] (answers → scored
//! administration with every alert), [`review`] (the readiness review of one
//! dose, read from the record). [`codes`]: the one text mapping of every
//! stored code.

pub mod alerts;
pub mod alliance;
pub mod codes;
pub mod contraindications;
pub mod course;
pub mod facts;
pub mod intake;
pub mod measure;
pub mod readiness;
pub mod review;

pub use codes::Code;
