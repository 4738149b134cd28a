//! Motion energy: per region, the number of pixels whose grey level changed
//! by more than a threshold between consecutive frames (Altmann &
//! Schoenherr's MEA; synchrony.md §2.2 and §2.5).
//!
//! With the 5×5 median rule, a pixel counts when the median of the 5×5
//! neighbourhood of the difference image exceeds the threshold. The median
//! of 25 values exceeds θ exactly when at least 13 of them do, so the count
//! is taken from a box sum of the binary image `|Δ| > θ` (the verified
//! shortcut; no sorting). As in MATLAB's `medfilt2` on the masked difference
//! image, pixels outside the region are 0 and the frame edge is zero-padded,
//! so pixels up to two rows or columns outside the region can count.

use crate::VideoError;
use crate::frame::{Frame, VideoInfo};
use crate::roi::Roi;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MotionSettings {
    /// Grey levels (full range); MEA's default since 2019 is 12.
    pub threshold: u8,
    /// The 5×5 median rule against sensor and compression noise.
    pub median5: bool,
    /// Report percent of the region's area instead of pixel counts.
    pub percent: bool,
    /// Use every n-th frame (frame-rate reduction); 1 = every frame.
    pub every: usize,
}

impl Default for MotionSettings {
    fn default() -> Self {
        MotionSettings {
            threshold: 12,
            median5: false,
            percent: false,
            every: 1,
        }
    }
}

pub struct MotionEnergy {
    rois: Vec<Roi>,
    settings: MotionSettings,
    width: usize,
    height: usize,
    previous: Option<Vec<u8>>,
    seen: u64,
    /// Scratch: the binary change image of one (expanded) region.
    binary: Vec<u32>,
}

impl MotionEnergy {
    pub fn new(
        rois: Vec<Roi>,
        settings: MotionSettings,
        info: &VideoInfo,
    ) -> Result<MotionEnergy, VideoError> {
        if rois.is_empty() {
            return Err(VideoError::Setting {
                field: "roi",
                message: "at least one region of interest is needed".into(),
            });
        }
        if settings.every == 0 {
            return Err(VideoError::Setting {
                field: "every",
                message: "use every frame (1) or every n-th".into(),
            });
        }
        for (i, r) in rois.iter().enumerate() {
            r.check_inside(info.width, info.height)?;
            if rois[..i].iter().any(|o| o.name == r.name) {
                return Err(VideoError::Roi {
                    name: r.name.clone(),
                    message: "two regions have this name".into(),
                });
            }
        }
        Ok(MotionEnergy {
            rois,
            settings,
            width: info.width,
            height: info.height,
            previous: None,
            seen: 0,
            binary: Vec::new(),
        })
    }

    pub fn rois(&self) -> &[Roi] {
        &self.rois
    }

    /// The sampling rate of the output for a video of `fps`.
    pub fn rate(&self, fps: f64) -> f64 {
        fps / self.settings.every as f64
    }

    /// Takes the next frame; returns one value per region once there is a
    /// previous sampled frame to compare with.
    pub fn push(&mut self, frame: Frame) -> Result<Option<Vec<f64>>, VideoError> {
        if frame.luma.len() != self.width * self.height {
            return Err(VideoError::Setting {
                field: "frame",
                message: format!(
                    "frame {} has {} luma bytes, expected {}",
                    frame.index,
                    frame.luma.len(),
                    self.width * self.height
                ),
            });
        }
        let sampled = self.seen.is_multiple_of(self.settings.every as u64);
        self.seen += 1;
        if !sampled {
            return Ok(None);
        }
        let Some(previous) = self.previous.take() else {
            self.previous = Some(frame.luma);
            return Ok(None);
        };
        let mut out = Vec::with_capacity(self.rois.len());
        for i in 0..self.rois.len() {
            let count = if self.settings.median5 {
                self.count_median(i, &previous, &frame.luma)
            } else {
                self.count_plain(i, &previous, &frame.luma)
            };
            let area = self.rois[i].area() as f64;
            out.push(if self.settings.percent {
                100.0 * count as f64 / area
            } else {
                count as f64
            });
        }
        self.previous = Some(frame.luma);
        Ok(Some(out))
    }

