//! Webhook deliveries in real time, for whoever runs the tenant's integrations: each delivery as
//! it is queued and after each attempt.

use super::types::WebhookDelivery;
use crate::entities::webhook_deliveries;
use async_graphql::{Context, ID, Subscription};
use leora_tenancy::graphql::ids::parse_optional_id;
use leora_tenancy::graphql::live::{self, LiveEvent, LiveStream};
use leora_tenancy::graphql::{Permission, RequirePermission, ResolverError};
use sea_orm::EntityTrait;

#[derive(Default)]
pub struct IntegrationsSubscription;

#[Subscription]
impl IntegrationsSubscription {
    /// Each webhook delivery as it is queued and after each attempt to send it (`status`,
    /// `attempts`, `lastStatusCode`, `lastError`): of the webhook subscription named by
    /// `subscriptionId`, or of all of them.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn webhook_delivery_updated(
        &self,
        ctx: &Context<'_>,
        subscription_id: Option<ID>,
    ) -> Result<LiveStream<WebhookDelivery>, ResolverError> {
        let only = parse_optional_id("subscriptionId", subscription_id.as_ref())?;
        live::events(
            ctx,
            move |event: &LiveEvent| {
                event.kind == live::WEBHOOK_DELIVERY
                    && only.is_none_or(|id| event.webhook_subscription_id == Some(id))
            },
            |tx, event| async move {
                let delivery = webhook_deliveries::Entity::find_by_id(event.id)
                    .one(&**tx)
                    .await
                    .map_err(ResolverError::from)?;
                Ok(delivery.map(WebhookDelivery))
            },
        )
    }
}
