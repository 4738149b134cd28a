//! A validated instrument: the only form the scorer accepts.

use std::collections::BTreeMap;

use crate::definition::{Definition, ItemDef, ResponseScale, TotalMethod};
use crate::error::DefinitionError;
use crate::validate;

/// The lowest and highest value a score can take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

impl Range {
    /// Where `value` lies in the range, as percent (the POMP score).
    pub fn percent(self, value: f64) -> f64 {
        (value - self.min) / (self.max - self.min) * 100.0
    }
}

/// An instrument definition that passed validation, with lookups precomputed.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    def: Definition,
    origin: String,
    item_index: BTreeMap<String, usize>,
    item_ranges: Vec<Range>,
    total_range: Option<Range>,
    subscale_ranges: BTreeMap<String, Range>,
}

impl Instrument {
    /// Parses and validates a definition file. `origin` names it in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Instrument, DefinitionError> {
        let def: Definition =
            toml::from_str(text).map_err(|e| DefinitionError::from_toml(origin, text, &e))?;
        Instrument::from_definition(origin, def)
    }

    /// Validates a definition already in memory.
    pub fn from_definition(origin: &str, def: Definition) -> Result<Instrument, DefinitionError> {
        validate::definition(origin, &def)?;
        let item_index = def
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.clone(), i))
            .collect();
        let item_ranges: Vec<Range> = def
            .items
            .iter()
            .map(|item| scale_range(&def.scales[&item.scale]))
            .collect();
        let scored = |keep: &dyn Fn(&ItemDef) -> bool| -> Vec<Range> {
            def.items
                .iter()
                .zip(&item_ranges)
                .filter(|(item, _)| item.scored && keep(item))
                .map(|(_, r)| *r)
                .collect()
        };
        let total_range = match def.scoring.total {
            TotalMethod::Sum => Some(sum_range(&scored(&|_| true))),
            TotalMethod::Mean => Some(mean_range(&scored(&|_| true))),
            TotalMethod::DomainMaxSum => {
                let per_domain: Vec<Range> = def
                    .domains
                    .iter()
                    .map(|d| {
                        let rs = scored(&|item| item.domain.as_deref() == Some(&d.id));
                        Range {
                            min: rs.iter().map(|r| r.min).fold(f64::INFINITY, f64::min),
                            max: rs.iter().map(|r| r.max).fold(f64::NEG_INFINITY, f64::max),
                        }
                    })
                    .collect();
                Some(sum_range(&per_domain))
            }
            TotalMethod::None => None,
        };
        let subscale_ranges = def
            .subscales
            .iter()
            .map(|s| {
                let rs = scored(&|item| item.subscales.contains(&s.id));
                let range = match s.method {
                    crate::definition::Aggregate::Sum => sum_range(&rs),
                    crate::definition::Aggregate::Mean => mean_range(&rs),
                };
                (s.id.clone(), range)
            })
            .collect();
        Ok(Instrument {
            def,
            origin: origin.to_owned(),
            item_index,
            item_ranges,
            total_range,
            subscale_ranges,
        })
    }

    pub fn definition(&self) -> &Definition {
        &self.def
    }

    pub fn id(&self) -> &str {
        &self.def.id
    }

    pub fn version(&self) -> u32 {
        self.def.version
    }

    /// Where the definition was read from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn items(&self) -> &[ItemDef] {
        &self.def.items
    }

    /// Position of an item by id.
    pub fn item_position(&self, id: &str) -> Option<usize> {
        self.item_index.get(id).copied()
    }

    /// The response scale of the item at `position`.
    pub fn scale_at(&self, position: usize) -> Option<&ResponseScale> {
        self.def
            .items
            .get(position)
            .and_then(|item| self.def.scales.get(&item.scale))
    }

    /// The lowest and highest answer of the item at `position`.
    pub fn item_range(&self, position: usize) -> Option<Range> {
        self.item_ranges.get(position).copied()
    }

    /// The range of the total, when the instrument has one.
    pub fn total_range(&self) -> Option<Range> {
        self.total_range
    }

    pub fn subscale_range(&self, id: &str) -> Option<Range> {
        self.subscale_ranges.get(id).copied()
    }

    /// How many responses a caller must give: all items, or all but the
    /// unscored items at the end (which may be left off).
    pub fn accepted_response_counts(&self) -> (usize, usize) {
        let all = self.def.items.len();
        let trailing_unscored = self
            .def
            .items
            .iter()
            .rev()
            .take_while(|item| !item.scored)
            .count();
        (all - trailing_unscored, all)
    }
}

pub(crate) fn scale_range(scale: &ResponseScale) -> Range {
    match scale {
        ResponseScale::Options { options } => Range {
            min: options
                .iter()
                .map(|o| o.value)
                .fold(f64::INFINITY, f64::min),
            max: options
                .iter()
                .map(|o| o.value)
                .fold(f64::NEG_INFINITY, f64::max),
        },
        ResponseScale::Range { min, max, .. } => Range {
            min: *min,
            max: *max,
        },
    }
}

fn sum_range(ranges: &[Range]) -> Range {
    Range {
        min: ranges.iter().map(|r| r.min).sum(),
        max: ranges.iter().map(|r| r.max).sum(),
    }
}

/// Validation guarantees that items averaged together share one range.
fn mean_range(ranges: &[Range]) -> Range {
    ranges
        .first()
        .copied()
        .unwrap_or(Range { min: 0.0, max: 0.0 })
}
