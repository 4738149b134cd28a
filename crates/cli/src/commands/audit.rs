//! `attune audit verify`.

use std::path::Path;

use anyhow::Result;
use attune_store::Store;
use attune_store::audit::Verification;
use serde_json::json;

use super::{Outcome, print_json};
use crate::args::AuditCommand;
use crate::record::{self, with_store};

pub async fn run(dir: &Path, url: Option<&str>, cmd: AuditCommand) -> Result<Outcome> {
    let AuditCommand::Verify { json } = cmd;
    let backend = record::open(dir, url).await?;
    let result = with_store!(backend, s => s.verify_audit().await)?;
    match result {
        Verification::Intact { events } => {
            if json {
                print_json(&json!({ "intact": true, "events": events }))?;
            } else {
                println!("audit log intact: {events} events, hash chain unbroken");
            }
            Ok(Outcome::Success)
        }
        Verification::Broken { seq, reason } => {
            if json {
                print_json(&json!({ "intact": false, "event": seq, "reason": reason }))?;
            } else {
                println!("AUDIT LOG BROKEN at event {seq}: {reason}");
            }
            Ok(Outcome::Finding)
        }
    }
}
