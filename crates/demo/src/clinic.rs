//! Writes the demo clinic through the `Store`: staff, clients, courses planned
//! by their protocol templates, held sessions with both-sided alliance checks,
//! outcomes at the protocol's time points, readiness reviews before every
//! medicine session, acute-experience measures after it. Every administration
//! is scored by the instrument library and its alerts come from the care rules.

use std::collections::{BTreeMap, BTreeSet};

use attune_care::Code;
use attune_care::alerts::{self, AlertKind, AlertStatus, AlertTransition, NewAlert, RaisedAlert};
use attune_care::alliance::RuptureStatus;
use attune_care::course::{KetamineRoute, Modality, ProtocolTemplate, SessionKind};
use attune_care::measure::{self, Answers, EarlierAdministration};
use attune_care::readiness::{BloodPressure, DoseChecks, PreSessionCheck, Readiness};
use attune_care::review::{self, DoseRecord};
use attune_instruments::definition::Respondent;
use attune_instruments::{Instrument, Library, Score};
use attune_store::audit::Actor;
use attune_store::{
    CancelReason, ConsentKind, Course, CourseRecord, IntakeRecord, JobStore, NewNote, NewVideo,
    NoteKind, ReviewRecord, Session, VideoLayout, VideoStore,
};
use attune_store::{
    ClientDetails, CompletedVia, NewAdministration, NewClient, NewCourse, NewSession, NewUser,
    Placement, Role, Store, StoreError,
};
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use crate::documents;
use crate::items;
use crate::model::{ClientModel, Program, cohort};
use crate::rng::Rng;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("instrument library: {0}")]
    Library(String),
}

type Result<T> = std::result::Result<T, DemoError>;

/// The demo's staff: an admin, three therapists and a supervising therapist
/// (who also carries a caseload), and a researcher.
pub const STAFF: [(&str, &str, Role); 6] = [
    ("admin", "Clinic administrator", Role::Admin),
    ("ana.reyes", "Ana Reyes", Role::Therapist),
    ("ben.okafor", "Ben Okafor", Role::Therapist),
    ("chloe.martin", "Chloe Martin", Role::Therapist),
    ("sam.lindqvist", "Sam Lindqvist", Role::Supervisor),
    ("rita.chen", "Rita Chen", Role::Researcher),
];
/// Which staff rows carry caseloads (therapist index 0..4 in the model).
const THERAPISTS: [usize; 4] = [1, 2, 3, 4];

#[derive(Debug, Clone, Copy)]
pub struct DemoConfig {
    pub seed: u64,
    /// The clinic's "today": sessions before it are held, after it planned.
    pub as_of: Date,
    pub clients: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub staff: usize,
    pub clients: usize,
    pub courses_in_progress: usize,
    pub sessions_held: usize,
    pub sessions_planned: usize,
    pub administrations: usize,
    pub alerts: BTreeMap<&'static str, usize>,
    pub ruptures: usize,
    pub ruptures_repaired: usize,
    /// Ruptures whose repair window is still open (recent sessions).
    pub ruptures_pending: usize,
    pub readiness_overrides: usize,
}

fn program_setup(p: Program) -> (Modality, ProtocolTemplate) {
    match p {
        Program::MdmaPtsd => (Modality::Mdma, ProtocolTemplate::MapsMdma),
        Program::PsilocybinTwoDose => (Modality::Psilocybin, ProtocolTemplate::PsilocybinTwoDose),
        Program::PsilocybinSingle => (Modality::Psilocybin, ProtocolTemplate::PsilocybinSingle),
        Program::KetamineDepression => (
            Modality::Ketamine {
                route: KetamineRoute::Intramuscular,
            },
            ProtocolTemplate::KetamineSeries { doses: 6 },
        ),
        Program::KetamineAnxiety => (
            Modality::Ketamine {
                route: KetamineRoute::Sublingual,
            },
            ProtocolTemplate::KetamineSeries { doses: 4 },
        ),
    }
}

