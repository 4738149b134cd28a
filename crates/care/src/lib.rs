//! The clinical domain of Attune. Pure: no IO, no SQL, no HTTP, no wire formats.
//!
//! Data: [`intake`], [`course`]. Rules: [`contraindications`], [`alliance`]
//! (trajectory, ruptures, repairs, gap), [`readiness`] (the review before a
//! medicine session), [`alerts`].

pub mod alerts;
pub mod alliance;
pub mod contraindications;
pub mod course;
pub mod intake;
pub mod readiness;
