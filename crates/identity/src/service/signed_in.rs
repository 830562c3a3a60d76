//! Who a signed-in request acts as: its tenant and account, as `me` shows them.

use leora_tenancy::Principal;
use leora_tenancy::TenantTx;
use leora_tenancy::entities::tenants;
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::tokens::PrincipalKind;
use crate::entities::{portal_users, users};
use crate::error::IdentityError;

#[derive(Debug, Clone)]
pub struct SignedIn {
    pub tenant: tenants::Model,
    pub account: Account,
}

/// The signed-in person: a member of the distributor's staff or a customer's portal user.
#[derive(Debug, Clone)]
pub enum Account {
    User(users::Model),
    PortalUser(portal_users::Model),
}

impl Account {
    pub fn kind(&self) -> PrincipalKind {
        match self {
            Self::User(_) => PrincipalKind::User,
            Self::PortalUser(_) => PrincipalKind::PortalUser,
        }
    }

    /// The portal user's customer; `None` for staff.
    pub fn customer_id(&self) -> Option<Uuid> {
        match self {
            Self::User(_) => None,
            Self::PortalUser(user) => Some(user.customer_id),
        }
    }
}

/// The tenant and account `ctx` acts as; `None` when it is no user or portal user, or its tenant
/// or account no longer exists.
pub async fn signed_in(tx: &TenantTx) -> Result<Option<SignedIn>, IdentityError> {
    let ctx = tx.context();
    let Some(tenant) = tenants::Entity::find_by_id(ctx.tenant_id()).one(tx).await? else {
        return Ok(None);
    };
    let account = match ctx.principal() {
        Principal::User { user_id } => users::Entity::find_by_id(user_id)
            .one(tx)
            .await?
            .map(Account::User),
        Principal::PortalUser { portal_user_id, .. } => {
            portal_users::Entity::find_by_id(portal_user_id)
                .one(tx)
                .await?
                .map(Account::PortalUser)
        }
        Principal::Anonymous | Principal::System => return Ok(None),
    };
    Ok(account.map(|account| SignedIn { tenant, account }))
}