const FIRST: [&str; 20] = [
    "Alex", "Blair", "Casey", "Dana", "Eli", "Frankie", "Gale", "Harper", "Indra", "Jules", "Kai",
    "Lee", "Morgan", "Noor", "Oakley", "Parker", "Quinn", "Robin", "Sasha", "Toni",
];
const LAST: [&str; 16] = [
    "Abara", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen",
    "Kowalski", "Lund", "Moreau", "Novak", "Ortiz", "Petrov",
];

/// Creates the demo staff. `password_hashes[i]` belongs to `STAFF[i]`.
pub async fn create_staff<S: Store>(store: &S, password_hashes: &[String]) -> Result<Vec<Uuid>> {
    let actor = Actor::system("demo");
    let mut ids = Vec::new();
    for ((username, name, role), hash) in STAFF.iter().zip(password_hashes) {
        let u = store
            .create_user(
                &actor,
                NewUser {
                    username: (*username).into(),
                    display_name: (*name).into(),
                    role: *role,
                    password_hash: hash.clone(),
                },
            )
            .await?;
        ids.push(u.id);
    }
    store.add_supervision(&actor, ids[4], ids[1]).await?;
    store.add_supervision(&actor, ids[4], ids[2]).await?;
    store.add_supervision(&actor, ids[4], ids[3]).await?;
    Ok(ids)
}

/// Generates the clinic's clients and their records. Staff must exist.
pub async fn generate<S: Store + VideoStore + JobStore>(
    store: &S,
    cfg: &DemoConfig,
    staff: &[Uuid],
) -> Result<Summary> {
    let lib = Library::builtin().map_err(|e| DemoError::Library(e.to_string()))?;
    let mut summary = Summary {
        staff: staff.len(),
        clients: cfg.clients,
        ..Summary::default()
    };
    for model in cohort(cfg.seed, cfg.clients) {
        let run = ClientRun::new(&lib, cfg, staff, &model);
        run.write(store, &mut summary).await?;
    }
    Ok(summary)
}

struct ClientRun<'a> {
    lib: &'a Library,
    cfg: &'a DemoConfig,
    model: &'a ClientModel,
    lead: Uuid,
    co: Option<Uuid>,
    actor: Actor,
    rng: Rng,
    client: Uuid,
    course: Option<Course>,
    /// The course's sessions so far, as stored.
    sessions: Vec<Session>,
    intake: Option<IntakeRecord>,
    submitted: usize,
    ratings: usize,
    /// What this client answered so far, as the care workflow reads it.
    history: Vec<Given>,
    outcomes: usize,
    first_dose: Option<OffsetDateTime>,
    /// The time point of the next submission, when it is an outcome measure.
    time_point: Option<String>,
    /// Alerts raised for this client so far, with what the team did.
    raised: Vec<Raised>,
    preparation_held: u32,
    /// The client agreed to video recording: their talking sessions are recorded.
    video_consent: bool,
}

