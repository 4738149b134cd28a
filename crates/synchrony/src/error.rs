use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum SynchronyError {
    #[error("line {line}: {reason}")]
    Parse { line: usize, reason: String },
    #[error("the two series differ in length ({s1} and {s2} samples)")]
    LengthMismatch { s1: usize, s2: usize },
    #[error("{field} must be {expected}, got {got}")]
    Parameter {
        field: &'static str,
        expected: &'static str,
        got: String,
    },
    #[error(
        "the series ({samples} samples) are too short for one window of {needed} samples (window + lag)"
    )]
    TooShort { samples: usize, needed: usize },
    #[error(
        "window {window} has more than half of its samples missing: rMEA 1.3.0 stops with an error here (use the fixed mode for an all-missing row)"
    )]
    RmeaMissingWindow { window: usize },
}
