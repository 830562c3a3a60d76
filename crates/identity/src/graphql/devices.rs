//! `mySessions` and `revokeSession`: where you are signed in, and signing a device out.

use crate::service::devices::{self, SessionFamily};
use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::ids::parse_id;
use leora_tenancy::graphql::{ApiResult, Instant, RequireAuthenticated, Session};

/// A device or browser you are signed in from.
pub struct SignedInSession {
    family: SessionFamily,
    current: bool,
}

#[Object]
impl SignedInSession {
    async fn id(&self) -> ID {
        ID(self.family.id.to_string())
    }
    /// Whether this is the session the request came with.
    async fn current(&self) -> bool {
        self.current
    }
    async fn signed_in_at(&self) -> Instant {
        self.family.signed_in_at.into()
    }
    async fn last_refreshed_at(&self) -> Instant {
        self.family.last_refreshed_at.into()
    }
    async fn expires_at(&self) -> Instant {
        self.family.expires_at.into()
    }
    async fn user_agent(&self) -> Option<&str> {
        self.family.user_agent.as_deref()
    }
    async fn ip_address(&self) -> Option<&str> {
        self.family.ip_address.as_deref()
    }
}

#[derive(Default)]
pub struct DevicesQuery;

#[Object]
impl DevicesQuery {
    /// Your live sessions (at most 100), the most recently refreshed first.
    #[graphql(guard = "RequireAuthenticated")]
    async fn my_sessions(&self, ctx: &Context<'_>) -> ApiResult<Vec<SignedInSession>> {
        let session = Session::of(ctx)?;
        let current = session.session_id();
        Ok(devices::my_sessions(session.tx())
            .await?
            .into_iter()
            .map(|family| SignedInSession {
                current: family.id == current,
                family,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct DevicesMutation;

#[Object]
impl DevicesMutation {
    /// Sign one of your sessions out (`NOT_FOUND` if it is not yours or already over).
    #[graphql(guard = "RequireAuthenticated")]
    async fn revoke_session(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let session = Session::of(ctx)?;
        devices::revoke_session(session.tx(), parse_id("id", &id)?).await?;
        Ok(true)
    }
}
