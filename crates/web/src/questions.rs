//! The form a client sees: each item with the clinic's wording (or our short
//! label when no pack has it), its options, and the answer saved so far.

use attune_instruments::definition::ResponseScale;
use attune_instruments::{Instrument, Library};

use crate::http::error::AppError;

pub struct Choice {
    pub value: String,
    pub text: String,
    pub checked: bool,
}

pub struct Question {
    /// The form field: `q1`, `q2`, ... by position.
    pub field: String,
    pub number: u32,
    pub text: String,
    pub choices: Vec<Choice>,
    /// For a fine-grained range (0-100): bounds and the saved value.
    pub range: Option<(String, String, String)>,
    pub value: String,
    pub answered: bool,
}

/// More steps than this are a number field, not a row of options.
const MAX_CHOICES: f64 = 11.0;

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

pub fn instructions(library: &Library, inst: &Instrument) -> Option<String> {
    library
        .wording_for(inst, "en")
        .and_then(|p| p.definition().instructions.clone())
}

pub fn build(library: &Library, inst: &Instrument, draft: &[Option<f64>]) -> Vec<Question> {
    let pack = library.wording_for(inst, "en");
    let def = inst.definition();
    inst.items()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let saved = draft.get(i).copied().flatten();
            let text = pack
                .and_then(|p| p.item_text(&item.id))
                .unwrap_or(&item.label)
                .to_owned();
            let option_text = |value: &str, fallback: &str| {
                pack.and_then(|p| p.definition().options.get(&item.scale))
                    .and_then(|o| o.get(value))
                    .map_or_else(|| fallback.to_owned(), Clone::clone)
            };
            let (choices, range) = match def.scales.get(&item.scale) {
                Some(ResponseScale::Options { options }) => (
                    options
                        .iter()
                        .map(|o| {
                            let value = number(o.value);
                            Choice {
                                text: option_text(&value, &o.label),
                                checked: saved == Some(o.value),
                                value,
                            }
                        })
                        .collect(),
                    None,
                ),
                Some(ResponseScale::Range { min, max, step, .. })
                    if (max - min) / step <= MAX_CHOICES =>
                {
                    let n = ((max - min) / step).round() as usize;
                    let choices = (0..=n)
                        .map(|k| {
                            let v = min + step * k as f64;
                            Choice {
                                value: number(v),
                                text: number(v),
                                checked: saved == Some(v),
                            }
                        })
                        .collect();
                    (choices, None)
                }
                Some(ResponseScale::Range { min, max, step, .. }) => (
                    Vec::new(),
                    Some((number(*min), number(*max), number(*step))),
                ),
                None => (Vec::new(), None),
            };
            Question {
                field: format!("q{}", i + 1),
                number: item.number,
                text,
                choices,
                range,
                value: saved.map(number).unwrap_or_default(),
                answered: saved.is_some(),
            }
        })
        .collect()
}

/// Reads `q1`..`qN` from a submitted form. A blank answer is "not answered";
/// anything else must be a number (the instrument then checks its scale).
pub fn parse(inst: &Instrument, pairs: &[(String, String)]) -> Result<Vec<Option<f64>>, AppError> {
    let n = inst.items().len();
    let mut answers = vec![None; n];
    for (key, value) in pairs {
        let Some(pos) = key.strip_prefix('q').and_then(|p| p.parse::<usize>().ok()) else {
            continue;
        };
        if pos == 0 || pos > n {
            return Err(AppError::invalid(key, "no such question"));
        }
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let v: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                AppError::invalid(format!("question {pos}"), "the answer must be a number")
            })?;
        answers[pos - 1] = Some(v);
    }
    Ok(answers)
}
