//! `role_permissions`: which permissions a role grants.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_permissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `None` for the grants of the shared system roles.
    pub tenant_id: Option<Uuid>,
    pub role_id: Uuid,
    pub permission_id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Role: belongs_to super::roles::Entity, from Column::RoleId, to super::roles::Column::Id, on_delete Cascade;
    Permission: belongs_to super::permissions::Entity, from Column::PermissionId, to super::permissions::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::roles::Entity => Relation::Role;
    super::permissions::Entity => Relation::Permission;
}

impl ActiveModelBehavior for ActiveModel {}
