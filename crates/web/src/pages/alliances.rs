//! "My alliances": a therapist's alliance across their caseload, from both
//! sides, with ruptures and repairs, beside the clinic's distribution, as
//! feedback for training. Supervisors open their supervisees' the same way.
//! The clinic figures are aggregates: no other client is named.

use std::collections::BTreeMap;

use askama::Template;
use attune_care::alliance::{AllianceObservation, AllianceRules, RuptureStatus, summarise};
use attune_store::{CohortTotal, Role};
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;
use uuid::Uuid;

use super::overview::{ALLIANCE_CLIENT, ALLIANCE_THERAPIST};
use super::{num, render};
use crate::access::{self, Area};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::charts::{Chart, Series};
use crate::http::error::AppError;

/// One client's alliance, from the cohort rows of their latest course.
struct ClientAlliance {
    observations: Vec<AllianceObservation>,
}

impl ClientAlliance {
    fn client_ratings(&self) -> Vec<f64> {
        self.observations.iter().filter_map(|o| o.client).collect()
    }

    fn mean_client(&self) -> Option<f64> {
        mean(&self.client_ratings())
    }

    fn gaps(&self) -> Vec<f64> {
        self.observations
            .iter()
            .filter_map(|o| Some(o.client? - o.therapist?))
            .collect()
    }
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Groups the clinic's alliance checks by client (latest course only).
fn by_client(rows: &[CohortTotal]) -> BTreeMap<Uuid, ClientAlliance> {
    let mut latest_course: BTreeMap<Uuid, Option<Uuid>> = BTreeMap::new();
    for r in rows {
        latest_course.insert(r.client, r.course);
    }
    let mut out: BTreeMap<Uuid, BTreeMap<u32, AllianceObservation>> = BTreeMap::new();
    for r in rows {
        let (Some(n), true) = (
            r.session_number,
            latest_course.get(&r.client) == Some(&r.course),
        ) else {
            continue;
        };
        let o = out
            .entry(r.client)
            .or_default()
            .entry(n)
            .or_insert(AllianceObservation {
                session: n,
                client: None,
                therapist: None,
            });
        if r.instrument == ALLIANCE_CLIENT {
            o.client = Some(r.total);
        } else {
            o.therapist = Some(r.total);
        }
    }
    out.into_iter()
        .map(|(c, obs)| {
            (
                c,
                ClientAlliance {
                    observations: obs.into_values().collect(),
                },
            )
        })
        .collect()
}

pub struct Row {
    pub id: String,
    pub code: String,
    pub rated: usize,
    pub latest: String,
    pub mean: String,
    pub gap: String,
    pub ruptures: usize,
    pub repaired: usize,
}

pub struct Choice {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "alliances.html")]
struct Page {
    me: Option<Me>,
    whose: String,
    choices: Vec<Choice>,
    rows: Vec<Row>,
    chart: String,
    yours: String,
    clinic_median: String,
    clinic_range: String,
    your_repair: String,
    clinic_repair: String,
    your_gap: String,
}

#[derive(Deserialize)]
pub struct Params {
    therapist: Option<Uuid>,
}

fn repair_rate(list: &[&ClientAlliance]) -> (usize, usize) {
    let rules = AllianceRules::default();
    list.iter().fold((0, 0), |(r, k), c| {
        let s = summarise(&c.observations, &rules);
        let repaired = s
            .ruptures
            .iter()
            .filter(|x| matches!(x.status, RuptureStatus::Repaired { .. }))
            .count();
        (r + s.ruptures.len(), k + repaired)
    })
}

fn rate((ruptures, repaired): (usize, usize)) -> String {
    if ruptures == 0 {
        "no ruptures".into()
    } else {
        format!(
            "{repaired} of {ruptures} repaired ({:.0} %)",
            100.0 * repaired as f64 / ruptures as f64
        )
    }
}

