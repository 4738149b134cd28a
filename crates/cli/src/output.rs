//! The `--json` contract. Domain types are converted into these structs, so
//! that the library can change without changing what scripts read.

use std::collections::BTreeMap;

use attune_instruments::{
    CategoryValue, ChangeCategory, ClinicalBasis, Comparison, Instrument, ItemStatus, Library,
    RciBasis, SafetyFinding, Score, WordingPack,
    definition::{Definition, Evidence},
};
use serde::{Serialize, Serializer};

/// A score value: whole numbers print as integers (14, not 14.0).
#[derive(Debug, Clone, Copy)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // 2^53: beyond it an f64 no longer holds every integer.
        if self.0.fract() == 0.0 && self.0.abs() < 9_007_199_254_740_992.0 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

fn num(v: Option<f64>) -> Option<Num> {
    v.map(Num)
}

fn nums(m: &BTreeMap<String, Option<f64>>) -> BTreeMap<String, Option<Num>> {
    m.iter().map(|(k, v)| (k.clone(), num(*v))).collect()
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum CategoryJson {
    Flag(bool),
    Level(String),
}

#[derive(Debug, Serialize)]
pub struct SafetyJson {
    pub item: String,
    pub level: &'static str,
    pub value: Option<Num>,
    pub action: String,
}

#[derive(Debug, Serialize)]
pub struct ItemJson {
    pub id: String,
    pub status: &'static str,
    pub raw: Option<Num>,
    pub scored: Option<Num>,
}

#[derive(Debug, Serialize)]
pub struct PercentJson {
    pub total: Option<Num>,
    pub subscales: BTreeMap<String, Option<Num>>,
}

#[derive(Debug, Serialize)]
pub struct ScoreJson {
    pub instrument: String,
    pub version: u32,
    pub scorer: &'static str,
    pub complete: bool,
    pub prorated: bool,
    pub total: Option<Num>,
    pub total_note: Option<String>,
    pub band: Option<String>,
    pub subscales: BTreeMap<String, Option<Num>>,
    pub domains: BTreeMap<String, Option<Num>>,
    pub percent_of_max: Option<PercentJson>,
    pub alternates: BTreeMap<String, Option<Num>>,
    pub cutoffs: BTreeMap<String, Option<bool>>,
    pub categories: BTreeMap<String, Option<CategoryJson>>,
    pub safety: Vec<SafetyJson>,
    pub missing: Vec<String>,
    pub items: Vec<ItemJson>,
}

pub fn status_str(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Answered(_) => "answered",
        ItemStatus::Skipped => "skipped",
        ItemStatus::Missing => "missing",
        ItemStatus::Undetermined => "undetermined",
    }
}

pub fn safety_json(f: &SafetyFinding) -> SafetyJson {
    SafetyJson {
        item: f.item.clone(),
        level: f.level.as_str(),
        value: num(f.value),
        action: f.action.clone(),
    }
}

impl From<&Score> for ScoreJson {
    fn from(s: &Score) -> Self {
        ScoreJson {
            instrument: s.instrument.clone(),
            version: s.version,
            scorer: s.scorer,
            complete: s.complete,
            prorated: s.prorated,
            total: num(s.total),
            total_note: s.total_note.clone(),
            band: s.band.clone(),
            subscales: nums(&s.subscales),
            domains: nums(&s.domains),
            percent_of_max: s.percent_of_max.as_ref().map(|p| PercentJson {
                total: num(p.total),
                subscales: nums(&p.subscales),
            }),
            alternates: nums(&s.alternates),
            cutoffs: s.cutoffs.clone(),
            categories: s
                .categories
                .iter()
                .map(|(k, v)| {
                    let v = v.as_ref().map(|v| match v {
                        CategoryValue::Flag(b) => CategoryJson::Flag(*b),
                        CategoryValue::Level(l) => CategoryJson::Level(l.clone()),
                    });
                    (k.clone(), v)
                })
                .collect(),
            safety: s.safety.iter().map(safety_json).collect(),
            missing: s.missing.clone(),
            items: s
                .items
                .iter()
                .map(|i| ItemJson {
                    id: i.id.clone(),
                    status: status_str(i.status),
                    raw: num(i.status.value()),
                    scored: num(i.scored),
                })
                .collect(),
        }
    }
}

pub fn evidence_str(e: Evidence) -> &'static str {
    match e {
        Evidence::Verified => "verified",
        Evidence::Secondary => "secondary",
        Evidence::Project => "project",
        Evidence::Unverified => "unverified",
    }
}

