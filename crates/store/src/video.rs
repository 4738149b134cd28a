//! Session videos and what their analysis found. The file itself lives in
//! the media store under `media_key`; the record keeps whose it is, who
//! attached it, where each person sits in the picture, and the result.
//! Attaching needs the client's current consent to video recording, and
//! queues the analysis job in the same transaction.

use std::fmt;
use std::future::Future;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::Actor;
use crate::jobs::JobState;
use crate::store::Result;

/// A rectangle in percent of the frame, so that a layout is chosen before
/// the video's size is known (origin top left).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PercentRect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A region of the picture belonging to one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// `client` or `therapist`: whose movement the region measures.
    pub person: String,
    /// A name of its own (`client.body`), unique within the layout.
    pub name: String,
    pub rect: PercentRect,
}

/// Regions one layout may have.
pub const MAX_REGIONS: usize = 12;

/// Where the people sit, as the person who attached the video said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoLayout {
    pub regions: Vec<Region>,
}

impl VideoLayout {
    /// The usual two-chair picture: therapist on one side, client on the other.
    pub fn sides(client_on_left: bool) -> VideoLayout {
        let left = PercentRect {
            x: 0.0,
            y: 0.0,
            width: 50.0,
            height: 100.0,
        };
        let right = PercentRect { x: 50.0, ..left };
        let (c, t) = if client_on_left {
            (left, right)
        } else {
            (right, left)
        };
        VideoLayout {
            regions: vec![
                Region {
                    person: "therapist".into(),
                    name: "therapist".into(),
                    rect: t,
                },
                Region {
                    person: "client".into(),
                    name: "client".into(),
                    rect: c,
                },
            ],
        }
    }

    /// The layout as the store keeps it (plain JSON: no client data).
    pub fn to_json(&self) -> std::result::Result<String, crate::StoreError> {
        serde_json::to_string(self)
            .map_err(|e| crate::StoreError::backend("encoding a video layout", e))
    }

    pub fn from_json(text: &str) -> std::result::Result<VideoLayout, crate::StoreError> {
        serde_json::from_str(text)
            .map_err(|_| crate::StoreError::invalid("video layout", "unreadable"))
    }

    /// At most [`MAX_REGIONS`]; every rectangle inside the frame and not
    /// empty; names of letters, digits, '.', '_' and '-', unique; both a
    /// client and a therapist region present.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.regions.len() > MAX_REGIONS {
            return Err(format!("at most {MAX_REGIONS} regions"));
        }
        let mut names = std::collections::HashSet::new();
        for r in &self.regions {
            let ok_name = !r.name.is_empty()
                && r.name.len() <= 40
                && r.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
            if !ok_name {
                return Err(format!(
                    "'{}': a region's name uses letters, digits, '.', '_' and '-'",
                    r.name
                ));
            }
            let p = r.rect;
            let inside = [p.x, p.y, p.width, p.height]
                .iter()
                .all(|v| v.is_finite() && (0.0..=100.0).contains(v))
                && p.width > 0.0
                && p.height > 0.0
                && p.x + p.width <= 100.0
                && p.y + p.height <= 100.0;
            if !inside {
                return Err(format!(
                    "region '{}' must lie inside the picture (0-100 %) and not be empty",
                    r.name
                ));
            }
            if !["client", "therapist"].contains(&r.person.as_str()) {
                return Err(format!(
                    "region '{}' belongs to '{}'; a region is the client's or the therapist's",
                    r.name, r.person
                ));
            }
            if !names.insert(r.name.as_str()) {
                return Err(format!("two regions are named '{}'", r.name));
            }
        }
        for person in ["client", "therapist"] {
            if !self.regions.iter().any(|r| r.person == person) {
                return Err(format!("the layout has no region for the {person}"));
            }
        }
        Ok(())
    }
}

/// One person's movement over a video (see `attune_synchrony::MovementProfile`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MovementRecord {
    /// Mean motion energy: the share of the person's regions that changed, in percent.
    pub mean: f64,
    pub sd: f64,
    /// Share of samples (0-1) with any movement.
    pub moving_share: f64,
}

/// The session's synchrony against surrogates made by shuffling its own segments.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SurrogateRecord {
    pub count: usize,
    pub mean: f64,
    pub sd: f64,
    /// Share of surrogates below the real value (0-1).
    pub percentile: f64,
    pub z: f64,
}

/// What the analysis of one session video found. Kept sealed with the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoAnalysis {
    pub frames: u64,
    pub width: usize,
    pub height: usize,
    /// Frames per second of the video, and samples per second of the series.
    pub fps: f64,
    pub rate: f64,
    pub duration_sec: f64,
    /// Settings of the computation, so that a number can be reproduced.
    pub window_sec: f64,
    pub step_sec: f64,
    pub max_lag_sec: f64,
    pub smooth_sec: f64,
    pub threshold: u8,
    /// Mean of absolute Fisher-z cross-correlations (rMEA's grand average).
    pub synchrony: f64,
    /// Lags in seconds (positive: the client leads) and the mean per lag.
    pub lag_seconds: Vec<f64>,
    pub lag_profile: Vec<f64>,
    /// Per window: its start in seconds and its mean over lags.
    pub window_start: Vec<f64>,
    pub window_synchrony: Vec<f64>,
    pub surrogates: Option<SurrogateRecord>,
    pub client: Option<MovementRecord>,
    pub therapist: Option<MovementRecord>,
    /// Which decoder read the file: `y4m`, `openh264`, `ffmpeg`.
    pub decoder: String,
}

