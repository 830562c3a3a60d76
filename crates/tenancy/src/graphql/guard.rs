//! RBAC guards, used as `#[graphql(guard = "RequirePermission(Permission::OrdersView)")]`, or
//! `StaffOrPortal(…, …)` where internal and portal users reach the same field, each with a
//! permission of their own audience. The guard, not the resolver body, is where authorization
//! lives. A portal operation that belongs to one of the portal's features adds
//! `.and(PortalFeature(Feature::…))`, which refuses it to portal users while the tenant has the
//! feature turned off.

use super::error::ResolverError;
use super::permission::Permission;
use super::scope::Access;
use crate::portal::Feature;
use async_graphql::{Context, Guard, Result};

pub struct RequirePermission(pub Permission);

impl Guard for RequirePermission {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let session = Access::of(ctx)?;
        if session.can(self.0) {
            Ok(())
        } else {
            Err(missing(self.0))
        }
    }
}

/// A field internal users reach with the first permission and portal users with the second.
pub struct StaffOrPortal(pub Permission, pub Permission);

impl Guard for StaffOrPortal {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let session = Access::of(ctx)?;
        if session.can(self.0) || session.can(self.1) {
            Ok(())
        } else {
            Err(missing(self.1))
        }
    }
}

fn missing(permission: Permission) -> async_graphql::Error {
    ResolverError::forbidden(&format!("requires the {} permission", permission.key())).into()
}

/// Any signed-in principal (for `me`, `logout`).
pub struct RequireAuthenticated;

impl Guard for RequireAuthenticated {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        Access::of(ctx).map(|_| ()).map_err(Into::into)
    }
}

/// Any member of the distributor's staff, whatever their roles: for what every internal user may
/// read and no portal user (the tenant's thresholds and limits).
pub struct RequireStaff;

impl Guard for RequireStaff {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let session = Access::of(ctx)?;
        if session.context().user_id().is_some() {
            Ok(())
        } else {
            Err(ResolverError::forbidden("staff only").into())
        }
    }
}

/// Refuses a portal user the operations of a portal feature the tenant turned off
/// (`tenant_settings.portal_features`); staff pass whatever the switch says. Combined with the
/// field's permission guard (`StaffOrPortal(…).and(PortalFeature(Feature::Cart))`), so every
/// operation of a feature is switched in this one place.
pub struct PortalFeature(pub Feature);

impl Guard for PortalFeature {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let session = Access::of(ctx)?;
        if session.context().customer_id().is_none()
            || session.portal_features().await?.allows(self.0)
        {
            Ok(())
        } else {
            Err(ResolverError::forbidden(&format!(
                "the portal's {} feature is turned off for this distributor",
                self.0.key()
            ))
            .into())
        }
    }
}
