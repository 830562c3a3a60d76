//! Orders in real time: each placed order and each status change, read by the subscriber as
//! itself when it happens (`leora_tenancy::graphql::live`), so a portal user hears of their own
//! customer's orders and a rep of their accounts', exactly as their `order` query would show them.

use super::types::Order;
use crate::service;
use async_graphql::{Context, ID, Subscription};
use leora_tenancy::graphql::ids::parse_optional_id;
use leora_tenancy::graphql::live::{self, LiveEvent, LiveStream};
use leora_tenancy::graphql::{Feature, Permission, PortalFeature, ResolverError, StaffOrPortal};
use leora_tenancy::{ApiError, ErrorCode};

/// The outbox events after which an order's status or totals may have changed.
const ORDER_EVENTS: [&str; 2] = ["order.placed", "order.status_changed"];

#[derive(Default)]
pub struct OrdersSubscription;

#[Subscription]
impl OrdersSubscription {
    /// The order, as it is now, each time one is placed or changes status: the one named by
    /// `orderId`, or every order the subscriber may see. Orders the subscriber cannot see (another
    /// customer's, an account out of its scope) never arrive.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersView, Permission::PortalOrdersView).and(PortalFeature(Feature::Orders))"
    )]
    async fn order_updated(
        &self,
        ctx: &Context<'_>,
        order_id: Option<ID>,
    ) -> Result<LiveStream<Order>, ResolverError> {
        let only = parse_optional_id("orderId", order_id.as_ref())?;
        live::events(
            ctx,
            move |event: &LiveEvent| {
                ORDER_EVENTS.contains(&event.kind.as_str())
                    && event.order_id.is_some()
                    && only.is_none_or(|id| event.order_id == Some(id))
            },
            |tx, event| async move {
                let Some(order_id) = event.order_id else {
                    return Ok(None);
                };
                match service::orders::order(&tx, order_id).await {
                    Ok(order) => Ok(Some(Order(order))),
                    // Row-level security hides it from this subscriber.
                    Err(error) if error.code() == ErrorCode::NotFound => Ok(None),
                    Err(error) => Err(ResolverError::from(error)),
                }
            },
        )
    }
}
