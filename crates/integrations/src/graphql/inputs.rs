//! Filters and mutation inputs. Updates use `MaybeUndefined` for nullable fields: omitted leaves
//! a field as it is, `null` clears it.

use super::types::{WebhookDeliveryStatus, WebhookSubscriptionStatus};
use crate::entities::webhook_subscriptions::SubscriptionStatus;
use crate::service::deliveries::DeliveryFilter;
use crate::service::subscriptions::{NewSubscription, SubscriptionChanges};
use crate::service::tokens::{NewToken, TokenFilter};
use async_graphql::{ID, InputObject, MaybeUndefined};
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::ApiResult;
use leora_tenancy::graphql::Instant;
use leora_tenancy::graphql::ids::parse_optional_id;

#[derive(InputObject, Default)]
pub struct WebhookSubscriptionFilter {
    /// Any of these; all statuses when absent or empty.
    pub statuses: Option<Vec<WebhookSubscriptionStatus>>,
}

impl WebhookSubscriptionFilter {
    pub fn into_statuses(self) -> Vec<SubscriptionStatus> {
        any_of(self.statuses)
    }
}

#[derive(InputObject, Default)]
pub struct WebhookEventFilter {
    /// An event type name, `order.placed` …
    pub event_type: Option<String>,
}

#[derive(InputObject, Default)]
pub struct WebhookDeliveryFilter {
    /// Any of these; all statuses when absent or empty.
    pub statuses: Option<Vec<WebhookDeliveryStatus>>,
    pub subscription_id: Option<ID>,
    pub event_id: Option<ID>,
}

impl WebhookDeliveryFilter {
    pub fn into_filter(self) -> ApiResult<DeliveryFilter> {
        Ok(DeliveryFilter {
            statuses: any_of(self.statuses),
            subscription_id: parse_optional_id(
                "filter.subscriptionId",
                self.subscription_id.as_ref(),
            )?,
            event_id: parse_optional_id("filter.eventId", self.event_id.as_ref())?,
        })
    }
}

#[derive(InputObject, Default)]
pub struct IntegrationTokenFilter {
    pub provider: Option<String>,
    /// Revoked tokens are left out unless this is true.
    #[graphql(default)]
    pub include_revoked: bool,
}

impl From<IntegrationTokenFilter> for TokenFilter {
    fn from(filter: IntegrationTokenFilter) -> Self {
        Self {
            provider: filter.provider,
            include_revoked: filter.include_revoked,
        }
    }
}

#[derive(InputObject)]
pub struct CreateWebhookSubscriptionInput {
    /// Where events are POSTed; https (and a public address) in production.
    pub url: String,
    pub description: Option<String>,
    /// Event type names from `webhookEventTypes`; at least one.
    pub event_types: Vec<String>,
}

impl From<CreateWebhookSubscriptionInput> for NewSubscription {
    fn from(input: CreateWebhookSubscriptionInput) -> Self {
        Self {
            url: input.url,
            description: input.description,
            event_types: input.event_types,
        }
    }
}

#[derive(InputObject)]
pub struct UpdateWebhookSubscriptionInput {
    pub url: Option<String>,
    pub description: MaybeUndefined<String>,
    pub event_types: Option<Vec<String>>,
}

impl From<UpdateWebhookSubscriptionInput> for SubscriptionChanges {
    fn from(input: UpdateWebhookSubscriptionInput) -> Self {
        Self {
            url: input.url,
            description: input.description.into(),
            event_types: input.event_types,
        }
    }
}

#[derive(InputObject)]
pub struct StoreIntegrationTokenInput {
    /// Lower-case letters, digits and `_`: `quickbooks`, `vinosmith` …
    pub provider: String,
    /// Stored encrypted; never shown again except its last four characters.
    pub token: String,
    #[graphql(default)]
    pub scopes: Vec<String>,
    pub expires_at: Option<Instant>,
}

impl From<StoreIntegrationTokenInput> for NewToken {
    fn from(input: StoreIntegrationTokenInput) -> Self {
        Self {
            provider: input.provider,
            token: input.token,
            scopes: input.scopes,
            expires_at: input.expires_at.map(|at| at.0),
        }
    }
}
