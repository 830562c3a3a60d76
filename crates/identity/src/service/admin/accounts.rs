//! Creating internal and portal users and changing their status.

use chrono::Utc;
use leora_tenancy::Refusal;
use leora_tenancy::TenantTx;
use leora_tenancy::error::update_visible;
use leora_tenancy::sql::{Violation, stmt, violated_constraint};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, Set, Unchanged,
};
use uuid::Uuid;

use super::input::{normalize_email, required_name};
use super::roles::{portal_role_grant, resolve_roles};
use crate::entities::enums::{RoleAudience, UserStatus};
use crate::entities::{portal_user_roles, portal_users, user_roles, users};
use crate::error::IdentityError;
use crate::service::passwords::{check_password_policy, hash_off_runtime};
use crate::service::session_store::revoke_all_sessions;
use crate::service::tokens::PrincipalKind;

const DEFAULT_PORTAL_ROLE: &str = "portal_user";

/// The password hash of an account that has no password yet: not a PHC string, so no password
/// ever verifies against it (`passwords::verify_password` is false for a malformed hash).
const NO_PASSWORD: &str = "!no-password";

pub struct NewUser {
    pub email: String,
    pub full_name: String,
    pub password: String,
    /// Role names; internal roles only.
    pub roles: Vec<String>,
    pub manager_id: Option<Uuid>,
}

/// A member of staff invited without a password (see [`invite_user`]).
pub struct NewInvitation {
    pub email: String,
    pub full_name: String,
    /// Role names; internal roles only.
    pub roles: Vec<String>,
}

pub struct NewPortalUser {
    pub customer_id: Uuid,
    pub email: String,
    pub full_name: String,
    pub password: String,
    /// Role names; portal roles only. Empty means `portal_user`.
    pub roles: Vec<String>,
}

/// Creates an active internal user with the given roles.
///
/// Bad email, name, password, role or manager → `BadInput` naming the field (`email`, `fullName`,
/// `password`, `roles`, `managerId`); an email the tenant already uses → `Conflict` on `email`
/// (the transaction is then aborted and must be rolled back).
pub async fn create_user(tx: &TenantTx, input: NewUser) -> Result<users::Model, IdentityError> {
    let email = normalize_email(&input.email)?;
    let full_name = required_name(&input.full_name)?;
    check_password_policy(&input.password)?;
    let roles = resolve_roles(tx, &input.roles, RoleAudience::Internal).await?;
    if let Some(manager_id) = input.manager_id
        && users::Entity::find_by_id(manager_id)
            .one(tx)
            .await?
            .is_none()
    {
        return Err(IdentityError::bad_input("managerId", "no such user"));
    }
    let account = users::ActiveModel {
        email: Set(email),
        password_hash: Set(hash_off_runtime(&input.password).await?),
        full_name: Set(full_name),
        status: Set(UserStatus::Active),
        manager_id: Set(input.manager_id),
        ..Default::default()
    };
    insert_user(tx, account, &roles).await
}

/// Creates an `invited` internal user with the given roles and no password: they cannot sign in
/// until they set one with a password-reset token (`password_reset`), which also makes them
/// active. The same checks as [`create_user`] on `email`, `fullName` and `roles`.
pub async fn invite_user(
    tx: &TenantTx,
    input: NewInvitation,
) -> Result<users::Model, IdentityError> {
    let email = normalize_email(&input.email)?;
    let full_name = required_name(&input.full_name)?;
    let roles = resolve_roles(tx, &input.roles, RoleAudience::Internal).await?;
    let account = users::ActiveModel {
        email: Set(email),
        password_hash: Set(NO_PASSWORD.to_owned()),
        full_name: Set(full_name),
        status: Set(UserStatus::Invited),
        ..Default::default()
    };
    insert_user(tx, account, &roles).await
}

