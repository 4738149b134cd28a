//! Background work on the record: jobs are claimed from the store with
//! leases ([`attune_store::JobStore`]) and run here. Today one kind: a
//! session video → motion energy per person → synchrony against its own
//! surrogates → stored with the session ([`analyse`]). The same loop deletes
//! video files past the clinic's retention ([`Worker::sweep_retention`]).
//! `attune worker` runs it alone; `attune serve` runs it beside the web server.

mod analyse;
mod error;
mod runner;

pub use analyse::{AnalysisSettings, analyse_video, regions_in_pixels};
pub use error::WorkerError;
pub use runner::{Outcome, Worker, WorkerSettings};
