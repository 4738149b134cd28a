//! MP4/H.264 decoded in-process: the MP4 demuxer (`mp4`) gives samples in
//! decode order as length-prefixed NAL units (avcC); they are rewritten as
//! Annex B (start codes; SPS and PPS first) for Cisco's OpenH264.
//!
//! B-frames: OpenH264 by default flushes after every frame, which fails on
//! streams with B-frames (synchrony.md §6). Here it runs without flushing
//! and drains its buffer at the end, which returns every frame in display
//! order. Decoded luma is limited range and converted to full range, as the
//! ffmpeg path does, so thresholds mean the same on both.

use std::collections::VecDeque;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use openh264::OpenH264API;
use openh264::decoder::{DecodedYUV, Decoder, DecoderConfig, Flush};
use openh264::formats::YUVSource;

use crate::VideoError;
use crate::frame::{Frame, FrameSource, LumaRange, VideoInfo, to_full_range};

pub struct Mp4H264Source {
    mp4: mp4::Mp4Reader<BufReader<File>>,
    track: u32,
    samples: u32,
    next_sample: u32,
    nal_length: usize,
    parameter_sets: Option<Vec<u8>>,
    decoder: Decoder,
    ready: VecDeque<Vec<u8>>,
    drained: bool,
    next_frame: u64,
    info: VideoInfo,
    name: String,
}

const START: [u8; 4] = [0, 0, 0, 1];

impl Mp4H264Source {
    pub fn open(path: &Path) -> Result<Mp4H264Source, VideoError> {
        let name = path.display().to_string();
        let format = |message: String| VideoError::Format {
            file: name.clone(),
            message,
        };
        let file = File::open(path).map_err(|source| VideoError::Io {
            file: name.clone(),
            source,
        })?;
        let size = file
            .metadata()
            .map_err(|source| VideoError::Io {
                file: name.clone(),
                source,
            })?
            .len();
        let mp4 = mp4::Mp4Reader::read_header(BufReader::new(file), size)
            .map_err(|e| format(format!("not a readable MP4: {e}")))?;
        let track = mp4
            .tracks()
            .values()
            .find(|t| matches!(t.media_type(), Ok(mp4::MediaType::H264)))
            .ok_or_else(|| format("no H.264 video track (other codecs need ffmpeg)".into()))?;
        let avc1 = track
            .trak
            .mdia
            .minf
            .stbl
            .stsd
            .avc1
            .as_ref()
            .ok_or_else(|| format("the H.264 track has no avc1 description".into()))?;
        let mut parameter_sets = Vec::new();
        for nal in avc1
            .avcc
            .sequence_parameter_sets
            .iter()
            .chain(&avc1.avcc.picture_parameter_sets)
        {
            parameter_sets.extend_from_slice(&START);
            parameter_sets.extend_from_slice(&nal.bytes);
        }
        let info = VideoInfo {
            width: usize::from(track.width()),
            height: usize::from(track.height()),
            fps: track.frame_rate(),
            range: LumaRange::Limited,
        };
        if info.width == 0 || info.height == 0 || info.fps.is_nan() || info.fps <= 0.0 {
            return Err(format("the video track gives no frame size or rate".into()));
        }
        let decoder = Decoder::with_api_config(
            OpenH264API::from_source(),
            DecoderConfig::new().flush_after_decode(Flush::NoFlush),
        )
        .map_err(|e| format(format!("starting the H.264 decoder: {e}")))?;
        Ok(Mp4H264Source {
            track: track.track_id(),
            samples: track.sample_count(),
            nal_length: usize::from(avc1.avcc.length_size_minus_one & 3) + 1,
            parameter_sets: Some(parameter_sets),
            mp4,
            next_sample: 1,
            decoder,
            ready: VecDeque::new(),
            drained: false,
            next_frame: 0,
            info,
            name,
        })
    }

    fn error(&self, message: String) -> VideoError {
        VideoError::Frame {
            file: self.name.clone(),
            frame: self.next_frame + self.ready.len() as u64,
            message,
        }
    }

    /// Length-prefixed NAL units to Annex B.
    fn annex_b(&self, sample: &[u8], out: &mut Vec<u8>) -> Result<(), VideoError> {
        let mut rest = sample;
        while !rest.is_empty() {
            if rest.len() < self.nal_length {
                return Err(self.error("a NAL unit length is cut short".into()));
            }
            let len = rest[..self.nal_length]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            rest = &rest[self.nal_length..];
            if len > rest.len() {
                return Err(self.error("a NAL unit runs past its sample (truncated file?)".into()));
            }
            out.extend_from_slice(&START);
            out.extend_from_slice(&rest[..len]);
            rest = &rest[len..];
        }
        Ok(())
    }

    fn luma(yuv: &DecodedYUV<'_>) -> Vec<u8> {
        let (w, h) = yuv.dimensions();
        let (stride, _, _) = yuv.strides();
        let y = yuv.y();
        let mut out = Vec::with_capacity(w * h);
        for row in 0..h {
            out.extend_from_slice(&y[row * stride..row * stride + w]);
        }
        out
    }

    /// Decodes samples until a frame is ready or the stream ends.
    fn fill(&mut self) -> Result<(), VideoError> {
        while self.ready.is_empty() && self.next_sample <= self.samples {
            let sample = self
                .mp4
                .read_sample(self.track, self.next_sample)
                .map_err(|e| self.error(format!("reading sample {}: {e}", self.next_sample)))?
                .ok_or_else(|| self.error(format!("sample {} is missing", self.next_sample)))?;
            self.next_sample += 1;
            let mut packet = self.parameter_sets.take().unwrap_or_default();
            self.annex_b(&sample.bytes, &mut packet)?;
            let decoded = self
                .decoder
                .decode(&packet)
                .map_err(|e| VideoError::Frame {
                    file: self.name.clone(),
                    frame: self.next_frame,
                    message: format!("H.264 decoding failed: {e}"),
                })?;
            if let Some(yuv) = decoded {
                let luma = Self::luma(&yuv);
                self.ready.push_back(luma);
            }
        }
        if self.ready.is_empty() && !self.drained {
            self.drained = true;
            let name = self.name.clone();
            let frame = self.next_frame;
            let rest = self
                .decoder
                .flush_remaining()
                .map_err(|e| VideoError::Frame {
                    file: name,
                    frame,
                    message: format!("H.264 decoding failed at the end: {e}"),
                })?;
            for yuv in rest {
                self.ready.push_back(Self::luma(&yuv));
            }
        }
        Ok(())
    }
}

impl FrameSource for Mp4H264Source {
    fn info(&self) -> &VideoInfo {
        &self.info
    }

    fn next_frame(&mut self) -> Result<Option<Frame>, VideoError> {
        self.fill()?;
        let Some(mut luma) = self.ready.pop_front() else {
            return Ok(None);
        };
        if luma.len() != self.info.width * self.info.height {
            return Err(self.error(format!(
                "decoded {} luma bytes, the track says {}x{}",
                luma.len(),
                self.info.width,
                self.info.height
            )));
        }
        to_full_range(&mut luma);
        let index = self.next_frame;
        self.next_frame += 1;
        Ok(Some(Frame { index, luma }))
    }
}
