//! A small clinic for router tests: two therapists with a client each, a
//! supervisor of one of them, an admin and a researcher, each signed in.

use attune_store::{AlertKind, SessionKind, Severity};
use std::sync::Arc;

use attune_instruments::Library;
use attune_store::audit::Actor;
use attune_store::{
    AccessStore, NewAdministration, NewAlert, NewCourse, NewPortalLink, NewStaffSession, NewTask,
    NewUser, Role, Store, token_hash,
};
use attune_store_sql::SqliteStore;
use attune_store_tests as contract;
use attune_web::{App, Settings};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, header};
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;
use uuid::Uuid;

pub struct Person {
    pub id: Uuid,
    pub cookie: String,
    pub csrf: String,
}

pub struct Clinic {
    pub store: Arc<App<SqliteStore>>,
    pub router: Router,
    pub ana: Person,
    pub ben: Person,
    pub sam: Person,
    pub admin: Person,
    pub rita: Person,
    /// Ana's client and Ben's client.
    pub ana_client: Uuid,
    pub ben_client: Uuid,
    pub ana_alert: Uuid,
    pub ben_alert: Uuid,
    /// Planned medicine sessions of Ana's and Ben's clients.
    pub ana_session: Uuid,
    pub ben_session: Uuid,
    pub _dir: std::path::PathBuf,
}

fn actor() -> Actor {
    Actor::system("test")
}

async fn person(store: &SqliteStore, username: &str, role: Role, password_hash: &str) -> Person {
    let user = store
        .create_user(
            &actor(),
            NewUser {
                username: username.into(),
                display_name: format!("{username} <b>bold</b>"),
                role,
                password_hash: password_hash.into(),
            },
        )
        .await
        .unwrap();
    let token = format!("{:064x}", user.id.as_u128());
    let csrf = format!("csrf-{username}");
    store
        .open_staff_session(
            &actor(),
            NewStaffSession {
                token_hash: token_hash(&token),
                user: user.id,
                csrf_token: csrf.clone(),
                origin: "test".into(),
                expires_at: OffsetDateTime::now_utc() + Duration::hours(1),
            },
        )
        .await
        .unwrap();
    Person {
        id: user.id,
        cookie: format!("attune_session={token}"),
        csrf,
    }
}

/// A client with a course, a planned medicine session and an open alert.
async fn client_with_alert(store: &SqliteStore, code: &str, lead: Uuid) -> (Uuid, Uuid, Uuid) {
    let c = store
        .create_client(
            &actor(),
            attune_store::NewClient {
                code: code.into(),
                details: contract::details("<script>alert('name')</script>"),
                lead_therapist: lead,
                co_therapist: None,
            },
        )
        .await
        .unwrap();
    let course = store
        .create_course(
            &actor(),
            NewCourse {
                client: c.id,
                modality: "psilocybin".into(),
                protocol: "psilocybin_single".into(),
                started_on: time::macros::date!(2026 - 10 - 01),
            },
        )
        .await
        .unwrap();
    let medicine = store
        .add_session(
            &actor(),
            attune_store::NewSession {
                course: course.id,
                kind: SessionKind::Medicine,
                number: 3,
                scheduled_at: OffsetDateTime::now_utc() + Duration::days(2),
                held_at: None,
                readiness_override: None,
            },
        )
        .await
        .unwrap();
    let submitted = store
        .submit(
            &actor(),
            NewAdministration {
                alerts: vec![NewAlert {
                    kind: AlertKind::Safety,
                    severity: Severity::Urgent,
                    instrument: Some("phq9".into()),
                    session: None,
                    episode: None,
                    message: "phq9 item 9 answered 2 <img src=x onerror=alert(1)>".into(),
                }],
                ..contract::submission(&format!("k-{code}"), c.id)
            },
        )
        .await
        .unwrap();
    (c.id, submitted.alerts[0], medicine.id)
}

