//! `attune serve`: the web application over a data directory's record, until
//! Ctrl-C or SIGTERM, then a graceful shutdown (requests in flight finish).
//! Background jobs run in the same process unless `--no-worker`; `attune
//! worker` runs them alone. Session videos live in the data directory's
//! `media/` folder, whichever backend holds the record.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use attune_data_dir::DataDir;
use attune_media::LocalMedia;
use attune_store::JobStore;
use attune_web::{App, Settings, Stores};
use attune_worker::{Worker, WorkerSettings};

use crate::args::{JobArgs, ServeArgs};
use crate::data_dir;
use crate::record::{self, with_store};

pub async fn run(dir: &Path, url: Option<&str>, args: &ServeArgs) -> Result<()> {
    let backend = record::open(dir, url).await?;
    let library = data_dir::load(dir)?;
    let listener = listen(&args.bind).await?;
    let secure = !(args.insecure_cookies || loopback(&listener));
    println!(
        "Attune is serving {} at http://{}",
        dir.display(),
        listener.local_addr()?
    );
    let jobs = (!args.no_worker).then_some(&args.jobs);
    with_store!(backend, s => serve(listener, s, library, secure, dir, jobs).await)
}

/// `attune worker`: background jobs only, until Ctrl-C or SIGTERM.
pub async fn worker(dir: &Path, url: Option<&str>, jobs: &JobArgs) -> Result<()> {
    let backend = record::open(dir, url).await?;
    let media = media(dir)?;
    println!("Attune worker on {}: waiting for jobs.", dir.display());
    with_store!(backend, s => {
        let w = Worker::new(Arc::new(s), media, worker_settings(jobs));
        w.run(shutdown_signal()).await;
    });
    println!("Attune worker stopped.");
    Ok(())
}

pub fn media(dir: &Path) -> Result<LocalMedia> {
    LocalMedia::open(&DataDir::new(dir).media()).context("opening the media folder")
}

fn retention(jobs: &JobArgs) -> Option<time::Duration> {
    jobs.video_retention_days
        .map(|d| time::Duration::days(i64::from(d)))
}

fn worker_settings(jobs: &JobArgs) -> WorkerSettings {
    let mut s = WorkerSettings::named(format!(
        "attune-{}-{}",
        std::process::id(),
        &uuid::Uuid::now_v7().simple().to_string()[20..]
    ));
    s.retention = retention(jobs);
    s
}

pub async fn listen(bind: &str) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(bind).await.with_context(|| {
        format!("cannot listen on {bind} (in use, or not an address of this machine?)")
    })
}

/// A loopback-only server is reached over plain HTTP by the browser on the
/// same machine; `Secure` cookies would never be sent back there.
pub fn loopback(listener: &tokio::net::TcpListener) -> bool {
    listener
        .local_addr()
        .is_ok_and(|a: SocketAddr| a.ip().is_loopback())
}

/// Serves until a signal; with `jobs`, a worker runs beside the server on a
/// clone of the store (the same pool) and stops with it.
pub async fn serve<S: Stores + JobStore + Clone>(
    listener: tokio::net::TcpListener,
    store: S,
    library: attune_instruments::Library,
    secure_cookies: bool,
    dir: &Path,
    jobs: Option<&JobArgs>,
) -> Result<()> {
    let media = media(dir)?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = jobs.map(|j| {
        let w = Worker::new(Arc::new(store.clone()), media.clone(), worker_settings(j));
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            w.run(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await;
        })
    });
    let settings = Settings {
        secure_cookies,
        video_retention: jobs.and_then(retention),
        ..Settings::default()
    };
    let app = App::new(store, library, settings, media).with_packs_dir(DataDir::new(dir).wording());
    let served = attune_web::serve(listener, app, shutdown_signal()).await;
    let _ = stop.send(true);
    if let Some(w) = worker {
        let _ = w.await;
    }
    served.context("serving")?;
    println!("Attune stopped.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
