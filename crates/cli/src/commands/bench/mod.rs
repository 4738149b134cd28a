//! `attune bench web`: the load benchmark. 200 simulated clients submit
//! portal measures at once to the real web application on a fresh SQLite
//! record (release build, both cores shared by server and load), then the
//! same load goes to a minimal axum app that only inserts one row per
//! request into SQLite with the same durability settings: the baseline,
//! measured in the same run. Prints throughput and p50/p99 latency of both.

mod http;
mod stats;
pub mod video;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};
use attune_instruments::Library;
use attune_store::audit::Actor;
use attune_store::crypto::Cipher;
use attune_store::{
    AccessStore, ClientDetails, NewClient, NewPortalLink, NewTask, NewUser, Role, Store, token_hash,
};
use attune_store_sql::{InsertBaseline, SqliteStore};
use attune_web::{App, Settings};
use axum::extract::{Path as UrlPath, State};
use serde_json::json;
use time::OffsetDateTime;
use tokio::sync::{Barrier, oneshot};

use crate::args::BenchWebArgs;
use stats::Run;

/// One simulated client's requests, in order: (path, form body).
type Script = Vec<(String, String)>;

/// PHQ-9 answers without a safety finding, varied a little by `i`.
fn answers(i: usize) -> String {
    (1..=10)
        .map(|q| {
            let v = if q == 9 { 0 } else { (i + q) % 4 };
            format!("q{q}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn draft(i: usize) -> Vec<Option<f64>> {
    (1..=10)
        .map(|q| Some(if q == 9 { 0.0 } else { ((i + q) % 4) as f64 }))
        .collect()
}

/// A record with one therapist, `clients` clients and `total` single-task
/// portal links whose answers are saved as drafts: each submission is then
/// the real final step, scoring and storing the administration.
async fn portal_scripts(store: &SqliteStore, clients: usize, total: usize) -> Result<Vec<Script>> {
    let actor = Actor::system("bench");
    let lead = store
        .create_user(
            &actor,
            NewUser {
                username: "bench".into(),
                display_name: "Bench therapist".into(),
                role: Role::Therapist,
                password_hash: attune_web::password::hash("a bench password nobody uses")?,
            },
        )
        .await?;
    let mut ids = Vec::with_capacity(clients);
    for c in 0..clients {
        let client = store
            .create_client(
                &actor,
                NewClient {
                    code: format!("B-{c:04}"),
                    details: ClientDetails {
                        name: format!("Bench client {c}"),
                        contact: None,
                        date_of_birth: None,
                    },
                    lead_therapist: lead.id,
                    co_therapist: None,
                },
            )
            .await?;
        ids.push(client.id);
    }
    let mut scripts = vec![Script::new(); clients];
    for i in 0..total {
        let token = format!("{:064x}", uuid::Uuid::now_v7().as_u128());
        let link = store
            .create_portal_link(
                &actor,
                NewPortalLink {
                    token_hash: token_hash(&token),
                    client: ids[i % clients],
                    created_by: lead.id,
                    expires_at: OffsetDateTime::now_utc() + time::Duration::days(1),
                    tasks: vec![NewTask {
                        instrument: "phq9".into(),
                        instrument_version: 1,
                        course: None,
                        session: None,
                        time_point: None,
                        available_from: None,
                    }],
                },
            )
            .await?;
        let task = link.tasks[0].id;
        store.save_draft(&actor, task, &draft(i)).await?;
        scripts[i % clients].push((format!("/p/{token}/t/{task}/submit"), String::new()));
    }
    Ok(scripts)
}

/// Every script on its own connection, all starting together.
async fn drive(addr: SocketAddr, scripts: Vec<Script>) -> Result<Run> {
    let barrier = Arc::new(Barrier::new(scripts.len() + 1));
    let mut workers = Vec::with_capacity(scripts.len());
    for script in scripts {
        let barrier = barrier.clone();
        workers.push(tokio::spawn(async move {
            let mut conn = http::Connection::open(addr).await;
            barrier.wait().await;
            let conn = conn.as_mut().map_err(|e| anyhow::anyhow!("{e:#}"))?;
            let mut latencies = Vec::with_capacity(script.len());
            for (path, body) in script {
                let started = Instant::now();
                let status = conn.post_form(&path, &body).await?;
                latencies.push(started.elapsed());
                ensure!(status == 200, "{path}: status {status}");
            }
            anyhow::Ok(latencies)
        }));
    }
    barrier.wait().await;
    let started = Instant::now();
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.context("a load worker panicked")??);
    }
    Ok(Run::new(started.elapsed(), all))
}

async fn bind() -> Result<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

async fn baseline_insert(
    State(db): State<InsertBaseline>,
    UrlPath(key): UrlPath<String>,
    body: String,
) -> Result<&'static str, (axum::http::StatusCode, String)> {
    db.insert(&key, &body)
        .await
        .map(|()| "stored")
        .map_err(|e| (axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

fn line(name: &str, run: &Run) -> String {
    format!(
        "{name:<34} {:>8.1} /s   p50 {:>7.1} ms   p99 {:>7.1} ms   ({} requests in {:.2} s)",
        run.throughput(),
        run.percentile(50.0).as_secs_f64() * 1000.0,
        run.percentile(99.0).as_secs_f64() * 1000.0,
        run.requests,
        run.wall.as_secs_f64()
    )
}

pub async fn run(args: &BenchWebArgs) -> Result<()> {
    ensure!(
        args.concurrency >= 1 && args.submissions >= args.concurrency,
        "need submissions >= concurrency >= 1"
    );
    let dir = std::env::temp_dir().join(format!("attune-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let result = measure(&dir, args).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(dir: &Path, args: &BenchWebArgs) -> Result<()> {
    if cfg!(debug_assertions) {
        eprintln!(
            "note: a debug build; the figures that count come from `cargo run --release -- bench web`"
        );
    }
    // The portal, on the real application and store.
    let store = SqliteStore::open(
        &dir.join("attune.db"),
        Cipher::load_or_create(&dir.join("key"))?,
    )
    .await?;
    eprintln!(
        "setting up {} portal links for {} clients...",
        args.submissions, args.concurrency
    );
    let scripts = portal_scripts(&store, args.concurrency, args.submissions).await?;
    let (listener, addr) = bind().await?;
    let (stop, stopped) = oneshot::channel::<()>();
    let app = App::new(
        store.clone(),
        Library::builtin()?,
        Settings {
            secure_cookies: false,
            ..Settings::default()
        },
        attune_media::LocalMedia::open(&dir.join("media"))?,
    );
    let server = tokio::spawn(attune_web::serve(listener, app, async {
        let _ = stopped.await;
    }));
    let portal = drive(addr, scripts).await?;
    let _ = stop.send(());
    server.await??;
    let stored = store.counts().await?.administrations;
    if stored != args.submissions as u64 {
        bail!(
            "{} submissions acknowledged but {stored} administrations stored",
            args.submissions
        );
    }

    // The baseline: a minimal axum app inserting one row per request.
    let db = InsertBaseline::open(&dir.join("baseline.db")).await?;
    let router = axum::Router::new()
        .route("/insert/{key}", axum::routing::post(baseline_insert))
        .with_state(db.clone());
    let (listener, addr) = bind().await?;
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let scripts: Vec<Script> = (0..args.concurrency)
        .map(|w| {
            (w..args.submissions)
                .step_by(args.concurrency)
                .map(|i| (format!("/insert/k{i}"), answers(i)))
                .collect()
        })
        .collect();
    let baseline = drive(addr, scripts).await?;
    let _ = stop.send(());
    server.await??;
    ensure!(
        db.count().await? == args.submissions as i64,
        "baseline rows missing"
    );

    let ratio = portal.throughput() / baseline.throughput();
    let p99 = portal.percentile(99.0);
    if args.json {
        let figures = |r: &Run| {
            json!({
                "requests": r.requests,
                "seconds": r.wall.as_secs_f64(),
                "per_second": r.throughput(),
                "p50_ms": r.percentile(50.0).as_secs_f64() * 1000.0,
                "p99_ms": r.percentile(99.0).as_secs_f64() * 1000.0,
            })
        };
        return super::print_json(&json!({
            "concurrency": args.concurrency,
            "portal": figures(&portal),
            "baseline": figures(&baseline),
            "throughput_ratio": ratio,
        }));
    }
    println!(
        "{} concurrent clients, {} submissions each run, SQLite (WAL, synchronous=FULL)",
        args.concurrency, args.submissions
    );
    println!("{}", line("portal submissions (attune serve)", &portal));
    println!("{}", line("baseline (axum + one SQLite insert)", &baseline));
    println!(
        "throughput {:.2} x baseline (target >= 0.50); p99 {:.1} ms (target < 100 ms)",
        ratio,
        p99.as_secs_f64() * 1000.0
    );
    Ok(())
}
