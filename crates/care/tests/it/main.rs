//! Table-driven tests of the clinical rules.
#![allow(clippy::unwrap_used)]

mod alerts;
mod alliance;
mod contraindications;
mod fixture;
mod measure;
mod protocol;
mod readiness;
mod review;

use attune_care::alerts::{AlertKind, NewAlert, Severity};

/// An alert as a rule would raise it, with no message, session or episode.
fn alert(kind: AlertKind, severity: Severity, instrument: Option<&str>) -> NewAlert {
    NewAlert {
        kind,
        severity,
        instrument: instrument.map(str::to_owned),
        session: None,
        episode: None,
        message: String::new(),
    }
}
