//! Attune's instruments: definitions (TOML), wording packs, scoring and
//! interpretation. Pure: no IO, no SQL, no HTTP, no wire formats.
//!
//! The path of a score: text → [`Instrument::parse`] (validated definition) →
//! [`Responses::parse`] (answers checked against the scales and skip logic) →
//! [`score`] → [`compare`] for two administrations.

mod builtin;
mod categories;
mod change;
pub mod definition;
mod error;
mod instrument;
mod library;
mod responses;
mod safety;
mod score;
mod validate;
mod wording;

pub use change::{
    ChangeCategory, ClinicalBasis, ClinicalChange, Comparison, RCI_CRITICAL, RciBasis,
    ReliableChange, compare,
};
pub use error::{CompareError, DefinitionError, ResponseError, UnknownInstrument};
pub use instrument::{Instrument, Range};
pub use library::Library;
pub use responses::{ItemStatus, Responses};
pub use safety::{FindingLevel, SafetyFinding};
pub use score::{CategoryValue, ItemScore, PercentOfMax, SCORER_VERSION, Score, score};
pub use wording::{WordingKind, WordingPack, WordingPackDef, WordingRef};
