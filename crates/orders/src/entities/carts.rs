//! `carts`: a portal user's shopping cart (at most one active per portal user), converted into an
//! order at checkout.

use leora_identity::entities::portal_users;
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "carts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The portal user's customer (part of the composite keys to `portal_users` and `orders`).
    pub customer_id: Uuid,
    pub portal_user_id: Uuid,
    pub status: CartStatus,
    pub expires_at: DateTimeUtc,
    /// Set exactly when `status` is `converted`.
    pub converted_order_id: Option<Uuid>,
    pub converted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum CartStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "converted")]
    Converted,
    #[sea_orm(string_value = "abandoned")]
    Abandoned,
    #[sea_orm(string_value = "expired")]
    Expired,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    PortalUser: belongs_to portal_users::Entity, from Column::PortalUserId, to portal_users::Column::Id, on_delete Cascade;
    ConvertedOrder: belongs_to super::orders::Entity, from Column::ConvertedOrderId, to super::orders::Column::Id;
    CartItems: has_many super::cart_items::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    portal_users::Entity => Relation::PortalUser;
    super::orders::Entity => Relation::ConvertedOrder;
    super::cart_items::Entity => Relation::CartItems;
}

impl ActiveModelBehavior for ActiveModel {}
