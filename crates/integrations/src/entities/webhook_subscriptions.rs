//! `webhook_subscriptions`: an endpoint a tenant wants events posted to, with its signing secret.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub url: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    /// A JSON array of event type names.
    #[sea_orm(column_type = "JsonBinary")]
    pub event_types: Json,
    pub secret_ciphertext: Vec<u8>,
    #[sea_orm(column_type = "Text")]
    pub secret_key_id: String,
    pub status: SubscriptionStatus,
    pub consecutive_failures: i32,
    pub last_success_at: Option<DateTimeUtc>,
    pub last_failure_at: Option<DateTimeUtc>,
    pub disabled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum SubscriptionStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "paused")]
    Paused,
    #[sea_orm(string_value = "disabled")]
    Disabled,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    WebhookDeliveries: has_many super::webhook_deliveries::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::webhook_deliveries::Entity => Relation::WebhookDeliveries;
    super::webhook_events::Entity =>
        super::webhook_deliveries::Relation::WebhookEvent,
        via super::webhook_deliveries::Relation::WebhookSubscription;
}

impl ActiveModelBehavior for ActiveModel {}
