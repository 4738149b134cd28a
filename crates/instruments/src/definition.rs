//! The instrument definition file format (TOML, one file per instrument).
//!
//! These types mirror the file one to one; they are only the *shape*. An
//! [`crate::Instrument`] is a definition that has passed validation, and only
//! that type is handed to the scorer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One instrument, as written in its definition file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Stable identifier, lower-case letters, digits and hyphens (`phq9`).
    pub id: String,
    /// Version of this definition; scores record the version that produced them.
    pub version: u32,
    pub name: String,
    pub short_name: String,
    /// A published instrument, or a project measure of our own (not validated).
    pub kind: MeasureKind,
    /// What it measures, in a word or two (`depression`, `alliance`).
    pub construct: String,
    pub respondent: Respondent,
    pub time_frame: String,
    pub citation: String,
    pub licence: String,
    /// Whether the official wording may be shipped; informational, we ship none.
    pub wording_redistributable: bool,
    /// Whether a higher total means more trouble (`worse`) or more of a good thing (`better`).
    pub higher_is: Direction,
    #[serde(default)]
    pub loinc: Option<Loinc>,
    /// Response scales by id, referenced from items.
    pub scales: BTreeMap<String, ResponseScale>,
    pub items: Vec<ItemDef>,
    #[serde(default)]
    pub subscales: Vec<SubscaleDef>,
    /// Symptom domains whose score is the maximum of their items (QIDS-SR16).
    #[serde(default)]
    pub domains: Vec<DomainDef>,
    pub scoring: ScoringDef,
    #[serde(default)]
    pub bands: Vec<BandDef>,
    #[serde(default)]
    pub bands_source: Option<String>,
    #[serde(default)]
    pub cutoffs: Vec<CutoffDef>,
    #[serde(default)]
    pub categories: Vec<CategoryDef>,
    #[serde(default)]
    pub change: Option<ChangeDef>,
    /// Free remarks shown with `instruments show` (alternative bands, caveats).
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    Published,
    /// A measure of this project's own, with our own wording: not validated.
    Project,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Respondent {
    Client,
    Therapist,
    Clinician,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Worse,
    Better,
}

