//! RBAC guards, used as `#[graphql(guard = "RequirePermission(Permission::OrdersView)")]` (combine
//! with `.or(…)` where internal and portal users reach the same field). The guard, not the
//! resolver body, is where authorization lives.

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
            Err(
                ResolverError::forbidden(&format!("requires the {} permission", self.0.key()))
                    .into(),
            )
        }
    }
}

/// Any signed-in principal (for `me`, `logout`).
pub struct RequireAuthenticated;

impl Guard for RequireAuthenticated {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        Session::of(ctx).map(|_| ()).map_err(Into::into)
    }
}