    fn count_plain(&self, i: usize, a: &[u8], b: &[u8]) -> usize {
        let r = &self.rois[i];
        let t = self.settings.threshold;
        (r.y..r.y + r.height)
            .map(|y| {
                let row = y * self.width;
                a[row + r.x..row + r.x + r.width]
                    .iter()
                    .zip(&b[row + r.x..row + r.x + r.width])
                    .filter(|(p, q)| p.abs_diff(**q) > t)
                    .count()
            })
            .sum()
    }

    /// Pixels whose 5×5 neighbourhood (region-masked, zero-padded) has at
    /// least 13 changed pixels, counted over the region grown by two pixels.
    /// Row by row: horizontal 5-sums of the binary row, kept for the last
    /// five rows, summed vertically; every sum fits a byte (at most 25).
    fn count_median(&mut self, i: usize, a: &[u8], b: &[u8]) -> usize {
        let r = &self.rois[i];
        let t = self.settings.threshold;
        let x0 = r.x.saturating_sub(2);
        let y0 = r.y.saturating_sub(2);
        let x1 = (r.x + r.width + 2).min(self.width);
        let y1 = (r.y + r.height + 2).min(self.height);
        let gw = x1 - x0;
        // Five rows of horizontal sums (a ring, by row modulo 5) and their
        // running vertical total: each row enters once and leaves once.
        self.binary.clear();
        self.binary.resize(6 * gw, 0);
        let (ring, vsum) = self.binary.split_at_mut(5 * gw);
        let mut bits = vec![0u32; gw + 4];
        let mut count = 0;
        for y in y0..y1 + 2 {
            let slot = &mut ring[((y - y0) % 5) * gw..((y - y0) % 5 + 1) * gw];
            if y >= y0 + 5 {
                for (v, h) in vsum.iter_mut().zip(slot.iter()) {
                    *v -= *h;
                }
            }
            bits.iter_mut().for_each(|v| *v = 0);
            if y >= r.y && y < r.y + r.height {
                let row = y * self.width;
                let (pa, pb) = (
                    &a[row + r.x..row + r.x + r.width],
                    &b[row + r.x..row + r.x + r.width],
                );
                let start = r.x - x0 + 2;
                for ((bit, p), q) in bits[start..start + r.width].iter_mut().zip(pa).zip(pb) {
                    *bit = u32::from(p.abs_diff(*q) > t);
                }
            }
            let mut run: u32 = bits[..4].iter().sum();
            for gx in 0..gw {
                run += bits[gx + 4];
                slot[gx] = run;
                run -= bits[gx];
            }
            for (v, h) in vsum.iter_mut().zip(slot.iter()) {
                *v += *h;
            }
            // Row y - 2 now has its whole 5-row window.
            if y >= y0 + 2 && y - 2 < y1 {
                count += vsum.iter().filter(|v| **v >= 13).count();
            }
        }
        count
    }
}

