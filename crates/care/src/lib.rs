//! The clinical domain of Attune. Pure: no IO, no SQL, no HTTP, no wire formats.
//!
//! Data: [`intake`], [`course`]. Rules: [`contraindications`], [`alliance`]
//! (trajectory, ruptures, repairs, gap), [`readiness`] (the review before a
//! medicine session), [`alerts`] (what raises one, de-duplication, life
//! cycle). The workflow: [`measure`] (answers → scored administration with
//! its alerts). [`codes`]: the one text mapping of every stored code.

pub mod alerts;
pub mod alliance;
pub mod codes;
pub mod contraindications;
pub mod course;
pub mod intake;
pub mod measure;
pub mod readiness;

pub use codes::Code;
