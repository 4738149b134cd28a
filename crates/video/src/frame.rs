//! Frames as motion energy needs them: the luma plane only, full range.

use crate::VideoError;

/// How luma values are coded. Video codecs use limited range (16..235);
/// MEA's thresholds are defined on full-range grey (0..255).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LumaRange {
    Full,
    Limited,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VideoInfo {
    pub width: usize,
    pub height: usize,
    /// Frames per second (a fraction in the container; its value here).
    pub fps: f64,
    pub range: LumaRange,
}

/// One decoded frame's luma, full range, row-major, `width * height` bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// 0-based, in display order.
    pub index: u64,
    pub luma: Vec<u8>,
}

pub trait FrameSource {
    fn info(&self) -> &VideoInfo;
    /// The next frame in display order; `None` at the end of the video.
    fn next_frame(&mut self) -> Result<Option<Frame>, VideoError>;
}

/// Limited-range luma (16..235) to full range (0..255), rounded, clamped:
/// gray = (Y − 16) · 255 / 219, the relation fitted on decoded H.264
/// (synchrony.md §2.5: gray = 1.164·Y − 18.6).
pub fn to_full_range(luma: &mut [u8]) {
    static TABLE: std::sync::OnceLock<[u8; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u8; 256];
        for (y, out) in t.iter_mut().enumerate() {
            let v = ((y as f64 - 16.0) * 255.0 / 219.0)
                .round()
                .clamp(0.0, 255.0);
            *out = v as u8;
        }
        t
    });
    for v in luma {
        *v = table[usize::from(*v)];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_range_maps_onto_full_range() {
        let mut v = vec![0, 16, 126, 235, 255];
        to_full_range(&mut v);
        assert_eq!(v, vec![0, 0, 128, 255, 255]);
    }
}
