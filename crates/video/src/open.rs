//! Choosing a decoder for a file by what it contains, not by its name (the
//! media store keeps files under random keys): Y4M is read directly, MP4 with
//! H.264 by the built-in decoder, anything else through ffmpeg.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::ffmpeg::FfmpegSource;
use crate::h264::Mp4H264Source;
use crate::y4m::Y4mSource;
use crate::{FrameSource, VideoError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decoder {
    /// Y4M directly, MP4/H.264 built in, the rest through ffmpeg.
    #[default]
    Auto,
    /// The built-in MP4/H.264 decoder only (Y4M is still read directly).
    Builtin,
    /// Always ffmpeg.
    Ffmpeg,
}

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Y4m,
    /// ISO base media (MP4, MOV, M4V): `ftyp` at offset 4.
    Mp4,
    Other,
}

pub fn sniff(path: &Path) -> Result<Container, VideoError> {
    let io = |source| VideoError::Io {
        file: path.display().to_string(),
        source,
    };
    let mut head = [0u8; 12];
    let mut file = File::open(path).map_err(io)?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]).map_err(io)? {
            0 => break,
            k => n += k,
        }
    }
    let head = &head[..n];
    Ok(if head.starts_with(b"YUV4MPEG2 ") {
        Container::Y4m
    } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
        Container::Mp4
    } else {
        Container::Other
    })
}

/// Opens `path` with the decoder `choice` allows; also says which one read it
/// (`y4m`, `openh264`, `ffmpeg`), for the record of an analysis.
pub fn open(
    path: &Path,
    choice: Decoder,
) -> Result<(Box<dyn FrameSource>, &'static str), VideoError> {
    let kind = sniff(path)?;
    if kind == Container::Y4m && choice != Decoder::Ffmpeg {
        let file = File::open(path).map_err(|source| VideoError::Io {
            file: path.display().to_string(),
            source,
        })?;
        let source = Y4mSource::new(BufReader::new(file), &path.display().to_string())?;
        return Ok((Box::new(source), "y4m"));
    }
    let ffmpeg = || -> Result<(Box<dyn FrameSource>, &'static str), VideoError> {
        Ok((Box::new(FfmpegSource::open(path)?), "ffmpeg"))
    };
    match (choice, kind) {
        (Decoder::Ffmpeg, _) => ffmpeg(),
        (Decoder::Builtin, _) => Ok((Box::new(Mp4H264Source::open(path)?), "openh264")),
        (Decoder::Auto, Container::Mp4) => match Mp4H264Source::open(path) {
            Ok(s) => Ok((Box::new(s), "openh264")),
            Err(VideoError::Format { message, .. }) if message.contains("no H.264") => ffmpeg(),
            Err(e) => Err(e),
        },
        (Decoder::Auto, _) => ffmpeg(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn file_with(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("attune-sniff-{}-{name}", std::process::id()));
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn containers_are_known_by_their_first_bytes() {
        let y4m = file_with("a", b"YUV4MPEG2 W2 H2 F25:1\n");
        let mp4 = file_with("b", b"\0\0\0\x18ftypisom\0\0\0\0");
        let other = file_with("c", b"\x1aE\xdf\xa3 matroska");
        let short = file_with("d", b"YU");
        assert_eq!(sniff(&y4m).unwrap(), Container::Y4m);
        assert_eq!(sniff(&mp4).unwrap(), Container::Mp4);
        assert_eq!(sniff(&other).unwrap(), Container::Other);
        assert_eq!(sniff(&short).unwrap(), Container::Other);
        let missing = std::env::temp_dir().join("attune-sniff-none");
        assert!(matches!(sniff(&missing), Err(VideoError::Io { .. })));
    }
}
