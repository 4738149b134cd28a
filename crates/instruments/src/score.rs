//! Scoring one administration: totals, subscales, bands, cut-offs, categories
//! and safety findings, exactly as each instrument's definition says.

use std::collections::BTreeMap;

use crate::categories;
use crate::definition::{Aggregate, ItemDef, MissingPolicy, TotalMethod};
use crate::instrument::Instrument;
use crate::responses::{ItemStatus, Responses};
use crate::safety::{self, SafetyFinding};

/// The version of this scoring engine, stored with every score so that a
/// stored result can be traced to, and recomputed by, the code that made it.
pub const SCORER_VERSION: &str = concat!("attune-instruments/", env!("CARGO_PKG_VERSION"));

/// The value of a categorical rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryValue {
    Flag(bool),
    Level(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemScore {
    pub id: String,
    pub status: ItemStatus,
    /// The answer after reverse keying, when there is one.
    pub scored: Option<f64>,
}

/// Everything the scorer says about one administration. `None` means "cannot
/// be computed from these responses", never zero.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub instrument: String,
    pub version: u32,
    pub scorer: &'static str,
    /// Every scored and safety item was answered (or skipped by the skip logic).
    pub complete: bool,
    /// The total stands in for missing items under the instrument's policy.
    pub prorated: bool,
    pub total: Option<f64>,
    /// Why there is no total, when there is none.
    pub total_note: Option<String>,
    pub band: Option<String>,
    pub subscales: BTreeMap<String, Option<f64>>,
    pub domains: BTreeMap<String, Option<f64>>,
    /// Total and subscales as percent of their possible range, where the instrument reports it.
    pub percent_of_max: Option<PercentOfMax>,
    /// Other published conventions for the same total (`sum` beside a mean).
    pub alternates: BTreeMap<String, Option<f64>>,
    pub cutoffs: BTreeMap<String, Option<bool>>,
    pub categories: BTreeMap<String, Option<CategoryValue>>,
    pub safety: Vec<SafetyFinding>,
    /// Ids of the scored or safety items that should have been answered and were not.
    pub missing: Vec<String>,
    pub items: Vec<ItemScore>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PercentOfMax {
    pub total: Option<f64>,
    pub subscales: BTreeMap<String, Option<f64>>,
}

/// The item's answer after reverse keying.
pub(crate) fn keyed(inst: &Instrument, position: usize, raw: f64) -> f64 {
    let item = &inst.items()[position];
    match (item.reverse, inst.item_range(position)) {
        (true, Some(range)) => range.min + range.max - raw,
        _ => raw,
    }
}

fn is_unanswered(status: ItemStatus) -> bool {
    matches!(status, ItemStatus::Missing | ItemStatus::Undetermined)
}

/// Scores one administration.
pub fn score(inst: &Instrument, responses: &Responses) -> Score {
    let def = inst.definition();
    let statuses = responses.statuses();
    let items: Vec<ItemScore> = inst
        .items()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let status = responses.status(i);
            ItemScore {
                id: item.id.clone(),
                status,
                scored: status.value().map(|v| keyed(inst, i, v)),
            }
        })
        .collect();
    let counts = |item: &ItemDef| item.scored || !item.safety.is_empty();
    let missing: Vec<String> = inst
        .items()
        .iter()
        .zip(statuses)
        .filter(|(item, status)| counts(item) && is_unanswered(**status))
        .map(|(item, _)| item.id.clone())
        .collect();
    let missing_safety: Vec<&str> = inst
        .items()
        .iter()
        .zip(statuses)
        .filter(|(item, status)| !item.safety.is_empty() && is_unanswered(**status))
        .map(|(item, _)| item.id.as_str())
        .collect();

    let all_scored = |item: &ItemDef| item.scored;
    let (total, prorated, total_note) = match def.scoring.total {
        TotalMethod::None => (None, false, Some("this instrument has no total".to_owned())),
        _ if !missing_safety.is_empty() => (
            None,
            false,
            Some(format!(
                "safety item {} not answered: a total is never computed around a missing safety item",
                missing_safety.join(", ")
            )),
        ),
        TotalMethod::Sum => aggregate(inst, &items, &all_scored, Aggregate::Sum, true),
        TotalMethod::Mean => aggregate(inst, &items, &all_scored, Aggregate::Mean, true),
        TotalMethod::DomainMaxSum => domain_total(inst, &items),
    };

    let subscales: BTreeMap<String, Option<f64>> = def
        .subscales
        .iter()
        .map(|s| {
            let member = |item: &ItemDef| item.scored && item.subscales.contains(&s.id);
            let value = if missing_safety_in(inst, statuses, &member) {
                None
            } else {
                aggregate(inst, &items, &member, s.method, false).0
            };
            (s.id.clone(), value)
        })
        .collect();

    let domains: BTreeMap<String, Option<f64>> = def
        .domains
        .iter()
        .map(|d| (d.id.clone(), domain_value(inst, &items, &d.id)))
        .collect();

    let percent_of_max = def.scoring.percent_of_max.then(|| PercentOfMax {
        total: total.zip(inst.total_range()).map(|(t, r)| r.percent(t)),
        subscales: subscales
            .iter()
            .map(|(id, v)| {
                let pct = v.zip(inst.subscale_range(id)).map(|(v, r)| r.percent(v));
                (id.clone(), pct)
            })
            .collect(),
    });

    let mut alternates = BTreeMap::new();
    if def.scoring.also_report_sum {
        let sum = if missing.is_empty() && total.is_some() {
            Some(sum_of(&items, inst, &all_scored))
        } else {
            None
        };
        alternates.insert("sum".to_owned(), sum);
    }

    let band = total.and_then(|t| {
        def.bands
            .iter()
            .find(|b| t >= b.min && t <= b.max)
            .map(|b| b.label.clone())
    });
    let cutoffs = def
        .cutoffs
        .iter()
        .map(|c| (c.id.clone(), total.map(|t| t >= c.at_least)))
        .collect();
    let pct_subscales = percent_of_max.as_ref().map(|p| &p.subscales);
    let categories = def
        .categories
        .iter()
        .map(|c| {
            (
                c.id().to_owned(),
                categories::evaluate(inst, c, &items, pct_subscales),
            )
        })
        .collect();

    Score {
        instrument: inst.id().to_owned(),
        version: inst.version(),
        scorer: SCORER_VERSION,
        complete: missing.is_empty(),
        prorated,
        total,
        total_note,
        band,
        subscales,
        domains,
        percent_of_max,
        alternates,
        cutoffs,
        categories,
        safety: safety::findings(inst, responses),
        missing,
        items,
    }
}

