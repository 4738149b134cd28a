//! One session video to its analysis: decode, motion energy per region,
//! each person's series as the share of their regions that changed, then
//! synchrony (client as s1, so a positive lag means the client leads) and
//! the same computation on segment-shuffled surrogates of the session
//! itself (Ramseyer & Tschacher 2010), which keep each person's movement and
//! break only its timing.

use std::path::Path;

use attune_store::{MovementRecord, SurrogateRecord, VideoAnalysis, VideoLayout};
use attune_synchrony::surrogates::{Seeded, compare_to_surrogates, segment_shuffle};
use attune_synchrony::{CcfParams, Dyad, Mode, MovementProfile, Settings, analyse};
use attune_video::{Decoder, MotionEnergy, MotionSettings, Roi, VideoInfo};

use crate::WorkerError;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalysisSettings {
    /// rMEA's defaults (its help page; `../shared/domain/synchrony.md` §1):
    /// 60 s windows, 30 s steps, ±5 s lags, 0.5 s smoothing.
    pub window_sec: f64,
    pub step_sec: f64,
    pub max_lag_sec: f64,
    pub smooth_sec: f64,
    pub motion: MotionSettings,
    /// Segment-shuffled surrogates per session (0: none).
    pub surrogates: usize,
    pub decoder: Decoder,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        AnalysisSettings {
            window_sec: 60.0,
            step_sec: 30.0,
            max_lag_sec: 5.0,
            smooth_sec: 0.5,
            motion: MotionSettings {
                median5: true,
                ..MotionSettings::default()
            },
            surrogates: 100,
            decoder: Decoder::Auto,
        }
    }
}

/// The layout's percent rectangles on a frame of this size; every region
/// keeps at least one pixel and stays inside the frame.
pub fn regions_in_pixels(layout: &VideoLayout, info: &VideoInfo) -> Vec<Roi> {
    let px = |percent: f64, of: usize| ((percent / 100.0) * of as f64).round() as usize;
    layout
        .regions
        .iter()
        .map(|r| {
            let x = px(r.rect.x, info.width).min(info.width.saturating_sub(1));
            let y = px(r.rect.y, info.height).min(info.height.saturating_sub(1));
            let width = px(r.rect.width, info.width).clamp(1, info.width - x);
            let height = px(r.rect.height, info.height).clamp(1, info.height - y);
            Roi {
                name: r.name.clone(),
                person: r.person.clone(),
                x,
                y,
                width,
                height,
            }
        })
        .collect()
}

fn movement(p: Option<MovementProfile>) -> Option<MovementRecord> {
    p.map(|p| MovementRecord {
        mean: p.mean,
        sd: p.sd,
        moving_share: p.moving_share,
    })
}

