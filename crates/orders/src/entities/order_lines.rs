//! `order_lines`: one SKU on an order, with the price it was sold at and the rule that chose it.

use leora_catalog::entities::{price_list_entries, skus};
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The order's customer (part of the composite key to `orders`).
    pub customer_id: Uuid,
    pub order_id: Uuid,
    pub line_number: i32,
    pub sku_id: Uuid,
    pub quantity: i32,
    #[sea_orm(column_type = "Decimal(Some((12, 2)))")]
    pub unit_price: Decimal,
    #[sea_orm(column_type = "Decimal(Some((12, 2)))")]
    pub discount: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub line_total: Decimal,
    #[sea_orm(column_type = "Decimal(Some((14, 2)))")]
    pub tax_amount: Decimal,
    pub pricing_rule: PricingRule,
    pub price_list_entry_id: Option<Uuid>,
    pub is_sample: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::read_by_position!(Model {
    id,
    tenant_id,
    customer_id,
    order_id,
    line_number,
    sku_id,
    quantity,
    unit_price,
    discount,
    line_total,
    tax_amount,
    pricing_rule as text_enum,
    price_list_entry_id,
    is_sample,
    created_at,
    updated_at,
});

/// Which rule set a line's unit price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum PricingRule {
    #[sea_orm(string_value = "base_price")]
    BasePrice,
    #[sea_orm(string_value = "price_tier")]
    PriceTier,
    #[sea_orm(string_value = "customer_price")]
    CustomerPrice,
    #[sea_orm(string_value = "sample")]
    Sample,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Order: belongs_to super::orders::Entity, from Column::OrderId, to super::orders::Column::Id, on_delete Cascade;
    Sku: belongs_to skus::Entity, from Column::SkuId, to skus::Column::Id;
    PriceListEntry: belongs_to price_list_entries::Entity, from Column::PriceListEntryId, to price_list_entries::Column::Id, on_delete SetNull;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::orders::Entity => Relation::Order;
    skus::Entity => Relation::Sku;
    price_list_entries::Entity => Relation::PriceListEntry;
}

impl ActiveModelBehavior for ActiveModel {}
