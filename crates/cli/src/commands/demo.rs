//! `attune demo`: a fresh data directory filled with the demo clinic
//! (crates/demo), its staff logins printed once.

use attune_store::Code;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use attune_demo::{DemoConfig, STAFF, Summary, create_staff, digest, generate};
use attune_store::Store;
use serde_json::json;
use time::{Date, OffsetDateTime, macros::format_description};

use super::print_json;
use crate::args::DemoArgs;
use crate::record::{self, with_store};
use attune_web::password;

const CLIENTS: usize = 80;

pub async fn run(dir: &Path, url: Option<&str>, args: &DemoArgs) -> Result<()> {
    let data = attune_data_dir::DataDir::new(dir);
    if data.is_initialised() || data.database().exists() {
        bail!(
            "{} already holds a record; the demo fills only a fresh data directory (choose another --data-dir)",
            dir.display()
        );
    }
    let as_of = match &args.as_of {
        Some(text) => Date::parse(text, format_description!("[year]-[month]-[day]"))
            .with_context(|| format!("--as-of {text}: expected YYYY-MM-DD"))?,
        None => OffsetDateTime::now_utc().date(),
    };
    let started = Instant::now();
    record::init(dir, url).await?;
    let backend = record::open(dir, url).await?;
    let mut logins = Vec::new();
    let mut hashes = Vec::new();
    for (username, _, _) in STAFF {
        let secret = password::generate()?;
        hashes.push(password::hash(&secret)?);
        logins.push((username, secret));
    }
    let cfg = DemoConfig {
        seed: args.seed,
        as_of,
        clients: CLIENTS,
    };
    let (summary, fingerprint) = with_store!(backend, s => {
        let staff = create_staff(&s, &hashes).await?;
        let summary = generate(&s, &cfg, &staff).await?;
        let fingerprint = digest(&s).await?;
        let counts = s.counts().await?;
        s.close().await;
        (Summary { administrations: counts.administrations as usize, ..summary }, fingerprint)
    });
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        let alerts: serde_json::Map<String, serde_json::Value> = summary
            .alerts
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect();
        return print_json(&json!({
            "data_dir": dir.display().to_string(),
            "seed": args.seed,
            "as_of": as_of.to_string(),
            "staff": summary.staff,
            "clients": summary.clients,
            "courses_in_progress": summary.courses_in_progress,
            "sessions_held": summary.sessions_held,
            "sessions_planned": summary.sessions_planned,
            "administrations": summary.administrations,
            "alerts": alerts,
            "ruptures": summary.ruptures,
            "ruptures_repaired": summary.ruptures_repaired,
            "ruptures_pending": summary.ruptures_pending,
            "readiness_overrides": summary.readiness_overrides,
            "digest": fingerprint,
            "seconds": seconds,
            "logins": logins.iter().map(|(u, p)| json!({ "username": u, "password": p })).collect::<Vec<_>>(),
        }));
    }
    println!(
        "Attune demo clinic in {} (seed {}, as of {as_of}), made in {seconds:.1} s",
        dir.display(),
        args.seed
    );
    println!(
        "  {} staff, {} clients ({} courses still in progress)",
        summary.staff, summary.clients, summary.courses_in_progress
    );
    println!(
        "  {} sessions held, {} planned",
        summary.sessions_held, summary.sessions_planned
    );
    println!(
        "  {} administrations, every one scored by the instrument library",
        summary.administrations
    );
    let alerts: Vec<String> = summary
        .alerts
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect();
    println!("  clients with alerts: {}", alerts.join(", "));
    println!(
        "  {} alliance ruptures ({} repaired, {} still in their repair window); {} medicine sessions held over a readiness override",
        summary.ruptures,
        summary.ruptures_repaired,
        summary.ruptures_pending,
        summary.readiness_overrides
    );
    println!("  content digest {fingerprint}");
    println!("\nLogins (shown once; the demo is fictional, but keep it on this machine):");
    for ((username, name, role), (_, secret)) in STAFF.iter().zip(&logins) {
        println!("  {username:<15} {secret}   {name} ({})", role.code());
    }
    if args.no_serve {
        return Ok(());
    }
    let listener = super::serve::listen(&args.bind).await?;
    let secure = !super::serve::loopback(&listener);
    println!(
        "\nOpen http://{} in a browser and sign in with a login above. Ctrl-C stops the server.",
        listener.local_addr()?
    );
    let library = crate::data_dir::load(dir)?;
    let backend = record::open(dir, url).await?;
    let jobs = crate::args::JobArgs {
        video_retention_days: None,
    };
    with_store!(backend, s => super::serve::serve(listener, s, library, secure, dir, Some(&jobs)).await)
}
