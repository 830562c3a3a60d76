//! `portal_users`: a customer's staff who log in to the ordering portal.
//!
//! The `customer_id` relation lives in catalog's `customers` entity (this crate cannot name it).

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

use super::enums::UserStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub customer_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub email: String,
    #[sea_orm(column_type = "Text")]
    pub password_hash: String,
    #[sea_orm(column_type = "Text")]
    pub full_name: String,
    pub status: UserStatus,
    pub failed_login_count: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    PortalUserRoles: has_many super::portal_user_roles::Entity;
    PortalSessions: has_many super::portal_sessions::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::portal_user_roles::Entity => Relation::PortalUserRoles;
    super::portal_sessions::Entity => Relation::PortalSessions;
    super::roles::Entity => super::portal_user_roles::Relation::Role,
        via super::portal_user_roles::Relation::PortalUser;
}

impl ActiveModelBehavior for ActiveModel {}
