//! A client's page: the course as a timeline, alliance from both sides with
//! ruptures marked, outcomes with their bands and reliable change, acute
//! experience per medicine session, alerts, and portal links.

use attune_store::Code;
use attune_store::{Respondent, SessionKind};
use std::collections::HashMap;

use askama::Template;
use attune_care::alliance::{AllianceObservation, AllianceRules, RuptureStatus, summarise};
use attune_instruments::{ChangeCategory, Library, Responses, compare, score};
use attune_store::{Administration, Course, Session};
use axum::extract::{Path, State};
use axum::response::Html;
use time::OffsetDateTime;
use uuid::Uuid;

use super::overview::{ACUTE, OUTCOMES, Record, alliance_observations, phase};
use super::{day, num, render};
use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::{Me, Staff};
use crate::charts::{Band, Chart, Mark, Rule, Series, Symbol};
use crate::http::error::AppError;

pub struct Chip {
    /// The session's page (a planned medicine session: its readiness review).
    pub href: Option<String>,
    pub label: String,
    pub class: String,
    pub title: String,
}

pub struct Figure {
    pub title: String,
    pub svg: String,
    pub note: String,
}

pub struct AcuteRow {
    pub session: String,
    pub instrument: String,
    pub total: String,
    pub band: String,
}

pub struct CoursePanel {
    pub title: String,
    pub phase: String,
    pub timeline: Vec<Chip>,
    pub alliance: Option<Figure>,
    pub outcomes: Vec<Figure>,
    pub acute: Vec<AcuteRow>,
}

pub struct AlertRow {
    pub id: String,
    pub severity: String,
    pub message: String,
    pub status: String,
    pub raised: String,
    pub open: bool,
}

pub struct LinkRow {
    pub id: String,
    pub created: String,
    pub expires: String,
    pub state: String,
    pub tasks: String,
}

pub struct IntakeView {
    pub version: u32,
    pub recorded: String,
    pub concerns: String,
    pub goals: String,
    pub expectations: String,
    pub fears: String,
    pub medications: Vec<String>,
    /// Contraindication flags for the latest course's substance: (severity, message, source).
    pub flags: Vec<(&'static str, String, &'static str)>,
}

fn intake_view(intake: &attune_store::Intake, modality: Option<&str>) -> IntakeView {
    use attune_care::contraindications::{self, FlagSeverity};
    use attune_care::course::Modality;
    let r = &intake.record;
    let flags = modality
        .and_then(Modality::from_code)
        .map(|m| contraindications::screen(&r.to_care(), &m))
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            let severity = match f.severity {
                FlagSeverity::Monitor => "monitor",
                FlagSeverity::Caution => "caution",
                FlagSeverity::Contraindicated => "contraindicated",
            };
            (severity, f.message, f.source)
        })
        .collect();
    IntakeView {
        version: intake.version,
        recorded: day(intake.recorded_at),
        concerns: r.presenting_concerns.clone(),
        goals: r.goals_and_intentions.clone(),
        expectations: r.expectations.clone(),
        fears: r.fears.clone(),
        medications: r
            .medications
            .iter()
            .map(|m| format!("{} [{}]", m.name_and_dose(), m.class))
            .collect(),
        flags,
    }
}

