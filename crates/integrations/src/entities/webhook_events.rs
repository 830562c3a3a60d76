//! `webhook_events`: the outbox of domain events, appended in the transaction that caused them.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub event_type: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub payload: Json,
    pub occurred_at: DateTimeUtc,
    pub dispatched_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    WebhookDeliveries: has_many super::webhook_deliveries::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::webhook_deliveries::Entity => Relation::WebhookDeliveries;
    super::webhook_subscriptions::Entity =>
        super::webhook_deliveries::Relation::WebhookSubscription,
        via super::webhook_deliveries::Relation::WebhookEvent;
}

impl ActiveModelBehavior for ActiveModel {}
