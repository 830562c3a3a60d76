//! `list_items`: one SKU on a saved list, with the quantity to order by default.

use leora_catalog::entities::skus;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "list_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The list's customer (part of the composite key to `lists`).
    pub customer_id: Uuid,
    pub list_id: Uuid,
    pub sku_id: Uuid,
    pub default_quantity: i32,
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    pub position: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    List: belongs_to super::lists::Entity, from Column::ListId, to super::lists::Column::Id, on_delete Cascade;
    Sku: belongs_to skus::Entity, from Column::SkuId, to skus::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::lists::Entity => Relation::List;
    skus::Entity => Relation::Sku;
}

impl ActiveModelBehavior for ActiveModel {}
