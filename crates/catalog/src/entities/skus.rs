//! `skus`: a sellable size and pack of a product, with its base price.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

use super::enums::ProductStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skus")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub product_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub code: String,
    pub size_ml: i32,
    pub units_per_case: i32,
    #[sea_orm(column_type = "Text")]
    pub upc: Option<String>,
    #[sea_orm(column_type = "Decimal(Some((12, 2)))")]
    pub base_price: Decimal,
    #[sea_orm(column_type = "Decimal(Some((12, 2)))")]
    pub unit_cost: Option<Decimal>,
    pub status: ProductStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Sold only within each customer's allocation (the orders crate's `allocations`).
    pub allocated: bool,
}

leora_tenancy::read_by_position!(Model {
    id,
    tenant_id,
    product_id,
    code,
    size_ml,
    units_per_case,
    upc,
    base_price,
    unit_cost,
    status as text_enum,
    created_at,
    updated_at,
    allocated,
});

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Product: belongs_to super::products::Entity, from Column::ProductId, to super::products::Column::Id, on_delete Cascade;
    Inventory: has_many super::inventory::Entity;
    PriceListEntries: has_many super::price_list_entries::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::products::Entity => Relation::Product;
    super::inventory::Entity => Relation::Inventory;
    super::price_list_entries::Entity => Relation::PriceListEntries;
}

impl ActiveModelBehavior for ActiveModel {}
