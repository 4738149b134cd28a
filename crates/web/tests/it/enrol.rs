//! Taking on a client and starting a course through the router.

use attune_store::audit::Actor;
use attune_store::{AccessStore, Store};
use axum::http::StatusCode;

use crate::harness::{clinic, location, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_therapist_enrols_a_client_and_plans_a_course() {
    let c = clinic().await;
    for (form, status, says) in [
        (
            "code=bad+code!&name=X",
            StatusCode::UNPROCESSABLE_ENTITY,
            "client code",
        ),
        ("code=C-NEW&name=", StatusCode::UNPROCESSABLE_ENTITY, "name"),
        (
            "code=C-ANA&name=Twin",
            StatusCode::CONFLICT,
            "code C-ANA is already in use",
        ),
        (
            "code=C-NEW&name=X&date_of_birth=31.12.1980",
            StatusCode::UNPROCESSABLE_ENTITY,
            "date of birth",
        ),
        (
            "code=C-NEW&name=X&co_therapist=00000000-0000-0000-0000-000000000000",
            StatusCode::UNPROCESSABLE_ENTITY,
            "co-therapist",
        ),
    ] {
        let r = c.post(Some(&c.ana), "/clients", form, true).await;
        assert_eq!(r.status(), status, "{form}");
        assert!(text(r).await.contains(says), "{form}");
    }
    let form = format!(
        "code=c-new&name=Robin+Vale&contact=robin%40example.org&date_of_birth=1980-12-31&co_therapist={}",
        c.ben.id
    );
    let r = c.post(Some(&c.ana), "/clients", &form, true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r).unwrap();
    let id: uuid::Uuid = to.trim_start_matches("/clients/").parse().unwrap();
    let team = c.store().care_team(id).await.unwrap().unwrap();
    assert_eq!(
        (team.code.as_str(), team.lead_therapist, team.co_therapist),
        ("C-NEW", c.ana.id, Some(c.ben.id))
    );
    // The co-therapist is on the care team; an admin cannot enrol anyone.
    assert_eq!(c.get(Some(&c.ben), &to).await.status(), StatusCode::OK);
    assert_eq!(
        c.post(Some(&c.admin), "/clients", "code=C-ADM&name=X", true)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let courses = format!("{to}/courses");
    for form in [
        "modality=lsd&protocol=custom&started_on=2026-12-01",
        "modality=psilocybin&protocol=nope&started_on=2026-12-01",
        "modality=ketamine_im&protocol=ketamine_series&doses=40&started_on=2026-12-01",
        "modality=psilocybin&protocol=psilocybin_single&started_on=soon",
    ] {
        assert_eq!(
            c.post(Some(&c.ana), &courses, form, true).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{form}"
        );
    }
    let actor = Actor::system("t");
    assert!(
        c.store().courses(&actor, id).await.unwrap().is_empty(),
        "nothing half-made"
    );
    let r = c
        .post(
            Some(&c.ana),
            &courses,
            "modality=psilocybin&protocol=psilocybin_single&started_on=2026-12-01",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let course = c.store().courses(&actor, id).await.unwrap().pop().unwrap();
    let sessions = c.store().sessions(&actor, course.id).await.unwrap();
    assert!(sessions.iter().any(|s| s.kind == "medicine"));
    assert!(sessions.iter().filter(|s| s.kind == "preparation").count() >= 2);
    // Ben (co-therapist) may also start one; Sam (supervising Ana, not on the team) may not.
    let r = c
        .post(
            Some(&c.sam),
            &courses,
            "modality=psilocybin&protocol=psilocybin_single&started_on=2026-12-01",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
