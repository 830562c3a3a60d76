//! RBAC guards, used as `#[graphql(guard = "RequirePermission(Permission::OrdersView)")]`, or
//! `StaffOrPortal(…, …)` where internal and portal users reach the same field, each with a
//! permission of their own audience. The guard, not the resolver body, is where authorization
//! lives.

use super::error::ResolverError;
use super::permission::Permission;
use super::scope::Session;
use async_graphql::{Context, Guard, Result};

pub struct RequirePermission(pub Permission);

impl Guard for RequirePermission {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let session = Session::of(ctx)?;
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
        let session = Session::of(ctx)?;
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
        Session::of(ctx).map(|_| ()).map_err(Into::into)
    }
}
