//! Courses of care: modality, protocol template, phases and sessions.

use crate::codes::Code;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KetamineRoute {
    Intravenous,
    Intramuscular,
    Sublingual,
    Oral,
    Intranasal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    Ketamine { route: KetamineRoute },
    Esketamine,
    Mdma,
    Psilocybin,
    Ayahuasca,
    Other,
}

impl Modality {
    pub const ALL: [Modality; 10] = [
        Modality::Ketamine {
            route: KetamineRoute::Intravenous,
        },
        Modality::Ketamine {
            route: KetamineRoute::Intramuscular,
        },
        Modality::Ketamine {
            route: KetamineRoute::Sublingual,
        },
        Modality::Ketamine {
            route: KetamineRoute::Oral,
        },
        Modality::Ketamine {
            route: KetamineRoute::Intranasal,
        },
        Modality::Esketamine,
        Modality::Mdma,
        Modality::Psilocybin,
        Modality::Ayahuasca,
        Modality::Other,
    ];

    /// The modality a stored code names.
    pub fn from_code(code: &str) -> Option<Modality> {
        Modality::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The code stored for this modality.
    pub fn code(self) -> &'static str {
        match self {
            Modality::Ketamine {
                route: KetamineRoute::Intravenous,
            } => "ketamine_iv",
            Modality::Ketamine {
                route: KetamineRoute::Intramuscular,
            } => "ketamine_im",
            Modality::Ketamine {
                route: KetamineRoute::Sublingual,
            } => "ketamine_sublingual",
            Modality::Ketamine {
                route: KetamineRoute::Oral,
            } => "ketamine_oral",
            Modality::Ketamine {
                route: KetamineRoute::Intranasal,
            } => "ketamine_intranasal",
            Modality::Esketamine => "esketamine",
            Modality::Mdma => "mdma",
            Modality::Psilocybin => "psilocybin",
            Modality::Ayahuasca => "ayahuasca",
            Modality::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Screening,
    Preparation,
    Medicine,
    Integration,
    FollowUp,
}

/// In the order a course runs through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SessionKind {
    Screening,
    Preparation,
    Medicine,
    Integration,
    FollowUp,
}

impl Code for SessionKind {
    const ALL: &'static [SessionKind] = &[
        SessionKind::Screening,
        SessionKind::Preparation,
        SessionKind::Medicine,
        SessionKind::Integration,
        SessionKind::FollowUp,
    ];

    fn code(self) -> &'static str {
        match self {
            SessionKind::Screening => "screening",
            SessionKind::Preparation => "preparation",
            SessionKind::Medicine => "medicine",
            SessionKind::Integration => "integration",
            SessionKind::FollowUp => "follow_up",
        }
    }
}

