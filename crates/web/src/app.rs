//! The application state every handler shares: the store, the instrument
//! library, and the clinic's settings.

use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use attune_instruments::Library;
use attune_media::LocalMedia;
use attune_store::{AccessStore, LockPolicy, Store, VideoStore};

use crate::http::error::AppError;
use time::Duration;

/// What the web layer needs of a backend.
pub trait Stores: Store + AccessStore + VideoStore + 'static {}
impl<T: Store + AccessStore + VideoStore + 'static> Stores for T {}

#[derive(Debug, Clone)]
pub struct Settings {
    /// A session unused this long ends.
    pub session_idle: Duration,
    /// A session ends this long after login, however active.
    pub session_absolute: Duration,
    pub lock: LockPolicy,
    /// How long a portal link stays valid.
    pub portal_link_valid: Duration,
    /// `Secure` cookies: on unless serving plain HTTP on loopback (the demo).
    pub secure_cookies: bool,
    /// Shown to a client whose answers raise a safety finding.
    pub crisis_text: String,
    /// Whether clients see their own progress chart in the portal.
    pub client_progress: bool,
    /// The largest request body accepted.
    pub max_body: usize,
    /// The largest session video accepted (uploads stream to disk).
    pub max_video: u64,
    /// Video files are deleted this long after their analysis; `None` keeps them.
    pub video_retention: Option<Duration>,
    /// A request still unanswered after this is cancelled (uploads exempt).
    pub request_timeout: std::time::Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_idle: Duration::minutes(30),
            session_absolute: Duration::hours(12),
            lock: LockPolicy {
                after_failures: 5,
                lock_for: Duration::minutes(15),
            },
            portal_link_valid: Duration::days(7),
            secure_cookies: true,
            crisis_text: "If you are in danger or thinking of harming yourself, call your local \
                emergency number now. Your clinic has been told about your answers and will \
                contact you."
                .to_owned(),
            client_progress: true,
            max_body: 64 * 1024,
            max_video: 8 << 30,
            video_retention: None,
            request_timeout: std::time::Duration::from_secs(30),
        }
    }
}

pub struct App<S> {
    pub store: S,
    /// Swapped whole when an admin installs a wording pack: a request keeps
    /// the library it started with.
    library: RwLock<Arc<Library>>,
    pub settings: Settings,
    /// Session videos, private: never served.
    pub media: LocalMedia,
    /// Where installed wording packs are kept (`<data dir>/wording`); without
    /// one, packs cannot be installed from the admin page.
    packs_dir: Option<PathBuf>,
}

impl<S> App<S> {
    pub fn new(store: S, library: Library, settings: Settings, media: LocalMedia) -> App<S> {
        App {
            store,
            library: RwLock::new(Arc::new(library)),
            settings,
            media,
            packs_dir: None,
        }
    }

    pub fn with_packs_dir(self, dir: PathBuf) -> App<S> {
        App {
            packs_dir: Some(dir),
            ..self
        }
    }

    /// The instrument library as it is now.
    pub fn library(&self) -> Arc<Library> {
        Arc::clone(&self.library.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Checks a wording pack against its instrument, writes it to the packs
    /// folder and puts it to use at once; returns its id. Another server
    /// process on the same record sees it after its next start.
    pub fn install_wording(&self, text: &str) -> Result<String, AppError> {
        let Some(dir) = &self.packs_dir else {
            return Err(AppError::Conflict(
                "this server has no data directory to keep wording packs in".into(),
            ));
        };
        let mut current = self.library.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = Library::clone(&current);
        let id = next
            .add_wording("the uploaded pack", text)
            .map_err(|e| AppError::invalid("pack", e.to_string()))?
            .id()
            .to_owned();
        attune_data_dir::install(dir, &id, text).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                AppError::Conflict(format!("a wording pack '{id}' is already installed"))
            }
            _ => AppError::Internal(format!("installing the wording pack: {e}")),
        })?;
        *current = Arc::new(next);
        Ok(id)
    }
}

pub type Shared<S> = Arc<App<S>>;
