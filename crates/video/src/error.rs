//! What can go wrong reading video or measuring it; every error names the
//! file (or stream) and, where there is one, the frame.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum VideoError {
    #[error("{file}: {message}")]
    Format { file: String, message: String },
    #[error("{file}: frame {frame}: {message}")]
    Frame {
        file: String,
        frame: u64,
        message: String,
    },
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{tool} is needed for {what} but was not found: install it (Debian: apt-get install ffmpeg)"
    )]
    MissingTool { tool: &'static str, what: String },
    #[error("region '{name}': {message}")]
    Roi { name: String, message: String },
    #[error("{field}: {message}")]
    Setting {
        field: &'static str,
        message: String,
    },
}
