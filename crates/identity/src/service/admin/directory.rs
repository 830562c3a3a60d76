//! Reading the tenant's staff, its customers' portal users and the role catalogue. Row-level
//! security shows a portal administrator its own customer's portal users only.

use leora_tenancy::error::find_visible;
use leora_tenancy::filter::FilterIfGiven;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Select};
use uuid::Uuid;

use crate::entities::enums::UserStatus;
use crate::entities::{permissions, portal_users, roles, users};
use crate::error::IdentityError;

#[derive(Debug, Clone, Default)]
pub struct PortalUserFilter {
    pub customer_id: Option<Uuid>,
    /// Any of these; empty means any status.
    pub statuses: Vec<UserStatus>,
}

/// The staff in any of `statuses` (all when empty); pagination orders them.
pub fn users(statuses: &[UserStatus]) -> Select<users::Entity> {
    users::Entity::find().filter_in(users::Column::Status, statuses.iter().copied())
}

/// The portal users matching `filter`; pagination orders them.
pub fn portal_users(filter: &PortalUserFilter) -> Select<portal_users::Entity> {
    use portal_users::Column;
    portal_users::Entity::find()
        .filter_eq(Column::CustomerId, filter.customer_id)
        .filter_in(Column::Status, filter.statuses.iter().copied())
}

/// One staff member; any other → `NotFound`.
pub async fn user(tx: &DatabaseTransaction, id: Uuid) -> Result<users::Model, IdentityError> {
    find_visible::<users::Entity, _>(tx, id, "user").await
}

/// The staff member with this (normalised, lower-case) email, if the tenant has one.
pub async fn user_by_email(
    tx: &DatabaseTransaction,
    email: &str,
) -> Result<Option<users::Model>, IdentityError> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(tx)
        .await?)
}

/// One portal user; any other → `NotFound`.
pub async fn portal_user(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<portal_users::Model, IdentityError> {
    find_visible::<portal_users::Entity, _>(tx, id, "portal user").await
}

/// The system roles and the tenant's own, by name.
pub async fn roles(tx: &DatabaseTransaction) -> Result<Vec<roles::Model>, IdentityError> {
    Ok(roles::Entity::find()
        .order_by_asc(roles::Column::Name)
        .all(tx)
        .await?)
}

/// The permission catalogue, by key.
pub async fn permissions(
    tx: &DatabaseTransaction,
) -> Result<Vec<permissions::Model>, IdentityError> {
    Ok(permissions::Entity::find()
        .order_by_asc(permissions::Column::Key)
        .all(tx)
        .await?)
}
