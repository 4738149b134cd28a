//! YUV4MPEG2 (Y4M), the uncompressed stream ffmpeg and most tools write:
//! a text header (`W`, `H`, `F` rate, `C` colour space, `X` extensions),
//! then per frame a `FRAME` line and the planes. Only 8-bit planes are
//! read; only the luma plane is kept.

use std::io::{BufRead, Read};

use crate::VideoError;
use crate::frame::{Frame, FrameSource, LumaRange, VideoInfo, to_full_range};

/// Larger frames than this are refused rather than allocated.
const MAX_SIDE: usize = 16_384;

pub struct Y4mSource<R> {
    input: R,
    name: String,
    info: VideoInfo,
    /// Bytes of chroma after each luma plane.
    chroma: usize,
    next: u64,
}

fn format(name: &str, message: impl Into<String>) -> VideoError {
    VideoError::Format {
        file: name.to_owned(),
        message: message.into(),
    }
}

fn read_line<R: BufRead>(
    input: &mut R,
    name: &str,
    limit: usize,
) -> Result<Option<Vec<u8>>, VideoError> {
    let mut line = Vec::new();
    let n = input
        .by_ref()
        .take(limit as u64)
        .read_until(b'\n', &mut line)
        .map_err(|source| VideoError::Io {
            file: name.to_owned(),
            source,
        })?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(format(name, "a header line is too long or unterminated"));
    }
    line.pop();
    Ok(Some(line))
}

impl<R: BufRead> Y4mSource<R> {
    /// Reads the stream header. `name` is how errors refer to the stream.
    pub fn new(mut input: R, name: &str) -> Result<Y4mSource<R>, VideoError> {
        let header =
            read_line(&mut input, name, 4096)?.ok_or_else(|| format(name, "empty file"))?;
        let header =
            String::from_utf8(header).map_err(|_| format(name, "the header is not text"))?;
        let mut parts = header.split(' ');
        if parts.next() != Some("YUV4MPEG2") {
            return Err(format(name, "not a YUV4MPEG2 stream"));
        }
        let (mut width, mut height, mut fps) = (None, None, None);
        let mut colour = "420jpeg".to_owned();
        let mut range = None;
        for p in parts.filter(|p| !p.is_empty()) {
            let (tag, value) = p.split_at(1);
            match tag {
                "W" => width = value.parse::<usize>().ok(),
                "H" => height = value.parse::<usize>().ok(),
                "F" => {
                    fps = value.split_once(':').and_then(|(n, d)| {
                        let (n, d) = (n.parse::<f64>().ok()?, d.parse::<f64>().ok()?);
                        (n > 0.0 && d > 0.0).then(|| n / d)
                    })
                }
                "C" => colour = value.to_owned(),
                "X" => match value {
                    "COLORRANGE=FULL" => range = Some(LumaRange::Full),
                    "COLORRANGE=LIMITED" => range = Some(LumaRange::Limited),
                    _ => {}
                },
                _ => {}
            }
        }
        let width = width
            .filter(|w| (1..=MAX_SIDE).contains(w))
            .ok_or_else(|| format(name, "missing or impossible width (W)"))?;
        let height = height
            .filter(|h| (1..=MAX_SIDE).contains(h))
            .ok_or_else(|| format(name, "missing or impossible height (H)"))?;
        let fps = fps.ok_or_else(|| format(name, "missing or impossible frame rate (F)"))?;
        let (cw, ch) = (width.div_ceil(2), height.div_ceil(2));
        let chroma = match colour.as_str() {
            "mono" => 0,
            "420" | "420jpeg" | "420paldv" | "420mpeg2" => 2 * cw * ch,
            "422" => 2 * cw * height,
            "444" => 2 * width * height,
            other => {
                return Err(format(
                    name,
                    format!("colour space C{other} is not supported (8-bit 420, 422, 444 or mono)"),
                ));
            }
        };
        let range = range.unwrap_or(if colour == "mono" {
            LumaRange::Full
        } else {
            LumaRange::Limited
        });
        Ok(Y4mSource {
            input,
            name: name.to_owned(),
            info: VideoInfo {
                width,
                height,
                fps,
                range,
            },
            chroma,
            next: 0,
        })
    }
}

impl<R: BufRead> FrameSource for Y4mSource<R> {
    fn info(&self) -> &VideoInfo {
        &self.info
    }

