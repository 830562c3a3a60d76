//! `portal_user_roles`: the (portal) roles a portal user holds.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_user_roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The portal user's customer (part of the composite key to `portal_users`).
    pub customer_id: Uuid,
    pub portal_user_id: Uuid,
    pub role_id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    PortalUser: belongs_to super::portal_users::Entity, from Column::PortalUserId, to super::portal_users::Column::Id, on_delete Cascade;
    Role: belongs_to super::roles::Entity, from Column::RoleId, to super::roles::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::portal_users::Entity => Relation::PortalUser;
    super::roles::Entity => Relation::Role;
}

impl ActiveModelBehavior for ActiveModel {}