#[derive(Clone, PartialEq)]
pub struct NewVideo {
    pub session: Uuid,
    /// Where the media store keeps the file.
    pub media_key: String,
    /// The name it was uploaded under (sealed: names can identify).
    pub file_name: String,
    pub bytes: u64,
    pub sha256: String,
    pub layout: VideoLayout,
    pub uploaded_by: Option<Uuid>,
}

impl fmt::Debug for NewVideo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewVideo")
            .field("session", &self.session)
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq)]
pub struct SessionVideo {
    pub id: Uuid,
    pub session: Uuid,
    pub client: Uuid,
    pub media_key: String,
    pub file_name: String,
    pub bytes: u64,
    pub sha256: String,
    pub layout: VideoLayout,
    pub uploaded_by: Option<Uuid>,
    pub uploaded_at: OffsetDateTime,
    /// The analysis job's state, its attempts and last error.
    pub state: JobState,
    pub attempts: u32,
    pub error: Option<String>,
    pub analysis: Option<VideoAnalysis>,
    pub analysed_at: Option<OffsetDateTime>,
    /// When the file was removed from the media store (retention or by hand).
    pub file_deleted_at: Option<OffsetDateTime>,
}

impl fmt::Debug for SessionVideo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionVideo")
            .field("id", &self.id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

pub trait VideoStore: Send + Sync {
    /// Records the video and queues its analysis, in one transaction. Fails
    /// with a conflict unless the client's latest video-recording consent is
    /// a grant.
    fn attach_video(
        &self,
        actor: &Actor,
        new: NewVideo,
    ) -> impl Future<Output = Result<SessionVideo>> + Send;

    /// Whose video this is, (client, session), before anything is read:
    /// the web layer checks access with it. No client data, not audited.
    fn video_owner(&self, id: Uuid) -> impl Future<Output = Result<Option<(Uuid, Uuid)>>> + Send;

    fn video(&self, actor: &Actor, id: Uuid) -> impl Future<Output = Result<SessionVideo>> + Send;

    /// A client's videos, oldest session first.
    fn client_videos(
        &self,
        actor: &Actor,
        client: Uuid,
    ) -> impl Future<Output = Result<Vec<SessionVideo>>> + Send;

    /// Stores the result and finishes the job, if `worker` still holds its
    /// lease (otherwise a conflict: another worker took it over).
    fn record_analysis(
        &self,
        actor: &Actor,
        job: Uuid,
        worker: &str,
        analysis: &VideoAnalysis,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Files analysed (or failed for good) before `before`, still in the
    /// media store: (video, media key).
    fn videos_past_retention(
        &self,
        before: OffsetDateTime,
    ) -> impl Future<Output = Result<Vec<(Uuid, String)>>> + Send;

    /// Notes that the file is gone; the analysis stays.
    fn mark_video_file_deleted(
        &self,
        actor: &Actor,
        video: Uuid,
    ) -> impl Future<Output = Result<()>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_sided_layout_is_valid_both_ways() {
        for left in [true, false] {
            let l = VideoLayout::sides(left);
            assert_eq!(l.check(), Ok(()));
            let client = l.regions.iter().find(|r| r.person == "client").unwrap();
            assert_eq!(client.rect.x == 0.0, left);
        }
    }

    #[test]
    fn a_layout_outside_the_picture_or_without_a_person_is_refused() {
        let mut l = VideoLayout::sides(true);
        l.regions[0].rect.width = 60.0; // 50 + 60 > 100
        assert!(l.check().unwrap_err().contains("inside the picture"));
        let mut l = VideoLayout::sides(true);
        l.regions.retain(|r| r.person == "client");
        assert!(l.check().unwrap_err().contains("therapist"));
        let mut l = VideoLayout::sides(true);
        l.regions[0].person = "visitor".into();
        assert!(l.check().unwrap_err().contains("visitor"));
        let mut l = VideoLayout::sides(true);
        l.regions[1].name = "therapist".into();
        assert!(l.check().unwrap_err().contains("two regions"));
        let mut l = VideoLayout::sides(true);
        l.regions[0].rect.x = f64::NAN;
        assert!(l.check().is_err());
        let mut l = VideoLayout::sides(true);
        l.regions[0].name = "the rapist".into();
        assert!(l.check().unwrap_err().contains("letters"));
        let mut l = VideoLayout::sides(true);
        let extra = l.regions[1].clone();
        for k in 0..MAX_REGIONS {
            l.regions.push(Region {
                name: format!("client.part{k}"),
                ..extra.clone()
            });
        }
        assert!(l.check().unwrap_err().contains("at most"));
    }
}