/// A clinic with a given hash for every account (most tests never log in).
pub async fn clinic_with(password_hash: &str, settings: Settings) -> Clinic {
    let dir = contract::temp_dir("web");
    let cipher = attune_store::crypto::Cipher::load_or_create(&dir.join("key")).unwrap();
    let store = SqliteStore::open(&dir.join("attune.db"), cipher)
        .await
        .unwrap();
    let ana = person(&store, "ana", Role::Therapist, password_hash).await;
    let ben = person(&store, "ben", Role::Therapist, password_hash).await;
    let sam = person(&store, "sam", Role::Supervisor, password_hash).await;
    let admin = person(&store, "admin", Role::Admin, password_hash).await;
    let rita = person(&store, "rita", Role::Researcher, password_hash).await;
    store
        .add_supervision(&actor(), sam.id, ana.id)
        .await
        .unwrap();
    let (ana_client, ana_alert, ana_session) = client_with_alert(&store, "C-ANA", ana.id).await;
    let (ben_client, ben_alert, ben_session) = client_with_alert(&store, "C-BEN", ben.id).await;
    let app = Arc::new(
        App::new(
            store,
            Library::builtin().unwrap(),
            settings,
            attune_media::LocalMedia::open(&dir.join("media")).unwrap(),
        )
        .with_packs_dir(dir.join("wording")),
    );
    Clinic {
        router: attune_web::router(app.clone()),
        store: app,
        ana,
        ben,
        sam,
        admin,
        rita,
        ana_client,
        ben_client,
        ana_alert,
        ben_alert,
        ana_session,
        ben_session,
        _dir: dir,
    }
}

pub async fn clinic() -> Clinic {
    clinic_with(contract::FAKE_HASH, Settings::default()).await
}

impl Clinic {
    pub fn store(&self) -> &SqliteStore {
        &self.store.store
    }

    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub async fn get(&self, who: Option<&Person>, path: &str) -> Response<Body> {
        let mut r = Request::get(path);
        if let Some(p) = who {
            r = r.header(header::COOKIE, &p.cookie);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    /// A form post; the person's CSRF token is added unless `csrf` is false.
    pub async fn post(
        &self,
        who: Option<&Person>,
        path: &str,
        form: &str,
        csrf: bool,
    ) -> Response<Body> {
        let mut body = form.to_owned();
        let mut r =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(p) = who {
            r = r.header(header::COOKIE, &p.cookie);
            if csrf {
                if !body.is_empty() {
                    body.push('&');
                }
                body.push_str(&format!("csrf={}", p.csrf));
            }
        }
        self.send(r.body(Body::from(body)).unwrap()).await
    }

    /// A portal link for Ana's client with the given measures.
    pub async fn link(
        &self,
        instruments: &[&str],
        expires_in: Duration,
    ) -> (String, attune_store::PortalLink) {
        let token = format!("{:064x}", Uuid::now_v7().as_u128());
        let link = self
            .store()
            .create_portal_link(
                &actor(),
                NewPortalLink {
                    token_hash: token_hash(&token),
                    client: self.ana_client,
                    created_by: self.ana.id,
                    expires_at: OffsetDateTime::now_utc() + expires_in,
                    tasks: instruments
                        .iter()
                        .map(|i| NewTask {
                            instrument: (*i).into(),
                            instrument_version: 1,
                            course: None,
                            session: None,
                            time_point: Some("week 3".into()),
                            available_from: None,
                        })
                        .collect(),
                },
            )
            .await
            .unwrap();
        (token, link)
    }
}

pub async fn text(r: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(r.into_body(), 4 * 1024 * 1024)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

pub fn location(r: &Response<Body>) -> Option<String> {
    r.headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
}

/// The portal token in a "link created" page.
pub fn link_token(body: &str) -> String {
    let start = body.find("/p/").expect("the page shows the link");
    body[start + 3..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}
