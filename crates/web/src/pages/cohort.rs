//! The cohort view (researchers, supervisors): de-identified figures for the
//! whole clinic. No client code, name or date is shown: counts, and how the
//! alliance before the first medicine session relates to the change in the
//! course's outcome measure, as one correlation with its interval and a
//! scatter of anonymous points.

use attune_store::SessionKind;
use std::collections::BTreeMap;

use askama::Template;
use attune_stats::pearson;
use attune_store::CohortTotal;
use axum::extract::State;
use axum::response::Html;
use uuid::Uuid;

use super::overview::{ACUTE, ALLIANCE_CLIENT, OUTCOMES};
use super::render;
use crate::access::{self, Area};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::charts::{Chart, Mark, Symbol};
use crate::http::error::AppError;

#[derive(Template)]
#[template(path = "cohort.html")]
struct Page {
    me: Option<Me>,
    figures: Vec<(String, u64)>,
    n: usize,
    r: String,
    ci: String,
    scatter: Option<String>,
}

/// Per course: the mean client-rated alliance before the first medicine
/// session, and the outcome's percentage improvement from its first to its
/// last total (every outcome measure here is scored "higher is worse").
/// `dosing` holds rows taken at medicine sessions (acute-experience
/// measures), which tell where the first dose was.
pub fn alliance_and_improvement(
    alliance: &[CohortTotal],
    outcomes: &[CohortTotal],
    dosing: &[CohortTotal],
) -> Vec<(f64, f64)> {
    let mut first_dose: BTreeMap<Uuid, u32> = BTreeMap::new();
    for a in alliance.iter().chain(outcomes).chain(dosing) {
        if let (Some(course), Some(SessionKind::Medicine), Some(n)) =
            (a.course, a.session_kind, a.session_number)
        {
            let e = first_dose.entry(course).or_insert(n);
            *e = (*e).min(n);
        }
    }
    let mut before: BTreeMap<Uuid, Vec<f64>> = BTreeMap::new();
    for a in alliance.iter().filter(|a| a.instrument == ALLIANCE_CLIENT) {
        let (Some(course), Some(n)) = (a.course, a.session_number) else {
            continue;
        };
        if first_dose.get(&course).is_some_and(|d| n < *d) {
            before.entry(course).or_default().push(a.total);
        }
    }
    let mut outcome: BTreeMap<Uuid, (f64, f64)> = BTreeMap::new();
    for o in outcomes {
        let Some(course) = o.course else { continue };
        outcome
            .entry(course)
            .and_modify(|(_, last)| *last = o.total)
            .or_insert((o.total, o.total));
    }
    before
        .iter()
        .filter_map(|(course, values)| {
            let (first, last) = outcome.get(course)?;
            (*first > 0.0).then(|| {
                let mean = values.iter().sum::<f64>() / values.len() as f64;
                (mean, 100.0 * (first - last) / first)
            })
        })
        .collect()
}

pub async fn page<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
) -> Result<Html<String>, AppError> {
    access::require(&staff, Area::Cohort)?;
    let c = app.store.counts().await?;
    let actor = staff.actor();
    let alliance = app.store.cohort_totals(&actor, &[ALLIANCE_CLIENT]).await?;
    let outcomes = app.store.cohort_totals(&actor, OUTCOMES).await?;
    let dosing = app.store.cohort_totals(&actor, ACUTE).await?;
    let pairs = alliance_and_improvement(&alliance, &outcomes, &dosing);
    let corr = pearson(&pairs);
    let scatter = (!pairs.is_empty()).then(|| {
        let lo = pairs.iter().map(|p| p.1).fold(0.0, f64::min).floor();
        let hi = pairs.iter().map(|p| p.1).fold(100.0, f64::max).ceil();
        Chart {
            title: "Alliance before the first dose (x) and outcome improvement in % (y), one ring per course".into(),
            y: (lo, hi),
            x: (0.0, 10.0),
            x_ticks: (0..=5).map(|k| (f64::from(k * 2), (k * 2).to_string())).collect(),
            series: vec![],
            bands: vec![],
            rules: vec![],
            marks: pairs
                .iter()
                .map(|(x, y)| Mark {
                    x: *x,
                    y: *y,
                    symbol: Symbol::Good,
                    title: format!("alliance {x:.1}, improvement {y:.0} %"),
                })
                .collect(),
        }
        .svg()
    });
    render(&Page {
        me: Some(staff.me()),
        figures: vec![
            ("Clients".into(), c.clients),
            ("Courses of care".into(), c.courses),
            ("Sessions".into(), c.sessions),
            ("Measures completed".into(), c.administrations),
            ("Alerts raised".into(), c.alerts),
        ],
        n: pairs.len(),
        r: corr.map_or("not computable".into(), |c| format!("{:.2}", c.r)),
        ci: corr.and_then(|c| c.ci95).map_or(String::new(), |(lo, hi)| {
            format!("95 % CI {lo:.2} to {hi:.2}")
        }),
        scatter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn row(
        course: Uuid,
        instrument: &str,
        kind: SessionKind,
        number: u32,
        total: f64,
    ) -> CohortTotal {
        CohortTotal {
            client: course,
            lead_therapist: Uuid::nil(),
            co_therapist: None,
            course: Some(course),
            session_kind: Some(kind),
            session_number: Some(number),
            instrument: instrument.into(),
            total,
            administered_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn alliance_before_the_first_dose_against_percent_improvement() {
        let a = Uuid::now_v7();
        let alliance = vec![
            row(a, ALLIANCE_CLIENT, SessionKind::Preparation, 2, 6.0),
            row(a, ALLIANCE_CLIENT, SessionKind::Preparation, 3, 8.0),
            row(a, ALLIANCE_CLIENT, SessionKind::Medicine, 4, 9.0),
            row(a, ALLIANCE_CLIENT, SessionKind::Integration, 5, 2.0),
        ];
        let outcomes = vec![
            row(a, "phq9", SessionKind::Screening, 1, 20.0),
            row(a, "phq9", SessionKind::Integration, 5, 5.0),
        ];
        // Mean of sessions 2 and 3 only (7.0); (20 − 5) / 20 = 75 %.
        assert_eq!(
            alliance_and_improvement(&alliance, &outcomes, &[]),
            vec![(7.0, 75.0)]
        );
        // The first dose can also come from an acute-experience measure.
        let dosing = vec![row(a, "meq30", SessionKind::Medicine, 3, 3.0)];
        assert_eq!(
            alliance_and_improvement(&alliance, &outcomes, &dosing),
            vec![(6.0, 75.0)]
        );
        // A course with no dose yet, or no outcome, gives no point.
        let b = Uuid::now_v7();
        let undosed = vec![row(b, ALLIANCE_CLIENT, SessionKind::Preparation, 2, 6.0)];
        assert!(alliance_and_improvement(&undosed, &outcomes, &[]).is_empty());
    }
}
