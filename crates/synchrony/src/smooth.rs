//! Moving-average smoothing and scaling (rMEA's `MEAsmooth`, `MEAscale`).

use crate::Mode;

/// Smooths one series with a moving average of `window_sec` seconds.
///
/// rMEA-compatible (the "SAS proc expand" average of `MEAsmooth`, verified
/// against the facts file's probes): n = window·rate may be fractional;
/// h = (n − 1)/2; the window at t runs over R's `max(1, t−h):(t+h)` on reals,
/// so it is asymmetric when n is even or fractional (t−6..t+5 at 25 Hz);
/// the sum is always divided by n, also where the window is cut at the start;
/// a window that runs past the end, or holds a missing value, gives 0 (so the
/// last samples are 0); samples missing before stay missing.
///
/// Fixed: a centred window of 2h + 1 samples (h = round((n − 1)/2)), the mean
/// of the values present in it; missing only where the whole window is.
pub fn smooth(a: &[f64], rate: f64, window_sec: f64, mode: Mode) -> Vec<f64> {
    let n = window_sec * rate;
    match mode {
        Mode::RmeaCompatible => smooth_rmea(a, n),
        Mode::Fixed => smooth_centred(a, n),
    }
}

fn smooth_rmea(a: &[f64], n: f64) -> Vec<f64> {
    let len = a.len();
    let h = (n - 1.0) / 2.0;
    (1..=len)
        .map(|t| {
            if a[t - 1].is_nan() {
                return f64::NAN;
            }
            let i1 = (t as f64 - h).max(1.0);
            let i2 = t as f64 + h;
            let steps = (i2 - i1).floor();
            if steps < 0.0 {
                return 0.0;
            }
            let mut sum = 0.0;
            for j in 0..=(steps as usize) {
                // i1 ≥ 1, so idx ≥ 1: R's 1-based index.
                let idx = (i1 + j as f64).trunc() as usize;
                match a.get(idx - 1) {
                    Some(v) if !v.is_nan() => sum += v,
                    // Past the end or missing: rMEA's NA test turns the whole output to 0.
                    _ => return 0.0,
                }
            }
            sum / n
        })
        .collect()
}

fn smooth_centred(a: &[f64], n: f64) -> Vec<f64> {
    let h = ((n - 1.0) / 2.0).round().max(0.0) as usize;
    // Prefix sums of values and of counts of present values.
    let mut sum = vec![0.0; a.len() + 1];
    let mut count = vec![0usize; a.len() + 1];
    for (i, v) in a.iter().enumerate() {
        sum[i + 1] = sum[i] + if v.is_nan() { 0.0 } else { *v };
        count[i + 1] = count[i] + usize::from(!v.is_nan());
    }
    (0..a.len())
        .map(|t| {
            let lo = t.saturating_sub(h);
            let hi = (t + h + 1).min(a.len());
            let c = count[hi] - count[lo];
            if c == 0 {
                f64::NAN
            } else {
                (sum[hi] - sum[lo]) / c as f64
            }
        })
        .collect()
}

/// Divides by the sample standard deviation (n − 1, missing values left out),
/// without centring: `MEAscale`'s default. Pearson correlations do not change.
pub fn scale_by_sd(a: &[f64]) -> Vec<f64> {
    let present: Vec<f64> = a.iter().copied().filter(|v| !v.is_nan()).collect();
    if present.len() < 2 {
        return a.to_vec();
    }
    let mean = present.iter().sum::<f64>() / present.len() as f64;
    let sd = (present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (present.len() - 1) as f64)
        .sqrt();
    if sd == 0.0 {
        return a.to_vec();
    }
    a.iter().map(|v| v / sd).collect()
}
