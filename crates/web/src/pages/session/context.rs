//! The session behind a session page, loaded with the access check every
//! handler of these pages starts with.

use attune_store::Session;
use uuid::Uuid;

use crate::access::{self, Need};
use crate::app::{Shared, Stores};
use crate::auth::session::Staff;
use crate::http::error::AppError;

/// A session the staff member may see, with whose it is.
pub(crate) struct Context {
    pub(crate) client: Uuid,
    /// The client's pseudonymous code.
    pub(crate) code: String,
    pub(crate) session: Session,
    /// May also change it (not only read it).
    pub(crate) can_write: bool,
}

/// The session `id`, if the staff member may `need` it; "not found" for a
/// session that is not theirs, as for one that does not exist.
pub(crate) async fn context<S: Stores>(
    app: &Shared<S>,
    staff: &Staff,
    id: Uuid,
    need: Need,
) -> Result<Context, AppError> {
    let not_found = || AppError::NotFound("session".into());
    let (client, course) = app.store.session_owner(id).await?.ok_or_else(not_found)?;
    let team = access::client(app, staff, client, need)
        .await
        .map_err(|_| not_found())?;
    let can_write = need == Need::Write
        || access::client(app, staff, client, Need::Write)
            .await
            .is_ok();
    let session = app
        .store
        .sessions(&staff.actor(), course)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(not_found)?;
    Ok(Context {
        client,
        code: team.code,
        session,
        can_write,
    })
}
