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
    /// For an unanswered item of an instrument on which another safety item
    /// was endorsed (C-SSRS question 2 yes, 3 to 5 blank): the highest level
    /// this item could raise. Until it is answered, it is treated as that.
    pub possibly: Option<SafetyLevel>,
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
                        possibly: None,
                    });
                }
            }
            ItemStatus::Missing => out.push(SafetyFinding {
                item: item.id.clone(),
                level: FindingLevel::NotAnswered,
                value: None,
                action: "Ask this item: an unanswered safety item is never read as zero."
                    .to_owned(),
                possibly: None,
            }),
            // Skipped by design, or undecidable because its controlling item is
            // itself unanswered (which raises its own finding).
            ItemStatus::Skipped | ItemStatus::Undetermined => {}
        }
    }
    // A partial answer after an endorsement may hide the worst answer.
    let endorsed = out.iter().any(|f| f.value.is_some());
    if endorsed {
        for f in out.iter_mut().filter(|f| f.value.is_none()) {
            let highest = inst
                .items()
                .iter()
                .find(|i| i.id == f.item)
                .and_then(|i| i.safety.iter().map(|r| r.level).max());
            if let Some(level) = highest {
                f.possibly = Some(level);
                f.action = format!(
                    "Not answered after an endorsed safety item: treat as {} until asked.",
                    level.as_str()
                );
            }
        }
    }
    out
}
