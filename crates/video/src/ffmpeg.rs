//! Any container or codec through Debian's `ffmpeg`, when it is installed:
//! decoded to grey (full range) and piped as Y4M, read by [`crate::y4m`].

use std::io::BufReader;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::VideoError;
use crate::frame::{Frame, FrameSource, VideoInfo};
use crate::y4m::Y4mSource;

pub struct FfmpegSource {
    inner: Y4mSource<BufReader<ChildStdout>>,
    child: Child,
    name: String,
}

/// Whether an `ffmpeg` binary answers on this machine.
pub fn available() -> bool {
    Command::new("ffmpeg")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl FfmpegSource {
    pub fn open(path: &Path) -> Result<FfmpegSource, VideoError> {
        let name = path.display().to_string();
        if !path.is_file() {
            return Err(VideoError::Io {
                file: name,
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        let mut child = Command::new("ffmpeg")
            .args(["-v", "error", "-nostdin", "-i"])
            .arg(path)
            .args([
                "-map",
                "0:v:0",
                "-f",
                "yuv4mpegpipe",
                "-pix_fmt",
                "gray",
                "-strict",
                "-1",
                "-",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => VideoError::MissingTool {
                    tool: "ffmpeg",
                    what: format!("decoding {name}"),
                },
                _ => VideoError::Io {
                    file: name.clone(),
                    source: e,
                },
            })?;
        let stdout = child.stdout.take().ok_or_else(|| VideoError::Format {
            file: name.clone(),
            message: "ffmpeg gave no output".into(),
        })?;
        match Y4mSource::new(BufReader::new(stdout), &name) {
            Ok(inner) => Ok(FfmpegSource { inner, child, name }),
            Err(e) => Err(Self::failure(&mut child, &name).unwrap_or(e)),
        }
    }

    /// ffmpeg's own words when it stopped with an error.
    fn failure(child: &mut Child, name: &str) -> Option<VideoError> {
        use std::io::Read;
        let status = child.wait().ok()?;
        if status.success() {
            return None;
        }
        let mut text = String::new();
        child.stderr.take()?.read_to_string(&mut text).ok()?;
        let line = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("decoding failed");
        Some(VideoError::Format {
            file: name.to_owned(),
            message: format!("ffmpeg: {}", line.trim()),
        })
    }
}

impl FrameSource for FfmpegSource {
    fn info(&self) -> &VideoInfo {
        self.inner.info()
    }

    fn next_frame(&mut self) -> Result<Option<Frame>, VideoError> {
        match self.inner.next_frame() {
            Ok(None) => match Self::failure(&mut self.child, &self.name) {
                Some(e) => Err(e),
                None => Ok(None),
            },
            other => other,
        }
    }
}

impl Drop for FfmpegSource {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
