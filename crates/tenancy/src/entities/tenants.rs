//! `tenants`: one row per distributor using Leora.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text", unique)]
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub subscription_tier: SubscriptionTier,
    pub status: TenantStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum SubscriptionTier {
    #[sea_orm(string_value = "starter")]
    Starter,
    #[sea_orm(string_value = "professional")]
    Professional,
    #[sea_orm(string_value = "enterprise")]
    Enterprise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum TenantStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "suspended")]
    Suspended,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

crate::relations! {
    TenantSettings: has_one super::tenant_settings::Entity;
}

crate::related! {
    super::tenant_settings::Entity => Relation::TenantSettings;
}

impl ActiveModelBehavior for ActiveModel {}