pub async fn page<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Query(params): Query<Params>,
) -> Result<Html<String>, AppError> {
    access::require(&staff, Area::Clinical)?;
    let supervisees = if staff.user.role == Role::Supervisor {
        app.store.supervisees(staff.user.id).await?
    } else {
        Vec::new()
    };
    let whom = params.therapist.unwrap_or(staff.user.id);
    if whom != staff.user.id && !supervisees.contains(&whom) {
        return Err(AppError::NotFound("therapist".into()));
    }
    let users = app.store.users().await?;
    let name = |id: Uuid| {
        users
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| id.to_string(), |u| u.display_name.clone())
    };
    let actor = staff.actor();
    let caseload = app.store.caseload(&actor, whom).await?;
    let rows = app
        .store
        .cohort_totals(&actor, &[ALLIANCE_CLIENT, ALLIANCE_THERAPIST])
        .await?;
    let clinic = by_client(&rows);
    let mine: Vec<(&attune_store::ClientSummary, &ClientAlliance)> = caseload
        .iter()
        .filter_map(|c| clinic.get(&c.id).map(|a| (c, a)))
        .collect();
    let table = mine
        .iter()
        .map(|(c, a)| {
            let s = summarise(&a.observations, &AllianceRules::default());
            Row {
                id: c.id.to_string(),
                code: c.code.clone(),
                rated: a.client_ratings().len(),
                latest: a.client_ratings().last().copied().map_or("–".into(), num),
                mean: a.mean_client().map_or("–".into(), num),
                gap: mean(&a.gaps()).map_or("–".into(), |g| format!("{g:+.1}")),
                ruptures: s.ruptures.len(),
                repaired: s
                    .ruptures
                    .iter()
                    .filter(|x| matches!(x.status, RuptureStatus::Repaired { .. }))
                    .count(),
            }
        })
        .collect();
    // The clinic: every client's mean client-rated alliance, and the mean by session number.
    let clinic_means: Vec<f64> = clinic
        .values()
        .filter_map(ClientAlliance::mean_client)
        .collect();
    let mut by_number: BTreeMap<u32, Vec<f64>> = BTreeMap::new();
    for a in clinic.values() {
        for o in &a.observations {
            if let Some(v) = o.client {
                by_number.entry(o.session).or_default().push(v);
            }
        }
    }
    let palette = ["#2d6a8f", "#4f8fb8", "#1d4e6b", "#6fa8cc", "#3a7ca5"];
    let mut series: Vec<Series> = mine
        .iter()
        .enumerate()
        .map(|(i, (c, a))| Series {
            name: c.code.clone(),
            colour: palette[i % palette.len()],
            points: a
                .observations
                .iter()
                .filter_map(|o| o.client.map(|v| (f64::from(o.session), v)))
                .collect(),
        })
        .collect();
    series.push(Series {
        name: "clinic mean".into(),
        colour: "#c0762c",
        points: by_number
            .iter()
            .filter(|(_, v)| v.len() >= 3)
            .filter_map(|(n, v)| mean(v).map(|m| (f64::from(*n), m)))
            .collect(),
    });
    let last = by_number.keys().max().copied().unwrap_or(2).max(2);
    let chart = Chart {
        title: "Client-rated alliance by session: your clients and the clinic mean".into(),
        y: (0.0, 10.0),
        x: (1.0, f64::from(last)),
        x_ticks: (1..=last)
            .filter(|n| n % 2 == 1)
            .map(|n| (f64::from(n), n.to_string()))
            .collect(),
        series,
        bands: vec![],
        rules: vec![],
        marks: vec![],
    };
    let yours: Vec<f64> = mine.iter().filter_map(|(_, a)| a.mean_client()).collect();
    let mut sorted = clinic_means.clone();
    sorted.sort_by(f64::total_cmp);
    let quartile = |q: f64| {
        sorted
            .get(((sorted.len() as f64 - 1.0) * q).round() as usize)
            .copied()
    };
    let gaps: Vec<f64> = mine.iter().flat_map(|(_, a)| a.gaps()).collect();
    let mut choices = vec![Choice {
        id: staff.user.id.to_string(),
        name: "me".into(),
        selected: whom == staff.user.id,
    }];
    choices.extend(supervisees.iter().map(|s| Choice {
        id: s.to_string(),
        name: name(*s),
        selected: whom == *s,
    }));
    let all: Vec<&ClientAlliance> = clinic.values().collect();
    let own: Vec<&ClientAlliance> = mine.iter().map(|(_, a)| *a).collect();
    render(&Page {
        me: Some(staff.me()),
        whose: if whom == staff.user.id {
            "Your".into()
        } else {
            format!("{}'s", name(whom))
        },
        choices,
        rows: table,
        chart: chart.svg(),
        yours: mean(&yours).map_or("–".into(), num),
        clinic_median: median(clinic_means).map_or("–".into(), num),
        clinic_range: match (quartile(0.25), quartile(0.75)) {
            (Some(a), Some(b)) => format!("{}–{}", num(a), num(b)),
            _ => "–".into(),
        },
        your_repair: rate(repair_rate(&own)),
        clinic_repair: rate(repair_rate(&all)),
        your_gap: mean(&gaps).map_or("–".into(), |g| format!("{g:+.1}")),
    })
}