pub struct Assignable {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "client.html")]
struct Page {
    me: Option<Me>,
    id: String,
    code: String,
    name: String,
    can_write: bool,
    courses: Vec<CoursePanel>,
    alerts: Vec<AlertRow>,
    links: Vec<LinkRow>,
    assignable: Vec<Assignable>,
    /// Sessions of the latest course that measures can be assigned after.
    schedule: Vec<(String, String)>,
    intake: Option<IntakeView>,
    modalities: Vec<&'static str>,
    protocols: [&'static str; 5],
    today: String,
    consents: Vec<super::consent::ConsentRow>,
    movement: Option<super::movement::MovementPanel>,
}

fn rescore(library: &Library, a: &Administration) -> Option<attune_instruments::Score> {
    let inst = library.get_version(&a.instrument, a.instrument_version)?;
    let responses = Responses::from_values(inst, &a.responses).ok()?;
    Some(score(inst, &responses))
}

fn alliance_figure(sessions: &[Session], admins: &[&Administration]) -> Option<Figure> {
    let obs = alliance_observations(sessions, admins);
    if obs.is_empty() {
        return None;
    }
    let summary = summarise(&obs, &AllianceRules::default());
    let last = sessions.iter().map(|s| s.number).max().unwrap_or(1);
    let series = |name: &str, colour, pick: fn(&AllianceObservation) -> Option<f64>| Series {
        name: name.into(),
        colour,
        points: obs
            .iter()
            .filter_map(|o| pick(o).map(|v| (f64::from(o.session), v)))
            .collect(),
    };
    let marks = summary
        .ruptures
        .iter()
        .map(|r| {
            let status = match r.status {
                RuptureStatus::Repaired { at_session } => {
                    format!("repaired at session {at_session}")
                }
                RuptureStatus::Pending => "repair window open".into(),
                RuptureStatus::Unrepaired => "not repaired".into(),
            };
            Mark {
                x: f64::from(r.session),
                y: r.value,
                symbol: Symbol::Warning,
                title: format!(
                    "Rupture at session {}: {} after a recent level of {} ({status})",
                    r.session,
                    num(r.value),
                    num(r.baseline)
                ),
            }
        })
        .collect();
    let rules = sessions
        .iter()
        .filter(|s| s.kind == SessionKind::Medicine && s.held_at.is_some())
        .map(|s| Rule {
            x: f64::from(s.number),
            label: format!("Medicine session {}", s.number),
        })
        .collect();
    let chart = Chart {
        title: "Session alliance, client and therapist".into(),
        y: (0.0, 10.0),
        x: (1.0, f64::from(last.max(2))),
        x_ticks: (1..=last)
            .filter(|n| last <= 16 || n % 2 == 1)
            .map(|n| (f64::from(n), n.to_string()))
            .collect(),
        series: vec![
            series("client", "#2d6a8f", |o| o.client),
            series("therapist", "#c0762c", |o| o.therapist),
        ],
        bands: vec![],
        rules,
        marks,
    };
    let repaired = summary
        .ruptures
        .iter()
        .filter(|r| matches!(r.status, RuptureStatus::Repaired { .. }))
        .count();
    let gap = summary.gaps.last().map_or(String::new(), |g| {
        format!(" Latest gap (client − therapist): {}.", num(g.gap))
    });
    let trend = summary.trend.map_or(String::new(), |t| {
        format!(" Recent trend {:+.2} per session.", t)
    });
    Some(Figure {
        title: "Alliance".into(),
        svg: chart.svg(),
        note: format!(
            "{} rupture(s), {repaired} repaired.{gap}{trend} Dashed lines: medicine sessions.",
            summary.ruptures.len()
        ),
    })
}

fn outcome_figures(
    library: &Library,
    course: &Course,
    sessions: &[Session],
    admins: &[&Administration],
) -> Vec<Figure> {
    let start = course.started_on.midnight().assume_utc();
    let days = |t: OffsetDateTime| (t - start).whole_days() as f64;
    let end = admins
        .iter()
        .map(|a| days(a.administered_at))
        .fold(7.0, f64::max);
    let mut figures = Vec::new();
    for id in OUTCOMES {
        let list: Vec<&&Administration> = admins
            .iter()
            .filter(|a| a.instrument == *id && a.total.is_some())
            .collect();
        if list.is_empty() {
            continue;
        }
        let Ok(inst) = library.get(id) else { continue };
        let Some(range) = inst.total_range() else {
            continue;
        };
        let baseline = list
            .iter()
            .find(|a| a.complete)
            .and_then(|a| rescore(library, a));
        let mut marks = Vec::new();
        for a in list.iter().skip(1) {
            let (Some(before), Some(after)) = (&baseline, rescore(library, a)) else {
                continue;
            };
            let Ok(c) = compare(inst, before, &after) else {
                continue;
            };
            let symbol = match c.category {
                Some(ChangeCategory::Recovered | ChangeCategory::Improved) => Symbol::Good,
                Some(ChangeCategory::Deteriorated) => Symbol::Warning,
                _ => continue,
            };
            marks.push(Mark {
                x: days(a.administered_at),
                y: a.total.unwrap_or_default(),
                symbol,
                title: format!(
                    "{}: {} → {}, {}",
                    id,
                    num(c.before),
                    num(c.after),
                    c.category.map_or("", |k| k.as_str())
                ),
            });
        }
        let chart = Chart {
            title: format!("{} over the course", inst.definition().short_name),
            y: (range.min, range.max),
            x: (0.0, end),
            x_ticks: (0..=4)
                .map(|k| {
                    let d = end * f64::from(k) / 4.0;
                    (d, format!("day {}", d.round()))
                })
                .collect(),
            series: vec![Series {
                name: inst.definition().short_name.clone(),
                colour: "#2d6a8f",
                points: list
                    .iter()
                    .map(|a| (days(a.administered_at), a.total.unwrap_or_default()))
                    .collect(),
            }],
            bands: inst
                .definition()
                .bands
                .iter()
                .map(|b| Band {
                    from: b.min,
                    to: b.max,
                    label: b.label.clone(),
                })
                .collect(),
            rules: sessions
                .iter()
                .filter(|s| s.kind == SessionKind::Medicine)
                .filter_map(|s| {
                    s.held_at.map(|h| Rule {
                        x: days(h),
                        label: format!("Medicine session {}", s.number),
                    })
                })
                .collect(),
            marks,
        };
        let first = list.first().and_then(|a| a.total).map_or("–".into(), num);
        let last = list.last().and_then(|a| a.total).map_or("–".into(), num);
        figures.push(Figure {
            title: inst.definition().name.clone(),
            svg: chart.svg(),
            note: format!(
                "{} administrations; first {first}, latest {last}. Rings: reliable improvement from baseline; red marks: reliable deterioration.",
                list.len()
            ),
        });
    }
    figures
}

fn panel(
    library: &Library,
    course: &Course,
    sessions: &[Session],
    admins: &[Administration],
) -> CoursePanel {
    let now = OffsetDateTime::now_utc();
    let mine: Vec<&Administration> = admins
        .iter()
        .filter(|a| a.course == Some(course.id))
        .collect();
    let number: HashMap<Uuid, u32> = sessions.iter().map(|s| (s.id, s.number)).collect();
    let timeline = sessions
        .iter()
        .map(|s| {
            let held = s.held_at.is_some();
            Chip {
                // A planned medicine session opens its readiness review first.
                href: Some(if s.kind == SessionKind::Medicine && s.planned() {
                    format!("/sessions/{}/readiness", s.id)
                } else {
                    format!("/sessions/{}", s.id)
                }),
                label: format!("{} {}", s.number, s.kind.label()),
                class: format!(
                    "s{}{}",
                    if held {
                        " held"
                    } else if s.cancelled.is_some() {
                        " cancelled"
                    } else {
                        ""
                    },
                    if s.kind == SessionKind::Medicine {
                        " medicine"
                    } else {
                        ""
                    }
                ),
                title: match (s.held_at, &s.readiness_override) {
                    (Some(h), Some(_)) => format!("held {} over a readiness override", day(h)),
                    (Some(h), None) => format!("held {}", day(h)),
                    (None, _) if s.cancelled.is_some() => format!(
                        "cancelled ({}), was planned {}",
                        s.cancelled.as_ref().map_or("", |c| c.reason.label()),
                        day(s.scheduled_at)
                    ),
                    (None, _) if super::overview::upcoming(s, now) => {
                        format!("planned {}", day(s.scheduled_at))
                    }
                    (None, _) => format!("not held (planned {})", day(s.scheduled_at)),
                },
            }
        })
        .collect();
    let acute = mine
        .iter()
        .filter(|a| ACUTE.contains(&a.instrument.as_str()))
        .map(|a| AcuteRow {
            session: a
                .session
                .and_then(|s| number.get(&s))
                .map_or_else(|| day(a.administered_at), |n| format!("session {n}")),
            instrument: a.instrument.clone(),
            total: a.total.map_or("–".into(), num),
            band: a.band.clone().unwrap_or_default(),
        })
        .collect();
    CoursePanel {
        title: format!(
            "{} · {} · started {}",
            course.modality.replace('_', " "),
            course.protocol.replace('_', " "),
            course.started_on
        ),
        phase: phase(sessions),
        timeline,
        alliance: alliance_figure(sessions, &mine),
        outcomes: outcome_figures(library, course, sessions, &mine),
        acute,
    }
}

pub async fn page<S: Stores>(
    State(app): State<Shared<S>>,
    staff: Staff,
    Path(id): Path<Uuid>,
) -> Result<Html<String>, AppError> {
    let library = app.library();
    let team = access::client(&app, &staff, id, Need::Read).await?;
    let can_write = access::client(&app, &staff, id, Need::Write).await.is_ok();
    let client = app.store.client(&staff.actor(), id).await?;
    let record = Record::load(&app, &staff, id).await?;
    let links = app.store.portal_links(&staff.actor(), id).await?;
    let modality = record.courses.last().map(|(c, _)| c.modality.clone());
    let intake = app
        .store
        .intakes(&staff.actor(), id)
        .await?
        .pop()
        .map(|i| intake_view(&i, modality.as_deref()));
    let now = OffsetDateTime::now_utc();
    let courses = record
        .courses
        .iter()
        .rev()
        .map(|(c, s)| panel(&library, c, s, &record.administrations))
        .collect();
    let alerts = record
        .alerts
        .iter()
        .map(|a| AlertRow {
            id: a.id.to_string(),
            severity: a.severity.code().to_owned(),
            message: a.message.clone(),
            status: a.status.code().to_owned(),
            raised: day(a.raised_at),
            open: a.status.is_active(),
        })
        .collect();
    let links = links
        .iter()
        .map(|l| {
            let done = l
                .tasks
                .iter()
                .filter(|t| t.administration.is_some())
                .count();
            LinkRow {
                id: l.id.to_string(),
                created: day(l.created_at),
                expires: day(l.expires_at),
                state: if l.revoked {
                    "withdrawn".into()
                } else if done == l.tasks.len() {
                    "completed".into()
                } else if now >= l.expires_at {
                    "expired".into()
                } else {
                    "open".into()
                },
                tasks: l
                    .tasks
                    .iter()
                    .map(|t| {
                        format!(
                            "{}{}",
                            t.instrument,
                            if t.administration.is_some() {
                                " ✓"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
        .collect();
    let assignable = library
        .latest()
        .filter(|i| i.definition().respondent == Respondent::Client)
        .map(|i| Assignable {
            id: i.id().to_owned(),
            name: i.definition().name.clone(),
        })
        .collect();
    let schedule = record
        .courses
        .last()
        .map(|(_, sessions)| {
            // Recurring: after every planned session, or every planned one of a kind.
            let planned: Vec<&Session> = sessions.iter().filter(|s| s.planned()).collect();
            let mut kinds: Vec<SessionKind> = planned.iter().map(|s| s.kind).collect();
            kinds.sort_unstable();
            kinds.dedup();
            let mut choices: Vec<(String, String)> = Vec::new();
            if planned.len() > 1 {
                choices.push((
                    super::links::EVERY.to_owned(),
                    format!("after each of the {} planned sessions", planned.len()),
                ));
                for kind in kinds {
                    let n = planned.iter().filter(|s| s.kind == kind).count();
                    if n > 1 {
                        choices.push((
                            format!("{}{}", super::links::EVERY_KIND, kind.code()),
                            format!("after each of the {n} planned {} sessions", kind.label()),
                        ));
                    }
                }
            }
            choices.extend(sessions.iter().filter(|s| s.cancelled.is_none()).map(|s| {
                let when = s.when();
                (
                    s.id.to_string(),
                    format!(
                        "after session {} ({}, {})",
                        s.number,
                        s.kind.label(),
                        day(when)
                    ),
                )
            }));
            choices
        })
        .unwrap_or_default();
    let consents = super::consent::rows(&app.store.consents(&staff.actor(), id).await?);
    let videos = app.store.client_videos(&staff.actor(), id).await?;
    let sessions: Vec<&Session> = record.courses.iter().flat_map(|(_, s)| s).collect();
    let movement = super::movement::panel(&sessions, &videos);
    render(&Page {
        consents,
        movement,
        me: Some(staff.me()),
        id: id.to_string(),
        code: team.code,
        name: client.details.name,
        can_write,
        courses,
        alerts,
        links,
        assignable,
        schedule,
        intake,
        modalities: super::enrol::modalities(),
        protocols: super::enrol::PROTOCOLS,
        today: OffsetDateTime::now_utc().date().to_string(),
    })
}
