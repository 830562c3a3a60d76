//! `cart_items`: a quantity of one SKU in a cart.

use leora_catalog::entities::skus;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cart_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The cart's customer (part of the composite key to `carts`).
    pub customer_id: Uuid,
    pub cart_id: Uuid,
    pub sku_id: Uuid,
    pub quantity: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Cart: belongs_to super::carts::Entity, from Column::CartId, to super::carts::Column::Id, on_delete Cascade;
    Sku: belongs_to skus::Entity, from Column::SkuId, to skus::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::carts::Entity => Relation::Cart;
    skus::Entity => Relation::Sku;
}

impl ActiveModelBehavior for ActiveModel {}
