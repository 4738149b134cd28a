//! Responses to one administration, parsed against the instrument so that an
//! off-scale or out-of-place answer can never reach the scorer.

use crate::definition::ResponseScale;
use crate::error::ResponseError;
use crate::instrument::Instrument;

/// What happened to one item in an administration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ItemStatus {
    Answered(f64),
    /// Not asked, by the instrument's skip logic (C-SSRS Q3-Q5 after Q2 = no).
    Skipped,
    /// Should have been answered and was not.
    Missing,
    /// Left blank while the item that decides whether it is asked is itself
    /// missing: we cannot tell whether it was skipped or missed.
    Undetermined,
}

impl ItemStatus {
    pub fn value(self) -> Option<f64> {
        match self {
            ItemStatus::Answered(v) => Some(v),
            _ => None,
        }
    }
}

/// One status per item, in the instrument's item order.
#[derive(Debug, Clone, PartialEq)]
pub struct Responses {
    statuses: Vec<ItemStatus>,
}

impl Responses {
    /// Parses command-line style tokens: a number per item (or an option label
    /// such as `yes`), `-` for a missing answer. Unscored items at the end may be
    /// left off.
    pub fn parse<S: AsRef<str>>(
        inst: &Instrument,
        tokens: &[S],
    ) -> Result<Responses, ResponseError> {
        check_count(inst, tokens.len())?;
        let values = tokens
            .iter()
            .enumerate()
            .map(|(i, token)| parse_token(inst, i, token.as_ref().trim()))
            .collect::<Result<Vec<_>, _>>()?;
        Responses::from_values(inst, &values)
    }

    /// Checks values already typed as numbers (a form, an import).
    pub fn from_values(
        inst: &Instrument,
        values: &[Option<f64>],
    ) -> Result<Responses, ResponseError> {
        check_count(inst, values.len())?;
        let items = inst.items();
        let mut statuses: Vec<ItemStatus> = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let value = values.get(i).copied().flatten();
            if let Some(v) = value {
                check_on_scale(inst, i, v)?;
            }
            let asked = match &item.ask_if {
                None => Some(true),
                Some(cond) => {
                    // Validation put the controlling item earlier, so its status is known.
                    let controller = inst
                        .item_position(&cond.item)
                        .and_then(|p| statuses.get(p).copied());
                    match controller {
                        Some(ItemStatus::Answered(c)) => Some(c >= cond.at_least),
                        Some(ItemStatus::Skipped) => Some(false),
                        _ => None,
                    }
                }
            };
            let status = match (value, asked) {
                (Some(v), Some(true) | None) => ItemStatus::Answered(v),
                (Some(_), Some(false)) => {
                    let cond = item.ask_if.as_ref();
                    return Err(ResponseError::NotAsked {
                        instrument: inst.id().to_owned(),
                        item: item.id.clone(),
                        position: i + 1,
                        controller: cond.map(|c| c.item.clone()).unwrap_or_default(),
                        at_least: cond.map(|c| c.at_least.to_string()).unwrap_or_default(),
                    });
                }
                (None, Some(true)) => ItemStatus::Missing,
                (None, Some(false)) => ItemStatus::Skipped,
                (None, None) => ItemStatus::Undetermined,
            };
            statuses.push(status);
        }
        Ok(Responses { statuses })
    }

    pub fn statuses(&self) -> &[ItemStatus] {
        &self.statuses
    }

    pub fn status(&self, position: usize) -> ItemStatus {
        self.statuses
            .get(position)
            .copied()
            .unwrap_or(ItemStatus::Missing)
    }
}

fn check_count(inst: &Instrument, got: usize) -> Result<(), ResponseError> {
    let (least, most) = inst.accepted_response_counts();
    if (least..=most).contains(&got) {
        return Ok(());
    }
    let expected = if least == most {
        least.to_string()
    } else {
        format!("{least} or {most}")
    };
    Err(ResponseError::WrongCount {
        instrument: inst.id().to_owned(),
        expected,
        got,
    })
}

fn parse_token(inst: &Instrument, i: usize, token: &str) -> Result<Option<f64>, ResponseError> {
    let item = &inst.items()[i];
    if token == "-" {
        return Ok(None);
    }
    // An empty field is more often a slip than a decision: refused, so that
    // an unanswered item is always said so ('-').
    if token.is_empty() {
        return Err(ResponseError::Empty {
            instrument: inst.id().to_owned(),
            item: item.id.clone(),
            position: i + 1,
        });
    }
    if let Some(ResponseScale::Options { options }) = inst.scale_at(i)
        && let Some(option) = options.iter().find(|o| o.label.eq_ignore_ascii_case(token))
    {
        return Ok(Some(option.value));
    }
    match token.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(ResponseError::NotANumber {
            instrument: inst.id().to_owned(),
            item: item.id.clone(),
            position: i + 1,
            token: token.chars().take(40).collect(),
        }),
    }
}

fn check_on_scale(inst: &Instrument, i: usize, v: f64) -> Result<(), ResponseError> {
    let Some(scale) = inst.scale_at(i) else {
        return Ok(());
    };
    let (ok, allowed) = match scale {
        ResponseScale::Options { options } => (
            options.iter().any(|o| o.value == v),
            options
                .iter()
                .map(|o| o.value.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ResponseScale::Range { min, max, step, .. } => {
            let steps = (v - min) / step;
            let on_step = (steps - steps.round()).abs() < 1e-9;
            (
                v.is_finite() && v >= *min && v <= *max && on_step,
                format!("{min} to {max} in steps of {step}"),
            )
        }
    };
    if ok {
        Ok(())
    } else {
        Err(ResponseError::OffScale {
            instrument: inst.id().to_owned(),
            item: inst.items()[i].id.clone(),
            position: i + 1,
            value: v.to_string(),
            allowed,
        })
    }
}
