//! Who may do what. Two questions, both asked on every route:
//! the role (may this kind of user use this part of Attune at all?) and the
//! relationship (is this client on their care team, or a supervisee's?).
//! Admins manage accounts, not clinical content; researchers see only
//! de-identified cohort figures; supervisors read, but do not write, their
//! supervisees' clients.

use attune_store::Code;
use attune_store::{ClientSummary, Role, User};
use uuid::Uuid;

use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::http::error::AppError;

/// The parts of the application, as far as roles go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Caseloads, client records, alerts, portal links, "my alliances".
    Clinical,
    /// Accounts, locks, wording packs, settings.
    Admin,
    /// De-identified cohort figures.
    Cohort,
}

pub fn role_may(role: Role, area: Area) -> bool {
    matches!(
        (role, area),
        (Role::Therapist | Role::Supervisor, Area::Clinical)
            | (Role::Admin, Area::Admin)
            | (Role::Researcher | Role::Supervisor, Area::Cohort)
    )
}

pub fn require(staff: &Staff, area: Area) -> Result<(), AppError> {
    if role_may(staff.user.role, area) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "a {} account cannot open this part of Attune",
            staff.user.role.code()
        )))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Read,
    Write,
}

fn on_team(user: Uuid, team: &ClientSummary) -> bool {
    team.lead_therapist == user || team.co_therapist == Some(user)
}

/// The relationship rule, pure: care team reads and writes; a supervisor
/// reads the clients of the therapists they supervise.
pub fn may(user: &User, team: &ClientSummary, supervisees: &[Uuid], need: Need) -> bool {
    if !user.active || !role_may(user.role, Area::Clinical) {
        return false;
    }
    if on_team(user.id, team) {
        return true;
    }
    user.role == Role::Supervisor
        && need == Need::Read
        && supervisees.iter().any(|s| on_team(*s, team))
}

/// Loads the client's care team and checks the relationship. Unknown and
/// not-yours look the same (404), so ids cannot be probed.
pub async fn client<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    client: Uuid,
    need: Need,
) -> Result<ClientSummary, AppError> {
    require(staff, Area::Clinical)?;
    let not_found = || AppError::NotFound("client".into());
    let team = app.store.care_team(client).await?.ok_or_else(not_found)?;
    let supervisees = if staff.user.role == Role::Supervisor {
        app.store.supervisees(staff.user.id).await?
    } else {
        Vec::new()
    };
    if may(&staff.user, &team, &supervisees, need) {
        Ok(team)
    } else {
        Err(not_found())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn user(role: Role) -> User {
        User {
            id: Uuid::now_v7(),
            username: "u".into(),
            display_name: "U".into(),
            role,
            active: true,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn team(lead: Uuid, co: Option<Uuid>) -> ClientSummary {
        ClientSummary {
            id: Uuid::now_v7(),
            code: "C-1".into(),
            lead_therapist: lead,
            co_therapist: co,
        }
    }

    #[test]
    fn care_team_reads_and_writes_others_do_not() {
        let t = user(Role::Therapist);
        let other = Uuid::now_v7();
        for need in [Need::Read, Need::Write] {
            assert!(may(&t, &team(t.id, None), &[], need));
            assert!(may(&t, &team(other, Some(t.id)), &[], need));
            assert!(!may(&t, &team(other, None), &[], need));
        }
    }

    #[test]
    fn supervisors_read_their_supervisees_clients_only() {
        let s = user(Role::Supervisor);
        let supervisee = Uuid::now_v7();
        let c = team(supervisee, None);
        assert!(may(&s, &c, &[supervisee], Need::Read));
        assert!(!may(&s, &c, &[supervisee], Need::Write));
        assert!(!may(&s, &c, &[], Need::Read));
        assert!(
            may(&s, &team(s.id, None), &[], Need::Write),
            "their own caseload"
        );
    }

    #[test]
    fn admins_researchers_and_disabled_accounts_see_no_client() {
        for role in [Role::Admin, Role::Researcher] {
            let u = user(role);
            assert!(!may(&u, &team(u.id, None), &[], Need::Read));
        }
        let mut t = user(Role::Therapist);
        t.active = false;
        assert!(!may(&t, &team(t.id, None), &[], Need::Read));
    }

    #[test]
    fn role_areas() {
        assert!(role_may(Role::Admin, Area::Admin));
        assert!(!role_may(Role::Admin, Area::Clinical));
        assert!(!role_may(Role::Therapist, Area::Admin));
        assert!(!role_may(Role::Therapist, Area::Cohort));
        assert!(role_may(Role::Researcher, Area::Cohort));
        assert!(!role_may(Role::Researcher, Area::Clinical));
    }
}
