//! Integration queries, all behind `integrations.manage`.

use super::inputs::{
    IntegrationTokenFilter, WebhookDeliveryFilter, WebhookEventFilter, WebhookSubscriptionFilter,
};
use super::types::{
    IntegrationToken, WebhookDelivery, WebhookEvent, WebhookSubscription, not_found, parse_id,
};
use crate::entities::webhook_deliveries::DeliveryStatus;
use crate::entities::webhook_subscriptions::SubscriptionStatus;
use crate::entities::{
    integration_tokens, webhook_deliveries, webhook_events, webhook_subscriptions,
};
use crate::events::EventType;
use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, Session};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[derive(Default)]
pub struct IntegrationsQuery;

#[Object]
impl IntegrationsQuery {
    /// The event type names a webhook subscription can listen to.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn webhook_event_types(&self) -> Vec<&'static str> {
        EventType::ALL.iter().map(|event| event.name()).collect()
    }

    /// The tenant's webhook subscriptions, oldest first.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn webhook_subscriptions(
        &self,
        ctx: &Context<'_>,
        filter: Option<WebhookSubscriptionFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<WebhookSubscription>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let mut select = webhook_subscriptions::Entity::find()
            .order_by_asc(webhook_subscriptions::Column::CreatedAt);
        if let Some(status) = filter.unwrap_or_default().status {
            select = select
                .filter(webhook_subscriptions::Column::Status.eq(SubscriptionStatus::from(status)));
        }
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            webhook_subscriptions::Column::Id,
            page,
            WebhookSubscription,
        )
        .await?)
    }

    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn webhook_subscription(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<WebhookSubscription> {
        webhook_subscriptions::Entity::find_by_id(parse_id("id", &id)?)
            .one(Session::of(ctx)?.tx())
            .await?
            .map(WebhookSubscription)
            .ok_or_else(|| not_found("webhook subscription"))
    }

    /// Events in the outbox, newest first.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn webhook_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<WebhookEventFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<WebhookEvent>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let mut select =
            webhook_events::Entity::find().order_by_desc(webhook_events::Column::OccurredAt);
        if let Some(event_type) = filter.unwrap_or_default().event_type {
            select = select.filter(webhook_events::Column::EventType.eq(event_type.trim()));
        }
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            webhook_events::Column::Id,
            page,
            WebhookEvent,
        )
        .await?)
    }

    /// Deliveries, newest first; filter by status to find the failing or dead ones.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        filter: Option<WebhookDeliveryFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<WebhookDelivery>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = filter.unwrap_or_default();
        let mut select =
            webhook_deliveries::Entity::find().order_by_desc(webhook_deliveries::Column::CreatedAt);
        if let Some(status) = filter.status {
            select =
                select.filter(webhook_deliveries::Column::Status.eq(DeliveryStatus::from(status)));
        }
        if let Some(subscription_id) = &filter.subscription_id {
            select = select.filter(
                webhook_deliveries::Column::SubscriptionId
                    .eq(parse_id("filter.subscriptionId", subscription_id)?),
            );
        }
        if let Some(event_id) = &filter.event_id {
            select = select.filter(
                webhook_deliveries::Column::EventId.eq(parse_id("filter.eventId", event_id)?),
            );
        }
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            webhook_deliveries::Column::Id,
            page,
            WebhookDelivery,
        )
        .await?)
    }

    /// Stored third-party credentials (never the tokens themselves), newest first.
    #[graphql(guard = "RequirePermission(Permission::IntegrationsManage)")]
    async fn integration_tokens(
        &self,
        ctx: &Context<'_>,
        filter: Option<IntegrationTokenFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<IntegrationToken>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = filter.unwrap_or_default();
        let mut select =
            integration_tokens::Entity::find().order_by_desc(integration_tokens::Column::CreatedAt);
        if let Some(provider) = &filter.provider {
            select = select.filter(
                integration_tokens::Column::Provider.eq(provider.trim().to_ascii_lowercase()),
            );
        }
        if !filter.include_revoked {
            select = select.filter(integration_tokens::Column::RevokedAt.is_null());
        }
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            integration_tokens::Column::Id,
            page,
            IntegrationToken,
        )
        .await?)
    }
}