impl SessionKind {
    /// How pages name it: `follow-up`, `medicine`.
    pub fn label(self) -> &'static str {
        match self {
            SessionKind::FollowUp => "follow-up",
            other => other.code(),
        }
    }

    pub fn phase(self) -> Phase {
        match self {
            SessionKind::Screening => Phase::Screening,
            SessionKind::Preparation => Phase::Preparation,
            SessionKind::Medicine => Phase::Medicine,
            SessionKind::Integration => Phase::Integration,
            SessionKind::FollowUp => Phase::FollowUp,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolTemplate {
    /// MAPS MDMA-assisted therapy (Mithoefer manual v8.1): 3 preparatory, 3
    /// experimental sessions, 3 integrative sessions after each (9).
    MapsMdma,
    /// A single psilocybin dose (COMP360 model).
    PsilocybinSingle,
    /// Two psilocybin doses three weeks apart (Carhart-Harris 2021).
    PsilocybinTwoDose,
    /// Ketamine-assisted psychotherapy: a series of dosing sessions, each with integration.
    KetamineSeries {
        doses: u8,
    },
    Custom,
}

/// One session a template plans, with its offset from the course start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSession {
    pub kind: SessionKind,
    pub day: u32,
    /// For medicine sessions: which dose (1-based).
    pub dose_number: Option<u8>,
}

impl ProtocolTemplate {
    /// The sessions this protocol plans. Spacing follows the facts file where
    /// it is given (MDMA sessions ~4 weeks apart, integration the morning after;
    /// psilocybin doses 3 weeks apart; KAP weekly); otherwise it is a default
    /// the clinic changes per client.
    pub fn plan(self) -> Vec<PlannedSession> {
        let prep = |n: u32, every: u32| -> Vec<PlannedSession> {
            (0..n)
                .map(|i| PlannedSession {
                    kind: SessionKind::Preparation,
                    day: 7 + i * every,
                    dose_number: None,
                })
                .collect()
        };
        let mut out = vec![PlannedSession {
            kind: SessionKind::Screening,
            day: 0,
            dose_number: None,
        }];
        let dose = |out: &mut Vec<PlannedSession>, n: u8, day: u32, integration_days: &[u32]| {
            out.push(PlannedSession {
                kind: SessionKind::Medicine,
                day,
                dose_number: Some(n),
            });
            for d in integration_days {
                out.push(PlannedSession {
                    kind: SessionKind::Integration,
                    day: day + d,
                    dose_number: None,
                });
            }
        };
        match self {
            ProtocolTemplate::MapsMdma => {
                out.extend(prep(3, 7));
                for n in 0..3u8 {
                    dose(&mut out, n + 1, 28 + u32::from(n) * 28, &[1, 8, 15]);
                }
                out.push(PlannedSession {
                    kind: SessionKind::FollowUp,
                    day: 28 + 2 * 28 + 60,
                    dose_number: None,
                });
            }
            ProtocolTemplate::PsilocybinSingle => {
                out.extend(prep(2, 7));
                dose(&mut out, 1, 21, &[1, 7]);
                out.push(PlannedSession {
                    kind: SessionKind::FollowUp,
                    day: 21 + 42,
                    dose_number: None,
                });
            }
            ProtocolTemplate::PsilocybinTwoDose => {
                out.extend(prep(2, 7));
                dose(&mut out, 1, 21, &[1, 7]);
                dose(&mut out, 2, 42, &[1, 7]);
                out.push(PlannedSession {
                    kind: SessionKind::FollowUp,
                    day: 42 + 42,
                    dose_number: None,
                });
            }
            ProtocolTemplate::KetamineSeries { doses } => {
                out.extend(prep(2, 7));
                for n in 0..doses {
                    dose(&mut out, n + 1, 21 + u32::from(n) * 7, &[2]);
                }
                let last = 21 + u32::from(doses.saturating_sub(1)) * 7;
                out.push(PlannedSession {
                    kind: SessionKind::FollowUp,
                    day: last + 30,
                    dose_number: None,
                });
            }
            ProtocolTemplate::Custom => {}
        }
        out
    }

    /// The template a stored code names. The number of ketamine doses is
    /// not part of the code: the series comes back with `doses: 0`.
    pub fn from_code(code: &str) -> Option<ProtocolTemplate> {
        [
            ProtocolTemplate::MapsMdma,
            ProtocolTemplate::PsilocybinSingle,
            ProtocolTemplate::PsilocybinTwoDose,
            ProtocolTemplate::KetamineSeries { doses: 0 },
            ProtocolTemplate::Custom,
        ]
        .into_iter()
        .find(|p| p.code() == code)
    }

    /// The code stored for this protocol.
    pub fn code(self) -> &'static str {
        match self {
            ProtocolTemplate::MapsMdma => "maps_mdma",
            ProtocolTemplate::PsilocybinSingle => "psilocybin_single",
            ProtocolTemplate::PsilocybinTwoDose => "psilocybin_two_dose",
            ProtocolTemplate::KetamineSeries { .. } => "ketamine_series",
            ProtocolTemplate::Custom => "custom",
        }
    }

    /// How many preparation sessions the protocol expects before the first dose.
    pub fn preparation_sessions(self) -> u32 {
        match self {
            ProtocolTemplate::MapsMdma => 3,
            ProtocolTemplate::PsilocybinSingle
            | ProtocolTemplate::PsilocybinTwoDose
            | ProtocolTemplate::KetamineSeries { .. } => 2,
            ProtocolTemplate::Custom => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub room: Option<String>,
    pub music: Option<String>,
    pub lighting: Option<String>,
    /// Who sat where, in words.
    pub seating: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vitals {
    pub at: OffsetDateTime,
    pub systolic: Option<u16>,
    pub diastolic: Option<u16>,
    pub heart_rate: Option<u16>,
    pub temperature_c: Option<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AdverseEvent {
    pub at: OffsetDateTime,
    pub description: String,
    pub serious: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MedicineDetails {
    pub substance: String,
    /// Dose as given, with unit (`120 mg`, `0.5 mg/kg`).
    pub dose: String,
    pub route: String,
    pub administered_at: Option<OffsetDateTime>,
    /// A supplemental dose (MDMA half-dose 1.5-2 h later).
    pub supplement: Option<(String, OffsetDateTime)>,
    pub ended_at: Option<OffsetDateTime>,
    pub vitals: Vec<Vitals>,
    pub adverse_events: Vec<AdverseEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_codes_round_trip() {
        for m in Modality::ALL {
            assert_eq!(Modality::from_code(m.code()), Some(m));
        }
        assert_eq!(Modality::from_code("lsd"), None);
        for p in [
            ProtocolTemplate::MapsMdma,
            ProtocolTemplate::PsilocybinSingle,
            ProtocolTemplate::PsilocybinTwoDose,
            ProtocolTemplate::Custom,
        ] {
            assert_eq!(ProtocolTemplate::from_code(p.code()), Some(p));
        }
        let k = ProtocolTemplate::from_code("ketamine_series").unwrap();
        assert_eq!(k.preparation_sessions(), 2);
        assert_eq!(ProtocolTemplate::from_code("nope"), None);
    }
}