/// The 5×5 median rule the slow way (sort every neighbourhood), for tests.
#[doc(hidden)]
pub fn median_count_reference(
    roi: &Roi,
    width: usize,
    height: usize,
    a: &[u8],
    b: &[u8],
    threshold: u8,
) -> usize {
    let inside = |x: usize, y: usize| {
        x >= roi.x && x < roi.x + roi.width && y >= roi.y && y < roi.y + roi.height
    };
    let diff = |x: i64, y: i64| -> u8 {
        if x < 0 || y < 0 || x >= width as i64 || y >= height as i64 {
            return 0;
        }
        let (x, y) = (x as usize, y as usize);
        if !inside(x, y) {
            return 0;
        }
        a[y * width + x].abs_diff(b[y * width + x])
    };
    let mut count = 0;
    for y in 0..height as i64 {
        for x in 0..width as i64 {
            let mut w: Vec<u8> = (-2..=2)
                .flat_map(|dy| (-2..=2).map(move |dx| (dx, dy)))
                .map(|(dx, dy)| diff(x + dx, y + dy))
                .collect();
            w.sort_unstable();
            if w[12] > threshold {
                count += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::LumaRange;

    fn info(w: usize, h: usize) -> VideoInfo {
        VideoInfo {
            width: w,
            height: h,
            fps: 25.0,
            range: LumaRange::Full,
        }
    }

    fn frame(index: u64, luma: Vec<u8>) -> Frame {
        Frame { index, luma }
    }

    #[test]
    fn counts_changed_pixels_above_the_threshold_per_region() {
        let (w, h) = (8, 4);
        let rois = vec![
            Roi::parse("a=0,0,4,4").unwrap(),
            Roi::parse("b=4,0,4,4").unwrap(),
        ];
        let mut me = MotionEnergy::new(rois, MotionSettings::default(), &info(w, h)).unwrap();
        let first = vec![100u8; w * h];
        let mut second = first.clone();
        second[0] = 113; // +13: counts
        second[1] = 112; // +12: does not (strictly greater)
        second[5 + 8] = 80; // in b: -20, counts
        assert_eq!(me.push(frame(0, first)).unwrap(), None);
        assert_eq!(me.push(frame(1, second)).unwrap(), Some(vec![1.0, 1.0]));
    }

    #[test]
    fn percent_of_area_and_frame_rate_reduction() {
        let (w, h) = (4, 4);
        let settings = MotionSettings {
            percent: true,
            every: 2,
            ..MotionSettings::default()
        };
        let mut me = MotionEnergy::new(
            vec![Roi::parse("a=0,0,2,2").unwrap()],
            settings,
            &info(w, h),
        )
        .unwrap();
        assert_eq!(me.rate(25.0), 12.5);
        let blank = vec![0u8; 16];
        let mut lit = blank.clone();
        lit[0] = 255;
        assert_eq!(me.push(frame(0, blank.clone())).unwrap(), None);
        assert_eq!(
            me.push(frame(1, lit.clone())).unwrap(),
            None,
            "skipped frame"
        );
        assert_eq!(
            me.push(frame(2, lit)).unwrap(),
            Some(vec![25.0]),
            "frame 2 against frame 0"
        );
    }

    #[test]
    fn the_median_rule_matches_sorting_on_patterns() {
        let (w, h) = (20, 14);
        let roi = Roi::parse("r=3,2,12,9").unwrap();
        let mut seed = 7u64;
        let mut rand = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for density in [10, 40, 60, 90] {
            let a: Vec<u8> = (0..w * h).map(|_| 100).collect();
            let b: Vec<u8> = (0..w * h)
                .map(|_| if rand() % 100 < density { 150 } else { 100 })
                .collect();
            let settings = MotionSettings {
                median5: true,
                ..MotionSettings::default()
            };
            let mut me = MotionEnergy::new(vec![roi.clone()], settings, &info(w, h)).unwrap();
            me.push(frame(0, a.clone())).unwrap();
            let got = me.push(frame(1, b.clone())).unwrap().unwrap()[0];
            assert_eq!(
                got as usize,
                median_count_reference(&roi, w, h, &a, &b, 12),
                "density {density}"
            );
        }
    }

    #[test]
    fn bad_settings_and_frames_are_refused() {
        let i = info(10, 10);
        assert!(MotionEnergy::new(vec![], MotionSettings::default(), &i).is_err());
        let dup = vec![
            Roi::parse("a=0,0,2,2").unwrap(),
            Roi::parse("a=2,2,2,2").unwrap(),
        ];
        assert!(MotionEnergy::new(dup, MotionSettings::default(), &i).is_err());
        let outside = vec![Roi::parse("a=9,9,2,2").unwrap()];
        assert!(MotionEnergy::new(outside, MotionSettings::default(), &i).is_err());
        let zero = MotionSettings {
            every: 0,
            ..MotionSettings::default()
        };
        assert!(MotionEnergy::new(vec![Roi::parse("a=0,0,2,2").unwrap()], zero, &i).is_err());
        let mut me = MotionEnergy::new(
            vec![Roi::parse("a=0,0,2,2").unwrap()],
            MotionSettings::default(),
            &i,
        )
        .unwrap();
        assert!(me.push(frame(0, vec![0; 99])).is_err());
    }
}
