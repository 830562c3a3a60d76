//! `permissions`: the global catalogue of permission keys (reference data, no tenant).

use sea_orm::entity::prelude::*;

use super::enums::RoleAudience;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "permissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(column_type = "Text", unique)]
    pub key: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub audience: RoleAudience,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    RolePermissions: has_many super::role_permissions::Entity;
}

leora_tenancy::related! {
    super::role_permissions::Entity => Relation::RolePermissions;
    super::roles::Entity => super::role_permissions::Relation::Role,
        via super::role_permissions::Relation::Permission;
}

impl ActiveModelBehavior for ActiveModel {}
