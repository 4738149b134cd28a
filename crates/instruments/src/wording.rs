//! Wording packs: what a respondent reads, kept apart from an instrument's
//! structure and scoring. We ship only our own plain-language prompts
//! (`adapted`); a clinic installs the official wording it holds a licence for
//! (`official`). Every administration records which pack it showed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::definition::ResponseScale;
use crate::error::DefinitionError;
use crate::instrument::Instrument;
use crate::validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordingKind {
    /// Our own prompts, written for this project: not the validated wording.
    Adapted,
    /// The authors' wording, supplied by a clinic that may use it.
    Official,
}

impl WordingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WordingKind::Adapted => "adapted",
            WordingKind::Official => "official",
        }
    }
}

/// A wording pack as written in its file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WordingPackDef {
    pub id: String,
    pub instrument: String,
    pub instrument_version: u32,
    /// A language tag such as `en` or `de-CH`.
    pub language: String,
    pub kind: WordingKind,
    /// Where the wording comes from and under what permission.
    pub source: String,
    #[serde(default)]
    pub copyright: Option<String>,
    #[serde(default)]
    pub instructions: Option<String>,
    /// Item id → text shown for it.
    pub items: BTreeMap<String, String>,
    /// Scale id → option value (as written, e.g. "0") → text shown for it.
    #[serde(default)]
    pub options: BTreeMap<String, BTreeMap<String, String>>,
}

/// A wording pack checked against its instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct WordingPack {
    def: WordingPackDef,
}

/// What an administration records about the wording it showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordingRef {
    pub pack: String,
    pub kind: WordingKind,
    pub language: String,
}

impl WordingPack {
    /// Parses a pack and checks it against the instrument it names.
    pub fn parse<'a>(
        origin: &str,
        text: &str,
        find: impl Fn(&str, u32) -> Option<&'a Instrument>,
    ) -> Result<WordingPack, DefinitionError> {
        let def: WordingPackDef =
            toml::from_str(text).map_err(|e| DefinitionError::from_toml(origin, text, &e))?;
        validate::identifier(origin, "id", &def.id)?;
        language_tag(origin, &def.language)?;
        validate::text(origin, "source", &def.source)?;
        if let Some(c) = &def.copyright {
            validate::text(origin, "copyright", c)?;
        }
        if let Some(t) = &def.instructions {
            validate::text(origin, "instructions", t)?;
        }
        let Some(inst) = find(&def.instrument, def.instrument_version) else {
            return Err(DefinitionError::new(
                origin,
                "instrument",
                format!(
                    "no instrument '{}' version {} in the library",
                    def.instrument.chars().take(40).collect::<String>(),
                    def.instrument_version
                ),
            ));
        };
        let expected: Vec<&str> = inst.items().iter().map(|i| i.id.as_str()).collect();
        let missing: Vec<&str> = expected
            .iter()
            .copied()
            .filter(|id| !def.items.contains_key(*id))
            .collect();
        let extra: Vec<&str> = def
            .items
            .keys()
            .map(String::as_str)
            .filter(|id| !expected.contains(id))
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            let mut reason = Vec::new();
            if !missing.is_empty() {
                reason.push(format!("no text for item(s) {}", missing.join(", ")));
            }
            if !extra.is_empty() {
                let shown: Vec<String> = extra
                    .iter()
                    .take(10)
                    .map(|s| s.chars().take(20).collect())
                    .collect();
                reason.push(format!("unknown item(s) {}", shown.join(", ")));
            }
            return Err(DefinitionError::new(origin, "items", reason.join("; ")));
        }
        for (id, text) in &def.items {
            validate::text(origin, &format!("items.{id}"), text)?;
        }
        for (scale_id, texts) in &def.options {
            let field = format!("options.{}", scale_id.chars().take(40).collect::<String>());
            let Some(scale) = inst.definition().scales.get(scale_id) else {
                return Err(DefinitionError::new(
                    origin,
                    field,
                    "no such scale in the instrument",
                ));
            };
            let ResponseScale::Options { options } = scale else {
                return Err(DefinitionError::new(
                    origin,
                    field,
                    "a range scale has no options to word",
                ));
            };
            for (value, text) in texts {
                let known = value
                    .parse::<f64>()
                    .is_ok_and(|v| options.iter().any(|o| o.value == v));
                if !known {
                    return Err(DefinitionError::new(
                        origin,
                        format!("{field}.{}", value.chars().take(20).collect::<String>()),
                        "not a value of this scale",
                    ));
                }
                validate::text(origin, &format!("{field}.{value}"), text)?;
            }
        }
        Ok(WordingPack { def })
    }

    pub fn definition(&self) -> &WordingPackDef {
        &self.def
    }

    pub fn id(&self) -> &str {
        &self.def.id
    }

    pub fn reference(&self) -> WordingRef {
        WordingRef {
            pack: self.def.id.clone(),
            kind: self.def.kind,
            language: self.def.language.clone(),
        }
    }

    pub fn item_text(&self, item: &str) -> Option<&str> {
        self.def.items.get(item).map(String::as_str)
    }
}

fn language_tag(origin: &str, tag: &str) -> Result<(), DefinitionError> {
    let ok = tag.split('-').enumerate().all(|(i, part)| {
        let len_ok = if i == 0 {
            (2..=3).contains(&part.len())
        } else {
            (2..=8).contains(&part.len())
        };
        len_ok && part.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if ok {
        Ok(())
    } else {
        Err(DefinitionError::new(
            origin,
            "language",
            format!(
                "'{}' is not a language tag such as en or de-CH",
                tag.chars().take(20).collect::<String>()
            ),
        ))
    }
}
