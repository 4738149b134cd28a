//! One module per command family; each returns `anyhow::Result` to `main`.

mod audit;
mod backup;
mod bench;
mod demo;
mod init;
mod instruments;
mod score;
mod serve;
mod synchrony;
mod users;
mod video;

use std::future::Future;

use anyhow::Result;

use crate::args::{Cli, Command};

/// What a command wants the process to exit with.
pub enum Outcome {
    Success,
    /// A check ran and found a problem (ripgrep's convention: exit 1).
    Finding,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    let dir = &cli.global.data_dir;
    let url = cli.global.database_url.as_deref();
    match cli.command {
        Command::Instruments(cmd) => instruments::run(dir, cmd).map(|()| Outcome::Success),
        Command::Score(args) => score::score(dir, &args).map(|()| Outcome::Success),
        Command::Compare(args) => score::compare(dir, &args).map(|()| Outcome::Success),
        Command::Demo(args) => block_on(demo::run(dir, url, &args))?.map(|()| Outcome::Success),
        Command::Init => block_on(init::run(dir, url))?.map(|()| Outcome::Success),
        Command::Bench(crate::args::BenchCommand::Web(args)) => {
            block_on(bench::run(&args))?.map(|()| Outcome::Success)
        }
        Command::Bench(crate::args::BenchCommand::Video(args)) => {
            bench::video::run(&args).map(|()| Outcome::Success)
        }
        Command::Serve(args) => block_on(serve::run(dir, url, &args))?.map(|()| Outcome::Success),
        Command::Worker(args) => {
            block_on(serve::worker(dir, url, &args.jobs))?.map(|()| Outcome::Success)
        }
        Command::User(cmd) => block_on(users::run(dir, url, cmd))?.map(|()| Outcome::Success),
        Command::Backup { file } => {
            block_on(backup::backup(dir, url, &file))?.map(|()| Outcome::Success)
        }
        Command::Restore { file, force, key } => {
            block_on(backup::restore(dir, url, &file, force, key.as_deref()))?
                .map(|()| Outcome::Success)
        }
        Command::Audit(cmd) => block_on(audit::run(dir, url, cmd))?,
        Command::Synchrony(args) => synchrony::run(*args).map(|()| Outcome::Success),
        Command::Video(crate::args::VideoCommand::Motion(args)) => {
            video::motion(&args).map(|()| Outcome::Success)
        }
        Command::Video(crate::args::VideoCommand::Threshold(args)) => {
            video::threshold(&args).map(|()| Outcome::Success)
        }
    }
}

/// Runs a future on a small runtime: the CLI is one request at a time.
fn block_on<F: Future>(f: F) -> Result<F::Output> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    Ok(rt.block_on(f))
}

/// Prints a value as pretty JSON on stdout.
fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
