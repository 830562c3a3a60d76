//! What a request acts as, available to every resolver through the request data.

use super::error::{ApiResult, ResolverError};
use super::live::Subscriber;
use super::loader::{BatchLoad, Batcher, Batching, Loaders};
use super::permission::{Permission, PermissionSet};
use crate::context::TenantContext;
use crate::portal::{self, PortalFeatures};
use crate::tenant_tx::TenantTx;
use async_graphql::Context;
use std::sync::Arc;
use uuid::Uuid;

/// Inserted into every GraphQL request by the gateway (as `Arc<RequestScope>`: a batch of
/// operations in one HTTP request shares it, and its transaction).
pub enum RequestScope {
    /// No access token: only the sign-in mutations are reachable. (A token that cannot be used
    /// never reaches execution: the gateway refuses the request.)
    Anonymous,
    Authenticated(Session),
    /// A subscription over a signed-in WebSocket connection, between events: who subscribes,
    /// without a transaction (each event brings a [`Session`] of its own).
    Subscribed(Subscriber),
}

/// An authenticated request: its tenant and principal, what it may do, and the one transaction
/// all of its resolvers share (committed by the gateway when the request succeeds).
pub struct Session {
    session_id: Uuid,
    roles: Vec<String>,
    permissions: PermissionSet,
    tx: Arc<TenantTx>,
    loaders: Loaders,
    /// Read on first use: a request's every portal operation asks its guard (`PortalFeature`).
    portal_features: std::sync::OnceLock<PortalFeatures>,
}

impl Session {
    pub fn new(
        session_id: Uuid,
        roles: Vec<String>,
        permissions: PermissionSet,
        tx: Arc<TenantTx>,
    ) -> Self {
        Self {
            session_id,
            roles,
            permissions,
            tx,
            loaders: Loaders::default(),
            portal_features: std::sync::OnceLock::new(),
        }
    }

    /// The session with the tenant's portal features already known (the gateway reads them with
    /// the principal), so that checking them costs the request nothing.
    pub fn with_portal_features(self, features: PortalFeatures) -> Self {
        // A fresh session's cell is empty; setting it cannot fail.
        let _ = self.portal_features.set(features);
        self
    }

    /// The request's session, or `UNAUTHENTICATED`.
    pub fn of<'a>(ctx: &Context<'a>) -> ApiResult<&'a Session> {
        match ctx.data::<Arc<RequestScope>>().map(AsRef::as_ref) {
            Ok(RequestScope::Authenticated(session)) => Ok(session),
            Ok(RequestScope::Anonymous) => Err(ResolverError::unauthenticated()),
            Ok(RequestScope::Subscribed(_)) => {
                tracing::error!("a subscription root read the request's session: it has none");
                Err(ResolverError::internal())
            }
            Err(_) => {
                tracing::error!("request scope missing from the GraphQL request data");
                Err(ResolverError::internal())
            }
        }
    }

    pub fn context(&self) -> &TenantContext {
        self.tx.context()
    }

    pub fn tenant_id(&self) -> Uuid {
        self.tx.tenant_id()
    }

    /// The session family the access token belongs to.
    pub fn session_id(&self) -> Uuid {
        self.session_id
    }

    pub fn roles(&self) -> &[String] {
        &self.roles
    }

    pub fn permissions(&self) -> &PermissionSet {
        &self.permissions
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(permission)
    }

    pub fn tx(&self) -> &TenantTx {
        &self.tx
    }

    /// The tenant's portal features: as the session was given them, else read once in its
    /// transaction. A request sees one answer however many of its operations ask, and a change is
    /// seen from the next request on.
    pub async fn portal_features(&self) -> ApiResult<PortalFeatures> {
        if let Some(features) = self.portal_features.get() {
            return Ok(*features);
        }
        // Fields resolved at once may both read; they read the same row in the same transaction,
        // so whichever is kept is the same answer.
        let loaded = portal::load(self.tx(), self.tenant_id()).await?;
        Ok(*self.portal_features.get_or_init(|| loaded))
    }

    /// The gateway's handle on the transaction, to commit or roll it back after the request.
    pub fn shared_tx(&self) -> Arc<TenantTx> {
        Arc::clone(&self.tx)
    }

    /// The batching of this request's loaders: the gateway runs the execution under
    /// [`Batching::run`], which closes a batch once every field that can ask for a key has.
    pub fn batching(&self) -> Batching {
        self.loaders.batching().clone()
    }

    /// This request's `L` loader, created on first use around this request's transaction.
    pub fn loader<K, L>(&self, make: impl FnOnce(Arc<TenantTx>) -> L) -> Arc<Batcher<K, L>>
    where
        K: Clone + Eq + std::hash::Hash + Send + Sync + 'static,
        L: BatchLoad<K>,
    {
        self.loaders.get_or_create(&self.tx, make)
    }
}

/// Who a guard is asked about: a request's session, or a subscriber as a subscription starts.
pub(super) enum Access<'a> {
    Session(&'a Session),
    Subscriber(&'a Subscriber),
}

impl<'a> Access<'a> {
    pub(super) fn of(ctx: &Context<'a>) -> ApiResult<Self> {
        match ctx.data::<Arc<RequestScope>>().map(AsRef::as_ref) {
            Ok(RequestScope::Subscribed(subscriber)) => Ok(Self::Subscriber(subscriber)),
            _ => Session::of(ctx).map(Self::Session),
        }
    }

    pub(super) fn can(&self, permission: Permission) -> bool {
        match self {
            Self::Session(session) => session.can(permission),
            Self::Subscriber(subscriber) => subscriber.permissions().contains(permission),
        }
    }

    pub(super) fn context(&self) -> &TenantContext {
        match self {
            Self::Session(session) => session.context(),
            Self::Subscriber(subscriber) => subscriber.context(),
        }
    }

    pub(super) async fn portal_features(&self) -> ApiResult<PortalFeatures> {
        match self {
            Self::Session(session) => session.portal_features().await,
            Self::Subscriber(subscriber) => Ok(subscriber.portal_features()),
        }
    }
}
