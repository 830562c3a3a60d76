//! `lists`: a saved list of SKUs for a customer (favourites, order templates), owned by either a
//! portal user or an internal user.

use leora_catalog::entities::customers;
use leora_identity::entities::{portal_users, users};
use leora_tenancy::entities::tenants;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lists")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub customer_id: Uuid,
    /// Exactly one of `owner_portal_user_id` and `owner_user_id` is set.
    pub owner_portal_user_id: Option<Uuid>,
    pub owner_user_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    pub kind: ListKind,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum ListKind {
    #[sea_orm(string_value = "favorites")]
    Favorites,
    #[sea_orm(string_value = "template")]
    Template,
    #[sea_orm(string_value = "custom")]
    Custom,
}

leora_tenancy::relations! {
    Tenant: belongs_to tenants::Entity, from Column::TenantId, to tenants::Column::Id, on_delete Cascade;
    Customer: belongs_to customers::Entity, from Column::CustomerId, to customers::Column::Id, on_delete Cascade;
    OwnerPortalUser: belongs_to portal_users::Entity, from Column::OwnerPortalUserId, to portal_users::Column::Id, on_delete Cascade;
    OwnerUser: belongs_to users::Entity, from Column::OwnerUserId, to users::Column::Id, on_delete Cascade;
    ListItems: has_many super::list_items::Entity;
}

leora_tenancy::related! {
    tenants::Entity => Relation::Tenant;
    customers::Entity => Relation::Customer;
    portal_users::Entity => Relation::OwnerPortalUser;
    users::Entity => Relation::OwnerUser;
    super::list_items::Entity => Relation::ListItems;
}

impl ActiveModelBehavior for ActiveModel {}
