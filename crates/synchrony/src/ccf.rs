//! Windowed cross-lagged correlation (rMEA's `MEAccf`).
//!
//! Layout (facts file §1.6.1): windows of W samples, stepping by I, each with
//! lags −L..+L; window w uses samples w·I .. w·I + W + L. Cell (w, ℓ) is the
//! Pearson correlation of s1(t) with s2(t + ℓ): **a positive lag means s2
//! follows s1, "s1 leads"**. For ℓ < 0 the span starts |ℓ| samples later.

use crate::{Dyad, Mode, SynchronyError};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CcfParams {
    pub lag_sec: f64,
    pub window_sec: f64,
    pub step_sec: f64,
    /// Fisher's z of r, clamped to ±10 (rMEA's `r2Z`).
    pub fisher_z: bool,
    /// Absolute values (rMEA's `ABS`).
    pub absolute: bool,
    pub mode: Mode,
}

impl Default for CcfParams {
    /// rMEA's help-page example: ±5 s lags, 60 s windows, 30 s steps, |z|.
    fn default() -> Self {
        CcfParams {
            lag_sec: 5.0,
            window_sec: 60.0,
            step_sec: 30.0,
            fisher_z: true,
            absolute: true,
            mode: Mode::Fixed,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CcfResult {
    /// Window × lag matrix, row-major; `NAN` where undefined.
    pub cells: Vec<f64>,
    pub windows: usize,
    /// Lags in samples, −L..=L.
    pub max_lag: usize,
    pub window_samples: usize,
    pub step_samples: usize,
    pub rate: f64,
}

impl CcfResult {
    pub fn lags(&self) -> usize {
        2 * self.max_lag + 1
    }

    pub fn row(&self, w: usize) -> &[f64] {
        let n = self.lags();
        &self.cells[w * n..(w + 1) * n]
    }

    /// The lag of column `c`, in seconds.
    pub fn lag_seconds(&self, c: usize) -> f64 {
        (c as f64 - self.max_lag as f64) / self.rate
    }
}

/// Seconds to samples. rMEA indexes with the raw product (fractional indices
/// when fps · seconds is not whole); that is reproduced only for whole
/// products, and refused otherwise in the compatible mode.
fn samples(
    field: &'static str,
    sec: f64,
    rate: f64,
    mode: Mode,
    allow_zero: bool,
) -> Result<usize, SynchronyError> {
    let x = sec * rate;
    let bad = |expected| {
        Err(SynchronyError::Parameter {
            field,
            expected,
            got: sec.to_string(),
        })
    };
    if !x.is_finite() || x < 0.0 || (!allow_zero && x < 1.0) {
        return bad("a positive number of seconds, at least one sample long");
    }
    if mode == Mode::RmeaCompatible && (x - x.round()).abs() > 1e-9 {
        return bad("seconds × sampling rate whole (rMEA's fractional indexing is not reproduced)");
    }
    Ok(x.round() as usize)
}

pub fn ccf(d: &Dyad, p: &CcfParams) -> Result<CcfResult, SynchronyError> {
    let w = samples("window", p.window_sec, d.rate, p.mode, false)?;
    let l = samples("lag", p.lag_sec, d.rate, p.mode, true)?;
    let inc = samples("step", p.step_sec, d.rate, p.mode, false)?;
    let n = d.len();
    if n < w + l {
        return Err(SynchronyError::TooShort {
            samples: n,
            needed: w + l,
        });
    }
    let windows = (n - w - l + 1).div_ceil(inc);
    let cols = 2 * l + 1;
    let mut cells = vec![f64::NAN; windows * cols];
    for win in 0..windows {
        let start = win * inc;
        let span = start..start + w + l;
        let missing = |s: &[f64]| s[span.clone()].iter().filter(|v| v.is_nan()).count();
        if 2 * missing(&d.s1).max(missing(&d.s2)) > w + l {
            // rMEA means to emit an all-missing row here but fails instead.
            if p.mode == Mode::RmeaCompatible {
                return Err(SynchronyError::RmeaMissingWindow { window: win + 1 });
            }
            continue;
        }
        for (c, cell) in cells[win * cols..(win + 1) * cols].iter_mut().enumerate() {
            let lag = c as isize - l as isize;
            let (x, y) = if lag >= 0 {
                let lag = lag as usize;
                (&d.s1[start..start + w], &d.s2[start + lag..start + lag + w])
            } else {
                let lag = lag.unsigned_abs();
                (&d.s1[start + lag..start + lag + w], &d.s2[start..start + w])
            };
            let r = pearson(x, y);
            let v = if p.fisher_z {
                r.atanh().clamp(-10.0, 10.0)
            } else {
                r
            };
            *cell = if p.absolute { v.abs() } else { v };
        }
    }
    Ok(CcfResult {
        cells,
        windows,
        max_lag: l,
        window_samples: w,
        step_samples: inc,
        rate: d.rate,
    })
}

/// Pearson r over complete pairs, as R's `cor(use = "complete.obs")`, with
/// rMEA's guard: fewer than two positions where the series differ → missing
/// (so two identical windows give a missing cell, not r = 1); zero variance →
/// missing. Two-pass (centred) sums, as R computes them.
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let differing = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan() && a != b)
        .count();
    if differing < 2 {
        return f64::NAN;
    }
    let (mut n, mut sx, mut sy) = (0usize, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        if !a.is_nan() && !b.is_nan() {
            n += 1;
            sx += a;
            sy += b;
        }
    }
    let (mx, my) = (sx / n as f64, sy / n as f64);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        if !a.is_nan() && !b.is_nan() {
            let (da, db) = (a - mx, b - my);
            sxy += da * db;
            sxx += da * da;
            syy += db * db;
        }
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0)
}
