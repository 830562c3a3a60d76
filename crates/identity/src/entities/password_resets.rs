//! `password_resets`: a single-use, expiring token with which a member of staff sets a password
//! (migration 15). Only the SHA-256 of the token's secret is stored.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "password_resets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub requested_by_user_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    User: belongs_to super::users::Entity, from Column::UserId, to super::users::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::users::Entity => Relation::User;
}

impl ActiveModelBehavior for ActiveModel {}
