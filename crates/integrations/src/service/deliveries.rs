//! Deliveries: reading them, sending one again on demand, and queueing the test webhook.

use super::subscriptions::find_subscription;
use crate::entities::webhook_deliveries::{self, DeliveryStatus};
use crate::entities::webhook_events;
use crate::error::IntegrationsError;
use chrono::{DateTime, Utc};
use leora_tenancy::error::{find_visible, update_visible};
use leora_tenancy::events::TEST_EVENT_TYPE;
use leora_tenancy::filter::FilterIfGiven;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, QueryOrder, Select, Set};
use serde_json::json;
use uuid::Uuid;

const ENTITY: &str = "webhook delivery";

#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    /// Any of these; empty means any status.
    pub statuses: Vec<DeliveryStatus>,
    pub subscription_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
}

/// The deliveries matching `filter`, newest first (the caller breaks ties).
pub fn deliveries(filter: &DeliveryFilter) -> Select<webhook_deliveries::Entity> {
    use webhook_deliveries::Column;
    webhook_deliveries::Entity::find()
        .order_by_desc(Column::CreatedAt)
        .filter_in(Column::Status, filter.statuses.iter().copied())
        .filter_eq(Column::SubscriptionId, filter.subscription_id)
        .filter_eq(Column::EventId, filter.event_id)
}

/// When the delivery's next attempt is due; `None` once it succeeded or is dead, as no attempt
/// follows those.
pub fn next_attempt_at(delivery: &webhook_deliveries::Model) -> Option<DateTime<Utc>> {
    matches!(
        delivery.status,
        DeliveryStatus::Pending | DeliveryStatus::Failed
    )
    .then_some(delivery.next_attempt_at)
}

/// Queues a delivery to be sent again from scratch — whatever its state, a dead or succeeded one
/// included — with a fresh retry budget. It goes out with the worker's next round if its
/// subscription is active, else when the subscription is resumed.
pub async fn redeliver(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<webhook_deliveries::Model, IntegrationsError> {
    let delivery =
        find_visible::<webhook_deliveries::Entity, IntegrationsError>(tx, id, ENTITY).await?;
    let mut delivery: webhook_deliveries::ActiveModel = delivery.into();
    delivery.status = Set(DeliveryStatus::Pending);
    delivery.attempts = Set(0);
    delivery.next_attempt_at = Set(Utc::now());
    delivery.delivered_at = Set(None);
    update_visible(delivery, tx, ENTITY).await
}

/// Queues a signed `webhook.test` event for one subscription alone: its event is marked
/// dispatched, so no other subscription receives it, and its delivery is due now. The delivery
/// worker sends it like any delivery (within its poll interval; retried on failure, counted in
/// the subscription's failure streak), so no request waits on the receiver while it holds a
/// database connection. To a paused or disabled subscription it goes out once it is resumed.
pub async fn queue_test(
    tx: &DatabaseTransaction,
    subscription_id: Uuid,
) -> Result<webhook_deliveries::Model, IntegrationsError> {
    let subscription = find_subscription(tx, subscription_id).await?;
    let now = Utc::now();
    let event = webhook_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(subscription.tenant_id),
        event_type: Set(TEST_EVENT_TYPE.to_owned()),
        payload: Set(json!({
            "subscriptionId": subscription.id,
            "message": "A test event from Leora: your endpoint is reachable and can verify signatures.",
        })),
        occurred_at: Set(now),
        dispatched_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let delivery = webhook_deliveries::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(subscription.tenant_id),
        subscription_id: Set(subscription.id),
        event_id: Set(event.id),
        status: Set(DeliveryStatus::Pending),
        next_attempt_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(delivery)
}
