//! The web's side of the care workflow ([`attune_care::measure`]): answers
//! from the portal, clinician entry or the API, judged against the client's
//! record as the store holds it, become the administration to submit, with
//! every alert the care rules raise (safety, change, alliance, readiness).

use attune_care::measure::{self, Answers};
use attune_instruments::{Instrument, Library, Score};
use attune_store::audit::Actor;
use attune_store::{
    Administration, Course, CourseRecord, IntakeRecord, NewAdministration, Placement, Session,
    StoredAlert,
};
use uuid::Uuid;

use crate::app::{Shared, Stores};
use crate::http::error::AppError;

/// Checks the answers (scale, skip logic) and scores them.
pub fn check(inst: &Instrument, answers: &[Option<f64>]) -> Result<Score, AppError> {
    measure::check(inst, answers).map_err(|e| AppError::invalid(inst.id(), e.to_string()))
}

/// What the rules read of one client, as the store holds it.
pub struct ClientRecord<'a> {
    pub administrations: &'a [Administration],
    pub alerts: &'a [StoredAlert],
    pub courses: &'a [(Course, Vec<Session>)],
    pub intake: Option<&'a IntakeRecord>,
}

/// A client's record read for a submission (by staff; the portal reads it
/// in its own transaction).
pub struct Loaded {
    administrations: Vec<Administration>,
    alerts: Vec<StoredAlert>,
    courses: Vec<(Course, Vec<Session>)>,
    intake: Option<IntakeRecord>,
}

impl Loaded {
    pub async fn read<S: Stores>(
        app: &Shared<S>,
        actor: &Actor,
        client: Uuid,
    ) -> Result<Loaded, AppError> {
        let mut courses = Vec::new();
        for c in app.store.courses(actor, client).await? {
            let sessions = app.store.sessions(actor, c.id).await?;
            courses.push((c, sessions));
        }
        Ok(Loaded {
            administrations: app.store.administrations(actor, client).await?,
            alerts: app.store.client_alerts(actor, client).await?,
            courses,
            intake: app
                .store
                .intakes(actor, client)
                .await?
                .pop()
                .map(|i| i.record),
        })
    }

    pub fn record(&self) -> ClientRecord<'_> {
        ClientRecord {
            administrations: &self.administrations,
            alerts: &self.alerts,
            courses: &self.courses,
            intake: self.intake.as_ref(),
        }
    }
}

/// The administration to store for `values`, with every alert the care
/// rules raise, and its score (for the response).
pub fn administration(
    library: &Library,
    inst: &Instrument,
    values: Vec<Option<f64>>,
    record: ClientRecord<'_>,
    place: Placement,
) -> Result<(NewAdministration, Score), AppError> {
    let course = place
        .course
        .and_then(|id| CourseRecord::find(record.courses, id, record.intake));
    let facts = course.as_ref().map(CourseRecord::facts);
    let answers = Answers::new(
        inst,
        values,
        record.administrations,
        record.alerts,
        place.at,
    );
    let answers = match &facts {
        Some(f) => answers.in_course(f, place.session),
        None => answers,
    };
    let measured = measure::measure(library, answers)
        .map_err(|e| AppError::invalid(inst.id(), e.to_string()))?;
    let score = measured.score.clone();
    Ok((NewAdministration::measured(measured, place), score))
}
