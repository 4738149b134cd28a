//! `attune`: thin glue over the library crates. Parses arguments, calls a
//! library, prints human text (or JSON with `--json`), and maps failures to
//! exit codes: 0 success, 1 a finding (a check that failed), 2 an error.

mod args;
mod commands;
mod data_dir;
mod output;
mod record;
mod text;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    logs();
    match commands::run(cli) {
        Ok(commands::Outcome::Success) => ExitCode::SUCCESS,
        Ok(commands::Outcome::Finding) => ExitCode::from(1),
        Err(err) => {
            // One line, the cause chain joined: what went wrong and where.
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Log lines go to stderr: Attune's own at `ATTUNE_LOG` (error, warn, info,
/// debug, trace; info by default), the libraries' at warn. Lines of a web
/// request carry its id (`request{id=...}`).
fn logs() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let level = std::env::var("ATTUNE_LOG")
        .ok()
        .and_then(|v| v.parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::INFO);
    let filter = Targets::new()
        .with_default(LevelFilter::WARN)
        .with_target("attune", level);
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())),
        )
        .with(filter)
        .init();
}
