//! One module per command family; each returns `anyhow::Result` to `main`.

mod demo;
mod instruments;
mod score;

use anyhow::Result;

use crate::args::{Cli, Command};

pub fn run(cli: Cli) -> Result<()> {
    let dir = &cli.global.data_dir;
    match cli.command {
        Command::Instruments(cmd) => instruments::run(dir, cmd),
        Command::Score(args) => score::score(dir, &args),
        Command::Compare(args) => score::compare(dir, &args),
        Command::Demo(args) => demo::run(&args),
    }
}

/// Prints a value as pretty JSON on stdout.
fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
