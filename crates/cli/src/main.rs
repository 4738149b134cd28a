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