/// Analyses the video at `path`. `seed` makes the surrogates reproducible
/// (the job passes one derived from the video's id).
pub fn analyse_video(
    path: &Path,
    layout: &VideoLayout,
    settings: &AnalysisSettings,
    seed: u64,
) -> Result<VideoAnalysis, WorkerError> {
    let (mut source, decoder) = attune_video::open(path, settings.decoder)?;
    let info = source.info().clone();
    let rois = regions_in_pixels(layout, &info);
    let area = |person: &str| -> f64 {
        rois.iter()
            .filter(|r| r.person == person)
            .map(|r| r.area() as f64)
            .sum()
    };
    let (client_area, therapist_area) = (area("client"), area("therapist"));
    let is_client: Vec<bool> = rois.iter().map(|r| r.person == "client").collect();
    let counts = MotionSettings {
        percent: false,
        ..settings.motion
    };
    let mut me = MotionEnergy::new(rois, counts, &info)?;
    let rate = me.rate(info.fps);
    let (mut client, mut therapist) = (Vec::new(), Vec::new());
    let frames = attune_video::pipeline::run::<WorkerError>(&mut *source, &mut me, |values| {
        let (mut c, mut t) = (0.0, 0.0);
        for (v, mine) in values.iter().zip(&is_client) {
            if *mine {
                c += v;
            } else {
                t += v;
            }
        }
        client.push(100.0 * c / client_area);
        therapist.push(100.0 * t / therapist_area);
        Ok(())
    })?;
    let duration_sec = client.len() as f64 / rate;
    let needed = settings.window_sec + settings.max_lag_sec;
    if duration_sec < needed {
        return Err(WorkerError::Analysis(format!(
            "the video gives {duration_sec:.1} s of movement; synchrony needs at least one window \
             of {} s plus {} s of lag",
            settings.window_sec, settings.max_lag_sec
        )));
    }
    let dyad = Dyad::new(client, therapist, rate)?;
    let params = Settings {
        smooth_sec: (settings.smooth_sec > 0.0).then_some(settings.smooth_sec),
        ccf: CcfParams {
            lag_sec: settings.max_lag_sec,
            window_sec: settings.window_sec,
            step_sec: settings.step_sec,
            fisher_z: true,
            absolute: true,
            mode: Mode::Fixed,
        },
    };
    let result = analyse(&dyad, &params)?;
    let half = (result.lags / 2) as f64;
    let lag_seconds = (0..result.lags).map(|c| (c as f64 - half) / rate).collect();
    let surrogates =
        surrogate_comparison(&dyad, &params, settings, seed, result.summary.grand_average)?;
    Ok(VideoAnalysis {
        frames,
        width: info.width,
        height: info.height,
        fps: info.fps,
        rate,
        duration_sec,
        window_sec: settings.window_sec,
        step_sec: settings.step_sec,
        max_lag_sec: settings.max_lag_sec,
        smooth_sec: settings.smooth_sec,
        threshold: settings.motion.threshold,
        synchrony: result.summary.grand_average,
        lag_seconds,
        lag_profile: result.summary.lag_profile,
        window_start: result.summary.window_times.iter().map(|w| w.0).collect(),
        window_synchrony: result.summary.all_lags,
        surrogates,
        client: movement(result.s1),
        therapist: movement(result.s2),
        decoder: decoder.to_owned(),
    })
}

/// Segments as long as a window: shorter ones would keep little of a
/// person's own rhythm; at least two are needed to shuffle anything.
fn surrogate_comparison(
    dyad: &Dyad,
    params: &Settings,
    settings: &AnalysisSettings,
    seed: u64,
    real: f64,
) -> Result<Option<SurrogateRecord>, WorkerError> {
    let segment = settings.window_sec;
    if settings.surrogates == 0 || (dyad.len() as f64 / dyad.rate) < 2.0 * segment {
        return Ok(None);
    }
    let mut rng = Seeded::new(seed);
    let mut values = Vec::with_capacity(settings.surrogates);
    for _ in 0..settings.surrogates {
        let shuffled = segment_shuffle(dyad, segment, Mode::Fixed, &mut rng)?;
        values.push(analyse(&shuffled, params)?.summary.grand_average);
    }
    Ok(
        compare_to_surrogates(real, &values).map(|c| SurrogateRecord {
            count: c.surrogates,
            mean: c.surrogate_mean,
            sd: c.surrogate_sd,
            percentile: c.percentile,
            z: c.z,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use attune_video::LumaRange;

    #[test]
    fn percent_regions_land_inside_any_frame() {
        let layout = VideoLayout::sides(false);
        for (w, h) in [(640, 480), (1, 1), (3, 2), (1921, 1081)] {
            let info = VideoInfo {
                width: w,
                height: h,
                fps: 25.0,
                range: LumaRange::Full,
            };
            for r in regions_in_pixels(&layout, &info) {
                assert!(r.check_inside(w, h).is_ok(), "{w}x{h}: {r:?}");
            }
        }
        let info = VideoInfo {
            width: 640,
            height: 480,
            fps: 25.0,
            range: LumaRange::Full,
        };
        let rois = regions_in_pixels(&layout, &info);
        let client = rois
            .iter()
            .find(|r| r.person == "client")
            .unwrap_or(&rois[0]);
        assert_eq!(
            (client.x, client.y, client.width, client.height),
            (320, 0, 320, 480)
        );
    }
}
