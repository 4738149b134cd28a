//! Nonverbal synchrony from motion-energy series, as psychotherapy research
//! computes it (rMEA 1.3.0: Kleinbub & Ramseyer 2020), in two modes:
//!
//! - [`Mode::RmeaCompatible`] reproduces rMEA's numbers, quirks included
//!   (each documented where it is reproduced);
//! - [`Mode::Fixed`], the default, makes the same computation without them.
//!
//! Missing samples are `f64::NAN`, as R's `NA`. Pure: no IO.

mod analysis;
mod ccf;
mod error;
mod profile;
mod series;
mod smooth;
mod summary;
pub mod surrogates;

pub use analysis::{Analysis, Settings, analyse, prepare};
pub use ccf::{CcfParams, CcfResult, ccf};
pub use error::SynchronyError;
pub use profile::{MovementProfile, profile};
pub use series::{Dyad, parse_mea};
pub use smooth::{scale_by_sd, smooth};
pub use summary::{Summary, summarise};

/// Reproduce rMEA 1.3.0 exactly, or compute without its quirks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    RmeaCompatible,
    #[default]
    Fixed,
}
