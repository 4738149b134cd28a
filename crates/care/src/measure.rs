//! The clinical workflow for one set of answers: checked against the
//! instrument, scored by the library, with every alert the care rules raise.
//! The portal, clinician entry, the API and the demo all call [`measure`], so
//! that each stores exactly the same thing for the same answers.

use attune_instruments::definition::Respondent;
use attune_instruments::{
    Instrument, Library, ResponseError, Responses, Score, WordingRef, compare, score,
};

use crate::alerts::{self, ExpectedCourse, NewAlert, RaisedAlert};

/// What the workflow reads of an earlier administration of the client's.
pub trait EarlierAdministration {
    fn instrument(&self) -> &str;
    /// Every item answered, so that it can serve as a baseline.
    fn complete(&self) -> bool;
    fn answers(&self) -> &[Option<f64>];
}

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
    /// Whole weeks since the course's first medicine session, once there was
    /// one: symptom scores are then judged against the expected course.
    pub weeks_since_first_dose: Option<u32>,
    /// Alerts that the caller's course-level rules raise with these answers
    /// (alliance ruptures and gaps, readiness), de-duplicated with the rest.
    pub also: Vec<NewAlert>,
}

impl<'a, E, A> Answers<'a, E, A> {
    /// Answers judged against the client's record, with no course-level
    /// rules beyond those of the instrument.
    pub fn new(
        instrument: &'a Instrument,
        values: Vec<Option<f64>>,
        history: &'a [E],
        alerts: &'a [A],
    ) -> Self {
        Answers {
            instrument,
            values,
            history,
            alerts,
            weeks_since_first_dose: None,
            also: Vec::new(),
        }
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

/// Answers in, a scored administration with its alerts out. Safety findings
/// are never held back (each is its own alert); reliable deterioration and a
/// course off track are raised against the baseline unless an alert about
/// the same problem is still active.
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
    if let Some(baseline) = baseline(inst, answers.history)
        && let Ok(change) = compare(inst, &baseline, &sc)
    {
        raised.extend(alerts::from_change(&change));
        if let Some(weeks) = answers.weeks_since_first_dose {
            raised.extend(alerts::not_on_track(
                &change,
                weeks,
                &ExpectedCourse::default(),
            ));
        }
    }
    raised.extend(answers.also);
    Ok(Measured {
        respondent: inst.definition().respondent,
        wording: library.wording_for(inst, "en").map(|p| p.reference()),
        alerts: alerts::without_duplicates(raised, answers.alerts),
        values: answers.values,
        score: sc,
    })
}

/// The score of the first complete administration of `inst`, if any.
fn baseline<E: EarlierAdministration>(inst: &Instrument, history: &[E]) -> Option<Score> {
    let first = history
        .iter()
        .find(|a| a.instrument() == inst.id() && a.complete())?;
    check(inst, first.answers()).ok()
}
