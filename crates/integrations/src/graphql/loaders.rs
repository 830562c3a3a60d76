//! Request-scoped batch loaders for the relations between subscriptions, events and deliveries.

use crate::entities::{webhook_deliveries, webhook_events, webhook_subscriptions};
use leora_tenancy::TenantTx;
use leora_tenancy::graphql::BatchLoad;
use leora_tenancy::graphql::LoadFailed;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

pub struct SubscriptionById(pub Arc<TenantTx>);

impl BatchLoad<Uuid> for SubscriptionById {
    type Value = webhook_subscriptions::Model;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, LoadFailed> {
        let rows = webhook_subscriptions::Entity::find()
            .filter(webhook_subscriptions::Column::Id.is_in(ids.iter().copied()))
            .all(self.0.as_ref())
            .await
            .map_err(LoadFailed::log)?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

pub struct EventById(pub Arc<TenantTx>);

impl BatchLoad<Uuid> for EventById {
    type Value = webhook_events::Model;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, LoadFailed> {
        let rows = webhook_events::Entity::find()
            .filter(webhook_events::Column::Id.is_in(ids.iter().copied()))
            .all(self.0.as_ref())
            .await
            .map_err(LoadFailed::log)?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// An event's deliveries, oldest first.
pub struct DeliveriesOfEvent(pub Arc<TenantTx>);

impl BatchLoad<Uuid> for DeliveriesOfEvent {
    type Value = Vec<webhook_deliveries::Model>;

    async fn load(&self, event_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, LoadFailed> {
        let rows = webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::EventId.is_in(event_ids.iter().copied()))
            .order_by_asc(webhook_deliveries::Column::CreatedAt)
            .order_by_asc(webhook_deliveries::Column::Id)
            .all(self.0.as_ref())
            .await
            .map_err(LoadFailed::log)?;
        let mut by_event: HashMap<Uuid, Self::Value> = HashMap::new();
        for delivery in rows {
            by_event
                .entry(delivery.event_id)
                .or_default()
                .push(delivery);
        }
        Ok(by_event)
    }
}
