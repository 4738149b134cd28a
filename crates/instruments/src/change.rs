//! Comparing two administrations of one instrument: change, reliable change
//! (Jacobson & Truax 1991), clinical significance, response and remission.
//!
//! Jacobson NS, Truax P. Clinical significance: a statistical approach to
//! defining meaningful change in psychotherapy research. J Consult Clin Psychol
//! 1991;59(1):12-19.

use crate::definition::{Direction, Evidence};
use crate::error::CompareError;
use crate::instrument::Instrument;
use crate::score::Score;

/// The two-tailed 5 % critical value Jacobson & Truax use for the RCI.
pub const RCI_CRITICAL: f64 = 1.96;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeCategory {
    /// Reliable improvement and crossed the clinical cut-off.
    Recovered,
    /// Reliable improvement without crossing (or with no cut-off to cross).
    Improved,
    Unchanged,
    /// Reliable change in the worse direction.
    Deteriorated,
}

impl ChangeCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeCategory::Recovered => "recovered",
            ChangeCategory::Improved => "improved",
            ChangeCategory::Unchanged => "unchanged",
            ChangeCategory::Deteriorated => "deteriorated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RciBasis {
    /// A published reliable-change point value; RCI = change × 1.96 / RC.
    PublishedValue,
    /// SD and reliability: Sdiff = SD × √(2(1 − r)); RCI = change / Sdiff.
    SdAndReliability,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReliableChange {
    pub rci: f64,
    /// Smallest raw change that counts as reliable.
    pub threshold: f64,
    pub reliable: bool,
    pub basis: RciBasis,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClinicalBasis {
    /// Criterion c from functional and dysfunctional norms.
    CriterionC,
    /// A published cut-off, by id.
    Cutoff(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClinicalChange {
    pub threshold: f64,
    pub basis: ClinicalBasis,
    pub before_functional: bool,
    pub after_functional: bool,
    /// Moved from the dysfunctional to the functional side.
    pub crossed: bool,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub instrument: String,
    pub version: u32,
    pub before: f64,
    pub after: f64,
    /// After minus before.
    pub change: f64,
    /// Change in the better direction (positive = better), whatever the scale's direction.
    pub improvement: f64,
    pub reliable: Option<ReliableChange>,
    pub clinical: Option<ClinicalChange>,
    /// Reliable improvement that crossed the cut-off.
    pub clinically_significant: Option<bool>,
    pub category: Option<ChangeCategory>,
    pub response: Option<bool>,
    pub remission: Option<bool>,
    /// Either score was prorated: the comparison stands on estimated totals.
    pub prorated: bool,
}

pub fn compare(
    inst: &Instrument,
    before: &Score,
    after: &Score,
) -> Result<Comparison, CompareError> {
    let def = inst.definition();
    let total = |s: &Score, which: &'static str| -> Result<f64, CompareError> {
        s.total.ok_or_else(|| CompareError::NoTotal {
            instrument: inst.id().to_owned(),
            which,
            reason: s
                .total_note
                .clone()
                .unwrap_or_else(|| "responses incomplete".to_owned()),
        })
    };
    if inst.total_range().is_none() {
        return Err(CompareError::NotScored {
            instrument: inst.id().to_owned(),
        });
    }
    let (b, a) = (total(before, "before")?, total(after, "after")?);
    let change = a - b;
    let improvement = match def.higher_is {
        Direction::Worse => -change,
        Direction::Better => change,
    };
    let rules = def.change.as_ref();

    let reliable =
        rules
            .and_then(|c| c.reliable.as_ref())
            .map(|r| match (r.rc, r.sd, r.reliability) {
                (Some(rc), _, _) => ReliableChange {
                    rci: change * RCI_CRITICAL / rc,
                    threshold: rc,
                    // A published RC value is a minimum: a change of exactly RC points counts.
                    reliable: change.abs() >= rc,
                    basis: RciBasis::PublishedValue,
                    source: r.source.clone(),
                    evidence: r.evidence,
                },
                (None, sd, rel) => {
                    let se = sd.unwrap_or(f64::NAN) * (1.0 - rel.unwrap_or(f64::NAN)).sqrt();
                    let sdiff = (2.0 * se * se).sqrt();
                    let rci = change / sdiff;
                    ReliableChange {
                        rci,
                        threshold: RCI_CRITICAL * sdiff,
                        reliable: rci.abs() > RCI_CRITICAL,
                        basis: RciBasis::SdAndReliability,
                        source: r.source.clone(),
                        evidence: r.evidence,
                    }
                }
            });

    let clinical = rules.and_then(|c| c.clinical.as_ref()).and_then(|clin| {
        let (threshold, basis, inclusive) = match (&clin.cutoff, &clin.norms) {
            (Some(id), _) => {
                let cut = def.cutoffs.iter().find(|c| &c.id == id)?;
                (cut.at_least, ClinicalBasis::Cutoff(id.clone()), true)
            }
            (None, Some(n)) => {
                let (f, d) = (n.functional, n.dysfunctional);
                let c = (d.sd * f.mean + f.sd * d.mean) / (d.sd + f.sd);
                (c, ClinicalBasis::CriterionC, false)
            }
            (None, None) => return None,
        };
        let functional = |score: f64| is_functional(def.higher_is, score, threshold, inclusive);
        let (before_functional, after_functional) = (functional(b), functional(a));
        Some(ClinicalChange {
            threshold,
            basis,
            before_functional,
            after_functional,
            crossed: !before_functional && after_functional,
            source: clin.source.clone(),
            evidence: clin.evidence,
        })
    });

    let reliably_better = reliable.as_ref().map(|r| r.reliable && improvement > 0.0);
    let clinically_significant = reliably_better
        .zip(clinical.as_ref())
        .map(|(better, c)| better && c.crossed);
    let category = reliable.as_ref().map(|r| {
        if !r.reliable || improvement == 0.0 {
            ChangeCategory::Unchanged
        } else if improvement < 0.0 {
            ChangeCategory::Deteriorated
        } else if clinical.as_ref().is_some_and(|c| c.crossed) {
            ChangeCategory::Recovered
        } else {
            ChangeCategory::Improved
        }
    });

    let response = rules.and_then(|c| c.response.as_ref()).and_then(|r| {
        let reduction = b - a;
        match (r.min_reduction_percent, r.min_reduction_points) {
            // Undefined from a baseline of zero: there is nothing to reduce.
            (Some(_), _) if b <= 0.0 => None,
            // Compared by cross-multiplying so that exactly 50 % stays exact.
            (Some(pct), _) if r.inclusive => Some(reduction * 100.0 >= pct * b),
            (Some(pct), _) => Some(reduction * 100.0 > pct * b),
            (None, Some(points)) => Some(reduction >= points),
            (None, None) => None,
        }
    });
    let remission = rules
        .and_then(|c| c.remission.as_ref())
        .map(|r| a <= r.at_most);

    Ok(Comparison {
        instrument: inst.id().to_owned(),
        version: inst.version(),
        before: b,
        after: a,
        change,
        improvement,
        reliable,
        clinical,
        clinically_significant,
        category,
        response,
        remission,
        prorated: before.prorated || after.prorated,
    })
}

/// Whether a score lies on the functional side of a threshold. A published
/// cut-off marks caseness at or above it (for symptom scales); criterion c is
/// the midpoint, and a score exactly on it is not yet closer to the functional mean.
fn is_functional(higher_is: Direction, score: f64, threshold: f64, cutoff_style: bool) -> bool {
    match (higher_is, cutoff_style) {
        (Direction::Worse, _) => score < threshold,
        (Direction::Better, true) => score >= threshold,
        (Direction::Better, false) => score > threshold,
    }
}
