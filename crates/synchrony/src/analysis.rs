//! One dyad from raw series to its synchrony, as a command or a job runs it:
//! optional smoothing and scaling, the cross-lagged matrix, its summary, and
//! both people's movement profiles.

use crate::{
    CcfParams, Dyad, MovementProfile, Summary, SynchronyError, ccf, profile, scale_by_sd, smooth,
    summarise,
};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Moving-average window in seconds (rMEA's README uses 0.5); none to skip.
    pub smooth_sec: Option<f64>,
    pub ccf: CcfParams,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub summary: Summary,
    pub windows: usize,
    pub lags: usize,
    /// Movement of each person, on the raw series (before smoothing and scaling).
    pub s1: Option<MovementProfile>,
    pub s2: Option<MovementProfile>,
}

/// The dyad after smoothing and scaling, ready for `ccf`.
pub fn prepare(d: &Dyad, s: &Settings) -> Result<Dyad, SynchronyError> {
    let prep = |x: &[f64]| {
        let smoothed = match s.smooth_sec {
            Some(sec) => smooth(x, d.rate, sec, s.ccf.mode),
            None => x.to_vec(),
        };
        scale_by_sd(&smoothed)
    };
    Dyad::new(prep(&d.s1), prep(&d.s2), d.rate)
}

pub fn analyse(d: &Dyad, s: &Settings) -> Result<Analysis, SynchronyError> {
    let m = ccf(&prepare(d, s)?, &s.ccf)?;
    Ok(Analysis {
        summary: summarise(&m),
        windows: m.windows,
        lags: m.lags(),
        s1: profile(&d.s1, 0.0),
        s2: profile(&d.s2, 0.0),
    })
}
