//! Integration queries, all behind `integrations.manage`.

use super::inputs::{
    IntegrationTokenFilter, WebhookDeliveryFilter, WebhookEventFilter, WebhookSubscriptionFilter,
};
use super::types::{
    IntegrationToken, WebhookDelivery, WebhookEvent, WebhookSubscription, parse_id,
};
use crate::entities::{
    integration_tokens, webhook_deliveries, webhook_events, webhook_subscriptions,
};
use crate::service::{deliveries, outbox, subscriptions, tokens};
use async_graphql::{Context, ID, Object};
use leora_tenancy::events::EventType;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::keyset::{Keyset, KeysetPage, paginate_keyset};
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, Session};

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
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Permission::IntegrationsManage)"
    )]
    async fn webhook_subscriptions(
        &self,
        ctx: &Context<'_>,
        filter: Option<WebhookSubscriptionFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<WebhookSubscription>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let statuses = filter.unwrap_or_default().into_statuses();
        let select = subscriptions::subscriptions(&statuses);
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
        let tx = Session::of(ctx)?.tx();
        let subscription = subscriptions::find_subscription(tx, parse_id("id", &id)?).await?;
        Ok(WebhookSubscription(subscription))
    }

    /// Events in the outbox, newest first. Pages both ways with stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "RequirePermission(Permission::IntegrationsManage)"
    )]
    async fn webhook_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<WebhookEventFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<WebhookEvent>> {
        let keyset = Keyset::by(
            webhook_events::Column::OccurredAt,
            sea_orm::Order::Desc,
            webhook_events::Column::Id,
        );
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let event_type = filter.unwrap_or_default().event_type;
        let select = outbox::events(event_type.as_deref());
        let tx = Session::of(ctx)?.tx();
        Ok(paginate_keyset(tx, select, &keyset, page, WebhookEvent).await?)
    }

    /// Deliveries, newest first; `statuses: [FAILED, DEAD]` finds the failing and dead ones.
    /// Pages both ways with stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "RequirePermission(Permission::IntegrationsManage)"
    )]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        filter: Option<WebhookDeliveryFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<WebhookDelivery>> {
        let keyset = Keyset::by(
            webhook_deliveries::Column::CreatedAt,
            sea_orm::Order::Desc,
            webhook_deliveries::Column::Id,
        );
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = deliveries::deliveries(&filter);
        let tx = Session::of(ctx)?.tx();
        Ok(paginate_keyset(tx, select, &keyset, page, WebhookDelivery).await?)
    }

    /// Stored third-party credentials (never the tokens themselves), newest first.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Permission::IntegrationsManage)"
    )]
    async fn integration_tokens(
        &self,
        ctx: &Context<'_>,
        filter: Option<IntegrationTokenFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<IntegrationToken>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let select = tokens::tokens(&filter.unwrap_or_default().into());
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
