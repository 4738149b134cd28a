//! Signing in for real: argon2id, the session cookie's flags, lock-out after
//! repeated failures and an admin's unlock, timeouts, sign-out.

use attune_store::{AccessStore, token_hash};
use attune_web::{Settings, password};
use axum::http::{StatusCode, header};
use time::{Duration, OffsetDateTime};

use crate::harness::{clinic, clinic_with, location, text};

const SECRET: &str = "correct horse battery staple";

async fn login(
    c: &crate::harness::Clinic,
    user: &str,
    pass: &str,
) -> axum::http::Response<axum::body::Body> {
    let body = format!("username={user}&password={}", pass.replace(' ', "+"));
    c.post(None, "/login", &body, false).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_use_the_session_and_sign_out() {
    let hash = password::hash(SECRET).unwrap();
    let c = clinic_with(&hash, Settings::default()).await;
    let r = login(&c, "ana", SECRET).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r).as_deref(), Some("/caseload"));
    let cookie = r
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    let pair = cookie.split(';').next().unwrap().to_owned();
    let me = crate::harness::Person {
        id: c.ana.id,
        cookie: pair.clone(),
        csrf: String::new(),
    };
    let page = c.get(Some(&me), "/caseload").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = text(page).await;
    // The page carries this session's CSRF token for its forms.
    let token = pair.trim_start_matches("attune_session=");
    let session = c
        .store()
        .staff_session(&token_hash(token))
        .await
        .unwrap()
        .unwrap();
    assert!(html.contains(&session.csrf_token));
    // Every role lands on its own first page.
    for (user, home) in [
        ("admin", "/admin"),
        ("rita", "/cohort"),
        ("sam", "/caseload"),
    ] {
        assert_eq!(
            location(&login(&c, user, SECRET).await).as_deref(),
            Some(home)
        );
    }
    // Sign out ends the session in the database, not only in the browser.
    let me = crate::harness::Person {
        csrf: session.csrf_token.clone(),
        ..me
    };
    let r = c.post(Some(&me), "/logout", "", true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        c.store()
            .staff_session(&token_hash(token))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        location(&c.get(Some(&me), "/caseload").await).as_deref(),
        Some("/login")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_lock_the_username_until_an_admin_unlocks_it() {
    let hash = password::hash(SECRET).unwrap();
    let c = clinic_with(&hash, Settings::default()).await;
    for _ in 0..4 {
        let r = login(&c, "ana", "not the password").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(
            text(r)
                .await
                .contains("username, password or one-time code is wrong")
        );
    }
    let fifth = login(&c, "ana", "not the password").await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    // Locked: even the right password is refused, and says why.
    let r = login(&c, "ana", SECRET).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(text(r).await.contains("administrator can unlock"));
    // An unknown username gets the same answer as a wrong password.
    let r = login(&c, "nobody", SECRET).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The admin sees the lock and lifts it.
    let admin_page = text(c.get(Some(&c.admin), "/admin").await).await;
    assert!(admin_page.contains("Unlock"));
    let r = c
        .post(Some(&c.admin), "/admin/unlock", "username=ana", true)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        login(&c, "ana", SECRET).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_absolute_timeouts_end_a_session() {
    let c = clinic().await;
    let token = c.ana.cookie.trim_start_matches("attune_session=");
    // Idle for longer than the setting: signed out, and the row is gone.
    let long_ago = OffsetDateTime::now_utc() - Duration::hours(2);
    c.store()
        .touch_staff_session(&token_hash(token), long_ago)
        .await
        .unwrap();
    let r = c.get(Some(&c.ana), "/caseload").await;
    assert_eq!(location(&r).as_deref(), Some("/login"));
    assert!(
        c.store()
            .staff_session(&token_hash(token))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_at_its_absolute_expiry_however_active() {
    use attune_store::NewStaffSession;
    let c = clinic().await;
    let token = "ab".repeat(32);
    c.store()
        .open_staff_session(
            &attune_store::audit::Actor::system("t"),
            NewStaffSession {
                token_hash: token_hash(&token),
                user: c.ana.id,
                csrf_token: "x".into(),
                origin: "t".into(),
                expires_at: OffsetDateTime::now_utc() - Duration::seconds(1),
            },
        )
        .await
        .unwrap();
    let me = crate::harness::Person {
        id: c.ana.id,
        cookie: format!("attune_session={token}"),
        csrf: "x".into(),
    };
    assert_eq!(
        location(&c.get(Some(&me), "/caseload").await).as_deref(),
        Some("/login")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_loses_its_sessions() {
    use attune_store::Store;
    let c = clinic().await;
    c.store()
        .set_user_active(&attune_store::audit::Actor::system("t"), "ana", false)
        .await
        .unwrap();
    assert_eq!(
        location(&c.get(Some(&c.ana), "/caseload").await).as_deref(),
        Some("/login")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_step_sign_in_once_set_up_needs_the_code() {
    use attune_web::totp;
    let hash = password::hash(SECRET).unwrap();
    let c = clinic_with(&hash, Settings::default()).await;
    // Set up: a new secret on the page, effective only after a right code.
    let page = text(c.post(Some(&c.ana), "/account/totp/start", "", true).await).await;
    let start = page.find("name=\"secret\" value=\"").unwrap() + 21;
    let secret_hex = &page[start..start + 40];
    let secret = hex::decode(secret_hex).unwrap();
    let wrong = c
        .post(
            Some(&c.ana),
            "/account/totp/confirm",
            &format!("secret={secret_hex}&code=000000"),
            true,
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(c.store().totp_secret(c.ana.id).await.unwrap().is_none());
    let now_code = |s: &[u8]| format!("{:06}", totp::code(s, totp::now() / totp::STEP));
    let r = c
        .post(
            Some(&c.ana),
            "/account/totp/confirm",
            &format!("secret={secret_hex}&code={}", now_code(&secret)),
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.store().totp_secret(c.ana.id).await.unwrap(),
        Some(secret.clone())
    );

    // Signing in: the password alone, or with a wrong code, is refused.
    assert_eq!(
        login(&c, "ana", SECRET).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let body = format!(
        "username=ana&password={}&code=123456",
        SECRET.replace(' ', "+")
    );
    let code_ok = totp::verify(&secret, "123456", totp::now());
    if !code_ok {
        assert_eq!(
            c.post(None, "/login", &body, false).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // The code that confirmed the set-up is spent: replaying it is refused.
    let with_code = |code: String| {
        format!(
            "username=ana&password={}&code={code}",
            SECRET.replace(' ', "+")
        )
    };
    let confirmed_step = totp::now() / totp::STEP;
    let spent = with_code(format!(
        "{:06}",
        totp::code(&secret, confirmed_step.saturating_sub(1))
    ));
    assert_eq!(
        c.post(None, "/login", &spent, false).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The next step's code (accepted for clock drift) signs in, once.
    let next = with_code(format!("{:06}", totp::code(&secret, confirmed_step + 1)));
    assert_eq!(
        c.post(None, "/login", &next, false).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        c.post(None, "/login", &next, false).await.status(),
        StatusCode::UNAUTHORIZED,
        "a code signs in once"
    );

    // Turning it off needs a current code.
    let r = c
        .post(Some(&c.ana), "/account/totp/off", "code=999999x", true)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(
            Some(&c.ana),
            "/account/totp/off",
            &format!("code={}", now_code(&secret)),
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(c.store().totp_secret(c.ana.id).await.unwrap().is_none());
    assert_eq!(
        login(&c, "ana", SECRET).await.status(),
        StatusCode::SEE_OTHER
    );
}
