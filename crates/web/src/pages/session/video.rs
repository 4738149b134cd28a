//! Session videos: attaching one (with the client's consent to recording),
//! what became of its analysis, and deleting the file once it is no longer
//! needed. The file streams to the private media store and is never served;
//! the analysis (a background job) stays with the session.

use askama::Template;
use attune_store::{JobState, NewVideo, SessionVideo, VideoAnalysis, VideoLayout};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::context;
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::charts::{Chart, Rule, Series};
use crate::http::error::AppError;
use crate::pages::{day, render};

/// A video as the session page lists it.
pub struct VideoRow {
    pub id: String,
    pub file_name: String,
    pub uploaded: String,
    pub size: String,
    pub state: &'static str,
    pub error: Option<String>,
    pub file_kept: bool,
    pub result: Option<ResultView>,
    /// Where each person was measured, in percent of the picture.
    pub regions: String,
}

/// An analysis in words and one chart.
pub struct ResultView {
    pub synchrony: String,
    pub chance: String,
    pub lead: String,
    pub movement: String,
    pub settings: String,
    pub lag_chart: String,
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1u32 << 20)),
        b => format!("{:.0} kB", (b as f64 / 1024.0).ceil()),
    }
}

fn state_label(v: &SessionVideo) -> &'static str {
    match v.state {
        JobState::Queued if v.attempts > 0 => "waiting to be tried again",
        JobState::Queued => "waiting for analysis",
        JobState::Running => "being analysed",
        JobState::Done => "analysed",
        JobState::Failed => "analysis failed",
    }
}

/// The lag where the lag profile peaks (first maximum), in seconds.
pub fn peak_lag(a: &VideoAnalysis) -> Option<f64> {
    let mut best: Option<(f64, f64)> = None;
    for (v, lag) in a.lag_profile.iter().zip(&a.lag_seconds) {
        if !v.is_nan() && best.is_none_or(|(b, _)| *v > b) {
            best = Some((*v, *lag));
        }
    }
    best.map(|(_, lag)| lag)
}

pub fn lead_text(a: &VideoAnalysis) -> String {
    match peak_lag(a) {
        Some(l) if l > 0.0 => format!("the client tends to lead, by about {l:.1} s"),
        Some(l) if l < 0.0 => format!("the therapist tends to lead, by about {:.1} s", -l),
        Some(_) => "they move most in step at the same moment (lag 0)".into(),
        None => "no lead or lag can be told".into(),
    }
}

/// Compared with the same session's movement shuffled in time: z ≥ 1.96 is
/// above what the two people's own rhythms give by chance (two-sided 5 %).
pub fn chance_text(a: &VideoAnalysis) -> String {
    match &a.surrogates {
        Some(s) if s.z.is_finite() => format!(
            "{} chance: z = {:.1}; higher than {:.0} % of {} time-shuffled versions of this session",
            if s.z >= 1.96 { "above" } else { "not above" },
            s.z,
            s.percentile * 100.0,
            s.count
        ),
        _ => "not compared with chance (the video is shorter than two windows)".into(),
    }
}

pub fn lag_chart(a: &VideoAnalysis) -> String {
    let points: Vec<(f64, f64)> = a
        .lag_seconds
        .iter()
        .zip(&a.lag_profile)
        .filter(|(_, v)| v.is_finite())
        .map(|(l, v)| (*l, *v))
        .collect();
    let top = points.iter().map(|p| p.1).fold(0.0f64, f64::max);
    let l = a.max_lag_sec;
    Chart {
        title: "Lag profile: synchrony at each lag (right of 0: the client leads)".into(),
        y: (0.0, (top * 1.15).max(0.05)),
        x: (-l, l),
        x_ticks: vec![
            (-l, format!("therapist leads {l} s")),
            (0.0, "0".into()),
            (l, format!("client leads {l} s")),
        ],
        series: vec![Series {
            name: "mean |z|".into(),
            colour: "#2d6a8f",
            points,
        }],
        bands: vec![],
        rules: vec![Rule {
            x: 0.0,
            label: "lag 0".into(),
        }],
        marks: vec![],
    }
    .svg()
}

fn result_view(a: &VideoAnalysis) -> ResultView {
    let moving = |m: &Option<attune_store::MovementRecord>| {
        m.map_or("–".to_owned(), |m| {
            format!(
                "{:.1} % of the picture on average, moving {:.0} % of the time",
                m.mean,
                m.moving_share * 100.0
            )
        })
    };
    ResultView {
        synchrony: format!("{:.3}", a.synchrony),
        chance: chance_text(a),
        lead: lead_text(a),
        movement: format!(
            "Client: {}. Therapist: {}.",
            moving(&a.client),
            moving(&a.therapist)
        ),
        settings: format!(
            "{} of video ({} frames, {}×{}, {} fps, read by {}); windows of {} s every {} s, lags up to ±{} s, smoothing {} s, noise threshold {}.",
            minutes_seconds(a.duration_sec),
            a.frames,
            a.width,
            a.height,
            a.fps,
            a.decoder,
            a.window_sec,
            a.step_sec,
            a.max_lag_sec,
            a.smooth_sec,
            a.threshold
        ),
        lag_chart: lag_chart(a),
    }
}

