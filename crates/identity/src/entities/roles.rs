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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "tenants::Entity",
        from = "Column::TenantId",
        to = "tenants::Column::Id",
        on_delete = "Cascade"
    )]
    Tenant,
    #[sea_orm(has_many = "super::role_permissions::Entity")]
    RolePermissions,
    #[sea_orm(has_many = "super::user_roles::Entity")]
    UserRoles,
    #[sea_orm(has_many = "super::portal_user_roles::Entity")]
    PortalUserRoles,
}

impl Related<tenants::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl Related<super::role_permissions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RolePermissions.def()
    }
}

impl Related<super::user_roles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UserRoles.def()
    }
}

impl Related<super::portal_user_roles::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PortalUserRoles.def()
    }
}

impl Related<super::permissions::Entity> for Entity {
    fn to() -> RelationDef {
        super::role_permissions::Relation::Permission.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::role_permissions::Relation::Role.def().rev())
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        super::user_roles::Relation::User.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::user_roles::Relation::Role.def().rev())
    }
}

impl Related<super::portal_users::Entity> for Entity {
    fn to() -> RelationDef {
        super::portal_user_roles::Relation::PortalUser.def()
    }

    fn via() -> Option<RelationDef> {
        Some(super::portal_user_roles::Relation::Role.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