fn missing_safety_in(
    inst: &Instrument,
    statuses: &[ItemStatus],
    member: &dyn Fn(&ItemDef) -> bool,
) -> bool {
    inst.items()
        .iter()
        .zip(statuses)
        .any(|(item, s)| member(item) && !item.safety.is_empty() && is_unanswered(*s))
}

fn sum_of(items: &[ItemScore], inst: &Instrument, member: &dyn Fn(&ItemDef) -> bool) -> f64 {
    inst.items()
        .iter()
        .zip(items)
        .filter(|(item, _)| member(item))
        .filter_map(|(_, s)| s.scored)
        .sum()
}

/// Sum or mean over the member items under the instrument's missing-data
/// policy. Returns the value, whether it was prorated, and why it is absent.
fn aggregate(
    inst: &Instrument,
    items: &[ItemScore],
    member: &dyn Fn(&ItemDef) -> bool,
    method: Aggregate,
    is_total: bool,
) -> (Option<f64>, bool, Option<String>) {
    let mut answered = Vec::new();
    let mut missing = 0usize;
    for (item, s) in inst.items().iter().zip(items) {
        if !member(item) {
            continue;
        }
        match s.status {
            ItemStatus::Answered(_) => answered.extend(s.scored),
            ItemStatus::Skipped => {}
            ItemStatus::Missing | ItemStatus::Undetermined => missing += 1,
        }
    }
    let n = answered.len() + missing;
    if n == 0 {
        return (None, false, Some("no item of it was asked".to_owned()));
    }
    let sum: f64 = answered.iter().sum();
    let whole = |value: f64| (Some(value), false, None);
    if missing == 0 {
        return whole(match method {
            Aggregate::Sum => sum,
            Aggregate::Mean => sum / n as f64,
        });
    }
    let mean_of_answered = (!answered.is_empty()).then(|| sum / answered.len() as f64);
    let refuse = |why: String| (None, false, Some(why));
    match &inst.definition().scoring.missing {
        MissingPolicy::None { .. } | MissingPolicy::WithinDomain { .. } => refuse(format!(
            "{missing} item(s) missing; this instrument allows none"
        )),
        // Proration applies to the total only: a subscale of a few items is not
        // estimated from fewer still.
        MissingPolicy::Prorate { max_missing, .. } if is_total => {
            if missing > *max_missing as usize {
                return refuse(format!(
                    "{missing} item(s) missing; at most {max_missing} may be prorated"
                ));
            }
            let Some(mean) = mean_of_answered else {
                return refuse("no item answered".to_owned());
            };
            let value = match method {
                // Rounded to a whole number so that bands and cut-offs apply as published.
                Aggregate::Sum => (mean * n as f64).round(),
                Aggregate::Mean => mean,
            };
            (Some(value), true, None)
        }
        MissingPolicy::Prorate { .. } => refuse(format!("{missing} item(s) missing")),
        MissingPolicy::MeanOfAnswered {
            min_answered_percent,
            ..
        } => {
            // Compared as integers scaled by 100 so that e.g. 3 of 4 = 75 % is exact.
            let enough = (answered.len() * 100) as f64 >= min_answered_percent * n as f64;
            match (enough, mean_of_answered) {
                (true, Some(mean)) => (Some(mean), true, None),
                _ => refuse(format!(
                    "{} of {n} items answered; at least {min_answered_percent} % are needed",
                    answered.len()
                )),
            }
        }
    }
}

