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
    pub status: Option<UserStatus>,
}

/// The staff in `status` (all when `None`); pagination orders them.
pub fn users(status: Option<UserStatus>) -> Select<users::Entity> {
    let select = users::Entity::find();
    match status {
        Some(status) => select.filter(users::Column::Status.eq(status)),
        None => select,
    }
}

/// The portal users matching `filter`; pagination orders them.
pub fn portal_users(filter: &PortalUserFilter) -> Select<portal_users::Entity> {
    use portal_users::Column;
    portal_users::Entity::find()
        .filter_eq(Column::CustomerId, filter.customer_id)
        .filter_eq(Column::Status, filter.status)
}

/// One staff member; any other → `NotFound`.
pub async fn user(tx: &DatabaseTransaction, id: Uuid) -> Result<users::Model, IdentityError> {
    find_visible::<users::Entity, _>(tx, id, "user").await
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
