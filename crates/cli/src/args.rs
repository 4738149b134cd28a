//! Command-line arguments (clap derive). Every command has `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "attune",
    version,
    about = "Attune: the therapeutic alliance, measured from both sides, for psychedelic- and ketamine-assisted therapy.",
    long_about = None
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Data directory: the record (SQLite), its key file, installed instruments and wording packs.
    #[arg(
        long,
        global = true,
        env = "ATTUNE_DATA_DIR",
        default_value = "attune-data"
    )]
    pub data_dir: PathBuf,
    /// PostgreSQL URL; without one the record is a SQLite file in the data directory.
    #[arg(
        long,
        global = true,
        env = "ATTUNE_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show and extend the instrument library.
    #[command(subcommand)]
    Instruments(InstrumentsCommand),
    /// Score one administration: responses in item order, '-' for a missing item.
    Score(ScoreArgs),
    /// Compare two administrations: change, reliable and clinically significant change.
    Compare(CompareArgs),
    /// Fill a fresh data directory with the demo clinic and print its logins.
    Demo(DemoArgs),
    /// Create a data directory: key file, database, schema. Safe to run again.
    Init,
    /// Serve the web application (staff pages and the client portal); runs
    /// background jobs (session video analysis) too, unless --no-worker.
    Serve(ServeArgs),
    /// Run background jobs only (session video analysis, video retention),
    /// beside servers started with --no-worker. Stops on Ctrl-C or SIGTERM.
    Worker(WorkerArgs),
    /// Benchmarks that print ratios against a baseline measured in the same run.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent snapshot of the SQLite record to FILE while it stays in use.
    Backup {
        /// The snapshot to create (never overwritten).
        file: PathBuf,
    },
    /// Replace the SQLite record with a snapshot made by `attune backup`.
    Restore {
        file: PathBuf,
        /// Replace an existing record (it is kept beside the new one, renamed).
        #[arg(long)]
        force: bool,
        /// The key file of the data directory the backup came from (a backup
        /// never contains it); needed when this directory has no key yet.
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Movement synchrony of a dyad from a motion-energy file (MEA text or CSV).
    Synchrony(Box<SynchronyArgs>),
    /// Session video: motion energy per region of interest.
    #[command(subcommand)]
    Video(VideoCommand),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SynchronyArgs {
    #[command(subcommand)]
    pub batch: Option<SynchronyBatch>,
    /// One row per video frame, a column per region (a header line is allowed).
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub opts: SynchronyOptions,
}

#[derive(Debug, Subcommand)]
pub enum SynchronyBatch {
    /// Every .txt and .csv file in DIR: one line per dyad, computed on both cores.
    Batch {
        dir: PathBuf,
        #[command(flatten)]
        opts: SynchronyOptions,
    },
}

#[derive(Debug, Clone, Args)]
pub struct SynchronyOptions {
    /// Frames per second of the video the series came from.
    #[arg(long, default_value_t = 25.0)]
    pub rate: f64,
    /// Columns (1-based, comma-separated) summed for person 1, the client.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    pub s1_cols: Vec<usize>,
    /// Columns summed for person 2, the therapist.
    #[arg(long, value_delimiter = ',', default_value = "2")]
    pub s2_cols: Vec<usize>,
    /// Window length in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub window: f64,
    /// Step between windows in seconds.
    #[arg(long, default_value_t = 30.0)]
    pub step: f64,
    /// Largest lag in seconds, both directions.
    #[arg(long, default_value_t = 5.0)]
    pub lag: f64,
    /// Absolute values (synchrony in or out of phase alike).
    #[arg(long)]
    pub abs: bool,
    /// Smooth first with a moving average of this many seconds (0.5 when given without a value).
    #[arg(long, num_args = 0..=1, default_missing_value = "0.5")]
    pub smooth: Option<f64>,
    /// Report Pearson r instead of Fisher's z.
    #[arg(long)]
    pub no_fisher: bool,
    /// Reproduce rMEA 1.3.0 exactly, quirks included.
    #[arg(long)]
    pub rmea_compatible: bool,
    /// How many surrogates to compare with (segment-shuffled for one file, re-paired for a batch).
    #[arg(long, default_value_t = 0)]
    pub surrogates: usize,
    /// Seed of the surrogates.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Segment length in seconds for segment shuffling.
    #[arg(long, default_value_t = 30.0)]
    pub segment: f64,
    /// Print JSON instead of text (a batch prints one JSON object per line).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account; prints a generated password once unless --password-stdin.
    Add {
        /// Login name: 3-40 of a-z, 0-9, '.', '-', '_'.
        username: String,
        /// admin, therapist, supervisor or researcher.
        #[arg(long)]
        role: String,
        /// Name shown to colleagues.
        #[arg(long)]
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List staff accounts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Disable an account (accounts are never deleted: the audit log names them).
    Disable { username: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exit 1 if any event was edited, removed or reordered.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum InstrumentsCommand {
    /// List every instrument in the library.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one instrument: items, scales, scoring rules, sources and wording.
    Show {
        /// Instrument id, e.g. phq9.
        id: String,
        /// Language of the wording to show.
        #[arg(long, default_value = "en")]
        language: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Install a wording pack (e.g. the official wording your clinic licenses).
    AddWording {
        /// The pack file (TOML).
        file: PathBuf,
    },
    /// Install an instrument definition of the clinic's own.
    Add {
        /// The definition file (TOML).
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Instrument id, e.g. phq9.
    pub id: String,
    /// One response per item in item order; '-' marks a missing item.
    #[arg(required = true, allow_negative_numbers = true)]
    pub responses: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Instrument id, e.g. phq9.
    pub id: String,
    /// Responses of the earlier administration, in item order.
    #[arg(long, num_args = 1.., required = true, allow_negative_numbers = true)]
    pub before: Vec<String>,
    /// Responses of the later administration, in item order.
    #[arg(long, num_args = 1.., required = true, allow_negative_numbers = true)]
    pub after: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DecoderChoice {
    Auto,
    Builtin,
    Ffmpeg,
}

#[derive(Debug, Subcommand)]
pub enum VideoCommand {
    /// Motion energy per region of interest, one row per frame pair (MEA text
    /// format, as rMEA and `attune synchrony` read it), or CSV.
    Motion(MotionArgs),
    /// Estimate the noise threshold from a background region (the 99 % quantile
    /// of its grey-level changes, as Altmann's MEA recommends).
    Threshold(ThresholdArgs),
}

#[derive(Debug, Args)]
pub struct ThresholdArgs {
    pub file: PathBuf,
    /// The background region: NAME=x,y,w,h (static scene, no one in it).
    #[arg(long)]
    pub background: String,
    /// The quantile of all changes taken as the threshold.
    #[arg(long, default_value_t = 0.99)]
    pub quantile: f64,
    #[arg(long, value_enum, default_value = "auto")]
    pub decoder: DecoderChoice,
}

#[derive(Debug, Args)]
pub struct MotionArgs {
    /// A Y4M file (read directly) or any video ffmpeg reads.
    pub file: PathBuf,
    /// A region: NAME=x,y,w,h in pixels; NAME is person.part (client.head) or person.
    #[arg(long = "roi", required = true)]
    pub rois: Vec<String>,
    /// Grey-level change that counts as movement (full range 0-255).
    #[arg(long, default_value_t = 12)]
    pub threshold: u8,
    /// Apply the 5x5 median rule (noise control, as in Altmann's MEA).
    #[arg(long)]
    pub median: bool,
    /// Report percent of each region's area instead of pixel counts.
    #[arg(long)]
    pub percent: bool,
    /// Use every n-th frame (frame-rate reduction).
    #[arg(long, default_value_t = 1)]
    pub every: usize,
    /// Write CSV (with a header and time column) instead of MEA text.
    #[arg(long)]
    pub csv: bool,
    /// How to decode: the built-in H.264 decoder for MP4 (auto falls back to
    /// ffmpeg for other codecs and containers), or always ffmpeg.
    #[arg(long, value_enum, default_value = "auto")]
    pub decoder: DecoderChoice,
    /// Write here instead of standard output (never overwritten).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Concurrent portal submissions against the real server, and a minimal
    /// axum + SQLite insert baseline with the same load.
    Web(BenchWebArgs),
    /// Video decoding, decoding + motion energy, and synchrony with surrogates.
    Video(BenchVideoArgs),
}

#[derive(Debug, Args)]
pub struct BenchVideoArgs {
    /// An MP4 (H.264) to decode; without it a test video is encoded with ffmpeg.
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Length of the generated test video in seconds.
    #[arg(long, default_value_t = 60)]
    pub seconds: usize,
    /// The motion-energy dyads (rMEA's example data: dropout/ and normal/).
    #[arg(long, default_value = "../shared/data/rmea-extdata")]
    pub dyads: PathBuf,
    /// Between-dyad surrogates to analyse.
    #[arg(long, default_value_t = 1000)]
    pub surrogates: usize,
}

#[derive(Debug, Args)]
pub struct BenchWebArgs {
    /// Simulated clients submitting at once, one connection each.
    #[arg(long, default_value_t = 200)]
    pub concurrency: usize,
    /// Submissions in all, shared among the clients.
    #[arg(long, default_value_t = 1000)]
    pub submissions: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "ATTUNE_BIND")]
    pub bind: String,
    /// Send cookies without the Secure flag, for plain HTTP beyond loopback
    /// (behind a TLS proxy this is not needed). Loopback addresses never need it.
    #[arg(long)]
    pub insecure_cookies: bool,
    /// Do not run background jobs in this process (run `attune worker` instead).
    #[arg(long)]
    pub no_worker: bool,
    #[command(flatten)]
    pub jobs: JobArgs,
}

/// Settings of background jobs, shared by `serve` and `worker`.
#[derive(Debug, Args, Clone)]
pub struct JobArgs {
    /// Delete session video files this many days after their analysis
    /// (0: as soon as it is done); the analysis is kept. Default: keep files.
    #[arg(long, env = "ATTUNE_VIDEO_RETENTION_DAYS")]
    pub video_retention_days: Option<u32>,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub jobs: JobArgs,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Seed of the synthetic clinic: the same seed and date give the same records.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// The clinic's "today" (YYYY-MM-DD); sessions before it are held. Default: today (UTC).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Only fill the data directory; do not serve it.
    #[arg(long)]
    pub no_serve: bool,
    /// Where to serve the demo clinic.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
