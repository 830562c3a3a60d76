//! `roles`: system roles (no tenant) and a tenant's own roles, each for one audience.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

use super::enums::RoleAudience;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `None` for the shared system roles.
    pub tenant_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub audience: RoleAudience,
    pub is_system: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    RolePermissions: has_many super::role_permissions::Entity;
    UserRoles: has_many super::user_roles::Entity;
    PortalUserRoles: has_many super::portal_user_roles::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::role_permissions::Entity => Relation::RolePermissions;
    super::user_roles::Entity => Relation::UserRoles;
    super::portal_user_roles::Entity => Relation::PortalUserRoles;
    super::permissions::Entity => super::role_permissions::Relation::Permission,
        via super::role_permissions::Relation::Role;
    super::users::Entity => super::user_roles::Relation::User,
        via super::user_roles::Relation::Role;
    super::portal_users::Entity => super::portal_user_roles::Relation::PortalUser,
        via super::portal_user_roles::Relation::Role;
}

impl ActiveModelBehavior for ActiveModel {}
