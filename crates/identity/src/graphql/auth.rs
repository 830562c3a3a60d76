//! Sign-in and sessions. Login and refresh run in their own tenant transaction (the tenant comes
//! from the input or the refresh token, not from a session), and commit even when they fail with
//! an error that recorded something: a failed-login count, a lockout, a revoked token family.

use super::types::{AuthPayload, PortalUser, PrincipalKind, Tenant, User};
use crate::error::IdentityError;
use crate::service::demo::{DEMO_PORTAL_EMAIL, provision_demo_portal_user};
use crate::service::password_change::{PasswordChange, change_password};
use crate::service::password_reset;
use crate::service::passwords;
use crate::service::sessions::{self, AuthPolicy, ClientInfo};
use crate::service::sign_in_failures::FailedSignIns;
use crate::service::sign_in_limit::SignInLimiter;
use crate::service::signed_in::{Account, signed_in};
use crate::service::tokens::PrincipalKind as Signing;
use crate::service::tokens::{AccessClaims, JwtKeys};
use crate::service::with_tenant_committing;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use leora_tenancy::graphql::{ApiResult, RequireAuthenticated, ResolverError, Session};
use leora_tenancy::{TenancyError, TenantContext, TenantDb};
use std::time::Instant;
use uuid::Uuid;

/// Sign-in configuration, inserted into every request by the gateway.
pub struct AuthSettings {
    pub keys: JwtKeys,
    pub policy: AuthPolicy,
    pub default_tenant_slug: String,
    /// Development only: `portalLogin` as the demo buyer with this password provisions it.
    pub demo_portal_password: Option<String>,
    pub production: bool,
    /// Sign-in attempts per client address, shared by `login` and `portalLogin`.
    pub sign_in_limit: SignInLimiter,
    /// Wrong passwords per account and client address.
    pub failed_sign_ins: FailedSignIns,
}

/// The `X-Tenant-Slug` header, if the request sent one.
#[derive(Clone)]
pub struct TenantHint(pub Option<String>);

#[derive(InputObject)]
pub struct LoginInput {
    /// The distributor to sign in to; defaults to the `X-Tenant-Slug` header, then the server's
    /// default tenant.
    pub tenant_slug: Option<String>,
    pub email: String,
    pub password: String,
}

impl LoginInput {
    fn attempt(&self, kind: Signing, tenant_id: Uuid) -> sessions::Attempt<'_> {
        sessions::Attempt {
            kind,
            tenant_id,
            email: &self.email,
            password: &self.password,
        }
    }
}

fn settings<'a>(ctx: &Context<'a>) -> ApiResult<&'a AuthSettings> {
    ctx.data::<std::sync::Arc<AuthSettings>>()
        .map(AsRef::as_ref)
        .map_err(|_| ResolverError::internal())
}

fn tenant_db<'a>(ctx: &Context<'a>) -> ApiResult<&'a TenantDb> {
    ctx.data::<TenantDb>()
        .map_err(|_| ResolverError::internal())
}

fn client_info(ctx: &Context<'_>) -> ClientInfo {
    ctx.data::<ClientInfo>().cloned().unwrap_or_default()
}

/// Counts a sign-in attempt against the client's address; refused before any account is read.
fn admit_sign_in(settings: &AuthSettings, client: &ClientInfo) -> ApiResult<()> {
    settings
        .sign_in_limit
        .admit(client.ip_address, Instant::now())
        .map_err(|wait| {
            IdentityError::RateLimited {
                retry_after_secs: (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1),
            }
            .into()
        })
}

