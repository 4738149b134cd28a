//! What a caseload row says about a client at a glance, read from the
//! client's courses, sessions, administrations and alerts.

use attune_store::Severity;
use attune_store::{Administration, AlertStatus, ClientSummary, Course, Session, StoredAlert};

use attune_care::alliance::AllianceObservation;
use attune_care::facts::EarlierAdministration;
use time::OffsetDateTime;

use super::{day, num};
use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::http::error::AppError;

/// Instruments whose totals are outcomes (shown as "last outcome").
pub const OUTCOMES: &[&str] = &["phq9", "qids-sr16", "madrs", "gad7", "pcl5"];
/// Acute-experience measures, one per medicine session.
pub const ACUTE: &[&str] = &["meq30", "ebi"];
pub use attune_care::facts::{ALLIANCE_CLIENT, ALLIANCE_THERAPIST};

/// Client- and therapist-rated Session Alliance Checks of a course, by
/// session number, as the alliance rules read them.
pub fn alliance_observations(
    sessions: &[Session],
    admins: &[&Administration],
) -> Vec<AllianceObservation> {
    let facts: Vec<_> = sessions.iter().map(Session::facts).collect();
    let given: Vec<&dyn EarlierAdministration> = admins
        .iter()
        .map(|a| *a as &dyn EarlierAdministration)
        .collect();
    attune_care::facts::alliance_observations(&facts, &given, None)
}

/// Everything read about one client, once.
pub struct Record {
    pub courses: Vec<(Course, Vec<Session>)>,
    pub administrations: Vec<Administration>,
    pub alerts: Vec<StoredAlert>,
}

impl Record {
    pub async fn load<S: Stores>(
        app: &Shared<S>,
        staff: &Staff,
        client: uuid::Uuid,
    ) -> Result<Record, AppError> {
        let actor = staff.actor();
        let mut courses = Vec::new();
        for c in app.store.courses(&actor, client).await? {
            let sessions = app.store.sessions(&actor, c.id).await?;
            courses.push((c, sessions));
        }
        Ok(Record {
            courses,
            administrations: app.store.administrations(&actor, client).await?,
            alerts: app.store.client_alerts(&actor, client).await?,
        })
    }

    pub fn open_alerts(&self) -> impl Iterator<Item = &StoredAlert> {
        self.alerts
            .iter()
            .filter(|a| a.status != AlertStatus::Resolved)
    }

    pub fn latest(&self, instrument: &str) -> Option<&Administration> {
        self.administrations
            .iter()
            .rev()
            .find(|a| a.instrument == instrument && a.total.is_some())
    }
}

pub struct Row {
    pub id: String,
    pub code: String,
    pub programme: String,
    pub phase: String,
    pub next: String,
    pub open_alerts: usize,
    pub urgent: bool,
    pub alliance: String,
    pub outcome: String,
    pub role: &'static str,
}

pub fn phase(sessions: &[Session]) -> String {
    let last_held = sessions
        .iter()
        .filter(|s| s.held_at.is_some())
        .max_by_key(|s| s.number);
    let any_planned = sessions.iter().any(Session::planned);
    match (last_held, any_planned) {
        (None, _) => "not started".into(),
        (Some(_), false) => "course complete".into(),
        (Some(s), true) => s.kind.label().to_owned(),
    }
}

pub fn row(summary: &ClientSummary, record: &Record, me: uuid::Uuid) -> Row {
    let latest = record.courses.last();
    let next = latest
        .and_then(|(_, sessions)| {
            sessions
                .iter()
                .filter(|s| s.planned())
                .min_by_key(|s| s.scheduled_at)
        })
        .map_or_else(
            || "none planned".to_owned(),
            |s| format!("{} ({})", day(s.scheduled_at), s.kind.label()),
        );
    let alliance = match (
        record.latest(ALLIANCE_CLIENT),
        record.latest(ALLIANCE_THERAPIST),
    ) {
        (None, None) => "not yet rated".to_owned(),
        (c, t) => format!(
            "client {} · therapist {}",
            c.and_then(|a| a.total).map_or("–".into(), num),
            t.and_then(|a| a.total).map_or("–".into(), num)
        ),
    };
    let outcome = record
        .administrations
        .iter()
        .rev()
        .find(|a| OUTCOMES.contains(&a.instrument.as_str()) && a.total.is_some())
        .map_or_else(
            || "none yet".to_owned(),
            |a| {
                format!(
                    "{} {}{} ({})",
                    a.instrument,
                    a.total.map_or("–".into(), num),
                    a.band.as_ref().map_or(String::new(), |b| format!(" {b}")),
                    day(a.administered_at)
                )
            },
        );
    let open: Vec<&StoredAlert> = record.open_alerts().collect();
    Row {
        id: summary.id.to_string(),
        code: summary.code.clone(),
        programme: latest.map_or("–".into(), |(c, _)| c.modality.replace('_', " ")),
        phase: latest.map_or("no course".into(), |(_, s)| phase(s)),
        next,
        open_alerts: open.len(),
        urgent: open.iter().any(|a| a.severity >= Severity::Urgent),
        alliance,
        outcome,
        role: if summary.lead_therapist == me {
            "lead"
        } else if summary.co_therapist == Some(me) {
            "co-therapist"
        } else {
            "supervised"
        },
    }
}

/// Whether a session is still ahead (for timelines).
pub fn upcoming(s: &Session, now: OffsetDateTime) -> bool {
    s.planned() && s.scheduled_at >= now
}
