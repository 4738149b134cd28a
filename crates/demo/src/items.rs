//! Item-level answers that add up to what the model says, so that every demo
//! administration is scored by the real scoring engine, item by item.

use attune_instruments::Instrument;
use attune_instruments::definition::TotalMethod;

use crate::rng::Rng;

/// Answers to a summed instrument whose scored total is `total`. Safety items
/// get `safety_value` (usually 0) and count toward the total; the rest is
/// spread at random over the other scored items. Unscored items follow the
/// total (PHQ-9's difficulty item rises with severity).
pub fn summing_to(
    inst: &Instrument,
    total: f64,
    safety_value: f64,
    rng: &mut Rng,
) -> Vec<Option<f64>> {
    if inst.definition().scoring.total == TotalMethod::DomainMaxSum {
        return domains_summing_to(inst, total, safety_value, rng);
    }
    let items = inst.items();
    let mut values: Vec<f64> = items.iter().map(|_| 0.0).collect();
    let mut open: Vec<usize> = Vec::new();
    let mut left = total;
    for (i, item) in items.iter().enumerate() {
        let max = inst.item_range(i).map_or(0.0, |r| r.max);
        if !item.safety.is_empty() {
            values[i] = safety_value.min(max);
            left -= values[i];
        } else if item.scored {
            open.push(i);
        }
    }
    let mut left = left.max(0.0) as u32;
    while left > 0 && !open.is_empty() {
        let k = rng.below(open.len());
        let i = open[k];
        values[i] += 1.0;
        left -= 1;
        if values[i] >= inst.item_range(i).map_or(0.0, |r| r.max) {
            open.swap_remove(k);
        }
    }
    let share = total / inst.total_range().map_or(1.0, |r| r.max.max(1.0));
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if item.scored || !item.safety.is_empty() {
                Some(values[i])
            } else {
                let max = inst.item_range(i).map_or(0.0, |r| r.max);
                Some((share * (max + 1.0)).floor().min(max))
            }
        })
        .collect()
}

/// QIDS-SR16-style: the total is a sum of domain maxima. Each domain gets a
/// value; one of its items carries it and the others stay at or below it.
fn domains_summing_to(
    inst: &Instrument,
    total: f64,
    safety_value: f64,
    rng: &mut Rng,
) -> Vec<Option<f64>> {
    let def = inst.definition();
    let items = inst.items();
    let safety_domain = items
        .iter()
        .find(|i| !i.safety.is_empty())
        .and_then(|i| i.domain.clone());
    let mut domain_value: Vec<(String, f64)> =
        def.domains.iter().map(|d| (d.id.clone(), 0.0)).collect();
    let mut left = (total - safety_value).max(0.0) as u32;
    let mut open: Vec<usize> = (0..domain_value.len())
        .filter(|k| Some(&domain_value[*k].0) != safety_domain.as_ref())
        .collect();
    while left > 0 && !open.is_empty() {
        let k = rng.below(open.len());
        let d = open[k];
        domain_value[d].1 += 1.0;
        left -= 1;
        if domain_value[d].1 >= 3.0 {
            open.swap_remove(k);
        }
    }
    let mut values = vec![0.0; items.len()];
    for (id, v) in &domain_value {
        let members: Vec<usize> = (0..items.len())
            .filter(|i| items[*i].domain.as_deref() == Some(id.as_str()))
            .collect();
        if members.is_empty() {
            continue;
        }
        let carrier = members[rng.below(members.len())];
        for m in members {
            values[m] = if m == carrier {
                *v
            } else {
                rng.below(*v as usize + 1) as f64
            };
        }
    }
    for (i, item) in items.iter().enumerate() {
        if !item.safety.is_empty() {
            values[i] = safety_value;
        }
    }
    values.into_iter().map(Some).collect()
}

/// Answers scattered around a level on each item's own scale (means-scored
/// instruments: alliance checks, WAI-SR, MEQ30, EBI). `level` is on the item
/// scale; reverse-keyed items are answered so that their *scored* value is
/// near the level.
pub fn around(inst: &Instrument, level: f64, spread: f64, rng: &mut Rng) -> Vec<Option<f64>> {
    inst.items()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let r = inst
                .item_range(i)
                .unwrap_or(attune_instruments::Range { min: 0.0, max: 1.0 });
            let keyed = (level + spread * rng.normal()).round().clamp(r.min, r.max);
            Some(if item.reverse {
                r.min + r.max - keyed
            } else {
                keyed
            })
        })
        .collect()
}
