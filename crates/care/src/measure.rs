//! The clinical workflow for one set of answers: checked against the
//! instrument, scored by the library, with every alert the care rules raise.
//! The portal, clinician entry, the API and the demo all call [`measure`], so
//! that each stores exactly the same thing for the same answers.

use attune_instruments::definition::{Direction, Respondent};
use attune_instruments::{
    Instrument, Library, ResponseError, Responses, Score, WordingRef, compare, score,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::alerts::{self, ExpectedCourse, NewAlert, RaisedAlert};
pub use crate::facts::EarlierAdministration;
use crate::facts::{ALLIANCE_CLIENT, ALLIANCE_THERAPIST, CourseFacts};
use crate::readiness::DoseChecks;
use crate::review::{self, DoseRecord};

/// How many days ahead of a dose a submission re-runs its readiness review
/// (the Pre-session Check and the safety screen belong to that week).
pub const REVIEW_AHEAD_DAYS: i64 = 7;

/// One set of answers and what the rules need to judge them.
pub struct Answers<'a, E, A> {
    pub instrument: &'a Instrument,
    /// One value per item, in the instrument's order; `None` unanswered.
    pub values: Vec<Option<f64>>,
    /// The client's earlier administrations, oldest first (the first
    /// complete one of this instrument is the baseline for change).
    pub history: &'a [E],
    /// Alerts already raised for the client (a problem with an active alert
    /// is not raised twice).
    pub alerts: &'a [A],
    /// When the answers were given.
    pub at: OffsetDateTime,
    /// The course they belong to: its rules (alliance, expected course,
    /// readiness ahead of a dose) apply.
    pub course: Option<&'a CourseFacts<'a>>,
    /// The session they were answered for.
    pub session: Option<Uuid>,
}

impl<'a, E, A> Answers<'a, E, A> {
    /// Answers judged against the client's record, outside any course.
    pub fn new(
        instrument: &'a Instrument,
        values: Vec<Option<f64>>,
        history: &'a [E],
        alerts: &'a [A],
        at: OffsetDateTime,
    ) -> Self {
        Answers {
            instrument,
            values,
            history,
            alerts,
            at,
            course: None,
            session: None,
        }
    }

    /// The same answers, given in `course` for `session`.
    pub fn in_course(mut self, course: &'a CourseFacts<'a>, session: Option<Uuid>) -> Self {
        self.course = Some(course);
        self.session = session;
        self
    }
}

/// A scored administration with the alerts it raises.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub values: Vec<Option<f64>>,
    pub score: Score,
    pub respondent: Respondent,
    /// The wording shown, as the library chooses it for this instrument.
    pub wording: Option<WordingRef>,
    pub alerts: Vec<NewAlert>,
}

/// Checks the answers (scale, skip logic) and scores them.
pub fn check(inst: &Instrument, values: &[Option<f64>]) -> Result<Score, ResponseError> {
    let responses = Responses::from_values(inst, values)?;
    Ok(score(inst, &responses))
}

/// These answers, as the rules read an administration.
struct Given<'a> {
    instrument: &'a Instrument,
    values: &'a [Option<f64>],
    score: &'a Score,
    session: Option<Uuid>,
    at: OffsetDateTime,
}

impl EarlierAdministration for Given<'_> {
    fn instrument(&self) -> &str {
        self.instrument.id()
    }
    fn version(&self) -> u32 {
        self.instrument.version()
    }
    fn complete(&self) -> bool {
        self.score.complete && self.score.total.is_some()
    }
    fn answers(&self) -> &[Option<f64>] {
        self.values
    }
    fn total(&self) -> Option<f64> {
        self.score.total
    }
    fn session(&self) -> Option<Uuid> {
        self.session
    }
    fn at(&self) -> OffsetDateTime {
        self.at
    }
}

/// Answers in, a scored administration with its alerts out. Every rule of
/// `docs/clinical-rules.md` runs here, for every write path:
/// - safety findings, each its own alert, never held back;
/// - reliable deterioration and, after the first dose, the expected course,
///   against the baseline;
/// - for a Session Alliance Check, a rupture or gap at this session;
/// - in the week before a dose, the readiness review of that dose, on what
///   the record shows (what is still to do before the dose is not alerted).
///
/// Alerts name the session by its own number and date, and are
/// de-duplicated against the client's active alerts by kind, instrument,
/// episode and severity.
pub fn measure<E, A>(
    library: &Library,
    answers: Answers<'_, E, A>,
) -> Result<Measured, ResponseError>
where
    E: EarlierAdministration,
    A: RaisedAlert,
{
    let inst = answers.instrument;
    let sc = check(inst, &answers.values)?;
    let mut raised = alerts::from_score(&sc);
    let weeks = answers
        .course
        .and_then(|c| c.weeks_since_first_dose(answers.at));
    if let Some(baseline) = baseline(inst, answers.history)
        && let Ok(change) = compare(inst, &baseline, &sc)
    {
        raised.extend(alerts::from_change(&change));
        if let Some(weeks) = weeks
            && symptom_measure(inst)
        {
            raised.extend(alerts::not_on_track(
                &change,
                weeks,
                &ExpectedCourse::default(),
            ));
        }
    }
    if let Some(course) = answers.course {
        let given = Given {
            instrument: inst,
            values: &answers.values,
            score: &sc,
            session: answers.session,
            at: answers.at,
        };
        let mut record: Vec<&dyn EarlierAdministration> = answers
            .history
            .iter()
            .map(|e| e as &dyn EarlierAdministration)
            .collect();
        record.push(&given);
        let session = answers.session.and_then(|id| course.session(id));
        if let Some(session) = session
            && matches!(inst.id(), ALLIANCE_CLIENT | ALLIANCE_THERAPIST)
        {
            let summary = course.alliance(&record, Some(session.number));
            raised.extend(alerts::from_alliance(&summary, session, course.sessions));
        }
        if let Some(dose) = course.dose_ahead(answers.session, answers.at, REVIEW_AHEAD_DAYS) {
            let earlier: Vec<&dyn RaisedAlert> = answers
                .alerts
                .iter()
                .map(|a| a as &dyn RaisedAlert)
                .collect();
            let reviewed = review::review(
                library,
                &DoseRecord {
                    course,
                    dose,
                    administrations: &record,
                    alerts: &earlier,
                    checks: DoseChecks::default(),
                },
            );
            raised.extend(alerts::from_readiness(&reviewed, dose, true));
        }
    }
    for a in &mut raised {
        a.session = a.session.or(answers.session);
    }
    Ok(Measured {
        respondent: inst.definition().respondent,
        wording: library.wording_for(inst, "en").map(|p| p.reference()),
        alerts: alerts::without_duplicates(raised, answers.alerts),
        values: answers.values,
        score: sc,
    })
}

/// An outcome measure of symptoms (higher is worse, with published change
/// rules: PHQ-9, GAD-7, PCL-5, MADRS, QIDS-SR16): the expected course applies
/// to these, not to the alliance or the experience of a dose.
fn symptom_measure(inst: &Instrument) -> bool {
    let def = inst.definition();
    def.higher_is == Direction::Worse && def.change.is_some()
}

/// The score of the first complete administration of `inst`, if any.
fn baseline<E: EarlierAdministration>(inst: &Instrument, history: &[E]) -> Option<Score> {
    let first = history
        .iter()
        .find(|a| a.instrument() == inst.id() && a.complete())?;
    check(inst, first.answers()).ok()
}
