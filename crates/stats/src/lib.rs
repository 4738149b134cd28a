//! Statistics for cohort analytics. Pure: numbers in, numbers out.

pub mod correlation;

pub use correlation::{Correlation, pearson};