#[derive(Debug, Serialize)]
pub struct ReliableJson {
    pub rci: Num,
    pub threshold: Num,
    pub reliable: bool,
    pub basis: &'static str,
    pub source: String,
    pub evidence: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ClinicalJson {
    pub threshold: Num,
    pub basis: String,
    pub before_functional: bool,
    pub after_functional: bool,
    pub crossed: bool,
    pub source: String,
    pub evidence: &'static str,
}

#[derive(Debug, Serialize)]
pub struct CompareJson {
    pub instrument: String,
    pub version: u32,
    pub before: ScoreJson,
    pub after: ScoreJson,
    pub change: Num,
    pub improvement: Num,
    pub prorated: bool,
    pub rci: Option<Num>,
    pub reliable_change: Option<ReliableJson>,
    pub clinical: Option<ClinicalJson>,
    pub clinically_significant: Option<bool>,
    pub category: Option<&'static str>,
    pub response: Option<bool>,
    pub remission: Option<bool>,
}

pub fn category_str(c: ChangeCategory) -> &'static str {
    c.as_str()
}

pub fn compare_json(before: &Score, after: &Score, c: &Comparison) -> CompareJson {
    CompareJson {
        instrument: c.instrument.clone(),
        version: c.version,
        before: before.into(),
        after: after.into(),
        change: Num(c.change),
        improvement: Num(c.improvement),
        prorated: c.prorated,
        rci: c.reliable.as_ref().map(|r| Num(r.rci)),
        reliable_change: c.reliable.as_ref().map(|r| ReliableJson {
            rci: Num(r.rci),
            threshold: Num(r.threshold),
            reliable: r.reliable,
            basis: match r.basis {
                RciBasis::PublishedValue => "published_rc_value",
                RciBasis::SdAndReliability => "sd_and_reliability",
            },
            source: r.source.clone(),
            evidence: evidence_str(r.evidence),
        }),
        clinical: c.clinical.as_ref().map(|k| ClinicalJson {
            threshold: Num(k.threshold),
            basis: match &k.basis {
                ClinicalBasis::CriterionC => "criterion_c".to_owned(),
                ClinicalBasis::Cutoff(id) => format!("cutoff:{id}"),
            },
            before_functional: k.before_functional,
            after_functional: k.after_functional,
            crossed: k.crossed,
            source: k.source.clone(),
            evidence: evidence_str(k.evidence),
        }),
        clinically_significant: c.clinically_significant,
        category: c.category.map(category_str),
        response: c.response,
        remission: c.remission,
    }
}

#[derive(Debug, Serialize)]
pub struct WordingJson {
    pub pack: String,
    pub kind: &'static str,
    pub language: String,
}

pub fn wording_json(p: &WordingPack) -> WordingJson {
    let r = p.reference();
    WordingJson {
        pack: r.pack,
        kind: r.kind.as_str(),
        language: r.language,
    }
}

#[derive(Debug, Serialize)]
pub struct ListEntryJson {
    pub id: String,
    pub version: u32,
    pub short_name: String,
    pub name: String,
    pub kind: &'static str,
    pub construct: String,
    pub respondent: &'static str,
    pub items: usize,
    pub builtin: bool,
    pub wording: Vec<WordingJson>,
}

pub fn list_entry(lib: &Library, inst: &Instrument) -> ListEntryJson {
    let d = inst.definition();
    ListEntryJson {
        id: d.id.clone(),
        version: d.version,
        short_name: d.short_name.clone(),
        name: d.name.clone(),
        kind: kind_str(d),
        construct: d.construct.clone(),
        respondent: respondent_str(d),
        items: d.items.len(),
        builtin: lib.is_builtin(&d.id),
        wording: lib.packs_for(inst).into_iter().map(wording_json).collect(),
    }
}

pub fn kind_str(d: &Definition) -> &'static str {
    match d.kind {
        attune_instruments::definition::MeasureKind::Published => "published",
        attune_instruments::definition::MeasureKind::Project => "project",
    }
}

pub fn respondent_str(d: &Definition) -> &'static str {
    match d.respondent {
        attune_instruments::definition::Respondent::Client => "client",
        attune_instruments::definition::Respondent::Therapist => "therapist",
        attune_instruments::definition::Respondent::Clinician => "clinician",
    }
}

/// `instruments show --json`: the definition in its own documented file
/// format (the TOML schema, as JSON), plus the wording available for it.
#[derive(Debug, Serialize)]
pub struct ShowJson<'a> {
    pub origin: &'a str,
    pub builtin: bool,
    pub definition: &'a Definition,
    pub wording: Vec<WordingJson>,
    pub default_wording: Option<WordingJson>,
    pub item_text: BTreeMap<String, String>,
}
