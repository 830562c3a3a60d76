//! `notifications`: a message to exactly one recipient, an internal user or a portal user.

use leora_identity::entities::{portal_users, users};
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

use super::enums::Priority;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub recipient_user_id: Option<Uuid>,
    pub recipient_portal_user_id: Option<Uuid>,
    /// The portal recipient's customer; `None` for internal recipients.
    pub customer_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub priority: Priority,
    pub read_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "JsonBinary")]
    pub data: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    RecipientUser: belongs_to users::Entity, from Column::RecipientUserId, to users::Column::Id, on_delete Cascade;
    RecipientPortalUser: belongs_to portal_users::Entity, from Column::RecipientPortalUserId, to portal_users::Column::Id, on_delete Cascade;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    users::Entity => Relation::RecipientUser;
    portal_users::Entity => Relation::RecipientPortalUser;
}

impl ActiveModelBehavior for ActiveModel {}
