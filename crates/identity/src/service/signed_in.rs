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
    pub kind: PrincipalKind,
    pub account_id: Uuid,
    pub email: String,
    pub full_name: String,
    /// The portal user's customer; `None` for staff.
    pub customer_id: Option<Uuid>,
}

/// The tenant and account `ctx` acts as; `None` when it is no user or portal user, or its tenant
/// or account no longer exists.
pub async fn signed_in(tx: &TenantTx) -> Result<Option<SignedIn>, IdentityError> {
    let ctx = tx.context();
    let Some(tenant) = tenants::Entity::find_by_id(ctx.tenant_id()).one(tx).await? else {
        return Ok(None);
    };
    let (kind, account, customer_id) = match ctx.principal() {
        Principal::User { user_id } => {
            let user = users::Entity::find_by_id(user_id).one(tx).await?;
            let account = user.map(|user| (user.id, user.email, user.full_name));
            (PrincipalKind::User, account, None)
        }
        Principal::PortalUser {
            portal_user_id,
            customer_id,
        } => {
            let user = portal_users::Entity::find_by_id(portal_user_id)
                .one(tx)
                .await?;
            let account = user.map(|user| (user.id, user.email, user.full_name));
            (PrincipalKind::PortalUser, account, Some(customer_id))
        }
        Principal::Anonymous | Principal::System => return Ok(None),
    };
    Ok(account.map(|(account_id, email, full_name)| SignedIn {
        tenant,
        kind,
        account_id,
        email,
        full_name,
        customer_id,
    }))
}
