//! The client page's view of session video: synchrony per analysed session
//! over the course (against its chance level), the latest lag profile, and
//! the client's movement before vs after the medicine sessions.

use attune_store::SessionKind;
use attune_store::{MovementRecord, Session, SessionVideo, VideoAnalysis};
use time::OffsetDateTime;

use super::day;
use super::session::video::{chance_text, lag_chart, lead_text};
use crate::charts::{Chart, Rule, Series};

pub struct SyncRow {
    pub session: String,
    pub href: String,
    pub synchrony: String,
    pub chance: String,
    pub lead: String,
}

pub struct BeforeAfter {
    pub before: String,
    pub after: String,
    /// (what, before, after, change)
    pub rows: Vec<(String, String, String, String)>,
}

pub struct MovementPanel {
    pub chart: String,
    pub rows: Vec<SyncRow>,
    pub latest: String,
    pub lag_chart: String,
    pub before_after: Option<BeforeAfter>,
    pub waiting: usize,
    pub failed: usize,
}

struct Analysed<'a> {
    session: &'a Session,
    at: OffsetDateTime,
    video: &'a SessionVideo,
    analysis: &'a VideoAnalysis,
}

fn label(s: &Session) -> String {
    format!(
        "Session {} ({}, {})",
        s.number,
        s.kind.label(),
        day(s.when())
    )
}

fn synchrony_chart(list: &[Analysed<'_>], medicine: &[OffsetDateTime]) -> String {
    let start = list[0].at;
    let days = |t: OffsetDateTime| (t - start).as_seconds_f64() / 86_400.0;
    let end = days(list[list.len() - 1].at).max(1.0);
    let real: Vec<(f64, f64)> = list
        .iter()
        .map(|a| (days(a.at), a.analysis.synchrony))
        .collect();
    let chance: Vec<(f64, f64)> = list
        .iter()
        .filter_map(|a| a.analysis.surrogates.map(|s| (days(a.at), s.mean)))
        .collect();
    let top = real
        .iter()
        .chain(&chance)
        .map(|p| p.1)
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    Chart {
        title: "Movement synchrony per session, with its chance level".into(),
        y: (0.0, (top * 1.2).max(0.05)),
        x: (0.0, end),
        x_ticks: (0..=4)
            .map(|k| {
                let d = end * f64::from(k) / 4.0;
                (d, format!("day {}", d.round()))
            })
            .collect(),
        series: vec![
            Series {
                name: "synchrony".into(),
                colour: "#2d6a8f",
                points: real,
            },
            Series {
                name: "chance (time-shuffled)".into(),
                colour: "#9aa3b2",
                points: chance,
            },
        ],
        bands: vec![],
        rules: medicine
            .iter()
            .map(|t| days(*t))
            .filter(|d| (0.0..=end).contains(d))
            .map(|x| Rule {
                x,
                label: "medicine session".into(),
            })
            .collect(),
        marks: vec![],
    }
    .svg()
}

fn before_after(list: &[Analysed<'_>], medicine: &[OffsetDateTime]) -> Option<BeforeAfter> {
    let (first, last) = (medicine.iter().min()?, medicine.iter().max()?);
    let before = list.iter().rev().find(|a| a.at < *first)?;
    let after = list.iter().rev().find(|a| a.at > *last)?;
    let (b, a) = (before.analysis.client?, after.analysis.client?);
    let row = |what: &str, f: &dyn Fn(&MovementRecord) -> f64, unit: &str| {
        let (x, y) = (f(&b), f(&a));
        (
            what.to_owned(),
            format!("{x:.1}{unit}"),
            format!("{y:.1}{unit}"),
            format!("{:+.1}{unit}", y - x),
        )
    };
    let mut rows = vec![
        row("Mean movement (% of the client's picture)", &|m| m.mean, ""),
        row("Variability (SD)", &|m| m.sd, ""),
        row("Time moving", &|m| m.moving_share * 100.0, " %"),
    ];
    let (x, y) = (before.analysis.synchrony, after.analysis.synchrony);
    rows.push((
        "Synchrony with the therapist".into(),
        format!("{x:.3}"),
        format!("{y:.3}"),
        format!("{:+.3}", y - x),
    ));
    Some(BeforeAfter {
        before: label(before.session),
        after: label(after.session),
        rows,
    })
}

/// `None` when the client has no session video at all.
pub fn panel(sessions: &[&Session], videos: &[SessionVideo]) -> Option<MovementPanel> {
    if videos.is_empty() {
        return None;
    }
    let mut list: Vec<Analysed<'_>> = videos
        .iter()
        .filter_map(|v| {
            let session = sessions.iter().find(|s| s.id == v.session)?;
            Some(Analysed {
                session,
                at: session.when(),
                video: v,
                analysis: v.analysis.as_ref()?,
            })
        })
        .collect();
    list.sort_by_key(|a| (a.at, a.video.uploaded_at));
    let medicine: Vec<OffsetDateTime> = sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Medicine)
        .map(|s| s.when())
        .collect();
    let waiting = videos
        .iter()
        .filter(|v| {
            matches!(
                v.state,
                attune_store::JobState::Queued | attune_store::JobState::Running
            )
        })
        .count();
    let failed = videos
        .iter()
        .filter(|v| v.state == attune_store::JobState::Failed)
        .count();
    let Some(latest) = list.last() else {
        return Some(MovementPanel {
            chart: String::new(),
            rows: Vec::new(),
            latest: String::new(),
            lag_chart: String::new(),
            before_after: None,
            waiting,
            failed,
        });
    };
    Some(MovementPanel {
        chart: synchrony_chart(&list, &medicine),
        rows: list
            .iter()
            .map(|a| SyncRow {
                session: label(a.session),
                href: format!("/sessions/{}#video", a.session.id),
                synchrony: format!("{:.3}", a.analysis.synchrony),
                chance: chance_text(a.analysis),
                lead: lead_text(a.analysis),
            })
            .collect(),
        latest: label(latest.session),
        lag_chart: lag_chart(latest.analysis),
        before_after: before_after(&list, &medicine),
        waiting,
        failed,
    })
}