/// How well a clinical number is established (the legend of the facts file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Checked against a primary source.
    Verified,
    /// From one secondary source.
    Secondary,
    /// A decision of this project, not a published rule.
    Project,
    /// Recalled or inferred, not yet checked: shown as such, never as published.
    Unverified,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Loinc {
    pub panel: String,
    #[serde(default)]
    pub total: Option<String>,
    #[serde(default)]
    pub result: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ResponseScale {
    /// Discrete options, each with a value and a short label of ours.
    Options { options: Vec<ResponseOption> },
    /// A visual-analogue or numeric range; answers must fall on `step`.
    Range {
        min: f64,
        max: f64,
        step: f64,
        #[serde(default)]
        min_label: Option<String>,
        #[serde(default)]
        max_label: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseOption {
    pub value: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    pub id: String,
    /// The number printed on the authors' form.
    pub number: u32,
    /// A short neutral label in our own words, never the official wording.
    pub label: String,
    pub scale: String,
    #[serde(default)]
    pub reverse: bool,
    /// Unscored items (PHQ-9 item 10) are recorded but never counted.
    #[serde(default = "yes")]
    pub scored: bool,
    #[serde(default)]
    pub subscales: Vec<String>,
    #[serde(default)]
    pub domain: Option<String>,
    /// Skip logic: the item is asked only when another item's answer is at least a value.
    #[serde(default)]
    pub ask_if: Option<Condition>,
    #[serde(default)]
    pub safety: Vec<SafetyRuleDef>,
    #[serde(default)]
    pub loinc: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub item: String,
    pub at_least: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SafetyRuleDef {
    /// The finding is raised when the raw answer is at least this value.
    pub at_least: f64,
    pub level: SafetyLevel,
    /// What the clinician is asked to do, in our words.
    pub action: String,
    pub evidence: Evidence,
}

/// Urgency of a safety finding, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyLevel {
    /// A clinician looks at it before the next contact.
    Review,
    /// A structured risk assessment the same day.
    Urgent,
    /// Immediate precautions: the person is not left alone until evaluated.
    Immediate,
}

impl SafetyLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyLevel::Review => "review",
            SafetyLevel::Urgent => "urgent",
            SafetyLevel::Immediate => "immediate",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SubscaleDef {
    pub id: String,
    pub name: String,
    pub method: Aggregate,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DomainDef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    Sum,
    Mean,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringDef {
    pub total: TotalMethod,
    pub missing: MissingPolicy,
    /// Also report total and subscales as percent of the possible range (MEQ30).
    #[serde(default)]
    pub percent_of_max: bool,
    /// Also report the plain item sum beside a mean total (EBI's two conventions).
    #[serde(default)]
    pub also_report_sum: bool,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalMethod {
    Sum,
    Mean,
    /// Sum over domains of the highest item in each domain (QIDS-SR16).
    DomainMaxSum,
    /// No total: a categorical instrument (C-SSRS) or a profile.
    None,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "policy", rename_all = "snake_case", deny_unknown_fields)]
pub enum MissingPolicy {
    /// Any missing scored item leaves the total uncomputed.
    None { evidence: Evidence },
    /// The total is prorated (mean of answered × item count, rounded) when at most
    /// `max_missing` items are missing. Subscales are computed only when complete.
    Prorate {
        max_missing: u32,
        evidence: Evidence,
    },
    /// Means over the answered items, when at least this share of items is answered.
    MeanOfAnswered {
        min_answered_percent: f64,
        evidence: Evidence,
    },
    /// A domain's maximum is taken over its answered items; a domain with none
    /// answered leaves the total uncomputed.
    WithinDomain { evidence: Evidence },
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BandDef {
    pub min: f64,
    pub max: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CutoffDef {
    pub id: String,
    pub label: String,
    /// Met when the total is at least this value.
    pub at_least: f64,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CategoryDef {
    /// A symptom-count rule: enough items endorsed in each named subscale (PCL-5).
    Endorsement {
        id: String,
        label: String,
        endorse_at_least: f64,
        require: Vec<Requirement>,
        source: String,
        evidence: Evidence,
    },
    /// Every subscale at or above a percent of its maximum (MEQ30 complete mystical experience).
    AllSubscalesPercent {
        id: String,
        label: String,
        at_least_percent: f64,
        source: String,
        evidence: Evidence,
    },
    /// Ordered levels: the first level with any listed item at or above its value wins (C-SSRS risk).
    FirstMatch {
        id: String,
        label: String,
        levels: Vec<LevelRule>,
        otherwise: String,
        source: String,
        evidence: Evidence,
    },
}

impl CategoryDef {
    pub fn id(&self) -> &str {
        match self {
            CategoryDef::Endorsement { id, .. }
            | CategoryDef::AllSubscalesPercent { id, .. }
            | CategoryDef::FirstMatch { id, .. } => id,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            CategoryDef::Endorsement { label, .. }
            | CategoryDef::AllSubscalesPercent { label, .. }
            | CategoryDef::FirstMatch { label, .. } => label,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub subscale: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRule {
    pub value: String,
    pub items: Vec<String>,
    pub at_least: f64,
}

/// What comparing two administrations needs.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeDef {
    #[serde(default)]
    pub reliable: Option<ReliableChangeDef>,
    #[serde(default)]
    pub clinical: Option<ClinicalDef>,
    #[serde(default)]
    pub response: Option<ResponseDef>,
    #[serde(default)]
    pub remission: Option<RemissionDef>,
}

/// Reliable-change inputs: a published RC point value, or SD and reliability
/// (Jacobson & Truax 1991).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReliableChangeDef {
    #[serde(default)]
    pub rc: Option<f64>,
    #[serde(default)]
    pub sd: Option<f64>,
    #[serde(default)]
    pub reliability: Option<f64>,
    pub source: String,
    pub evidence: Evidence,
}

/// Clinical significance: criterion c from norms, or a published cut-off (by cut-off id).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicalDef {
    #[serde(default)]
    pub cutoff: Option<String>,
    #[serde(default)]
    pub norms: Option<Norms>,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Norms {
    pub functional: Norm,
    pub dysfunctional: Norm,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Norm {
    pub mean: f64,
    pub sd: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseDef {
    /// Reduction from baseline in percent.
    #[serde(default)]
    pub min_reduction_percent: Option<f64>,
    /// Whether exactly `min_reduction_percent` counts (≥) or not (>).
    #[serde(default = "yes")]
    pub inclusive: bool,
    /// Reduction from baseline in points.
    #[serde(default)]
    pub min_reduction_points: Option<f64>,
    pub source: String,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RemissionDef {
    pub at_most: f64,
    pub source: String,
    pub evidence: Evidence,
}
