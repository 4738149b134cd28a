//! Table-driven tests of the clinical rules.
#![allow(clippy::unwrap_used)]

mod alerts;
mod alliance;
mod contraindications;
mod measure;
mod protocol;
mod readiness;

use attune_care::alerts::{AlertKind, NewAlert, Severity};

/// An alert as a rule would raise it, with no message.
fn alert(kind: AlertKind, severity: Severity, instrument: Option<&str>) -> NewAlert {
    NewAlert {
        kind,
        severity,
        instrument: instrument.map(str::to_owned),
        message: String::new(),
    }
}
