//! What a GraphQL subscription is made of, shared by the domain crates' subscription roots and the
//! gateway that serves them over WebSocket.
//!
//! A subscriber holds no transaction between events. Each server instance hears every committed
//! outbox event and notification once (the gateway's listener on PostgreSQL's `leora_events`
//! channel) and fans it out to its subscribers as a [`LiveEvent`]: ids only. A subscription that
//! wants an event opens a short transaction as its subscriber ([`LiveFeed::open`], which checks
//! the session again), reads what the event is about under row-level security, and yields it; the
//! fields of the yielded value are then resolved in that same transaction (the gateway hands it to
//! the execution through [`EventScope`]) and it is rolled back. So a subscription shows exactly
//! what the same principal's query would, at the moment of the event.

use super::error::{ApiResult, ResolverError};
use super::permission::PermissionSet;
use super::scope::Session;
use crate::context::TenantContext;
use crate::error::ErrorCode;
use crate::portal::PortalFeatures;
use crate::tenant_tx::TenantTx;
use async_graphql::Context;
use async_graphql::futures_util::StreamExt;
use async_graphql::futures_util::stream::{self, BoxStream};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::broadcast;
use uuid::Uuid;

/// The type of the events announced for a new notification (outbox events keep their own types,
/// `order.status_changed` …).
pub const NOTIFICATION: &str = "notification";

/// The type of the events announced for a webhook delivery queued or changed by an attempt.
pub const WEBHOOK_DELIVERY: &str = "webhook_delivery";

/// One announcement on `leora_events` (migration 17): which row, of which tenant, and the ids a
/// subscription filters on. Never the row's content: each subscriber reads that as itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveEvent {
    pub tenant_id: Uuid,
    /// The outbox event's, the notification's or the webhook delivery's id.
    pub id: Uuid,
    /// The outbox event type, [`NOTIFICATION`] or [`WEBHOOK_DELIVERY`].
    #[serde(rename = "type")]
    pub kind: String,
    /// When it occurred (an outbox event), was created (a notification) or last changed (a
    /// webhook delivery: the same delivery is announced at each change).
    pub at: DateTime<Utc>,
    pub order_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub sku_id: Option<Uuid>,
    /// A notification's recipient: a member of staff …
    pub user_id: Option<Uuid>,
    /// … or a portal user.
    pub portal_user_id: Option<Uuid>,
    /// A webhook delivery's webhook subscription …
    pub webhook_subscription_id: Option<Uuid>,
    /// … and outbox event.
    pub event_id: Option<Uuid>,
}

/// Where a subscription's events come from and how it reads them; the gateway implements it for
/// each WebSocket connection.
#[async_trait::async_trait]
pub trait LiveFeed: Send + Sync {
    /// Every event of every tenant from now on, through a bounded channel: a receiver that falls
    /// further behind than the bound learns how many it missed.
    fn events(&self) -> broadcast::Receiver<Arc<LiveEvent>>;

    /// A session in a fresh transaction as the subscriber, its token, session, account and
    /// tenant checked again: a subscriber who logged out, was disabled or whose tenant was
    /// suspended gets `UNAUTHENTICATED` here, and the subscription ends.
    async fn open(&self) -> ApiResult<EventSession>;
}

/// An event's session, with whatever the server holds while it runs (the tenant's turn, so that
/// a tenant's subscriptions take no more of the database than its share of it).
pub struct EventSession {
    session: Session,
    held: Box<dyn std::any::Any + Send + Sync>,
}

impl EventSession {
    pub fn new(session: Session, held: impl std::any::Any + Send + Sync) -> Self {
        Self {
            session,
            held: Box::new(held),
        }
    }

    /// The session, and what to keep until it has ended.
    pub fn into_parts(self) -> (Session, Box<dyn std::any::Any + Send + Sync>) {
        (self.session, self.held)
    }

    /// Rolls the session back, then lets go of what was held for it.
    pub async fn end(self) {
        end_event(self.session).await;
        drop(self.held);
    }
}

/// A signed-in WebSocket connection between events: who subscribes and what they may do, as
/// checked when the connection was initialised, without a transaction. Guards read it
/// ([`super::guard`]) when a subscription starts; each event's fields are resolved with a
/// [`Session`] of their own.
pub struct Subscriber {
    context: TenantContext,
    permissions: PermissionSet,
    portal_features: PortalFeatures,
    feed: Arc<dyn LiveFeed>,
}

impl Subscriber {
    pub fn new(
        context: TenantContext,
        permissions: PermissionSet,
        portal_features: PortalFeatures,
        feed: Arc<dyn LiveFeed>,
    ) -> Self {
        Self {
            context,
            permissions,
            portal_features,
            feed,
        }
    }

    pub fn context(&self) -> &TenantContext {
        &self.context
    }

    pub fn permissions(&self) -> &PermissionSet {
        &self.permissions
    }

