//! Session video to motion energy. A [`FrameSource`] yields luma planes
//! (raw Y4M read here; any other container or codec through an `ffmpeg`
//! subprocess); [`MotionEnergy`] counts the pixels that changed between
//! consecutive frames inside each region of interest, as Motion Energy
//! Analysis does (`../shared/domain/synchrony.md` §2), and [`output`] writes
//! the MEA text format rMEA reads, or CSV.

mod error;
pub mod ffmpeg;
mod frame;
pub mod h264;
pub mod motion;
mod open;
pub mod output;
pub mod pipeline;
pub mod roi;
pub mod threshold;
pub mod y4m;

pub use error::VideoError;
pub use frame::{Frame, FrameSource, LumaRange, VideoInfo};
pub use motion::{MotionEnergy, MotionSettings};
pub use open::{Container, Decoder, open, sniff};
pub use roi::Roi;
