//! Development convenience (docs/domain-rules.md, "Development conveniences"): a demo portal
//! user, so a fresh development tenant can be tried through the portal at once. Refused in
//! production before anything is read or written.

use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait, QueryFilter,
    Set, Statement,
};
use uuid::Uuid;

use super::admin::assign_portal_role;
use super::passwords::hash_off_runtime;
use crate::entities::enums::UserStatus;
use crate::entities::portal_users;
use crate::error::IdentityError;

pub const DEMO_PORTAL_EMAIL: &str = "demo.buyer@example.com";
pub const DEMO_PORTAL_FULL_NAME: &str = "Demo Buyer";
pub const DEMO_CUSTOMER_ACCOUNT_NUMBER: &str = "DEMO-0001";
pub const DEMO_CUSTOMER_NAME: &str = "Demo Customer";
const DEMO_PORTAL_ROLE: &str = "portal_user";

/// Makes sure the tenant has an active demo portal user ([`DEMO_PORTAL_EMAIL`]) with `password`,
/// unlocked, holding `portal_user`, and returns it. A new one is attached to the tenant's first
/// active customer by account number, or to a "Demo Customer" (CA) created for it when the
/// tenant has none; an existing one keeps its customer. `production` → `Forbidden`, always.
pub async fn provision_demo_portal_user(
    tx: &TenantTx,
    password: &str,
    production: bool,
) -> Result<portal_users::Model, IdentityError> {
    let tenant_id = tx.tenant_id();
    if production {
        return Err(IdentityError::Forbidden {
            reason: "demo portal users exist only in development".to_owned(),
        });
    }
    let password_hash = hash_off_runtime(password).await?;
    let existing = portal_users::Entity::find()
        .filter(portal_users::Column::Email.eq(DEMO_PORTAL_EMAIL))
        .one(tx)
        .await?;
    let customer_id = match existing {
        Some(user) => user.customer_id,
        None => demo_customer(tx, tenant_id).await?,
    };
    // An upsert, so that two development servers starting at once both succeed.
    let user = portal_users::Entity::insert(portal_users::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        customer_id: Set(customer_id),
        email: Set(DEMO_PORTAL_EMAIL.to_owned()),
        password_hash: Set(password_hash),
        full_name: Set(DEMO_PORTAL_FULL_NAME.to_owned()),
        status: Set(UserStatus::Active),
        failed_login_count: Set(0),
        locked_until: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([portal_users::Column::TenantId, portal_users::Column::Email])
            .update_columns([
                portal_users::Column::PasswordHash,
                portal_users::Column::Status,
                portal_users::Column::FailedLoginCount,
                portal_users::Column::LockedUntil,
            ])
            .to_owned(),
    )
    .exec_with_returning(tx)
    .await?;
    assign_portal_role(tx, user.id, DEMO_PORTAL_ROLE).await?;
    Ok(user)
}

/// The tenant's first active customer by account number, else the demo customer (created, or
/// reactivated if someone deactivated it).
async fn demo_customer(tx: &DatabaseTransaction, tenant_id: Uuid) -> Result<Uuid, DbErr> {
    // `customers` belongs to the catalog crate, above this one, so it is named in SQL only.
    let first_active = tx
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id FROM customers WHERE status = 'active' ORDER BY account_number LIMIT 1",
        ))
        .await?;
    if let Some(row) = first_active {
        return row.try_get("", "id");
    }
    let created = tx
        .query_one_raw(stmt(
            "INSERT INTO customers (id, tenant_id, account_number, name, state) \
             VALUES ($1, $2, $3, $4, 'CA') \
             ON CONFLICT (tenant_id, account_number) DO UPDATE SET status = 'active' \
             RETURNING id",
            [
                Uuid::now_v7().into(),
                tenant_id.into(),
                DEMO_CUSTOMER_ACCOUNT_NUMBER.into(),
                DEMO_CUSTOMER_NAME.into(),
            ],
        ))
        .await?
        .ok_or(DbErr::RecordNotInserted)?;
    created.try_get("", "id")
}
