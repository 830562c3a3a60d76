//! Output types: newtypes over domain rows, exposing only what clients may see (never password
//! hashes, failed-login counters or token hashes).

use super::loaders::{PortalUserRoles, RolePermissions, UserRoles};
use crate::entities::enums::{RoleAudience, UserStatus as StoredUserStatus};
use crate::entities::{permissions, portal_users, roles, users};
use crate::service::password_reset::IssuedReset;
use crate::service::sessions::IssuedTokens;
use crate::service::tokens::PrincipalKind as TokenPrincipalKind;
use async_graphql::{Context, ID, Object};
use leora_tenancy::Principal;
use leora_tenancy::entities::tenants::TenantStatus as StoredTenantStatus;
use leora_tenancy::graphql::Instant;
use leora_tenancy::graphql::{ApiResult, Permission as Perm, ResolverError, Session};
use leora_tenancy::mirror_enum;

mirror_enum!(UserStatus <=> StoredUserStatus { Active, Invited, Disabled });
mirror_enum!(
    /// Who a role or permission is for: the distributor's staff or its customers' portal users.
    Audience <=> RoleAudience { Internal, Portal }
);
mirror_enum!(PrincipalKind <=> TokenPrincipalKind { User, PortalUser });
mirror_enum!(
    /// A suspended or cancelled distributor is shut out: no one signs in to it.
    TenantStatus <=> StoredTenantStatus { Active, Suspended, Cancelled }
);

/// Tokens from `login`, `portalLogin` and `refreshSession`.
pub struct AuthPayload(pub IssuedTokens);

#[Object]
impl AuthPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    async fn access_token(&self) -> &str {
        &self.0.access_token
    }

    /// Single use: exchange it with `refreshSession` for a new pair before it expires.
    async fn refresh_token(&self) -> &str {
        &self.0.refresh_token
    }

    /// When the access token expires.
    async fn expires_at(&self) -> Instant {
        self.0.expires_at.into()
    }

    async fn token_type(&self) -> &'static str {
        "Bearer"
    }
}

/// A password-reset token from `issuePasswordReset` (for a member of staff) or
/// `issuePortalPasswordReset` (for a portal user), to hand to its account's owner, who sets a
/// password with `resetPassword(token, newPassword)`. Shown only now: Leora keeps only its hash.
pub struct PasswordReset(pub IssuedReset);

#[Object]
impl PasswordReset {
    /// Single use, until `expiresAt`; issuing another one for the same account replaces it.
    async fn token(&self) -> &str {
        &self.0.token
    }

    async fn expires_at(&self) -> Instant {
        self.0.expires_at.into()
    }
}

/// A member of the distributor's staff, wherever the API refers to one (`users`, `me.user`, an
/// activity's rep, a task's assignee). Colleagues see the name and email; the account's details
/// (status, manager, roles, sign-in times) only the user themself and holders of `users.manage`.
pub struct User(pub users::Model);

impl User {
    fn details_visible(&self, ctx: &Context<'_>) -> ApiResult<()> {
        let session = Session::of(ctx)?;
        let own = session.context().principal() == Principal::User { user_id: self.0.id };
        if own || session.can(Perm::UsersManage) {
            Ok(())
        } else {
            Err(ResolverError::forbidden(
                "a colleague's account details require the users.manage permission",
            ))
        }
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// The user themself and holders of `users.manage` only.
    async fn status(&self, ctx: &Context<'_>) -> ApiResult<Option<UserStatus>> {
        self.details_visible(ctx)?;
        Ok(Some(self.0.status.into()))
    }

    /// The user themself and holders of `users.manage` only.
    async fn manager_id(&self, ctx: &Context<'_>) -> ApiResult<Option<ID>> {
        self.details_visible(ctx)?;
        Ok(self.0.manager_id.map(|id| ID(id.to_string())))
    }

    /// The user themself and holders of `users.manage` only.
    async fn last_login_at(&self, ctx: &Context<'_>) -> ApiResult<Option<Instant>> {
        self.details_visible(ctx)?;
        Ok(self.0.last_login_at.map(Instant))
    }

    /// The user themself and holders of `users.manage` only.
    async fn created_at(&self, ctx: &Context<'_>) -> ApiResult<Option<Instant>> {
        self.details_visible(ctx)?;
        Ok(Some(self.0.created_at.into()))
    }

    /// Names of the user's roles. The user themself and holders of `users.manage` only.
    async fn roles(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<String>>> {
        self.details_visible(ctx)?;
        let loader = Session::of(ctx)?.loader(UserRoles);
        Ok(Some(loader.load_one(self.0.id).await?.unwrap_or_default()))
    }
}

pub struct PortalUser(pub portal_users::Model);

#[Object]
impl PortalUser {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn customer_id(&self) -> ID {
        ID(self.0.customer_id.to_string())
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    async fn status(&self) -> UserStatus {
        self.0.status.into()
    }

    async fn last_login_at(&self) -> Option<Instant> {
        self.0.last_login_at.map(Instant)
    }

    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }

    async fn roles(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        let loader = Session::of(ctx)?.loader(PortalUserRoles);
        Ok(loader.load_one(self.0.id).await?.unwrap_or_default())
    }
}

pub struct Role(pub roles::Model);

#[Object]
impl Role {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn description(&self) -> &str {
        &self.0.description
    }

    async fn audience(&self) -> Audience {
        self.0.audience.into()
    }

    /// System roles are shared by every tenant and cannot be changed.
    async fn is_system(&self) -> bool {
        self.0.is_system
    }

    /// Keys of the permissions the role grants.
    async fn permissions(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        let loader = Session::of(ctx)?.loader(RolePermissions);
        Ok(loader.load_one(self.0.id).await?.unwrap_or_default())
    }
}

pub struct Permission(pub permissions::Model);

#[Object]
impl Permission {
    async fn key(&self) -> &str {
        &self.0.key
    }

    async fn description(&self) -> &str {
        &self.0.description
    }

    async fn audience(&self) -> Audience {
        self.0.audience.into()
    }
}

pub struct Tenant(pub leora_tenancy::entities::tenants::Model);

#[Object]
impl Tenant {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn slug(&self) -> &str {
        &self.0.slug
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn status(&self) -> TenantStatus {
        self.0.status.into()
    }
}
