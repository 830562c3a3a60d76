//! `suppliers`: producers and importers; rows without a tenant form a shared directory.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "suppliers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `None` for the shared supplier directory.
    pub tenant_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub contact_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub contact_email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub phone: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub website: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub country: Option<String>,
    pub status: SupplierStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum SupplierStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "inactive")]
    Inactive,
}

leora_tenancy::read_by_position!(Model {
    id,
    tenant_id,
    name,
    contact_name,
    contact_email,
    phone,
    website,
    country,
    status as text_enum,
    created_at,
    updated_at,
});

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Products: has_many super::products::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::products::Entity => Relation::Products;
}

impl ActiveModelBehavior for ActiveModel {}
