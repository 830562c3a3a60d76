//! `password_resets`: a single-use, expiring token with which a member of staff or a portal user
//! sets a password (migrations 15 and 16). Only the SHA-256 of the token's secret is stored. A row
//! names exactly one account: `user_id` for staff, `portal_user_id` (with its `customer_id`) for a
//! portal user.

use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "password_resets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    /// The portal user's customer (part of the composite key to `portal_users`); NULL for staff.
    pub customer_id: Option<Uuid>,
    pub portal_user_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub requested_by_user_id: Option<Uuid>,
    /// The portal admin who issued it, for a portal user's token.
    pub requested_by_portal_user_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    User: belongs_to super::users::Entity, from Column::UserId, to super::users::Column::Id, on_delete Cascade;
    PortalUser: belongs_to super::portal_users::Entity, from Column::PortalUserId, to super::portal_users::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    super::users::Entity => Relation::User;
    super::portal_users::Entity => Relation::PortalUser;
}

impl ActiveModelBehavior for ActiveModel {}
