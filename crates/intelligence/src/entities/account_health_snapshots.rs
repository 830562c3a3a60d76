//! `account_health_snapshots`: a customer's computed ordering health on one date.

use leora_catalog::entities::customers;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_health_snapshots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub customer_id: Uuid,
    pub snapshot_date: Date,
    pub period_days: i32,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub revenue_current: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub revenue_previous: Decimal,
    #[sea_orm(column_type = "Decimal(Some((9, 4)))")]
    pub revenue_change_pct: Option<Decimal>,
    pub order_count: i32,
    pub days_since_last_order: Option<i32>,
    #[sea_orm(column_type = "Decimal(Some((9, 2)))")]
    pub avg_reorder_interval_days: Option<Decimal>,
    pub pace_status: PaceStatus,
    pub health_score: i32,
    /// A JSON array of risk flags.
    #[sea_orm(column_type = "JsonBinary")]
    pub risk_flags: Json,
    pub samples_used: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::read_by_position!(Model {
    id,
    tenant_id,
    customer_id,
    snapshot_date,
    period_days,
    revenue_current,
    revenue_previous,
    revenue_change_pct,
    order_count,
    days_since_last_order,
    avg_reorder_interval_days,
    pace_status as text_enum,
    health_score,
    risk_flags,
    samples_used,
    created_at,
    updated_at,
});

/// Whether the customer is reordering at its usual pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum PaceStatus {
    #[sea_orm(string_value = "on_track")]
    OnTrack,
    #[sea_orm(string_value = "at_risk")]
    AtRisk,
    #[sea_orm(string_value = "insufficient_data")]
    InsufficientData,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Customer: belongs_to customers::Entity, from Column::CustomerId, to customers::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    customers::Entity => Relation::Customer;
}

impl ActiveModelBehavior for ActiveModel {}
