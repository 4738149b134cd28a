//! `attune`: thin glue over the library crates. Parses arguments, calls a
//! library, prints human text (or JSON with `--json`), and maps failures to
//! exit codes: 0 success, 2 an error (bad input, unreadable file).

mod args;
mod commands;
mod data_dir;
mod output;
mod text;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, the cause chain joined: what went wrong and where.
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
