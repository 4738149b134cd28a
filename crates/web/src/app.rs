//! The application state every handler shares: the store, the instrument
//! library, and the clinic's settings.

use std::sync::Arc;

use attune_instruments::Library;
use attune_media::LocalMedia;
use attune_store::{AccessStore, LockPolicy, Store, VideoStore};
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
    pub library: Library,
    pub settings: Settings,
    /// Session videos, private: never served.
    pub media: LocalMedia,
}

pub type Shared<S> = Arc<App<S>>;
