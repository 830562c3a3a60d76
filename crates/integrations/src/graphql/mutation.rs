//! Integration mutations, all behind `integrations.manage`; the services validate and name the
//! offending field.

use super::inputs::{
    CreateWebhookSubscriptionInput, StoreIntegrationTokenInput, UpdateWebhookSubscriptionInput,
};
use super::types::{
    IntegrationToken, WebhookDelivery, WebhookSigningSecret, WebhookSubscription, parse_id,
};
use crate::service::{deliveries, subscriptions, tokens};
use crate::settings::IntegrationsSettings;
use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, Session};

#[derive(Default)]
pub struct IntegrationsMutation;

#[Object]
impl IntegrationsMutation {
    /// Subscribes a URL to event types. The answer carries the signing secret: the only time it
    /// is shown.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn create_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookSubscriptionInput,
    ) -> ApiResult<WebhookSigningSecret> {
        let session = Session::of(ctx)?;
        let settings = IntegrationsSettings::of(ctx)?;
        let created = subscriptions::create_subscription(
            session.tx(),
            &settings.secrets,
            settings.url_policy,
            settings.max_subscriptions,
            input.into(),
        )
        .await?;
        Ok(WebhookSigningSecret {
            subscription: created.subscription,
            secret: created.secret,
        })
    }

    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn update_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateWebhookSubscriptionInput,
    ) -> ApiResult<WebhookSubscription> {
        let tx = Session::of(ctx)?.tx();
        let settings = IntegrationsSettings::of(ctx)?;
        Ok(WebhookSubscription(
            subscriptions::update_subscription(
                tx,
                settings.url_policy,
                parse_id("id", &id)?,
                input.into(),
            )
            .await?,
        ))
    }

    /// Stops deliveries until resumed; events meanwhile are not sent to this subscription.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn pause_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<WebhookSubscription> {
        let tx = Session::of(ctx)?.tx();
        Ok(WebhookSubscription(
            subscriptions::pause_subscription(tx, parse_id("id", &id)?).await?,
        ))
    }

    /// Reactivates a paused or disabled subscription; deliveries queued before are sent.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn resume_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<WebhookSubscription> {
        let tx = Session::of(ctx)?.tx();
        Ok(WebhookSubscription(
            subscriptions::resume_subscription(tx, parse_id("id", &id)?).await?,
        ))
    }

    /// Deletes a subscription with its delivery history.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn delete_webhook_subscription(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let tx = Session::of(ctx)?.tx();
        subscriptions::delete_subscription(tx, parse_id("id", &id)?).await?;
        Ok(true)
    }

    /// Replaces the signing secret at once; the new one is in the answer, the only time it is
    /// shown.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<WebhookSigningSecret> {
        let tx = Session::of(ctx)?.tx();
        let settings = IntegrationsSettings::of(ctx)?;
        let rotated =
            subscriptions::rotate_secret(tx, &settings.secrets, parse_id("id", &id)?).await?;
        Ok(WebhookSigningSecret {
            subscription: rotated.subscription,
            secret: rotated.secret,
        })
    }

    /// Queues a delivery to be sent again with a fresh retry budget.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        delivery_id: ID,
    ) -> ApiResult<WebhookDelivery> {
        let tx = Session::of(ctx)?.tx();
        Ok(WebhookDelivery(
            deliveries::redeliver(tx, parse_id("deliveryId", &delivery_id)?).await?,
        ))
    }

    /// Queues a signed `webhook.test` event for this subscription alone and returns its delivery
    /// (`PENDING`). The delivery worker sends it within about a second, like any event; read how
    /// the receiver answered from the delivery (`webhookDeliveries(filter: { eventId })`).
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn send_test_webhook(
        &self,
        ctx: &Context<'_>,
        subscription_id: ID,
    ) -> ApiResult<WebhookDelivery> {
        let tx = Session::of(ctx)?.tx();
        let subscription_id = parse_id("subscriptionId", &subscription_id)?;
        Ok(WebhookDelivery(
            deliveries::queue_test(tx, subscription_id).await?,
        ))
    }

    /// Stores a provider's token encrypted, replacing the provider's previous one.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn store_integration_token(
        &self,
        ctx: &Context<'_>,
        input: StoreIntegrationTokenInput,
    ) -> ApiResult<IntegrationToken> {
        let session = Session::of(ctx)?;
        let settings = IntegrationsSettings::of(ctx)?;
        Ok(IntegrationToken(
            tokens::store_token(session.tx(), &settings.secrets, input.into()).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn revoke_integration_token(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<IntegrationToken> {
        let tx = Session::of(ctx)?.tx();
        Ok(IntegrationToken(
            tokens::revoke_token(tx, parse_id("id", &id)?).await?,
        ))
    }
}