/// The tenant named by the input, else the header, else the default; an unknown tenant fails
/// like a wrong password, answer and time alike, so sign-in does not reveal which distributors
/// exist.
async fn login_tenant(
    ctx: &Context<'_>,
    requested: Option<&str>,
    password: &str,
) -> ApiResult<(Uuid, String)> {
    let settings = settings(ctx)?;
    let hint = ctx
        .data::<TenantHint>()
        .ok()
        .and_then(|hint| hint.0.as_deref());
    let slug = requested
        .or(hint)
        .unwrap_or(&settings.default_tenant_slug)
        .to_owned();
    match tenant_db(ctx)?.tenant_id_for_slug(&slug).await {
        Ok(id) => Ok((id, slug)),
        Err(TenancyError::TenantNotFound { .. }) => {
            passwords::burn_verification_time(password).await?;
            Err(IdentityError::InvalidCredentials.into())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The signed-in principal.
    #[graphql(guard = "RequireAuthenticated")]
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<Me> {
        let session = Session::of(ctx)?;
        let signed_in = signed_in(session.tx())
            .await?
            .ok_or_else(ResolverError::unauthenticated)?;
        Ok(Me {
            tenant: Tenant(signed_in.tenant),
            account: signed_in.account,
            roles: session.roles().to_vec(),
            permissions: session
                .permissions()
                .keys()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
    }
}

/// The signed-in session: whom it acts as, in which tenant, with which roles and permissions. The
/// person is `user` (staff) or `portalUser`, the same types (and cache entries) every other field
/// returns for them; `Me` itself is a singleton without an id.
pub struct Me {
    tenant: Tenant,
    account: Account,
    roles: Vec<String>,
    permissions: Vec<String>,
}

#[Object]
impl Me {
    async fn kind(&self) -> PrincipalKind {
        self.account.kind().into()
    }

    /// The staff member signed in; null for portal users.
    async fn user(&self) -> Option<User> {
        match &self.account {
            Account::User(user) => Some(User(user.clone())),
            Account::PortalUser(_) => None,
        }
    }

    /// The portal user signed in; null for staff.
    async fn portal_user(&self) -> Option<PortalUser> {
        match &self.account {
            Account::User(_) => None,
            Account::PortalUser(user) => Some(PortalUser(user.clone())),
        }
    }

    /// The customer a portal user belongs to; null for internal users.
    async fn customer_id(&self) -> Option<ID> {
        self.account.customer_id().map(|id| ID(id.to_string()))
    }

    async fn tenant(&self) -> &Tenant {
        &self.tenant
    }

    async fn roles(&self) -> &[String] {
        &self.roles
    }

    async fn permissions(&self) -> &[String] {
        &self.permissions
    }
}

/// `login` and `portalLogin`: counted against the client's address, in the tenant the input (or
/// the header, or the default) names. In development the demo portal user is provisioned on the
/// fly by its configured password, in a transaction before the sign-in's own.
async fn sign_in(ctx: &Context<'_>, input: &LoginInput, kind: Signing) -> ApiResult<AuthPayload> {
    let settings = settings(ctx)?;
    let client = client_info(ctx);
    admit_sign_in(settings, &client)?;
    let (tenant, slug) = login_tenant(ctx, input.tenant_slug.as_deref(), &input.password).await?;
    let db = tenant_db(ctx)?;
    let provision_demo = settings.demo_portal_password.as_deref().filter(|password| {
        kind == Signing::PortalUser
            && slug == settings.default_tenant_slug
            && input.email.eq_ignore_ascii_case(DEMO_PORTAL_EMAIL)
            && input.password == *password
    });
    if let Some(password) = provision_demo {
        with_tenant_committing(db, &TenantContext::anonymous(tenant), async |tx| {
            provision_demo_portal_user(tx, password, settings.production).await
        })
        .await?;
    }
    let tokens = sessions::sign_in(
        db,
        &settings.keys,
        &settings.policy,
        input.attempt(kind, tenant),
        &client,
        &settings.failed_sign_ins,
        Utc::now(),
    )
    .await?;
    Ok(AuthPayload(tokens))
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Sign in a distributor's staff member.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> ApiResult<AuthPayload> {
        sign_in(ctx, &input, Signing::User).await
    }

    /// Sign in a customer's portal user.
    async fn portal_login(&self, ctx: &Context<'_>, input: LoginInput) -> ApiResult<AuthPayload> {
        sign_in(ctx, &input, Signing::PortalUser).await
    }

    /// Exchange a refresh token for a new pair; the old refresh token stops working, and using it
    /// again revokes the whole session.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> ApiResult<AuthPayload> {
        let settings = settings(ctx)?;
        let tenant = sessions::refresh_token_tenant(&refresh_token)?;
        let client = client_info(ctx);
        let tokens = with_tenant_committing(
            tenant_db(ctx)?,
            &TenantContext::anonymous(tenant),
            async |tx| {
                sessions::refresh(
                    tx,
                    &settings.keys,
                    &settings.policy,
                    &refresh_token,
                    &client,
                    Utc::now(),
                )
                .await
            },
        )
        .await?;
        Ok(AuthPayload(tokens))
    }

    /// Change your own password. `currentPassword` must be right (wrong ones count against the
    /// sign-in throttle); `newPassword` needs at least 8 characters and must differ. Every other
    /// session of yours ends; this one stays signed in. Answers how many sessions were ended.
    #[graphql(guard = "RequireAuthenticated")]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> ApiResult<u64> {
        let session = Session::of(ctx)?;
        let settings = settings(ctx)?;
        let claims = ctx
            .data::<AccessClaims>()
            .map_err(|_| ResolverError::unauthenticated())?;
        let client = client_info(ctx);
        let change = PasswordChange {
            claims,
            policy: &settings.policy,
            client: &client,
            failed: &settings.failed_sign_ins,
            now: Utc::now(),
        };
        Ok(change_password(session.tx(), change, &current_password, &new_password).await?)
    }

    /// Set a password with a token from `issuePasswordReset` (or from the operator's
    /// `leora tenants create`) or from `issuePortalPasswordReset`, without signing in: the token
    /// names its tenant, and the account it was issued for, staff or portal user, is the one whose
    /// password is set. `newPassword` needs at least 8 characters. The token is used up, an invited
    /// account becomes active, a lock-out is lifted, and every session of the account ends; sign in
    /// with the new password (`login` for staff, `portalLogin` for a portal user). A token that is
    /// unknown, used or expired gets one answer, `BAD_USER_INPUT` on `token`. Answers true.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> ApiResult<bool> {
        password_reset::reset_password(tenant_db(ctx)?, &token, &new_password).await?;
        Ok(true)
    }

    /// End the current session: its access and refresh tokens stop working.
    #[graphql(guard = "RequireAuthenticated")]
    async fn logout(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let session = Session::of(ctx)?;
        let claims = ctx
            .data::<AccessClaims>()
            .map_err(|_| ResolverError::unauthenticated())?;
        sessions::logout(session.tx(), claims, Utc::now()).await?;
        Ok(true)
    }
}
