//! Writes the demo clinic through the `Store`: staff, clients, courses planned
//! by their protocol templates, held sessions with both-sided alliance checks,
//! outcomes at the protocol's time points, readiness reviews before every
//! medicine session, acute-experience measures after it. Every administration
//! is scored by the instrument library and its alerts come from the care rules.

use std::collections::{BTreeMap, BTreeSet};

use attune_care::Code;
use attune_care::alerts::{self, AlertKind, NewAlert};
use attune_care::alliance::{AllianceObservation, AllianceRules, RuptureStatus, summarise};
use attune_care::contraindications::{self, Flag};
use attune_care::course::{KetamineRoute, Modality, ProtocolTemplate, SessionKind};
use attune_care::measure::{self, Answers, EarlierAdministration};
use attune_care::readiness::{
    self, PreSessionCheck, Readiness, ReadinessInput, ReadinessRules, SafetyScreen, ScreenLevel,
};
use attune_instruments::definition::Respondent;
use attune_instruments::{CategoryValue, Instrument, Library, Responses, Score, score};
use attune_store::audit::Actor;
use attune_store::{
    CancelReason, ConsentKind, JobStore, NewNote, NewVideo, NoteKind, VideoLayout, VideoStore,
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
    course: Uuid,
    submitted: usize,
    alliance: Vec<AllianceObservation>,
    ratings: usize,
    /// What this client answered so far, as the care workflow reads it.
    history: Vec<Given>,
    outcomes: usize,
    first_dose: Option<OffsetDateTime>,
    /// The time point of the next submission, when it is an outcome measure.
    time_point: Option<String>,
    /// Alerts raised for this client so far (all still open in the demo).
    open: Vec<NewAlert>,
    last_screen: Option<SafetyScreen>,
    preparation_held: u32,
    flags: Vec<Flag>,
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
    complete: bool,
    values: Vec<Option<f64>>,
}