    pub fn portal_features(&self) -> PortalFeatures {
        self.portal_features
    }

    /// The subscriber of a subscription's request, or `INTERNAL` when the request came another
    /// way (subscriptions are served over WebSocket only).
    pub fn of<'a>(ctx: &Context<'a>) -> ApiResult<&'a Subscriber> {
        match ctx.data::<Arc<super::RequestScope>>().map(AsRef::as_ref) {
            Ok(super::RequestScope::Subscribed(subscriber)) => Ok(subscriber),
            Ok(super::RequestScope::Anonymous) => Err(ResolverError::unauthenticated()),
            _ => Err(ResolverError::new(
                ErrorCode::BadUserInput,
                "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql",
            )),
        }
    }
}

/// The session an event was read in, from the subscription that yielded it to the execution of
/// the yielded value's fields. One per subscription request: a subscription operation has one root
/// field, so at most one event is between the two at a time.
#[derive(Default)]
pub struct EventScope(Mutex<Option<EventSession>>);

impl EventScope {
    fn put(&self, session: EventSession) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(session);
    }

    /// The session of the event about to be resolved, if any.
    pub fn take(&self) -> Option<EventSession> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// What a subscription field returns: its events, each read as the subscriber.
pub type LiveStream<T> = BoxStream<'static, ApiResult<T>>;

/// Ends an event's session: nothing was written, so it is rolled back.
pub async fn end_event(session: Session) {
    let tx = session.shared_tx();
    drop(session);
    match Arc::try_unwrap(tx) {
        Ok(tx) => {
            if let Err(error) = crate::db::rollback(tx).await {
                tracing::warn!(%error, "rollback of a subscription event's transaction failed");
            }
        }
        // Still shared (a loader's handle outliving its session): dropping the last handle rolls
        // the transaction back.
        Err(_) => tracing::debug!("a subscription event's transaction is ended by its last handle"),
    }
}

/// The stream of a subscription: every event of the subscriber's tenant that `wants` accepts is
/// read by `load` in a fresh transaction as the subscriber; `Some` is yielded (its fields then
/// resolved in that transaction), `None` (nothing to show this subscriber) is skipped. The stream
/// ends with an error when the subscriber's session has ended or the subscription fell behind
/// the server's buffer.
pub fn events<T, W, L, F>(ctx: &Context<'_>, wants: W, load: L) -> ApiResult<LiveStream<T>>
where
    T: Send + 'static,
    W: Fn(&LiveEvent) -> bool + Send + 'static,
    L: Fn(Arc<TenantTx>, Arc<LiveEvent>) -> F + Send + 'static,
    F: Future<Output = ApiResult<Option<T>>> + Send + 'static,
{
    let subscriber = Subscriber::of(ctx)?;
    let scope = ctx.data::<Arc<EventScope>>().map_err(|_| {
        tracing::error!("event scope missing from a subscription's request data");
        ResolverError::internal()
    })?;
    let state = Feed {
        tenant_id: subscriber.context.tenant_id(),
        receiver: subscriber.feed.events(),
        feed: Arc::clone(&subscriber.feed),
        scope: Arc::clone(scope),
        wants,
        load,
        ended: false,
    };
    Ok(stream::unfold(state, |mut state| async move {
        let item = state.next().await?;
        Some((item, state))
    })
    .boxed())
}

struct Feed<W, L> {
    tenant_id: Uuid,
    receiver: broadcast::Receiver<Arc<LiveEvent>>,
    feed: Arc<dyn LiveFeed>,
    scope: Arc<EventScope>,
    wants: W,
    load: L,
    ended: bool,
}

impl<W, L> Feed<W, L> {
    async fn next<T, F>(&mut self) -> Option<ApiResult<T>>
    where
        W: Fn(&LiveEvent) -> bool,
        L: Fn(Arc<TenantTx>, Arc<LiveEvent>) -> F,
        F: Future<Output = ApiResult<Option<T>>>,
    {
        while !self.ended {
            let event = match self.receiver.recv().await {
                Ok(event) => event,
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    self.ended = true;
                    return Some(Err(ResolverError::new(
                        ErrorCode::RateLimited,
                        format!(
                            "the subscription fell {missed} events behind the server's buffer \
                             and was ended: subscribe again, and read the current state by query"
                        ),
                    )));
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            if event.tenant_id != self.tenant_id || !(self.wants)(&event) {
                continue;
            }
            let session = match self.feed.open().await {
                Ok(session) => session,
                Err(error) => {
                    self.ended = true;
                    return Some(Err(error));
                }
            };
            match (self.load)(session.session.shared_tx(), event).await {
                Ok(Some(item)) => {
                    self.scope.put(session);
                    return Some(Ok(item));
                }
                Ok(None) => session.end().await,
                Err(error) => {
                    session.end().await;
                    return Some(Err(error));
                }
            }
        }
        None
    }
}
