//! `attune serve`: the web application over a data directory's record, until
//! Ctrl-C or SIGTERM, then a graceful shutdown (requests in flight finish).

use std::net::SocketAddr;
use std::path::Path;

use anyhow::{Context, Result};
use attune_web::{App, Settings, Stores};

use crate::args::ServeArgs;
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
    with_store!(backend, s => serve(listener, s, library, secure).await)
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

pub async fn serve<S: Stores>(
    listener: tokio::net::TcpListener,
    store: S,
    library: attune_instruments::Library,
    secure_cookies: bool,
) -> Result<()> {
    let app = App {
        store,
        library,
        settings: Settings {
            secure_cookies,
            ..Settings::default()
        },
    };
    attune_web::serve(listener, app, shutdown_signal())
        .await
        .context("serving")?;
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
