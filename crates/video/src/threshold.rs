//! Estimating the noise threshold from a background region: every absolute
//! grey-level change of the region's pixels over the video, and the chosen
//! quantile of them (Altmann's `estimate_threshold_for_MEA.m`: the 99 %
//! quantile is recommended, 95 % is the alternative). A histogram of the
//! 256 possible differences gives the exact quantile in constant memory.

use crate::VideoError;
use crate::frame::FrameSource;
use crate::roi::Roi;

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The smallest difference d such that at least `quantile` of all
    /// differences are ≤ d.
    pub threshold: u8,
    pub differences: u64,
    pub frames: u64,
}

pub fn estimate(
    source: &mut dyn FrameSource,
    background: &Roi,
    quantile: f64,
) -> Result<Estimate, VideoError> {
    if !(quantile > 0.0 && quantile < 1.0) {
        return Err(VideoError::Setting {
            field: "quantile",
            message: "between 0 and 1, e.g. 0.99".into(),
        });
    }
    let (w, h) = (source.info().width, source.info().height);
    background.check_inside(w, h)?;
    let mut histogram = [0u64; 256];
    let mut previous: Option<Vec<u8>> = None;
    let mut frames = 0;
    while let Some(f) = source.next_frame()? {
        frames += 1;
        if let Some(p) = &previous {
            for y in background.y..background.y + background.height {
                let row = y * w;
                for x in background.x..background.x + background.width {
                    histogram[usize::from(p[row + x].abs_diff(f.luma[row + x]))] += 1;
                }
            }
        }
        previous = Some(f.luma);
    }
    let total: u64 = histogram.iter().sum();
    if total == 0 {
        return Err(VideoError::Setting {
            field: "video",
            message: "fewer than two frames: no differences to estimate from".into(),
        });
    }
    let needed = (quantile * total as f64).ceil() as u64;
    let mut seen = 0;
    let mut threshold = 255u8;
    for (d, n) in histogram.iter().enumerate() {
        seen += n;
        if seen >= needed {
            threshold = d as u8;
            break;
        }
    }
    Ok(Estimate {
        threshold,
        differences: total,
        frames,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::y4m::{Y4mSource, write_mono};

    #[test]
    fn the_quantile_of_background_differences() {
        // 10x1 background; frame pairs differ by 0..9 at the ten pixels: 10 differences 0..9.
        let a = vec![100u8; 10];
        let b: Vec<u8> = (0..10).map(|i| 100 + i).collect();
        let mut bytes = Vec::new();
        write_mono(&mut bytes, 10, 1, 25, vec![a, b]).unwrap();
        let roi = Roi::parse("bg=0,0,10,1").unwrap();
        let e = estimate(&mut Y4mSource::new(&bytes[..], "t").unwrap(), &roi, 0.9).unwrap();
        // 90 % of 10 = 9 differences must be ≤ d: d = 8.
        assert_eq!((e.threshold, e.differences, e.frames), (8, 10, 2));
        let e = estimate(&mut Y4mSource::new(&bytes[..], "t").unwrap(), &roi, 0.99).unwrap();
        assert_eq!(e.threshold, 9);
        assert!(estimate(&mut Y4mSource::new(&bytes[..], "t").unwrap(), &roi, 1.5).is_err());
        let outside = Roi::parse("bg=5,0,10,1").unwrap();
        assert!(
            estimate(
                &mut Y4mSource::new(&bytes[..], "t").unwrap(),
                &outside,
                0.99
            )
            .is_err()
        );
    }
}
