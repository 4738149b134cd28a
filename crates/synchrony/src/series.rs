//! A dyad's two motion-energy series, and the MEA text format they come in.

use crate::SynchronyError;

/// Two motion-energy series of equal length at one sampling rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Dyad {
    /// Person 1 (by convention the client).
    pub s1: Vec<f64>,
    /// Person 2 (by convention the therapist).
    pub s2: Vec<f64>,
    /// Samples per second (the video's frame rate).
    pub rate: f64,
}

impl Dyad {
    pub fn new(s1: Vec<f64>, s2: Vec<f64>, rate: f64) -> Result<Dyad, SynchronyError> {
        if s1.len() != s2.len() {
            return Err(SynchronyError::LengthMismatch {
                s1: s1.len(),
                s2: s2.len(),
            });
        }
        if !(rate.is_finite() && rate > 0.0) {
            return Err(SynchronyError::Parameter {
                field: "sampling rate",
                expected: "a positive number",
                got: rate.to_string(),
            });
        }
        if s1.iter().chain(&s2).any(|v| v.is_infinite()) {
            return Err(SynchronyError::Parameter {
                field: "series",
                expected: "finite numbers or missing",
                got: "an infinite value".into(),
            });
        }
        Ok(Dyad { s1, s2, rate })
    }

    pub fn len(&self) -> usize {
        self.s1.len()
    }

    pub fn is_empty(&self) -> bool {
        self.s1.is_empty()
    }
}

/// Parses MEA software output as rMEA's `readMEA` reads it: an optional header
/// line, then whitespace- (or comma-) separated numeric columns, one row per
/// frame. Person 1 is the sum of columns `s1_cols`, person 2 of `s2_cols`
/// (1-based, e.g. head + body); a missing cell (`NA`) makes the sum missing.
pub fn parse_mea(
    text: &str,
    s1_cols: &[usize],
    s2_cols: &[usize],
    rate: f64,
) -> Result<Dyad, SynchronyError> {
    if s1_cols.is_empty() || s2_cols.is_empty() || s1_cols.iter().chain(s2_cols).any(|c| *c == 0) {
        return Err(SynchronyError::Parameter {
            field: "columns",
            expected: "1-based column numbers for each person",
            got: format!("{s1_cols:?} / {s2_cols:?}"),
        });
    }
    let needed = s1_cols.iter().chain(s2_cols).copied().max().unwrap_or(1);
    let (mut s1, mut s2) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|f| !f.is_empty())
            .collect();
        if fields.is_empty() {
            continue;
        }
        let parsed: Result<Vec<f64>, _> = fields
            .iter()
            .map(|f| {
                if *f == "NA" {
                    Ok(f64::NAN)
                } else {
                    f.parse::<f64>()
                }
            })
            .collect();
        let values = match parsed {
            Ok(v) => v,
            // A header line is allowed only before the first row of data.
            Err(_) if s1.is_empty() && i == 0 => continue,
            Err(_) => {
                return Err(SynchronyError::Parse {
                    line: i + 1,
                    reason: format!(
                        "not a number in '{}'",
                        line.chars().take(60).collect::<String>()
                    ),
                });
            }
        };
        if values.len() < needed {
            return Err(SynchronyError::Parse {
                line: i + 1,
                reason: format!("{} columns, column {needed} is needed", values.len()),
            });
        }
        if values.iter().any(|v| v.is_infinite()) {
            return Err(SynchronyError::Parse {
                line: i + 1,
                reason: "an infinite value".into(),
            });
        }
        s1.push(s1_cols.iter().map(|c| values[c - 1]).sum());
        s2.push(s2_cols.iter().map(|c| values[c - 1]).sum());
    }
    if s1.is_empty() {
        return Err(SynchronyError::Parse {
            line: 1,
            reason: "no rows of data".into(),
        });
    }
    Dyad::new(s1, s2, rate)
}
