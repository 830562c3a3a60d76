//! `products`: a wine, spirit or beer a tenant sells; each has one or more SKUs.

use leora_compliance::entities::enums::ProductCategory;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

use super::enums::ProductStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub supplier_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub brand: Option<String>,
    pub category: ProductCategory,
    #[sea_orm(column_type = "Text")]
    pub varietal: Option<String>,
    pub vintage: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub region: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub country: Option<String>,
    #[sea_orm(column_type = "Decimal(Some((5, 2)))")]
    pub abv: Option<Decimal>,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub status: ProductStatus,
    #[sea_orm(column_type = "JsonBinary")]
    pub metadata: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::read_by_position!(Model {
    id,
    tenant_id,
    supplier_id,
    name,
    brand,
    category as text_enum,
    varietal,
    vintage,
    region,
    country,
    abv,
    description,
    status as text_enum,
    metadata,
    created_at,
    updated_at,
});

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Supplier: belongs_to super::suppliers::Entity, from Column::SupplierId, to super::suppliers::Column::Id, on_delete SetNull;
    Skus: has_many super::skus::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::suppliers::Entity => Relation::Supplier;
    super::skus::Entity => Relation::Skus;
}

impl ActiveModelBehavior for ActiveModel {}