impl EarlierAdministration for Given {
    fn instrument(&self) -> &str {
        &self.instrument
    }
    fn complete(&self) -> bool {
        self.complete
    }
    fn answers(&self) -> &[Option<f64>] {
        &self.values
    }
}

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
            course: Uuid::nil(),
            submitted: 0,
            alliance: Vec::new(),
            ratings: 0,
            history: Vec::new(),
            outcomes: 0,
            first_dose: None,
            open: Vec::new(),
            time_point: None,
            last_screen: None,
            preparation_held: 0,
            video_consent: false,
            flags: Vec::new(),
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
        self.course = course.id;
        let intake = documents::intake(m, &mut self.rng);
        self.flags = contraindications::screen(&intake.to_care(), &modality);
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
            let mut session = NewSession {
                course: course.id,
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
                let id = store.add_session(&self.actor, session).await?.id;
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
            if talking && n > 1 && self.rng.chance(0.03) {
                let id = store
                    .add_session(
                        &self.actor,
                        NewSession {
                            held_at: None,
                            ..session
                        },
                    )
                    .await?
                    .id;
                store
                    .cancel_session(&self.actor, id, CancelReason::NoShow)
                    .await?;
                continue;
            }
            summary.sessions_held += 1;
            // Medicine sessions are reviewed first: the review decides whether an override is recorded.
            let pre_dose = if planned.kind == SessionKind::Medicine {
                Some(self.pre_dose(when, protocol))
            } else {
                None
            };
            if let Some((review, _, _)) = &pre_dose
                && review.outcome == Readiness::NotReady
            {
                session.readiness_override = Some("Reviewed with the supervising therapist; risks discussed with the client and managed.".into());
                summary.readiness_overrides += 1;
            }
            let session_id = store.add_session(&self.actor, session).await?.id;
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
                    if let Some((review, pre, cssrs)) = pre_dose {
                        let extra: Vec<NewAlert> =
                            alerts::from_readiness(&review).into_iter().collect();
                        self.submit(
                            store,
                            "pre-session-check",
                            pre,
                            Some(session_id),
                            when - Duration::hours(1),
                            extra,
                            None,
                        )
                        .await?;
                        self.submit(
                            store,
                            "cssrs-screener",
                            cssrs,
                            Some(session_id),
                            when - Duration::minutes(50),
                            vec![],
                            None,
                        )
                        .await?;
                    }
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
        let s = summarise(&self.alliance, &AllianceRules::default());
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
        // Clients with alerts, per kind: each open kind counted once per client.
        let kinds: BTreeSet<&'static str> = self.open.iter().map(|a| a.kind.code()).collect();
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

    /// Scores and stores one administration through the care workflow, as
    /// the web app does, with the course-level alerts the demo's rules raise.
    #[allow(clippy::too_many_arguments)]
    async fn submit<S: Store>(
        &mut self,
        store: &S,
        instrument: &str,
        values: Vec<Option<f64>>,
        session: Option<Uuid>,
        when: OffsetDateTime,
        also: Vec<NewAlert>,
        weeks_since_first_dose: Option<u32>,
    ) -> Result<Score> {
        let inst = self.inst(instrument);
        let measured = measure::measure(
            self.lib,
            Answers {
                weeks_since_first_dose,
                also,
                ..Answers::new(inst, values, &self.history, &self.open)
            },
        )
        .map_err(|e| DemoError::Library(e.to_string()))?;
        // The demo never resolves alerts, so everything raised so far is still open.
        self.open.extend(measured.alerts.iter().cloned());
        self.history.push(Given {
            instrument: inst.id().to_owned(),
            complete: measured.score.complete && measured.score.total.is_some(),
            values: measured.values.clone(),
        });
        let via = if measured.respondent == Respondent::Client && self.rng.chance(0.85) {
            CompletedVia::Portal
        } else {
            CompletedVia::ClinicianEntry
        };
        self.submitted += 1;
        let score = measured.score.clone();
        let place = Placement {
            idempotency_key: format!(
                "demo-{}-c{}-a{}",
                self.cfg.seed, self.model.index, self.submitted
            ),
            client: self.client,
            course: Some(self.course),
            session,
            time_point: self.time_point.take(),
            via,
            at: when,
        };
        store
            .submit(&self.actor, NewAdministration::measured(measured, place))
            .await?;
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
        let sc = self
            .submit(
                store,
                "cssrs-screener",
                values,
                Some(session),
                when,
                vec![],
                None,
            )
            .await?;
        self.note_screen(&sc, when);
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

    fn note_screen(&mut self, sc: &Score, when: OffsetDateTime) {
        let level = match sc.categories.get("risk").cloned().flatten() {
            Some(CategoryValue::Level(l)) => ScreenLevel::from_code(&l),
            _ => None,
        };
        self.last_screen = Some(SafetyScreen { at: when, level });
    }

    /// Pre-session Check, a C-SSRS screen and the readiness review before a dose.
    fn pre_dose(
        &mut self,
        when: OffsetDateTime,
        protocol: ProtocolTemplate,
    ) -> (
        readiness::ReadinessReview,
        Vec<Option<f64>>,
        Vec<Option<f64>>,
    ) {
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
        let cssrs = self.cssrs_values(true);
        let cssrs_inst = self.inst("cssrs-screener");
        if let Ok(resp) = Responses::from_values(cssrs_inst, &cssrs) {
            let sc = score(cssrs_inst, &resp);
            self.note_screen(&sc, when - Duration::minutes(50));
        }
        let summary = summarise(&self.alliance, &AllianceRules::default());
        let intentions = !self.rng.chance(0.08);
        let review = readiness::review(
            &ReadinessInput {
                alliance: &summary,
                pre_session: Some(pre),
                last_safety_screen: self.last_screen,
                contraindications: &self.flags,
                preparation_held: self.preparation_held,
                preparation_required: protocol.preparation_sessions(),
                intentions_recorded: intentions,
                now: when,
            },
            &ReadinessRules::default(),
        );
        let values = vec![
            pre.anxiety,
            pre.readiness,
            pre.trust,
            pre.intention,
            pre.body,
        ];
        (review, values, cssrs)
    }

    /// Client and therapist Session Alliance Checks; rupture and gap alerts.
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
        let number = self.alliance.len() as u32 + 1;
        let client_values =
            items::around(self.inst("alliance-check-client"), c, 0.6, &mut self.rng);
        let therapist_values =
            items::around(self.inst("alliance-check-therapist"), t, 0.6, &mut self.rng);
        let client_score = score(
            self.inst("alliance-check-client"),
            &Responses::from_values(self.inst("alliance-check-client"), &client_values)
                .map_err(|e| DemoError::Library(e.to_string()))?,
        );
        let therapist_score = score(
            self.inst("alliance-check-therapist"),
            &Responses::from_values(self.inst("alliance-check-therapist"), &therapist_values)
                .map_err(|e| DemoError::Library(e.to_string()))?,
        );
        self.alliance.push(AllianceObservation {
            session: number,
            client: client_score.total,
            therapist: therapist_score.total,
        });
        let summary = summarise(&self.alliance, &AllianceRules::default());
        let raised = alerts::from_alliance(&summary, number);
        let (rupture, gap): (Vec<NewAlert>, Vec<NewAlert>) = raised
            .into_iter()
            .partition(|a| a.kind == AlertKind::Rupture);
        self.submit(
            store,
            "alliance-check-client",
            client_values,
            Some(session),
            when + Duration::minutes(50),
            rupture,
            None,
        )
        .await?;
        self.submit(
            store,
            "alliance-check-therapist",
            therapist_values,
            Some(session),
            when + Duration::minutes(55),
            gap,
            None,
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
            vec![],
            None,
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
        self.submit(
            store,
            "meq30",
            meq_values,
            Some(session),
            when,
            vec![],
            None,
        )
        .await?;
        self.submit(
            store,
            "ebi",
            ebi_values,
            Some(session),
            when + Duration::minutes(5),
            vec![],
            None,
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
            Vec::new(),
            self.first_dose.map(|_| weeks),
        )
        .await?;
        Ok(())
    }
}

fn progress_weeks(first_dose: Option<OffsetDateTime>, when: OffsetDateTime) -> u32 {
    first_dose.map_or(0, |f| ((when - f).whole_days().max(0) / 7) as u32)
}
