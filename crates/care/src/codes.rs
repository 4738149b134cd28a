//! Closed sets of values that are stored and sent as short text codes
//! (`"safety"`, `"medicine"`, `"client"`). One mapping per type, here, so that
//! the rest of the code compares enum values, never strings.

use attune_instruments::definition::Respondent;

/// A value with a stable text code. The code is a storage and wire format:
/// never change one, add a new value instead.
pub trait Code: Sized + Copy + 'static {
    /// Every value, in a stable order.
    const ALL: &'static [Self];

    fn code(self) -> &'static str;

    /// The value with this code, if there is one.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Who answers an instrument (the definition file's `respondent`).
impl Code for Respondent {
    const ALL: &'static [Respondent] = &[
        Respondent::Client,
        Respondent::Therapist,
        Respondent::Clinician,
    ];

    fn code(self) -> &'static str {
        match self {
            Respondent::Client => "client",
            Respondent::Therapist => "therapist",
            Respondent::Clinician => "clinician",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::{AlertKind, AlertStatus, Severity};
    use crate::course::SessionKind;

    /// Every code reads back as its value, and no two values share a code.
    fn round_trips<T: Code + PartialEq + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::from_code(v.code()), Some(*v));
        }
        let mut codes: Vec<&str> = T::ALL.iter().map(|v| v.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), T::ALL.len());
        assert_eq!(T::from_code("no such code"), None);
    }

    #[test]
    fn codes_round_trip() {
        round_trips::<Respondent>();
        round_trips::<AlertKind>();
        round_trips::<Severity>();
        round_trips::<AlertStatus>();
        round_trips::<SessionKind>();
    }
}
