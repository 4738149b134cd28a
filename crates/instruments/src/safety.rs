//! Safety findings: raised from single items the moment they are scored,
//! never waiting for a total, and never imputed.

use crate::definition::SafetyLevel;
use crate::instrument::Instrument;
use crate::responses::{ItemStatus, Responses};

/// How a safety finding is to be treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingLevel {
    /// A safety item left unanswered: its own finding, never read as zero.
    NotAnswered,
    Safety(SafetyLevel),
}

impl FindingLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingLevel::NotAnswered => "not_answered",
            FindingLevel::Safety(SafetyLevel::Review) => "review",
            FindingLevel::Safety(SafetyLevel::Urgent) => "urgent",
            FindingLevel::Safety(SafetyLevel::Immediate) => "immediate",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SafetyFinding {
    pub item: String,
    pub level: FindingLevel,
    /// The raw answer that raised it; `None` for an unanswered item.
    pub value: Option<f64>,
    pub action: String,
}

pub(crate) fn findings(inst: &Instrument, responses: &Responses) -> Vec<SafetyFinding> {
    let mut out = Vec::new();
    for (i, item) in inst.items().iter().enumerate() {
        if item.safety.is_empty() {
            continue;
        }
        match responses.status(i) {
            ItemStatus::Answered(v) => {
                // Rules are validated to be in increasing order: the last one met is the highest.
                if let Some(rule) = item.safety.iter().rev().find(|r| v >= r.at_least) {
                    out.push(SafetyFinding {
                        item: item.id.clone(),
                        level: FindingLevel::Safety(rule.level),
                        value: Some(v),
                        action: rule.action.clone(),
                    });
                }
            }
            ItemStatus::Missing => out.push(SafetyFinding {
                item: item.id.clone(),
                level: FindingLevel::NotAnswered,
                value: None,
                action: "Ask this item: an unanswered safety item is never read as zero."
                    .to_owned(),
            }),
            // Skipped by design, or undecidable because its controlling item is
            // itself unanswered (which raises its own finding).
            ItemStatus::Skipped | ItemStatus::Undetermined => {}
        }
    }
    out
}
