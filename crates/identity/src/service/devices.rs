//! A signed-in principal's own sessions: one per device or browser it signed in from (a session
//! family, which refreshing keeps), listed and ended by the principal itself.

use chrono::Utc;
use leora_tenancy::{Principal, Refusal, TenantTx};
use uuid::Uuid;

pub use super::session_store::SessionFamily;
use super::session_store::{live_families, revoke_family};
use super::tokens::PrincipalKind;
use crate::error::IdentityError;

/// The most sessions [`my_sessions`] lists.
pub const MAX_LISTED_SESSIONS: u64 = 100;

fn principal(tx: &TenantTx) -> Result<(PrincipalKind, Uuid), IdentityError> {
    match tx.context().principal() {
        Principal::User { user_id } => Ok((PrincipalKind::User, user_id)),
        Principal::PortalUser { portal_user_id, .. } => {
            Ok((PrincipalKind::PortalUser, portal_user_id))
        }
        Principal::System | Principal::Anonymous => Err(IdentityError::Forbidden {
            reason: "only a signed-in person has sessions".to_owned(),
        }),
    }
}

/// The principal's live sessions, the most recently refreshed first.
pub async fn my_sessions(tx: &TenantTx) -> Result<Vec<SessionFamily>, IdentityError> {
    let (kind, id) = principal(tx)?;
    Ok(live_families(tx, kind, id, Utc::now(), MAX_LISTED_SESSIONS).await?)
}

/// Ends one of the principal's sessions (signing that device out; its refresh token stops
/// working and its access token is refused at once). One that is not the principal's, or is
/// already over → `NotFound`.
pub async fn revoke_session(tx: &TenantTx, family_id: Uuid) -> Result<(), IdentityError> {
    let (kind, id) = principal(tx)?;
    let ended = revoke_family(tx, kind, id, family_id, Utc::now()).await?;
    if ended == 0 {
        return Err(Refusal::NotFound { entity: "session" }.into());
    }
    Ok(())
}
