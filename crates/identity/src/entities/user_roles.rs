//! `user_roles`: the (internal) roles an internal user holds.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub role_id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    User: belongs_to super::users::Entity, from Column::UserId, to super::users::Column::Id, on_delete Cascade;
    Role: belongs_to super::roles::Entity, from Column::RoleId, to super::roles::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::users::Entity => Relation::User;
    super::roles::Entity => Relation::Role;
}

impl ActiveModelBehavior for ActiveModel {}
