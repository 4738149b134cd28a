//! The web's side of the care workflow ([`attune_care::measure`]): answers
//! from the portal, clinician entry or the API, judged against the client's
//! record as the store holds it, become the administration to submit.

use attune_care::measure::{self, Answers};
use attune_instruments::{Instrument, Library, Score};
use attune_store::{Administration, NewAdministration, Placement, StoredAlert};

use crate::http::error::AppError;

/// Checks the answers (scale, skip logic) and scores them.
pub fn check(inst: &Instrument, answers: &[Option<f64>]) -> Result<Score, AppError> {
    measure::check(inst, answers).map_err(|e| AppError::invalid(inst.id(), e.to_string()))
}

/// The administration to store for `answers`, with every alert the care
/// rules raise, and its score (for the response).
pub fn administration(
    library: &Library,
    answers: Answers<'_, Administration, StoredAlert>,
    place: Placement,
) -> Result<(NewAdministration, Score), AppError> {
    let inst = answers.instrument;
    let measured = measure::measure(library, answers)
        .map_err(|e| AppError::invalid(inst.id(), e.to_string()))?;
    let score = measured.score.clone();
    Ok((NewAdministration::measured(measured, place), score))
}
