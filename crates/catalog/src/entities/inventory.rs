//! `inventory`: stock of one SKU at one location; `reserved` never exceeds `on_hand`.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inventory")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub sku_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub location: String,
    pub on_hand: i32,
    pub reserved: i32,
    pub low_stock_threshold: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Sku: belongs_to super::skus::Entity, from Column::SkuId, to super::skus::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::skus::Entity => Relation::Sku;
}

impl ActiveModelBehavior for ActiveModel {}
