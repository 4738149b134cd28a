//! Taking on a client and starting a course through the router.

use attune_store::SessionKind;
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
    assert!(sessions.iter().any(|s| s.kind == SessionKind::Medicine));
    assert!(
        sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Preparation)
            .count()
            >= 2
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intake_is_recorded_as_versions_and_drives_the_flags() {
    let c = clinic().await;
    let path = format!("/clients/{}/intake", c.ana_client);
    assert_eq!(c.get(Some(&c.ana), &path).await.status(), StatusCode::OK);
    assert_eq!(
        c.get(Some(&c.sam), &path).await.status(),
        StatusCode::NOT_FOUND,
        "supervisors read, not write"
    );
    let bad = c
        .post(Some(&c.ana), &path, "concerns=x&sud=extreme", true)
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(bad).await.contains("substance use disorder"));
    let actor = Actor::system("t");
    assert!(
        c.store()
            .intakes(&actor, c.ana_client)
            .await
            .unwrap()
            .is_empty()
    );
    let form = "concerns=Low+mood&goals=Reconnect&medications=Lithium%2C+600+mg%0Asertraline&cardiac_disease=on";
    let r = c.post(Some(&c.ana), &path, form, true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let saved = c.store().intakes(&actor, c.ana_client).await.unwrap();
    let r1 = &saved[0].record;
    assert_eq!(r1.medications[0].class, "lithium");
    assert_eq!(r1.medications[0].dose.as_deref(), Some("600 mg"));
    assert_eq!(r1.medications[1].class, "ssri");
    assert!(r1.cardiac_disease && !r1.pregnant);
    c.post(Some(&c.ana), &path, "concerns=Low+mood,+better", true)
        .await;
    let saved = c.store().intakes(&actor, c.ana_client).await.unwrap();
    assert_eq!(saved.len(), 2, "a new version; the first stays");
    let page = text(c.get(Some(&c.ana), &path).await).await;
    assert!(page.contains("Low mood, better"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_care_team_corrects_a_clients_details() {
    let c = crate::harness::clinic().await;
    let path = format!("/clients/{}/details", c.ana_client);
    let form = crate::harness::text(c.get(Some(&c.ana), &path).await).await;
    assert!(form.contains("identifying details"));
    for who in [&c.ben, &c.sam] {
        assert_eq!(
            c.get(Some(who), &path).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        c.get(Some(&c.rita), &path).await.status(),
        StatusCode::FORBIDDEN
    );
    let bad = c
        .post(Some(&c.ana), &path, "name=&contact=x&date_of_birth=", true)
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crate::harness::text(bad).await.contains("name"));
    let bad = c
        .post(
            Some(&c.ana),
            &path,
            "name=Ada&date_of_birth=02/04/1990",
            true,
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(
            Some(&c.ana),
            &path,
            "name=Ada+%3Cscript%3Ealert(1)%3C%2Fscript%3E&contact=ada%40example.invalid&date_of_birth=1990-04-02",
            true,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = crate::harness::text(
        c.get(Some(&c.ana), &format!("/clients/{}", c.ana_client))
            .await,
    )
    .await;
    assert!(page.contains("Ada &lt;script&gt;") || page.contains("Ada &#60;script&#62;"));
    assert!(!page.contains("<script>alert(1)"));
    let r = c.post(Some(&c.ben), &path, "name=Mallory", true).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
