//! The demo's session videos: an analysis as the worker would store it, from
//! the model's [`VideoDay`]. The files themselves never existed; the demo
//! records them as deleted after analysis, as a clinic with a retention
//! period of zero days would see them.

use attune_store::{MovementRecord, SurrogateRecord, VideoAnalysis};

use crate::model::VideoDay;
use crate::rng::Rng;

const FPS: f64 = 25.0;
const MINUTES: f64 = 50.0;
const WINDOW: f64 = 60.0;
const STEP: f64 = 30.0;
const LAG: f64 = 5.0;

/// Normal CDF by the logistic approximation (error below 0.01): enough for
/// an illustrative percentile.
fn phi(z: f64) -> f64 {
    1.0 / (1.0 + (-1.702 * z).exp())
}

pub fn analysis(day: &VideoDay, rng: &mut Rng) -> VideoAnalysis {
    let duration = MINUTES * 60.0;
    let lags = (2.0 * LAG * FPS) as usize + 1;
    let lag_seconds: Vec<f64> = (0..lags).map(|c| (c as f64 - LAG * FPS) / FPS).collect();
    // A bump at the peak lag on a flat base, scaled so that its mean over
    // the lags is the session's synchrony.
    let shape: Vec<f64> = lag_seconds
        .iter()
        .map(|l| (-(l - day.peak_lag).powi(2) / (2.0 * 1.2f64.powi(2))).exp())
        .collect();
    let mean_shape = shape.iter().sum::<f64>() / lags as f64;
    let amp = 0.08;
    let base = (day.synchrony - amp * mean_shape).max(0.0);
    let lag_profile: Vec<f64> = shape.iter().map(|s| base + amp * s).collect();
    let windows = ((duration - WINDOW - LAG) / STEP).floor() as usize + 1;
    let mut level = 0.0;
    let mut window_synchrony = Vec::with_capacity(windows);
    for _ in 0..windows {
        level = 0.7 * level + 0.03 * rng.normal();
        window_synchrony.push((day.synchrony + level).max(0.0));
    }
    let z = (day.synchrony - day.chance_mean) / day.chance_sd;
    let movement = |(mean, sd, moving): (f64, f64, f64)| MovementRecord {
        mean,
        sd,
        moving_share: moving,
    };
    VideoAnalysis {
        frames: (duration * FPS) as u64,
        width: 1280,
        height: 720,
        fps: FPS,
        rate: FPS,
        duration_sec: duration - 1.0 / FPS,
        window_sec: WINDOW,
        step_sec: STEP,
        max_lag_sec: LAG,
        smooth_sec: 0.5,
        threshold: 12,
        synchrony: lag_profile.iter().sum::<f64>() / lags as f64,
        lag_seconds,
        lag_profile,
        window_start: (0..windows).map(|w| w as f64 * STEP).collect(),
        window_synchrony,
        surrogates: Some(SurrogateRecord {
            count: 100,
            mean: day.chance_mean,
            sd: day.chance_sd,
            percentile: (phi(z) * 100.0).floor() / 100.0,
            z,
        }),
        client: Some(movement(day.client)),
        therapist: Some(movement(day.therapist)),
        decoder: "openh264".into(),
    }
}
