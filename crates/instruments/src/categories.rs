//! Categorical rules: a result that is not a number (provisional PTSD, complete
//! mystical experience, C-SSRS risk level).
//!
//! With items missing a rule may still be decided: if the answered items
//! already meet it, or could not meet it whatever the missing answers were.
//! Only when the missing answers could tip it either way is the result `None`.

use std::collections::BTreeMap;

use crate::definition::CategoryDef;
use crate::instrument::Instrument;
use crate::responses::ItemStatus;
use crate::score::{CategoryValue, ItemScore};

/// Three-valued truth: decided yes, decided no, or open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    Yes,
    No,
    Open,
}

pub(crate) fn evaluate(
    inst: &Instrument,
    rule: &CategoryDef,
    items: &[ItemScore],
    percent_subscales: Option<&BTreeMap<String, Option<f64>>>,
) -> Option<CategoryValue> {
    match rule {
        CategoryDef::Endorsement {
            endorse_at_least,
            require,
            ..
        } => {
            let mut overall = Truth::Yes;
            for req in require {
                let (mut endorsed, mut open) = (0u32, 0u32);
                for (item, s) in inst.items().iter().zip(items) {
                    if !item.scored || !item.subscales.contains(&req.subscale) {
                        continue;
                    }
                    match s.scored {
                        Some(v) if v >= *endorse_at_least => endorsed += 1,
                        Some(_) => {}
                        None if matches!(s.status, ItemStatus::Skipped) => {}
                        None => open += 1,
                    }
                }
                let truth = if endorsed >= req.count {
                    Truth::Yes
                } else if endorsed + open < req.count {
                    Truth::No
                } else {
                    Truth::Open
                };
                overall = and(overall, truth);
            }
            decided(overall).map(CategoryValue::Flag)
        }
        CategoryDef::AllSubscalesPercent {
            at_least_percent, ..
        } => {
            let percents = percent_subscales?;
            let mut overall = Truth::Yes;
            for value in percents.values() {
                let truth = match value {
                    Some(p) if *p >= *at_least_percent => Truth::Yes,
                    Some(_) => Truth::No,
                    None => Truth::Open,
                };
                overall = and(overall, truth);
            }
            decided(overall).map(CategoryValue::Flag)
        }
        CategoryDef::FirstMatch {
            levels, otherwise, ..
        } => {
            // Levels are ordered from most to least severe: a level applies only
            // when every level above it is decided no.
            for level in levels {
                let mut truth = Truth::No;
                for id in &level.items {
                    let Some(pos) = inst.item_position(id) else {
                        continue;
                    };
                    let item_truth = match items.get(pos).map(|s| s.status) {
                        Some(ItemStatus::Answered(v)) if v >= level.at_least => Truth::Yes,
                        Some(ItemStatus::Answered(_) | ItemStatus::Skipped) => Truth::No,
                        _ => Truth::Open,
                    };
                    truth = or(truth, item_truth);
                }
                match truth {
                    Truth::Yes => return Some(CategoryValue::Level(level.value.clone())),
                    Truth::Open => return None,
                    Truth::No => {}
                }
            }
            Some(CategoryValue::Level(otherwise.clone()))
        }
    }
}

fn and(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::No, _) | (_, Truth::No) => Truth::No,
        (Truth::Yes, Truth::Yes) => Truth::Yes,
        _ => Truth::Open,
    }
}

fn or(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::Yes, _) | (_, Truth::Yes) => Truth::Yes,
        (Truth::No, Truth::No) => Truth::No,
        _ => Truth::Open,
    }
}

fn decided(t: Truth) -> Option<bool> {
    match t {
        Truth::Yes => Some(true),
        Truth::No => Some(false),
        Truth::Open => None,
    }
}
