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
