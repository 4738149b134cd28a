//! A person's movement profile: how much, how variably and how often they
//! move, for comparing a client before and after treatment.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MovementProfile {
    /// Mean motion energy per sample.
    pub mean: f64,
    /// Sample standard deviation.
    pub sd: f64,
    /// Share of samples (0-1) with any motion above `threshold`.
    pub moving_share: f64,
    /// Samples present (missing ones are left out).
    pub samples: usize,
}

pub fn profile(series: &[f64], threshold: f64) -> Option<MovementProfile> {
    let present: Vec<f64> = series.iter().copied().filter(|v| !v.is_nan()).collect();
    if present.is_empty() {
        return None;
    }
    let n = present.len() as f64;
    let mean = present.iter().sum::<f64>() / n;
    let sd = if present.len() < 2 {
        0.0
    } else {
        (present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    };
    let moving = present.iter().filter(|v| **v > threshold).count() as f64;
    Some(MovementProfile {
        mean,
        sd,
        moving_share: moving / n,
        samples: present.len(),
    })
}
