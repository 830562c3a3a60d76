//! `allocations`: how much of an allocated SKU a customer may buy in a period (limited releases).

use leora_catalog::entities::{customers, skus};
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "allocations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub customer_id: Uuid,
    pub sku_id: Uuid,
    /// The first and last day (the tenant's dates) the quantity covers.
    pub period_start: Date,
    pub period_end: Date,
    pub quantity: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Customer: belongs_to customers::Entity, from Column::CustomerId, to customers::Column::Id, on_delete Cascade;
    Sku: belongs_to skus::Entity, from Column::SkuId, to skus::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    customers::Entity => Relation::Customer;
    skus::Entity => Relation::Sku;
}

impl ActiveModelBehavior for ActiveModel {}
