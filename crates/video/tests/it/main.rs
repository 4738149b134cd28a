//! Motion energy on synthetic two-person video with known movement: raw
//! frames, and the same video encoded as H.264 (with and without B-frames)
//! and decoded through ffmpeg.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod synthetic;