    fn next_frame(&mut self) -> Result<Option<Frame>, VideoError> {
        let frame_error = |frame: u64, message: &str| VideoError::Frame {
            file: self.name.clone(),
            frame,
            message: message.to_owned(),
        };
        let Some(line) = read_line(&mut self.input, &self.name, 4096)? else {
            return Ok(None);
        };
        if !line.starts_with(b"FRAME") {
            return Err(frame_error(self.next, "expected a FRAME marker"));
        }
        let mut luma = vec![0u8; self.info.width * self.info.height];
        let truncated = |_| frame_error(self.next, "the file ends inside this frame (truncated?)");
        self.input.read_exact(&mut luma).map_err(truncated)?;
        std::io::copy(
            &mut self.input.by_ref().take(self.chroma as u64),
            &mut std::io::sink(),
        )
        .map_err(|source| VideoError::Io {
            file: self.name.clone(),
            source,
        })
        .and_then(|n| {
            if n == self.chroma as u64 {
                Ok(())
            } else {
                Err(frame_error(
                    self.next,
                    "the file ends inside this frame (truncated?)",
                ))
            }
        })?;
        if self.info.range == LumaRange::Limited {
            to_full_range(&mut luma);
        }
        let index = self.next;
        self.next += 1;
        Ok(Some(Frame { index, luma }))
    }
}

/// Writes frames as Y4M (mono, full range): test fixtures and exports.
pub fn write_mono<W: std::io::Write>(
    out: &mut W,
    width: usize,
    height: usize,
    fps: u32,
    frames: impl IntoIterator<Item = Vec<u8>>,
) -> std::io::Result<()> {
    writeln!(
        out,
        "YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 Cmono XCOLORRANGE=FULL"
    )?;
    for f in frames {
        out.write_all(b"FRAME\n")?;
        out.write_all(&f)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(header: &str, frames: &[Vec<u8>]) -> Vec<u8> {
        let mut v = format!("{header}\n").into_bytes();
        for f in frames {
            v.extend_from_slice(b"FRAME\n");
            v.extend_from_slice(f);
        }
        v
    }

    #[test]
    fn reads_luma_and_skips_chroma() {
        // 4x2 420: luma 8 bytes, chroma 2 * (2 * 1) = 4 bytes.
        let f0: Vec<u8> = (0..8).map(|i| 16 + i).chain([128; 4]).collect();
        let data = stream("YUV4MPEG2 W4 H2 F25:1 Ip C420jpeg", &[f0.clone(), f0]);
        let mut s = Y4mSource::new(&data[..], "t.y4m").unwrap();
        assert_eq!(
            (s.info().width, s.info().height, s.info().fps),
            (4, 2, 25.0)
        );
        assert_eq!(s.info().range, LumaRange::Limited);
        let a = s.next_frame().unwrap().unwrap();
        assert_eq!(a.luma[0], 0, "16 is black in limited range");
        assert_eq!(s.next_frame().unwrap().unwrap().index, 1);
        assert!(s.next_frame().unwrap().is_none());
    }

    #[test]
    fn mono_is_full_range_and_round_trips() {
        let frames = vec![vec![0u8, 16, 200, 255], vec![1, 2, 3, 4]];
        let mut out = Vec::new();
        write_mono(&mut out, 2, 2, 30, frames.clone()).unwrap();
        let mut s = Y4mSource::new(&out[..], "m.y4m").unwrap();
        assert_eq!(s.info().range, LumaRange::Full);
        assert_eq!(s.next_frame().unwrap().unwrap().luma, frames[0]);
        assert_eq!(s.next_frame().unwrap().unwrap().luma, frames[1]);
    }

    #[test]
    fn malformed_streams_say_what_and_where() {
        let err = |data: &[u8]| -> String {
            match Y4mSource::new(data, "x.y4m") {
                Err(e) => e.to_string(),
                Ok(mut s) => loop {
                    match s.next_frame() {
                        Err(e) => break e.to_string(),
                        Ok(None) => break "no error".into(),
                        Ok(Some(_)) => {}
                    }
                },
            }
        };
        assert!(err(b"").contains("empty file"));
        assert!(err(b"RIFF....\n").contains("not a YUV4MPEG2"));
        assert!(err(b"YUV4MPEG2 H2 F25:1\n").contains("width"));
        assert!(err(b"YUV4MPEG2 W2 H2 F0:1\n").contains("frame rate"));
        assert!(err(b"YUV4MPEG2 W2 H2 F25:1 C420p10\n").contains("not supported"));
        assert!(err(b"YUV4MPEG2 W99999 H2 F25:1\n").contains("width"));
        let truncated = b"YUV4MPEG2 W2 H2 F25:1 Cmono\nFRAME\n\x01\x02\x03\x04FRAME\n\x01";
        let e = err(truncated);
        assert!(
            e.contains("x.y4m: frame 1") && e.contains("truncated"),
            "{e}"
        );
        assert!(err(b"YUV4MPEG2 W2 H2 F25:1 Cmono\nFROG\n").contains("FRAME marker"));
    }
}
