//! `price_list_entries`: a SKU's price for a price tier or for one customer (exactly one of the
//! two), from a minimum quantity, within a validity window.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "price_list_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub sku_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub price_tier: Option<String>,
    pub customer_id: Option<Uuid>,
    #[sea_orm(column_type = "Decimal(Some((12, 2)))")]
    pub unit_price: Decimal,
    pub min_quantity: i32,
    pub valid_from: DateTimeUtc,
    pub valid_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::read_by_position!(Model {
    id,
    tenant_id,
    sku_id,
    price_tier,
    customer_id,
    unit_price,
    min_quantity,
    valid_from,
    valid_until,
    created_at,
    updated_at,
});

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Sku: belongs_to super::skus::Entity, from Column::SkuId, to super::skus::Column::Id, on_delete Cascade;
    Customer: belongs_to super::customers::Entity, from Column::CustomerId, to super::customers::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::skus::Entity => Relation::Sku;
    super::customers::Entity => Relation::Customer;
}

impl ActiveModelBehavior for ActiveModel {}