/// A domain's score: the highest answer among its items (QIDS-SR16).
fn domain_value(inst: &Instrument, items: &[ItemScore], domain: &str) -> Option<f64> {
    let mut best: Option<f64> = None;
    let mut missing = false;
    for (item, s) in inst.items().iter().zip(items) {
        if !item.scored || item.domain.as_deref() != Some(domain) {
            continue;
        }
        match s.scored {
            Some(v) => best = Some(best.map_or(v, |b| b.max(v))),
            None => missing |= is_unanswered(s.status),
        }
    }
    match inst.definition().scoring.missing {
        MissingPolicy::WithinDomain { .. } => best,
        _ if missing => None,
        _ => best,
    }
}

fn domain_total(inst: &Instrument, items: &[ItemScore]) -> (Option<f64>, bool, Option<String>) {
    let def = inst.definition();
    let missing = inst
        .items()
        .iter()
        .zip(items)
        .filter(|(item, s)| item.scored && is_unanswered(s.status))
        .count();
    if missing > 0 && !matches!(def.scoring.missing, MissingPolicy::WithinDomain { .. }) {
        return (
            None,
            false,
            Some(format!(
                "{missing} item(s) missing; this instrument allows none"
            )),
        );
    }
    let mut total = 0.0;
    for d in &def.domains {
        match domain_value(inst, items, &d.id) {
            Some(v) => total += v,
            None => {
                return (
                    None,
                    false,
                    Some(format!("domain '{}' has no answered item", d.id)),
                );
            }
        }
    }
    // Not proration: nothing is estimated, each domain is read from what was
    // answered (the published rule), so `prorated` stays false; `complete`
    // says that items are missing.
    let note = (missing > 0).then(|| {
        format!("{missing} item(s) missing: each domain is the highest of its answered items")
    });
    (Some(total), false, note)
}