/// "1 min 10 s": rounded to the second first, so 59.96 s is "1 min 0 s".
fn minutes_seconds(sec: f64) -> String {
    let whole = sec.max(0.0).round() as u64;
    format!("{} min {} s", whole / 60, whole % 60)
}

/// The regions as typed: `client.head=50,0,50,40; …`.
fn regions_text(layout: &VideoLayout) -> String {
    layout
        .regions
        .iter()
        .map(|r| {
            format!(
                "{}={},{},{},{}",
                r.name, r.rect.x, r.rect.y, r.rect.width, r.rect.height
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn rows(videos: &[SessionVideo], session: Uuid) -> Vec<VideoRow> {
    videos
        .iter()
        .filter(|v| v.session == session)
        .map(|v| VideoRow {
            id: v.id.to_string(),
            file_name: v.file_name.clone(),
            uploaded: day(v.uploaded_at),
            size: size(v.bytes),
            state: state_label(v),
            error: v.error.clone(),
            file_kept: v.file_deleted_at.is_none(),
            result: v.analysis.as_ref().map(result_view),
            regions: regions_text(&v.layout),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "video_error.html")]
struct UploadError {
    me: Option<crate::auth::session::Me>,
    session: String,
    message: String,
}

fn refused(staff: &Staff, session: Uuid, status: StatusCode, message: String) -> Response {
    let page = UploadError {
        me: Some(staff.me()),
        session: session.to_string(),
        message,
    };
    match render(&page) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

/// What an upload form brought: the stored file (at most one), its name,
/// and the side the client sits on.
#[derive(Default)]
struct Received {
    stored: Option<attune_media::Stored>,
    file_name: String,
    client_on_left: Option<bool>,
    /// Regions typed in percent (`client.head=50,0,50,40; ...`), if any.
    regions: String,
}

/// The longest value of a text field of the form that is read.
const SMALL_FIELD: usize = 600;

/// Regions in percent of the picture, `NAME=x,y,w,h` separated by `;`,
/// each name `client`, `therapist` or one of them with a part
/// (`client.head`): head and body apart, as Ramseyer & Tschacher 2014 did.
pub fn parse_regions(text: &str) -> Result<VideoLayout, String> {
    let mut regions = Vec::new();
    for spec in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, rect) = spec
            .split_once('=')
            .ok_or_else(|| format!("'{spec}': write NAME=x,y,w,h in percent"))?;
        let name = name.trim();
        let person = name.split('.').next().unwrap_or(name);
        let numbers: Vec<f64> = rect
            .split(',')
            .map(|n| n.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("'{name}': x, y, width and height are numbers (percent)"))?;
        let [x, y, width, height] = numbers[..] else {
            return Err(format!("'{name}': four numbers, x,y,w,h"));
        };
        regions.push(attune_store::Region {
            person: person.to_owned(),
            name: name.to_owned(),
            rect: attune_store::PercentRect {
                x,
                y,
                width,
                height,
            },
        });
    }
    // Names, bounds and the people are checked where every layout is.
    let layout = VideoLayout { regions };
    layout.check()?;
    Ok(layout)
}

fn incomplete(e: &axum::extract::multipart::MultipartError) -> (StatusCode, String) {
    (
        e.status(),
        format!(
            "The upload did not arrive whole ({}). Try again.",
            e.body_text()
        ),
    )
}

/// Reads the form, streaming the video to the media store. On a refusal
/// the caller removes whatever was stored.
async fn read_form<S: Stores>(
    app: &Shared<S>,
    mut form: Multipart,
    into: &mut Received,
) -> Result<(), (StatusCode, String)> {
    while let Some(mut field) = form.next_field().await.map_err(|e| incomplete(&e))? {
        match field.name().unwrap_or("") {
            name @ ("client_side" | "regions") => {
                let name = name.to_owned();
                let mut text = Vec::new();
                while let Some(bytes) = field.chunk().await.map_err(|e| incomplete(&e))? {
                    text.extend_from_slice(&bytes);
                    if text.len() > SMALL_FIELD {
                        return Err((
                            StatusCode::UNPROCESSABLE_ENTITY,
                            format!("{name}: at most {SMALL_FIELD} characters"),
                        ));
                    }
                }
                if name == "regions" {
                    into.regions = String::from_utf8_lossy(&text).trim().to_owned();
                } else {
                    into.client_on_left = match text.as_slice() {
                        b"left" => Some(true),
                        b"right" => Some(false),
                        _ => None,
                    };
                }
            }
            "video" => {
                if into.stored.is_some() {
                    return Err((
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "video: one file per upload".into(),
                    ));
                }
                into.file_name = field
                    .file_name()
                    .unwrap_or("video")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect();
                let internal = |e: attune_media::MediaError| {
                    let status = match e {
                        attune_media::MediaError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                        _ => StatusCode::INTERNAL_SERVER_ERROR,
                    };
                    (status, format!("The video was not stored: {e}."))
                };
                let mut up = app
                    .media
                    .begin(app.settings.max_video)
                    .await
                    .map_err(internal)?;
                while let Some(bytes) = field.chunk().await.map_err(|e| incomplete(&e))? {
                    up.write(&bytes).await.map_err(internal)?;
                }
                match up.finish().await {
                    Ok(s) => into.stored = Some(s),
                    Err(attune_media::MediaError::Empty) => {}
                    Err(e) => return Err(internal(e)),
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The upload: the file streams to the media store; the record is written
/// (with its analysis job) only when the whole file is on disk, and the
/// file is removed again if the record refuses it.
pub async fn upload<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    form: Multipart,
) -> Result<Response, AppError> {
    context(&app, &staff, id, Need::Write).await?;
    let mut received = Received::default();
    let read = read_form(&app, form, &mut received).await;
    let checked = read.and_then(|()| {
        let unprocessable = |m: String| (StatusCode::UNPROCESSABLE_ENTITY, m);
        let stored = received
            .stored
            .clone()
            .ok_or_else(|| unprocessable("video: choose a video file to upload.".into()))?;
        // Regions typed in, or else the side the client sits on.
        let layout = if received.regions.is_empty() {
            received
                .client_on_left
                .map(VideoLayout::sides)
                .ok_or_else(|| {
                    unprocessable(
                        "client_side: say on which side of the picture the client sits.".into(),
                    )
                })?
        } else {
            parse_regions(&received.regions).map_err(|e| unprocessable(format!("regions: {e}")))?
        };
        Ok((stored, layout))
    });
    let (stored, layout) = match checked {
        Ok(ok) => ok,
        Err((status, message)) => {
            // Nothing refused keeps a file.
            if let Some(s) = &received.stored {
                let _ = app.media.delete(&s.key).await;
            }
            return Ok(refused(&staff, id, status, message));
        }
    };
    let file_name = received.file_name;
    let new = NewVideo {
        session: id,
        media_key: stored.key.clone(),
        file_name,
        bytes: stored.bytes,
        sha256: stored.sha256,
        layout,
        uploaded_by: Some(staff.user.id),
    };
    match app.store.attach_video(&staff.actor(), new).await {
        Ok(_) => Ok(Redirect::to(&format!("/sessions/{id}#video")).into_response()),
        Err(e) => {
            let _ = app.media.delete(&stored.key).await;
            match AppError::from(e) {
                AppError::Conflict(what) => Ok(refused(
                    &staff,
                    id,
                    StatusCode::CONFLICT,
                    format!(
                        "The video was not kept: {what}. Record the consent on the client's page first."
                    ),
                )),
                other => Err(other),
            }
        }
    }
}

/// Deletes the file now (the analysis stays). Care team only.
pub async fn delete_file<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
) -> Result<Redirect, AppError> {
    let not_found = || AppError::NotFound("video".into());
    let (client, session) = app.store.video_owner(id).await?.ok_or_else(not_found)?;
    access::client(&app, &staff, client, Need::Write)
        .await
        .map_err(|_| not_found())?;
    let video = app.store.video(&staff.actor(), id).await?;
    app.media
        .delete(&video.media_key)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    app.store
        .mark_video_file_deleted(&staff.actor(), id)
        .await?;
    Ok(Redirect::to(&format!("/sessions/{session}#video")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        assert_eq!(minutes_seconds(59.96), "1 min 0 s");
        assert_eq!(minutes_seconds(69.96), "1 min 10 s");
        assert_eq!(minutes_seconds(3000.0), "50 min 0 s");
        assert_eq!(minutes_seconds(0.4), "0 min 0 s");
    }

    #[test]
    fn typed_regions_become_a_checked_layout() {
        let l =
            parse_regions("client.head=50,0,50,40; client.body=50,40,50,60; therapist=0,0,50,100")
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.regions.len(), 3);
        assert_eq!(l.regions[0].person, "client");
        assert_eq!(l.regions[1].rect.y, 40.0);
        assert_eq!(
            regions_text(&l),
            "client.head=50,0,50,40; client.body=50,40,50,60; therapist=0,0,50,100"
        );
        for (bad, says) in [
            ("client=50,0,50", "four numbers"),
            ("client=a,0,50,100; therapist=0,0,50,100", "numbers"),
            (
                "client=60,0,50,100; therapist=0,0,50,100",
                "inside the picture",
            ),
            ("client=50,0,50,100", "therapist"),
            (
                "visitor=0,0,10,10; client=50,0,50,100; therapist=0,0,50,100",
                "visitor",
            ),
            ("client 50,0,50,100", "NAME=x,y,w,h"),
            ("cli<ent=50,0,50,100", "letters"),
        ] {
            let e = parse_regions(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