/// Inserts `account` (its checked fields set) in the transaction's tenant, holding `roles`.
async fn insert_user(
    tx: &TenantTx,
    account: users::ActiveModel,
    roles: &[crate::entities::roles::Model],
) -> Result<users::Model, IdentityError> {
    let tenant_id = tx.tenant_id();
    let user = users::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        ..account
    }
    .insert(tx)
    .await
    .map_err(|error| email_conflict(error, "a user with this email already exists"))?;
    if !roles.is_empty() {
        let links = roles.iter().map(|role| user_roles::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(tenant_id),
            user_id: Set(user.id),
            role_id: Set(role.id),
            ..Default::default()
        });
        user_roles::Entity::insert_many(links)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(user)
}

/// Creates an active portal user for a customer the transaction can see (`NotFound` customer
/// otherwise), with the same input rules as [`create_user`].
pub async fn create_portal_user(
    tx: &TenantTx,
    input: NewPortalUser,
) -> Result<portal_users::Model, IdentityError> {
    let tenant_id = tx.tenant_id();
    let email = normalize_email(&input.email)?;
    let full_name = required_name(&input.full_name)?;
    check_password_policy(&input.password)?;
    if !customer_exists(tx, input.customer_id).await? {
        return Err(Refusal::NotFound { entity: "customer" }.into());
    }
    let role_names = if input.roles.is_empty() {
        vec![DEFAULT_PORTAL_ROLE.to_owned()]
    } else {
        input.roles
    };
    let roles = resolve_roles(tx, &role_names, RoleAudience::Portal).await?;
    let user = portal_users::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        customer_id: Set(input.customer_id),
        email: Set(email),
        password_hash: Set(hash_off_runtime(&input.password).await?),
        full_name: Set(full_name),
        status: Set(UserStatus::Active),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|error| email_conflict(error, "a portal user with this email already exists"))?;
    let links = roles
        .iter()
        .map(|role| portal_role_grant(tenant_id, &user, role.id));
    portal_user_roles::Entity::insert_many(links)
        .exec_without_returning(tx)
        .await?;
    Ok(user)
}

/// Sets a user's status; any status but active also ends all the user's sessions.
pub async fn set_user_status(
    tx: &DatabaseTransaction,
    user_id: Uuid,
    status: UserStatus,
) -> Result<users::Model, IdentityError> {
    let changes = users::ActiveModel {
        id: Unchanged(user_id),
        status: Set(status),
        ..Default::default()
    };
    let user = update_visible::<_, IdentityError>(changes, tx, "user").await?;
    if status != UserStatus::Active {
        revoke_all_sessions(tx, PrincipalKind::User, user_id, Utc::now()).await?;
    }
    Ok(user)
}

/// Sets a portal user's status; any status but active also ends all its sessions.
pub async fn set_portal_user_status(
    tx: &DatabaseTransaction,
    portal_user_id: Uuid,
    status: UserStatus,
) -> Result<portal_users::Model, IdentityError> {
    let changes = portal_users::ActiveModel {
        id: Unchanged(portal_user_id),
        status: Set(status),
        ..Default::default()
    };
    let user = update_visible::<_, IdentityError>(changes, tx, "portal user").await?;
    if status != UserStatus::Active {
        revoke_all_sessions(tx, PrincipalKind::PortalUser, portal_user_id, Utc::now()).await?;
    }
    Ok(user)
}

async fn customer_exists(tx: &DatabaseTransaction, customer_id: Uuid) -> Result<bool, DbErr> {
    // `customers` belongs to the catalog crate, above this one, so it is named in SQL only.
    let row = tx
        .query_one_raw(stmt(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = $1) AS found",
            [customer_id.into()],
        ))
        .await?;
    match row {
        Some(row) => row.try_get("", "found"),
        None => Ok(false),
    }
}

fn email_conflict(error: DbErr, message: &str) -> IdentityError {
    // The email is the only unique column a new row can collide on (its id is fresh).
    match violated_constraint(&error) {
        Some(Violation::Unique(_)) => Refusal::conflict("email", message).into(),
        _ => error.into(),
    }
}
