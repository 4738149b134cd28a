//! A client's session videos and what their analyses found: the numbers a
//! researcher's tools read (synchrony, lag profile, windows, chance level,
//! movement). The wire shape is ours here, converted from the store's.

use attune_store::Code;
use attune_store::{MovementRecord, SessionVideo, VideoAnalysis};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::{ApiResult, ApiStaff};
use crate::access::{self, Need};
use crate::app::{Shared, Stores};

#[derive(Serialize)]
pub struct Movement {
    mean_percent: f64,
    sd: f64,
    moving_share: f64,
}

impl From<MovementRecord> for Movement {
    fn from(m: MovementRecord) -> Self {
        Movement {
            mean_percent: m.mean,
            sd: m.sd,
            moving_share: m.moving_share,
        }
    }
}

#[derive(Serialize)]
pub struct Chance {
    surrogates: usize,
    mean: f64,
    sd: f64,
    percentile: f64,
    z: f64,
}

#[derive(Serialize)]
pub struct AnalysisOut {
    synchrony: f64,
    frames: u64,
    fps: f64,
    duration_sec: f64,
    window_sec: f64,
    step_sec: f64,
    max_lag_sec: f64,
    smooth_sec: f64,
    threshold: u8,
    decoder: String,
    /// Positive lags: the client leads.
    lag_seconds: Vec<f64>,
    lag_profile: Vec<f64>,
    window_start_sec: Vec<f64>,
    window_synchrony: Vec<f64>,
    chance: Option<Chance>,
    client: Option<Movement>,
    therapist: Option<Movement>,
}

impl From<VideoAnalysis> for AnalysisOut {
    fn from(a: VideoAnalysis) -> Self {
        AnalysisOut {
            synchrony: a.synchrony,
            frames: a.frames,
            fps: a.fps,
            duration_sec: a.duration_sec,
            window_sec: a.window_sec,
            step_sec: a.step_sec,
            max_lag_sec: a.max_lag_sec,
            smooth_sec: a.smooth_sec,
            threshold: a.threshold,
            decoder: a.decoder,
            lag_seconds: a.lag_seconds,
            lag_profile: a.lag_profile,
            window_start_sec: a.window_start,
            window_synchrony: a.window_synchrony,
            chance: a.surrogates.map(|s| Chance {
                surrogates: s.count,
                mean: s.mean,
                sd: s.sd,
                percentile: s.percentile,
                z: s.z,
            }),
            client: a.client.map(Movement::from),
            therapist: a.therapist.map(Movement::from),
        }
    }
}

#[derive(Serialize)]
pub struct VideoOut {
    id: Uuid,
    session: Uuid,
    file_name: String,
    bytes: u64,
    sha256: String,
    uploaded_at: String,
    state: &'static str,
    attempts: u32,
    error: Option<String>,
    analysed_at: Option<String>,
    file_deleted_at: Option<String>,
    analysis: Option<AnalysisOut>,
}

impl From<SessionVideo> for VideoOut {
    fn from(v: SessionVideo) -> Self {
        let t = |t: time::OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
        VideoOut {
            id: v.id,
            session: v.session,
            file_name: v.file_name,
            bytes: v.bytes,
            sha256: v.sha256,
            uploaded_at: t(v.uploaded_at),
            state: v.state.code(),
            attempts: v.attempts,
            error: v.error,
            analysed_at: v.analysed_at.map(t),
            file_deleted_at: v.file_deleted_at.map(t),
            analysis: v.analysis.map(AnalysisOut::from),
        }
    }
}

pub async fn list<S: Stores>(
    State(app): State<Shared<S>>,
    ApiStaff(staff): ApiStaff,
    Path(id): Path<Uuid>,
) -> ApiResult<Vec<VideoOut>> {
    access::client(&app, &staff, id, Need::Read).await?;
    let videos = app.store.client_videos(&staff.actor(), id).await?;
    Ok(Json(videos.into_iter().map(VideoOut::from).collect()))
}
