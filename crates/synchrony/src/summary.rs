//! Summary indices of a cross-lagged correlation matrix (rMEA's `ccfRes`).

use crate::CcfResult;

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The dyad's synchrony score: mean of every cell.
    pub grand_average: f64,
    /// Per window: mean over all lags.
    pub all_lags: Vec<f64>,
    /// Per window: mean over positive lags (s1 leads), without and with lag 0.
    pub s1_lead: Vec<f64>,
    pub s1_lead_0: Vec<f64>,
    /// Per window: mean over negative lags (s2 leads), without and with lag 0.
    pub s2_lead: Vec<f64>,
    pub s2_lead_0: Vec<f64>,
    pub lag_zero: Vec<f64>,
    /// Per window: the lag (seconds) of the first maximum.
    pub best_lag: Vec<f64>,
    /// Per window: start and end, in seconds.
    pub window_times: Vec<(f64, f64)>,
    /// Per lag: mean over windows (the lag profile).
    pub lag_profile: Vec<f64>,
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for v in values.filter(|v| !v.is_nan()) {
        s += v;
        n += 1;
    }
    if n == 0 { f64::NAN } else { s / n as f64 }
}

pub fn summarise(m: &CcfResult) -> Summary {
    let l = m.max_lag;
    let rows: Vec<&[f64]> = (0..m.windows).map(|w| m.row(w)).collect();
    let per_row = |f: &dyn Fn(&[f64]) -> f64| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    let best_lag = per_row(&|r: &[f64]| {
        let mut best: Option<(usize, f64)> = None;
        for (c, v) in r.iter().enumerate() {
            if !v.is_nan() && best.is_none_or(|(_, b)| *v > b) {
                best = Some((c, *v));
            }
        }
        best.map_or(f64::NAN, |(c, _)| m.lag_seconds(c))
    });
    let step = m.step_samples as f64 / m.rate;
    let width = m.window_samples as f64 / m.rate;
    Summary {
        grand_average: mean(m.cells.iter().copied()),
        all_lags: per_row(&|r: &[f64]| mean(r.iter().copied())),
        s1_lead: per_row(&|r: &[f64]| mean(r[l + 1..].iter().copied())),
        s1_lead_0: per_row(&|r: &[f64]| mean(r[l..].iter().copied())),
        s2_lead: per_row(&|r: &[f64]| mean(r[..l].iter().copied())),
        s2_lead_0: per_row(&|r: &[f64]| mean(r[..=l].iter().copied())),
        lag_zero: per_row(&|r: &[f64]| r[l]),
        best_lag,
        window_times: (0..m.windows)
            .map(|w| (w as f64 * step, w as f64 * step + width))
            .collect(),
        lag_profile: (0..m.lags())
            .map(|c| mean(rows.iter().map(|r| r[c])))
            .collect(),
    }
}