fn at(date: Date, hour: u8) -> OffsetDateTime {
    date.with_time(Time::from_hms(hour, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc()
}

/// One administration the demo submitted.
struct Given {
    instrument: String,
    version: u32,
    complete: bool,
    values: Vec<Option<f64>>,
    total: Option<f64>,
    session: Option<Uuid>,
    at: OffsetDateTime,
}

impl EarlierAdministration for Given {
    fn instrument(&self) -> &str {
        &self.instrument
    }
    fn version(&self) -> u32 {
        self.version
    }
    fn complete(&self) -> bool {
        self.complete
    }
    fn answers(&self) -> &[Option<f64>] {
        &self.values
    }
    fn total(&self) -> Option<f64> {
        self.total
    }
    fn session(&self) -> Option<Uuid> {
        self.session
    }
    fn at(&self) -> OffsetDateTime {
        self.at
    }
}

/// An alert the demo raised, with its stored id and what the team did.
struct Raised {
    id: Uuid,
    alert: NewAlert,
    at: OffsetDateTime,
    status: AlertStatus,
}

impl RaisedAlert for Raised {
    fn kind(&self) -> AlertKind {
        self.alert.kind
    }
    fn severity(&self) -> alerts::Severity {
        self.alert.severity
    }
    fn instrument(&self) -> Option<&str> {
        self.alert.instrument.as_deref()
    }
    fn episode(&self) -> Option<Uuid> {
        self.alert.episode
    }
    fn message(&self) -> &str {
        &self.alert.message
    }
    fn raised_at(&self) -> Option<OffsetDateTime> {
        Some(self.at)
    }
    fn is_active(&self) -> bool {
        self.status.is_active()
    }
}

/// How long the lead therapist takes to assess a safety finding and
/// resolve its alert (a same-day C-SSRS and safety plan).
const SAFETY_RESOLVED_AFTER: Duration = Duration::hours(20);

impl<'a> ClientRun<'a> {
    fn new(lib: &'a Library, cfg: &'a DemoConfig, staff: &[Uuid], model: &'a ClientModel) -> Self {
        ClientRun {
            lib,
            cfg,
            model,
            lead: staff[THERAPISTS[model.therapist]],
            co: model.co_therapist.map(|t| staff[THERAPISTS[t]]),
            actor: Actor {
                user: Some(staff[THERAPISTS[model.therapist]]),
                name: "demo".into(),
                origin: "local".into(),
            },
            rng: Rng::new(model.noise_seed),
            client: Uuid::nil(),
            course: None,
            sessions: Vec::new(),
            intake: None,
            submitted: 0,
            ratings: 0,
            history: Vec::new(),
            outcomes: 0,
            first_dose: None,
            raised: Vec::new(),
            time_point: None,
            preparation_held: 0,
            video_consent: false,
        }
    }

    fn inst(&self, id: &str) -> &'a Instrument {
        // The built-in library always holds the instruments named here.
        self.lib
            .get(id)
            .unwrap_or_else(|_| unreachable!("built-in instrument {id}"))
    }

    async fn write<S: Store + VideoStore + JobStore>(
        mut self,
        store: &S,
        summary: &mut Summary,
    ) -> Result<()> {
        let m = self.model;
        let (modality, protocol) = program_setup(m.program);
        let start = self.cfg.as_of - Duration::days(m.started_days_ago);
        let name = format!(
            "{} {}",
            FIRST[m.index % FIRST.len()],
            LAST[(m.index * 7 + 3) % LAST.len()]
        );
        let dob = self.cfg.as_of
            - Duration::days(365 * (24 + (m.index * 13 % 40) as i64) + (m.index * 37 % 365) as i64);
        let client = store
            .create_client(
                &self.actor,
                NewClient {
                    code: format!("C-{:04}", m.index + 1),
                    details: ClientDetails {
                        name,
                        contact: Some(format!("client{:04}@example.invalid", m.index + 1)),
                        date_of_birth: Some(dob),
                    },
                    lead_therapist: self.lead,
                    co_therapist: self.co,
                },
            )
            .await?;
        self.client = client.id;
        let course = store
            .create_course(
                &self.actor,
                NewCourse {
                    client: client.id,
                    modality: modality.code().into(),
                    protocol: protocol.code().into(),
                    started_on: start,
                },
            )
            .await?;
        let course_id = course.id;
        self.course = Some(course);
        let intake = documents::intake(m, &mut self.rng);
        self.intake = Some(intake.clone());
        store
            .save_intake(&self.actor, client.id, intake, Some(self.lead))
            .await?;
        for (kind, p) in [
            (ConsentKind::Treatment, 1.0),
            (ConsentKind::Research, 0.7),
            (ConsentKind::VideoRecording, 0.4),
            (ConsentKind::CaseHistory, 0.25),
        ] {
            if self.rng.chance(p) {
                store
                    .record_consent(&self.actor, client.id, kind, true, Some(self.lead))
                    .await?;
                self.video_consent |= kind == ConsentKind::VideoRecording;
            }
        }
        let plan = protocol.plan();
        let last_day = plan.last().map_or(0, |s| s.day);
        if start + Duration::days(i64::from(last_day)) >= self.cfg.as_of {
            summary.courses_in_progress += 1;
        }
        for (n, planned) in plan.iter().enumerate() {
            let date = start + Duration::days(i64::from(planned.day));
            let when = at(
                date,
                if planned.kind == SessionKind::Medicine {
                    9
                } else {
                    10
                },
            );
            let held = date < self.cfg.as_of;
            let progress = self.progress(when, start, last_day);
            let session = NewSession {
                course: course_id,
                kind: planned.kind,
                number: n as u32 + 1,
                scheduled_at: when,
                held_at: held.then_some(when),
                readiness_override: None,
            };
            let talking = matches!(
                planned.kind,
                SessionKind::Preparation | SessionKind::Integration
            );
            if !held {
                let row = store.add_session(&self.actor, session).await?;
                let id = row.id;
                self.sessions.push(row);
                summary.sessions_planned += 1;
                // Now and then a planned session is called off by one side.
                if talking && self.rng.chance(0.04) {
                    let reason = if self.rng.chance(0.6) {
                        CancelReason::ClientCancelled
                    } else {
                        CancelReason::ClinicCancelled
                    };
                    store.cancel_session(&self.actor, id, reason).await?;
                }
                continue;
            }
            // A few talking sessions after the first did not take place: the
            // client did not come.
            // Every session is planned first and recorded as held (or not) as
            // the clinic would: holding the last one completes the course.
            let planned_row = store
                .add_session(
                    &self.actor,
                    NewSession {
                        held_at: None,
                        ..session
                    },
                )
                .await?;
            let session_id = planned_row.id;
            self.sessions.push(planned_row);
            if talking && n > 1 && self.rng.chance(0.03) {
                let row = store
                    .cancel_session(&self.actor, session_id, CancelReason::NoShow)
                    .await?;
                self.replace_session(row);
                continue;
            }
            summary.sessions_held += 1;
            // A medicine session is reviewed and signed before it is held.
            if planned.kind == SessionKind::Medicine {
                let outcome = self.pre_dose(store, session_id, when, &modality).await?;
                let reason = (outcome == Readiness::NotReady).then(|| {
                    summary.readiness_overrides += 1;
                    "Reviewed with the supervising therapist; risks discussed with the client and managed.".to_owned()
                });
                let row = store
                    .hold_session(&self.actor, session_id, when, reason)
                    .await?;
                self.replace_session(row);
            } else {
                let row = store
                    .hold_session(&self.actor, session_id, when, None)
                    .await?;
                self.replace_session(row);
            }
            let recorded = !matches!(planned.kind, SessionKind::Screening | SessionKind::Medicine);
            if self.video_consent && recorded {
                self.video(store, session_id, progress, n + 1).await?;
            }
            match planned.kind {
                SessionKind::Screening => {
                    self.screen(store, session_id, when).await?;
                    self.outcome(store, session_id, when, 0.0, progress_weeks(None, when))
                        .await?;
                }
                SessionKind::Preparation => {
                    self.preparation_held += 1;
                    self.alliance_checks(store, session_id, when, false).await?;
                    let last_prep = plan
                        .get(n + 1)
                        .is_none_or(|next| next.kind != SessionKind::Preparation);
                    if last_prep {
                        self.wai(store, session_id, when).await?;
                    }
                }
                SessionKind::Medicine => {
                    self.first_dose.get_or_insert(when);
                    let details =
                        documents::medicine_session(m, when + Duration::minutes(30), &mut self.rng);
                    store
                        .save_session_details(&self.actor, session_id, details, Some(self.lead))
                        .await?;
                    let text = documents::session_note(&mut self.rng);
                    self.note(store, session_id, NoteKind::Session, text)
                        .await?;
                    if m.index % 10 == 3
                        && self.preparation_held > 0
                        && n == plan
                            .iter()
                            .position(|p| p.kind == SessionKind::Medicine)
                            .unwrap_or(n)
                    {
                        self.note(
                            store,
                            session_id,
                            NoteKind::Process,
                            "I noticed my own pull to rescue; bring to supervision.",
                        )
                        .await?;
                    }
                    let next_day = when + Duration::days(1);
                    if next_day.date() < self.cfg.as_of {
                        self.acute(store, session_id, next_day).await?;
                        if m.index.is_multiple_of(3) {
                            let line = documents::journal_line(&mut self.rng);
                            let portal = Actor {
                                user: None,
                                name: "portal".into(),
                                origin: "local".into(),
                            };
                            store.add_journal_entry(&portal, self.client, line).await?;
                        }
                    }
                }
                SessionKind::Integration => {
                    self.alliance_checks(store, session_id, when, true).await?;
                    // The morning-after session is for the experience; symptoms are measured from a week on.
                    let morning_after = n > 0 && plan[n - 1].kind == SessionKind::Medicine;
                    if !morning_after {
                        self.outcome(
                            store,
                            session_id,
                            when,
                            progress,
                            progress_weeks(self.first_dose, when),
                        )
                        .await?;
                    }
                }
                SessionKind::FollowUp => {
                    self.alliance_checks(store, session_id, when, true).await?;
                    self.outcome(
                        store,
                        session_id,
                        when,
                        1.0,
                        progress_weeks(self.first_dose, when),
                    )
                    .await?;
                    self.wai(store, session_id, when).await?;
                }
            }
        }
        let course = self.course_record();
        let given: Vec<&dyn EarlierAdministration> = self
            .history
            .iter()
            .map(|g| g as &dyn EarlierAdministration)
            .collect();
        let s = course.facts().alliance(&given, None);
        summary.ruptures += s.ruptures.len();
        summary.ruptures_repaired += s
            .ruptures
            .iter()
            .filter(|r| matches!(r.status, RuptureStatus::Repaired { .. }))
            .count();
        summary.ruptures_pending += s
            .ruptures
            .iter()
            .filter(|r| r.status == RuptureStatus::Pending)
            .count();
        summary.administrations += self.submitted;
        // Clients with alerts, per kind: each kind raised counted once per client.
        let kinds: BTreeSet<&'static str> =
            self.raised.iter().map(|a| a.alert.kind.code()).collect();
        for kind in kinds {
            *summary.alerts.entry(kind).or_default() += 1;
        }
        Ok(())
    }

    /// A recorded session: the video attached, analysed as by the worker,
    /// and its file deleted after analysis.
    async fn video<S: Store + VideoStore + JobStore>(
        &mut self,
        store: &S,
        session: Uuid,
        progress: f64,
        number: usize,
    ) -> Result<()> {
        let day = self.model.video(progress, &mut self.rng);
        let analysis = crate::video::analysis(&day, &mut self.rng);
        let key = format!("{:016x}{:016x}", self.rng.next_u64(), self.rng.next_u64());
        let video = store
            .attach_video(
                &self.actor,
                NewVideo {
                    session,
                    media_key: key,
                    file_name: format!("session-{number:02}.mp4"),
                    bytes: 600_000_000 + self.rng.below(300_000_000) as u64,
                    sha256: format!("{:064x}", u128::from(self.rng.next_u64())),
                    layout: VideoLayout::sides(self.rng.chance(0.5)),
                    uploaded_by: Some(self.lead),
                },
            )
            .await?;
        let worker = "demo";
        let job = store
            .claim_job(worker, time::Duration::minutes(5))
            .await?
            .ok_or_else(|| DemoError::Store(StoreError::not_found("the video's job")))?;
        store
            .record_analysis(&self.actor, job.id, worker, &analysis)
            .await?;
        store.mark_video_file_deleted(&self.actor, video.id).await?;
        Ok(())
    }

    /// How far through the course a moment is: 0 before the first dose, 1 at the end.
    fn progress(&self, when: OffsetDateTime, start: Date, last_day: u32) -> f64 {
        match self.first_dose {
            None => 0.0,
            Some(first) => {
                let end = at(start + Duration::days(i64::from(last_day)), 10);
                let span = (end - first).whole_days().max(1) as f64;
                ((when - first).whole_days() as f64 / span).clamp(0.0, 1.0)
            }
        }
    }

    /// The course as the care rules read it, from what was stored so far.
    fn course_record(&self) -> CourseRecord {
        match &self.course {
            Some(c) => CourseRecord::new(c, &self.sessions, self.intake.as_ref()),
            None => unreachable!("the course is created before anything is measured"),
        }
    }

    fn replace_session(&mut self, row: Session) {
        if let Some(s) = self.sessions.iter_mut().find(|s| s.id == row.id) {
            *s = row;
        }
    }

    /// What the team does with alerts by `upto`: a safety finding is assessed
    /// and its alert resolved within a day.
    async fn settle<S: Store>(&mut self, store: &S, upto: OffsetDateTime) -> Result<()> {
        for r in &mut self.raised {
            if r.alert.kind == AlertKind::Safety
                && r.status.is_active()
                && r.at + SAFETY_RESOLVED_AFTER <= upto
            {
                let note = "Assessed the same day: C-SSRS done, safety plan reviewed.";
                store
                    .act_on_alert(
                        &self.actor,
                        r.id,
                        self.lead,
                        AlertTransition::Resolve {
                            note: Some(note.into()),
                        },
                    )
                    .await?;
                r.status = AlertStatus::Resolved;
            }
        }
        Ok(())
    }

    /// Scores and stores one administration through the care workflow, as
    /// the web app does: every alert comes from the care rules.
    async fn submit<S: Store>(
        &mut self,
        store: &S,
        instrument: &str,
        values: Vec<Option<f64>>,
        session: Option<Uuid>,
        when: OffsetDateTime,
    ) -> Result<Score> {
        self.settle(store, when).await?;
        let inst = self.inst(instrument);
        let course = self.course_record();
        let facts = course.facts();
        let measured = measure::measure(
            self.lib,
            Answers::new(inst, values, &self.history, &self.raised, when)
                .in_course(&facts, session),
        )
        .map_err(|e| DemoError::Library(e.to_string()))?;
        self.history.push(Given {
            instrument: inst.id().to_owned(),
            version: inst.version(),
            complete: measured.score.complete && measured.score.total.is_some(),
            values: measured.values.clone(),
            total: measured.score.total,
            session,
            at: when,
        });
        let via = if measured.respondent == Respondent::Client && self.rng.chance(0.85) {
            CompletedVia::Portal
        } else {
            CompletedVia::ClinicianEntry
        };
        self.submitted += 1;
        let score = measured.score.clone();
        let raised = measured.alerts.clone();
        let place = Placement {
            idempotency_key: format!(
                "demo-{}-c{}-a{}",
                self.cfg.seed, self.model.index, self.submitted
            ),
            client: self.client,
            course: Some(course.id),
            session,
            time_point: self.time_point.take(),
            via,
            at: when,
        };
        let done = store
            .submit(&self.actor, NewAdministration::measured(measured, place))
            .await?;
        for (id, alert) in done.alerts.into_iter().zip(raised) {
            self.raised.push(Raised {
                id,
                alert,
                at: when,
                status: AlertStatus::Open,
            });
        }
        Ok(score)
    }

    /// The screening session's C-SSRS (the pre-dose screen is part of `pre_dose`).
    async fn screen<S: Store>(
        &mut self,
        store: &S,
        session: Uuid,
        when: OffsetDateTime,
    ) -> Result<()> {
        let values = self.cssrs_values(false);
        self.submit(store, "cssrs-screener", values, Some(session), when)
            .await?;
        Ok(())
    }

    /// C-SSRS answers. Before the first dose, clients with a safety event and no
    /// safety item in their outcome measure report a passive wish to be dead
    /// (low risk); one in five of those reports some intent (high risk).
    fn cssrs_values(&mut self, pre_dose: bool) -> Vec<Option<f64>> {
        let has_item = matches!(self.model.program.outcome(), "phq9" | "qids-sr16" | "madrs");
        let (q1, q2, q4) =
            if pre_dose && self.model.safety_event && !has_item && self.first_dose.is_none() {
                let high = self.model.index.is_multiple_of(5);
                (
                    1.0,
                    if high { 1.0 } else { 0.0 },
                    if high { 1.0 } else { 0.0 },
                )
            } else {
                (0.0, 0.0, 0.0)
            };
        let asked = |v: f64| if q2 >= 1.0 { Some(v) } else { None };
        vec![
            Some(q1),
            Some(q2),
            asked(0.0),
            asked(q4),
            asked(0.0),
            Some(0.0),
            None,
        ]
    }

    /// Before a dose: the client's Pre-session Check and a C-SSRS, then the
    /// readiness review, signed with the blood pressure (ketamine) and the
    /// medications confirmed, as on the review page. Returns its verdict.
    async fn pre_dose<S: Store>(
        &mut self,
        store: &S,
        session: Uuid,
        when: OffsetDateTime,
        modality: &Modality,
    ) -> Result<Readiness> {
        let z = self.model.z;
        let r = &mut self.rng;
        let level = |x: f64| Some(x.round().clamp(0.0, 10.0));
        let pre = PreSessionCheck {
            anxiety: level(4.5 - 0.8 * z + 1.6 * r.normal()),
            readiness: level(7.2 + 0.9 * z + 1.2 * r.normal()),
            trust: level(self.model.alliance_level(false) + 0.8 * r.normal()),
            intention: level(7.5 + 0.5 * z + 1.0 * r.normal()),
            body: level(8.0 + 1.0 * r.normal()),
        };
        let values = vec![
            pre.anxiety,
            pre.readiness,
            pre.trust,
            pre.intention,
            pre.body,
        ];
        self.submit(
            store,
            "pre-session-check",
            values,
            Some(session),
            when - Duration::hours(1),
        )
        .await?;
        let cssrs = self.cssrs_values(true);
        self.submit(
            store,
            "cssrs-screener",
            cssrs,
            Some(session),
            when - Duration::minutes(50),
        )
        .await?;
        let ketamine = matches!(modality, Modality::Ketamine { .. } | Modality::Esketamine);
        let systolic = (122.0 + 10.0 * self.rng.normal())
            .round()
            .clamp(95.0, 165.0) as u16;
        let diastolic = (78.0 + 7.0 * self.rng.normal()).round().clamp(55.0, 100.0) as u16;
        let checks = DoseChecks {
            blood_pressure: ketamine.then_some(BloodPressure {
                systolic,
                diastolic,
            }),
            // Now and then the medication review is left for later.
            medications_confirmed: !self.rng.chance(0.02),
        };
        let course = self.course_record();
        let facts = course.facts();
        let dose = self
            .sessions
            .iter()
            .find(|s| s.id == session)
            .map(Session::facts)
            .ok_or_else(|| DemoError::Store(StoreError::not_found("session")))?;
        let given: Vec<&dyn EarlierAdministration> = self
            .history
            .iter()
            .map(|g| g as &dyn EarlierAdministration)
            .collect();
        let open: Vec<&dyn RaisedAlert> =
            self.raised.iter().map(|a| a as &dyn RaisedAlert).collect();
        let reviewed = review::review(
            self.lib,
            &DoseRecord {
                course: &facts,
                dose: &dose,
                administrations: &given,
                alerts: &open,
                checks,
            },
        );
        let alert = alerts::without_duplicates(
            alerts::from_readiness(&reviewed, &dose, false)
                .into_iter()
                .collect(),
            &self.raised,
        )
        .pop();
        let (_, alert_id) = store
            .sign_review(
                &self.actor,
                session,
                reviewed.outcome,
                ReviewRecord::signed(&reviewed, checks),
                self.lead,
                alert.clone(),
            )
            .await?;
        if let (Some(alert), Some(id)) = (alert, alert_id) {
            self.raised.push(Raised {
                id,
                alert,
                at: when - Duration::minutes(30),
                status: AlertStatus::Open,
            });
        }
        Ok(reviewed.outcome)
    }

    /// Client and therapist Session Alliance Checks (ruptures and gaps are
    /// raised by the care workflow from them).
    async fn alliance_checks<S: Store>(
        &mut self,
        store: &S,
        session: Uuid,
        when: OffsetDateTime,
        after_dose: bool,
    ) -> Result<()> {
        let (c, t) = self
            .model
            .alliance_pair(self.ratings, after_dose, &mut self.rng);
        self.ratings += 1;
        let client_values =
            items::around(self.inst("alliance-check-client"), c, 0.6, &mut self.rng);
        let therapist_values =
            items::around(self.inst("alliance-check-therapist"), t, 0.6, &mut self.rng);
        self.submit(
            store,
            "alliance-check-client",
            client_values,
            Some(session),
            when + Duration::minutes(50),
        )
        .await?;
        self.submit(
            store,
            "alliance-check-therapist",
            therapist_values,
            Some(session),
            when + Duration::minutes(55),
        )
        .await?;
        Ok(())
    }

    async fn note<S: Store>(
        &mut self,
        store: &S,
        session: Uuid,
        kind: NoteKind,
        body: &str,
    ) -> Result<()> {
        let new = NewNote {
            client: self.client,
            session: Some(session),
            kind,
            author: self.lead,
            body: body.into(),
            supersedes: None,
        };
        store.add_note(&self.actor, new).await?;
        Ok(())
    }

    async fn wai<S: Store>(
        &mut self,
        store: &S,
        session: Uuid,
        when: OffsetDateTime,
    ) -> Result<()> {
        let level = 1.0 + 4.0 * (self.model.alliance_level(self.first_dose.is_some()) / 10.0);
        let values = items::around(self.inst("wai-sr"), level, 0.6, &mut self.rng);
        self.submit(
            store,
            "wai-sr",
            values,
            Some(session),
            when + Duration::minutes(58),
        )
        .await?;
        Ok(())
    }

    async fn acute<S: Store>(
        &mut self,
        store: &S,
        session: Uuid,
        when: OffsetDateTime,
    ) -> Result<()> {
        let (meq, ebi) = self.model.acute(&mut self.rng);
        let meq_values = items::around(self.inst("meq30"), meq, 0.9, &mut self.rng);
        let ebi_values = items::around(self.inst("ebi"), ebi, 14.0, &mut self.rng);
        self.submit(store, "meq30", meq_values, Some(session), when)
            .await?;
        self.submit(
            store,
            "ebi",
            ebi_values,
            Some(session),
            when + Duration::minutes(5),
        )
        .await?;
        Ok(())
    }

    /// The programme's outcome measure, with deterioration and not-on-track
    /// alerts against the baseline (each raised once per course).
    async fn outcome<S: Store>(
        &mut self,
        store: &S,
        session: Uuid,
        when: OffsetDateTime,
        progress: f64,
        weeks: u32,
    ) -> Result<()> {
        let id = self.model.program.outcome();
        let inst = self.inst(id);
        let total = self.model.outcome_at(progress, &mut self.rng);
        self.outcomes += 1;
        // Thoughts of death at the second measure: the lowest answer that raises
        // a finding on each instrument (MADRS item 10 alerts from 2).
        let safety = match (self.model.safety_event && self.outcomes == 2, id) {
            (false, _) => 0.0,
            (true, "madrs") => 2.0,
            (true, _) => 1.0,
        };
        let values = items::summing_to(inst, total, safety, &mut self.rng);
        self.time_point = Some(match (self.first_dose, progress >= 1.0) {
            (None, _) => "baseline".to_owned(),
            (Some(_), true) => "follow-up".to_owned(),
            (Some(_), false) => format!("week {weeks}"),
        });
        // Reliable deterioration and the expected course are judged by the
        // care workflow against the first outcome measure (the baseline).
        self.submit(
            store,
            id,
            values,
            Some(session),
            when - Duration::minutes(5),
        )
        .await?;
        Ok(())
    }
}

fn progress_weeks(first_dose: Option<OffsetDateTime>, when: OffsetDateTime) -> u32 {
    first_dose.map_or(0, |f| ((when - f).whole_days().max(0) / 7) as u32)
}
