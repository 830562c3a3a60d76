//! Output types: newtypes over the stored rows, exposing what an admin may see.

use super::loaders::{DeliveriesOfEvent, EventById, SubscriptionById};
use crate::entities::integration_tokens;
use crate::entities::webhook_deliveries::{self, DeliveryStatus as StoredDeliveryStatus};
use crate::entities::webhook_events;
use crate::entities::webhook_subscriptions::{
    self, SubscriptionStatus as StoredSubscriptionStatus,
};
use crate::service::deliveries;
use crate::service::subscriptions;
use crate::service::tokens::{self, TokenStatus};
use async_graphql::{Context, ID, Json, Object};
use chrono::Utc;
use leora_tenancy::graphql::Instant;
pub(crate) use leora_tenancy::graphql::ids::{id, not_found, parse_id};
use leora_tenancy::graphql::{ApiResult, Session};
use leora_tenancy::mirror_enum;

mirror_enum!(
    /// ACTIVE receives events; PAUSED and DISABLED (after too many consecutive failures) receive
    /// none until resumed.
    WebhookSubscriptionStatus <=> StoredSubscriptionStatus { Active, Paused, Disabled }
);
mirror_enum!(
    /// PENDING waits for its first attempt, FAILED for a retry; SUCCEEDED and DEAD (the retry
    /// budget spent) are final until redelivered.
    WebhookDeliveryStatus <=> StoredDeliveryStatus { Pending, Succeeded, Failed, Dead }
);

/// An endpoint the tenant's events are posted to. Its signing secret is never shown here.
pub struct WebhookSubscription(pub webhook_subscriptions::Model);

#[Object]
impl WebhookSubscription {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The event types delivered (`order.placed` …).
    async fn event_types(&self) -> Vec<String> {
        subscriptions::event_types(&self.0)
    }
    async fn status(&self) -> WebhookSubscriptionStatus {
        self.0.status.into()
    }
    /// Failed attempts since the last success; the subscription is disabled at the limit.
    async fn consecutive_failures(&self) -> i32 {
        self.0.consecutive_failures
    }
    async fn last_success_at(&self) -> Option<Instant> {
        self.0.last_success_at.map(Instant)
    }
    async fn last_failure_at(&self) -> Option<Instant> {
        self.0.last_failure_at.map(Instant)
    }
    async fn disabled_at(&self) -> Option<Instant> {
        self.0.disabled_at.map(Instant)
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
    async fn updated_at(&self) -> Instant {
        self.0.updated_at.into()
    }
}

/// A subscription with its signing secret — returned only by `createWebhookSubscription` and
/// `rotateWebhookSecret`. Store the secret now: it cannot be read again.
pub struct WebhookSigningSecret {
    pub subscription: webhook_subscriptions::Model,
    pub secret: String,
}

#[Object]
impl WebhookSigningSecret {
    async fn subscription(&self) -> WebhookSubscription {
        WebhookSubscription(self.subscription.clone())
    }
    /// The HMAC-SHA256 key for `X-Leora-Signature`, shown this once.
    async fn secret(&self) -> &str {
        &self.secret
    }
}

/// A domain event from the outbox.
pub struct WebhookEvent(pub webhook_events::Model);

#[Object]
impl WebhookEvent {
    /// Also the `X-Leora-Event-Id` header and the body's `id`: receivers de-duplicate on it.
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }
    async fn payload(&self) -> Json<serde_json::Value> {
        Json(self.0.payload.clone())
    }
    async fn occurred_at(&self) -> Instant {
        self.0.occurred_at.into()
    }
    /// When the event was fanned out to the matching subscriptions; null until then.
    async fn dispatched_at(&self) -> Option<Instant> {
        self.0.dispatched_at.map(Instant)
    }
    /// The event's deliveries, one per subscription it went to.
    async fn deliveries(&self, ctx: &Context<'_>) -> ApiResult<Vec<WebhookDelivery>> {
        let loader = Session::of(ctx)?.loader(DeliveriesOfEvent);
        Ok(loader.load_many(self.0.id, WebhookDelivery).await?)
    }
}

/// One event's delivery to one subscription, with its retry state.
pub struct WebhookDelivery(pub webhook_deliveries::Model);

#[Object]
impl WebhookDelivery {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.status.into()
    }
    /// Attempts made (or under way).
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// When the next attempt is due; null once the delivery succeeded or is dead.
    async fn next_attempt_at(&self) -> Option<Instant> {
        deliveries::next_attempt_at(&self.0).map(Instant)
    }
    async fn last_attempt_at(&self) -> Option<Instant> {
        self.0.last_attempt_at.map(Instant)
    }
    /// The receiver's HTTP status on the last attempt; null when it never answered.
    async fn last_status_code(&self) -> Option<i32> {
        self.0.last_status_code
    }
    /// Why the last attempt failed (status and the start of the reply, a timeout …).
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn delivered_at(&self) -> Option<Instant> {
        self.0.delivered_at.map(Instant)
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
    async fn subscription_id(&self) -> ID {
        id(self.0.subscription_id)
    }
    async fn event_id(&self) -> ID {
        id(self.0.event_id)
    }
    async fn subscription(&self, ctx: &Context<'_>) -> ApiResult<WebhookSubscription> {
        let loader = Session::of(ctx)?.loader(SubscriptionById);
        loader
            .load_one(self.0.subscription_id)
            .await?
            .map(WebhookSubscription)
            .ok_or_else(|| not_found("webhook subscription"))
    }
    async fn event(&self, ctx: &Context<'_>) -> ApiResult<WebhookEvent> {
        let loader = Session::of(ctx)?.loader(EventById);
        loader
            .load_one(self.0.event_id)
            .await?
            .map(WebhookEvent)
            .ok_or_else(|| not_found("webhook event"))
    }
}

mirror_enum!(IntegrationTokenStatus <=> TokenStatus { Active, Expired, Revoked });

/// A stored third-party credential. The token itself is never shown: only its last four
/// characters, to tell tokens apart.
pub struct IntegrationToken(pub integration_tokens::Model);

#[Object]
impl IntegrationToken {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn provider(&self) -> &str {
        &self.0.provider
    }
    async fn scopes(&self) -> Vec<String> {
        tokens::scopes(&self.0)
    }
    async fn expires_at(&self) -> Option<Instant> {
        self.0.expires_at.map(Instant)
    }
    async fn last_used_at(&self) -> Option<Instant> {
        self.0.last_used_at.map(Instant)
    }
    async fn last_four(&self) -> &str {
        &self.0.token_last4
    }
    async fn revoked_at(&self) -> Option<Instant> {
        self.0.revoked_at.map(Instant)
    }
    async fn status(&self) -> IntegrationTokenStatus {
        tokens::status(&self.0, Utc::now()).into()
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
}
