//! The instrument library: the built-in instruments and wording packs, plus
//! whatever a clinic adds (its own instruments, official wording it licenses).
//! Pure: callers read files and hand over their text.

use std::collections::{BTreeMap, BTreeSet};

use crate::builtin;
use crate::error::{DefinitionError, UnknownInstrument};
use crate::instrument::Instrument;
use crate::wording::{WordingKind, WordingPack};

#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Keyed by (id, version) so that old scores can be recomputed with the
    /// definition that produced them.
    instruments: BTreeMap<(String, u32), Instrument>,
    packs: BTreeMap<String, WordingPack>,
    /// Ids that belong to the built-in library and cannot be redefined.
    reserved: BTreeSet<String>,
}

impl Library {
    /// The built-in instruments with our adapted wording for each.
    pub fn builtin() -> Result<Library, DefinitionError> {
        let mut lib = Library::default();
        for (name, text) in builtin::INSTRUMENTS {
            lib.insert(Instrument::parse(&format!("built-in {name}"), text)?)?;
        }
        lib.reserved = lib.instruments.keys().map(|(id, _)| id.clone()).collect();
        for (name, text) in builtin::WORDING {
            lib.add_wording(&format!("built-in {name}"), text)?;
        }
        Ok(lib)
    }

    /// Adds an instrument of the clinic's own. Built-in ids are reserved.
    pub fn add_instrument(
        &mut self,
        origin: &str,
        text: &str,
    ) -> Result<&Instrument, DefinitionError> {
        let inst = Instrument::parse(origin, text)?;
        if self.reserved.contains(inst.id()) {
            return Err(DefinitionError::new(
                origin,
                "id",
                format!(
                    "'{}' is a built-in instrument; choose another id",
                    inst.id()
                ),
            ));
        }
        self.insert(inst)
    }

    fn insert(&mut self, inst: Instrument) -> Result<&Instrument, DefinitionError> {
        let key = (inst.id().to_owned(), inst.version());
        if let Some(existing) = self.instruments.get(&key) {
            return Err(DefinitionError::new(
                inst.origin(),
                "id",
                format!(
                    "'{}' version {} is already defined by {}",
                    key.0,
                    key.1,
                    existing.origin()
                ),
            ));
        }
        Ok(self.instruments.entry(key).or_insert(inst))
    }

    /// Adds a wording pack after checking it against its instrument.
    pub fn add_wording(
        &mut self,
        origin: &str,
        text: &str,
    ) -> Result<&WordingPack, DefinitionError> {
        let pack = WordingPack::parse(origin, text, |id, version| self.get_version(id, version))?;
        if self.packs.contains_key(pack.id()) {
            return Err(DefinitionError::new(
                origin,
                "id",
                format!("a wording pack '{}' is already installed", pack.id()),
            ));
        }
        Ok(self.packs.entry(pack.id().to_owned()).or_insert(pack))
    }

    /// The newest version of an instrument.
    pub fn get(&self, id: &str) -> Result<&Instrument, UnknownInstrument> {
        self.instruments
            .range((id.to_owned(), 0)..=(id.to_owned(), u32::MAX))
            .next_back()
            .map(|(_, inst)| inst)
            .ok_or_else(|| UnknownInstrument {
                id: id.chars().take(40).collect(),
                known: self
                    .latest()
                    .map(Instrument::id)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    pub fn get_version(&self, id: &str, version: u32) -> Option<&Instrument> {
        self.instruments.get(&(id.to_owned(), version))
    }

    /// The newest version of every instrument, by id.
    pub fn latest(&self) -> impl Iterator<Item = &Instrument> {
        let mut newest: BTreeMap<&str, &Instrument> = BTreeMap::new();
        for ((id, _), inst) in &self.instruments {
            newest.insert(id, inst);
        }
        newest.into_values()
    }

    pub fn is_builtin(&self, id: &str) -> bool {
        self.reserved.contains(id)
    }

    /// All packs for one instrument version.
    pub fn packs_for(&self, inst: &Instrument) -> Vec<&WordingPack> {
        self.packs
            .values()
            .filter(|p| {
                let d = p.definition();
                d.instrument == inst.id() && d.instrument_version == inst.version()
            })
            .collect()
    }

    /// The pack to show: official wording in the language asked for, else our
    /// adapted prompts in it, else the same two in English.
    pub fn wording_for(&self, inst: &Instrument, language: &str) -> Option<&WordingPack> {
        let packs = self.packs_for(inst);
        let pick = |lang: &str, kind: WordingKind| {
            packs.iter().copied().find(|p| {
                p.definition().language.eq_ignore_ascii_case(lang) && p.definition().kind == kind
            })
        };
        pick(language, WordingKind::Official)
            .or_else(|| pick(language, WordingKind::Adapted))
            .or_else(|| pick("en", WordingKind::Official))
            .or_else(|| pick("en", WordingKind::Adapted))
    }
}
