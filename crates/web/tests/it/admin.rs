//! Account administration through the router: only admins, with clear
//! errors; a new password is shown once; supervision links need the roles.

use attune_store::Store;
use axum::http::StatusCode;

use crate::harness::{clinic, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_create_disable_and_link_accounts() {
    let c = clinic().await;
    let r = c
        .post(
            Some(&c.admin),
            "/admin/users",
            "username=dee&display_name=Dee+Park&role=therapist",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = text(r).await;
    assert!(
        page.contains("Account <strong>dee</strong> created"),
        "{page}"
    );
    let dee = c.store().credentials("dee").await.unwrap().unwrap();
    assert!(dee.password_hash.starts_with("$argon2id$"));
    // The same name again, a role that does not exist, a malformed name: refused.
    for (form, status) in [
        (
            "username=dee&display_name=Dee&role=therapist",
            StatusCode::CONFLICT,
        ),
        (
            "username=eve&display_name=Eve&role=root",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "username=E+V+E&display_name=Eve&role=therapist",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        assert_eq!(
            c.post(Some(&c.admin), "/admin/users", form, true)
                .await
                .status(),
            status,
            "{form}"
        );
    }
    assert!(c.store().credentials("eve").await.unwrap().is_none());

    let r = c
        .post(
            Some(&c.admin),
            "/admin/supervision",
            "supervisor=sam&supervisee=dee",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        c.store()
            .supervisees(c.sam.id)
            .await
            .unwrap()
            .contains(&dee.user.id)
    );
    let r = c
        .post(
            Some(&c.admin),
            "/admin/supervision",
            "supervisor=ana&supervisee=dee",
            true,
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "ana is no supervisor"
    );

    let r = c
        .post(
            Some(&c.admin),
            "/admin/active",
            "username=dee&active=false",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        !c.store()
            .credentials("dee")
            .await
            .unwrap()
            .unwrap()
            .user
            .active
    );
    let own = c
        .post(
            Some(&c.admin),
            "/admin/active",
            "username=admin&active=false",
            true,
        )
        .await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // No one else may do any of it.
    for who in [&c.ana, &c.sam, &c.rita] {
        for (path, form) in [
            ("/admin/users", "username=zed&display_name=Z&role=admin"),
            ("/admin/active", "username=ben&active=false"),
            ("/admin/supervision", "supervisor=sam&supervisee=ben"),
        ] {
            assert_eq!(
                c.post(Some(who), path, form, true).await.status(),
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    assert!(c.store().credentials("zed").await.unwrap().is_none());
    assert!(
        c.store()
            .credentials("ben")
            .await
            .unwrap()
            .unwrap()
            .user
            .active
    );
}

/// A pack file's multipart body (placeholder wording, not any published text).
fn pack_upload(items: usize) -> (String, Vec<u8>) {
    let boundary = "attune-pack-boundary";
    let items: String = (1..=items)
        .map(|i| format!("\"{i}\" = \"Licensed item text {i} (test placeholder)\"\n"))
        .collect();
    let pack = format!(
        "id = \"gad7-en-official\"\ninstrument = \"gad7\"\ninstrument_version = 1\nlanguage = \"en\"\nkind = \"official\"\nsource = \"Test placeholder\"\ncopyright = \"Test\"\ninstructions = \"Licensed instructions (test placeholder)\"\n\n[items]\n{items}"
    );
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"pack\"; filename=\"gad7.toml\"\r\nContent-Type: text/plain\r\n\r\n{pack}\r\n--{boundary}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

async fn post_pack(
    c: &crate::harness::Clinic,
    who: &crate::harness::Person,
    csrf: bool,
    items: usize,
) -> axum::http::Response<axum::body::Body> {
    let (content_type, body) = pack_upload(items);
    let path = if csrf {
        format!("/admin/packs?csrf={}", who.csrf)
    } else {
        "/admin/packs".to_owned()
    };
    c.send(
        axum::http::Request::post(path)
            .header(axum::http::header::COOKIE, &who.cookie)
            .header(axum::http::header::CONTENT_TYPE, content_type)
            .body(axum::body::Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_installs_a_wording_pack_that_is_used_at_once() {
    let c = crate::harness::clinic().await;
    assert_eq!(
        post_pack(&c, &c.ana, true, 7).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_pack(&c, &c.admin, false, 7).await.status(),
        StatusCode::FORBIDDEN
    );
    // A pack that misses items is refused, saying why.
    let r = post_pack(&c, &c.admin, true, 5).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crate::harness::text(r).await.contains("item"));

    let r = post_pack(&c, &c.admin, true, 7).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let admin = crate::harness::text(c.get(Some(&c.admin), "/admin").await).await;
    assert!(admin.contains("gad7-en-official (official, en)"));
    assert!(c._dir.join("wording/gad7-en-official.toml").exists());
    // The paper form shows the licensed wording from now on, without a restart.
    let page = crate::harness::text(
        c.get(
            Some(&c.ana),
            &format!("/sessions/{}?instrument=gad7", c.ana_session),
        )
        .await,
    )
    .await;
    assert!(
        page.contains("Licensed item text 1 (test placeholder)"),
        "{page}"
    );
    // Installed once.
    let r = post_pack(&c, &c.admin, true, 7).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crate::harness::text(r).await.contains("already installed"));
}

/// The clinic's own crisis information, link validity and progress charts,
/// set in the admin page, reach the portal and new links at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clinic_settings_set_by_an_admin_take_effect_at_once() {
    use attune_store::AccessStore;
    let c = crate::harness::clinic().await;
    let admin = crate::harness::text(c.get(Some(&c.admin), "/admin").await).await;
    assert!(
        admin.contains("emergency number"),
        "the default crisis text"
    );
    let bad = [
        "crisis_text=&portal_link_days=7",
        "crisis_text=Call+us&portal_link_days=0",
        "crisis_text=Call+us&portal_link_days=seven",
    ];
    for form in bad {
        let r = c.post(Some(&c.admin), "/admin/settings", form, true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form}");
    }
    let r = c
        .post(
            Some(&c.ana),
            "/admin/settings",
            "crisis_text=x&portal_link_days=3",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(
            Some(&c.admin),
            "/admin/settings",
            "crisis_text=Call+the+Harbour+Clinic+on+555-0142+%3Cb%3Enow%3C%2Fb%3E&portal_link_days=3",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // A new link lasts three days.
    let r = c
        .post(
            Some(&c.ana),
            &format!("/clients/{}/links", c.ana_client),
            "instrument=phq9",
            true,
        )
        .await;
    let body = crate::harness::text(r).await;
    let token = crate::harness::link_token(&body);
    let link = c
        .store()
        .portal_link(
            &attune_store::audit::Actor::system("t"),
            &attune_store::token_hash(&token),
        )
        .await
        .unwrap()
        .unwrap();
    let days = (link.expires_at - time::OffsetDateTime::now_utc()).whole_hours();
    assert!((71..=72).contains(&days), "{days} hours");

    // A safety finding shows the clinic's own words (as text), and the
    // progress chart is off.
    let task = format!("/p/{token}/t/{}", link.tasks[0].id);
    c.post(
        None,
        &task,
        "q1=1&q2=1&q3=1&q4=1&q5=1&q6=1&q7=1&q8=1&q9=2&q10=1&action=review",
        false,
    )
    .await;
    let done = crate::harness::text(c.post(None, &format!("{task}/submit"), "", false).await).await;
    assert!(
        done.contains("Call the Harbour Clinic on 555-0142"),
        "{done}"
    );
    assert!(!done.contains("<b>now</b>"));
    let home = crate::harness::text(c.get(None, &format!("/p/{token}")).await).await;
    assert!(!home.contains("over time"), "{home}");
    assert_eq!(
        c.store()
            .clinic_setting("client_progress")
            .await
            .unwrap()
            .as_deref(),
        Some("no")
    );
}
