//! `users`: a tenant's internal staff (admins, managers, sales reps).

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

use super::enums::UserStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub email: String,
    #[sea_orm(column_type = "Text")]
    pub password_hash: String,
    #[sea_orm(column_type = "Text")]
    pub full_name: String,
    pub status: UserStatus,
    pub manager_id: Option<Uuid>,
    pub failed_login_count: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Manager: belongs_to Entity, from Column::ManagerId, to Column::Id, on_delete SetNull;
    UserRoles: has_many super::user_roles::Entity;
    UserSessions: has_many super::user_sessions::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::user_roles::Entity => Relation::UserRoles;
    super::user_sessions::Entity => Relation::UserSessions;
    super::roles::Entity => super::user_roles::Relation::Role,
        via super::user_roles::Relation::User;
}

impl ActiveModelBehavior for ActiveModel {}
