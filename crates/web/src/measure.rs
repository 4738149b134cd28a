//! Answers in, a stored administration out: checked against the instrument,
//! scored by the library, with the alerts the care rules raise. Shared by the
//! portal and by clinician entry, so both store exactly the same thing.

use attune_care::alerts::{self, NewAlert};
use attune_instruments::definition::Respondent;
use attune_instruments::{Instrument, Library, Responses, Score, compare, score};
use attune_store::{Administration, CompletedVia, NewAdministration, NewStoredAlert, StoredAlert};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::AppError;

pub fn respondent(inst: &Instrument) -> &'static str {
    match inst.definition().respondent {
        Respondent::Client => "client",
        Respondent::Therapist => "therapist",
        Respondent::Clinician => "clinician",
    }
}

/// Where an administration belongs and how it arrived.
pub struct Context<'a> {
    pub idempotency_key: String,
    pub client: Uuid,
    pub course: Option<Uuid>,
    pub session: Option<Uuid>,
    pub time_point: Option<String>,
    pub via: CompletedVia,
    pub at: OffsetDateTime,
    /// The client's earlier administrations (for reliable change from baseline).
    pub history: &'a [Administration],
    /// The client's alerts (a problem with an open alert is not raised twice).
    pub alerts: &'a [StoredAlert],
}

/// Checks the answers (scale, skip logic) and scores them.
pub fn check(inst: &Instrument, answers: &[Option<f64>]) -> Result<(Responses, Score), AppError> {
    let responses = Responses::from_values(inst, answers)
        .map_err(|e| AppError::invalid(inst.id(), e.to_string()))?;
    let sc = score(inst, &responses);
    Ok((responses, sc))
}

fn stored(a: &NewAlert) -> NewStoredAlert {
    NewStoredAlert {
        kind: a.kind.code().to_owned(),
        severity: a.severity.code().to_owned(),
        message: a.message.clone(),
    }
}

/// Reliable deterioration since the first complete administration, unless an
/// alert about it is still open.
fn deterioration(inst: &Instrument, sc: &Score, ctx: &Context<'_>) -> Option<NewAlert> {
    let baseline = ctx
        .history
        .iter()
        .find(|a| a.instrument == inst.id() && a.complete && a.total.is_some())?;
    let (_, before) = check(inst, &baseline.responses).ok()?;
    let change = compare(inst, &before, sc).ok()?;
    let raised = alerts::from_change(&change)?;
    let open = ctx.alerts.iter().any(|a| {
        a.status != attune_store::AlertStatus::Resolved
            && a.kind == raised.kind.code()
            && a.message.starts_with(inst.id())
    });
    (!open).then_some(raised)
}

pub fn administration(
    library: &Library,
    inst: &Instrument,
    answers: Vec<Option<f64>>,
    ctx: Context<'_>,
) -> Result<(NewAdministration, Score), AppError> {
    let (_, sc) = check(inst, &answers)?;
    // Safety findings are never held back; each is its own alert.
    let mut raised = alerts::from_score(&sc);
    raised.extend(deterioration(inst, &sc, &ctx));
    let pack = library.wording_for(inst, "en").map(|p| p.reference());
    let new = NewAdministration {
        idempotency_key: ctx.idempotency_key,
        client: ctx.client,
        course: ctx.course,
        session: ctx.session,
        time_point: ctx.time_point,
        instrument: inst.id().to_owned(),
        instrument_version: inst.version(),
        respondent: respondent(inst).to_owned(),
        responses: answers,
        wording_pack: pack.as_ref().map(|p| p.pack.clone()),
        wording_kind: pack.as_ref().map(|p| p.kind.as_str().to_owned()),
        completed_via: ctx.via,
        administered_at: ctx.at,
        total: sc.total,
        band: sc.band.clone(),
        complete: sc.complete,
        prorated: sc.prorated,
        scorer: sc.scorer.to_owned(),
        alerts: raised.iter().map(stored).collect(),
        supersedes: None,
    };
    Ok((new, sc))
}
