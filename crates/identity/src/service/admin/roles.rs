//! Granting and taking roles, and loading roles and permissions in batches.

use leora_tenancy::Refusal;
use leora_tenancy::TenantTx;
use std::collections::HashMap;

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Related, Set,
};
use uuid::Uuid;

use super::directory::{portal_user, user};
use crate::entities::enums::RoleAudience;
use crate::entities::{
    permissions, portal_user_roles, portal_users, role_permissions, roles, user_roles,
};
use crate::error::IdentityError;

/// Gives an internal user a role; giving one it already holds changes nothing. A portal role is
/// `Forbidden`.
pub async fn assign_role(
    tx: &TenantTx,
    user_id: Uuid,
    role_name: &str,
) -> Result<(), IdentityError> {
    let tenant_id = tx.tenant_id();
    let role = role_for(tx, role_name, RoleAudience::Internal).await?;
    user(tx, user_id).await?;
    user_roles::Entity::insert(user_roles::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        user_id: Set(user_id),
        role_id: Set(role.id),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            user_roles::Column::TenantId,
            user_roles::Column::UserId,
            user_roles::Column::RoleId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(tx)
    .await?;
    Ok(())
}

/// Takes a role from an internal user; taking one it does not hold changes nothing.
pub async fn revoke_role(
    tx: &TenantTx,
    user_id: Uuid,
    role_name: &str,
) -> Result<(), IdentityError> {
    let tenant_id = tx.tenant_id();
    let role = role_for(tx, role_name, RoleAudience::Internal).await?;
    user(tx, user_id).await?;
    user_roles::Entity::delete_many()
        .filter(user_roles::Column::TenantId.eq(tenant_id))
        .filter(user_roles::Column::UserId.eq(user_id))
        .filter(user_roles::Column::RoleId.eq(role.id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Gives a portal user a portal role; idempotent. An internal role is `Forbidden`.
pub async fn assign_portal_role(
    tx: &TenantTx,
    portal_user_id: Uuid,
    role_name: &str,
) -> Result<(), IdentityError> {
    let tenant_id = tx.tenant_id();
    let role = role_for(tx, role_name, RoleAudience::Portal).await?;
    let user = portal_user(tx, portal_user_id).await?;
    portal_user_roles::Entity::insert(portal_role_grant(tenant_id, &user, role.id))
        .on_conflict(
            OnConflict::columns([
                portal_user_roles::Column::TenantId,
                portal_user_roles::Column::PortalUserId,
                portal_user_roles::Column::RoleId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(tx)
        .await?;
    Ok(())
}

/// The row giving `user`, of `tenant_id`, the role `role_id`.
pub(super) fn portal_role_grant(
    tenant_id: Uuid,
    user: &portal_users::Model,
    role_id: Uuid,
) -> portal_user_roles::ActiveModel {
    portal_user_roles::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        customer_id: Set(user.customer_id),
        portal_user_id: Set(user.id),
        role_id: Set(role_id),
        ..Default::default()
    }
}

/// Takes a role from a portal user; idempotent.
pub async fn revoke_portal_role(
    tx: &TenantTx,
    portal_user_id: Uuid,
    role_name: &str,
) -> Result<(), IdentityError> {
    let tenant_id = tx.tenant_id();
    let role = role_for(tx, role_name, RoleAudience::Portal).await?;
    portal_user(tx, portal_user_id).await?;
    portal_user_roles::Entity::delete_many()
        .filter(portal_user_roles::Column::TenantId.eq(tenant_id))
        .filter(portal_user_roles::Column::PortalUserId.eq(portal_user_id))
        .filter(portal_user_roles::Column::RoleId.eq(role.id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Role names (sorted) of each user, in one query; users without roles are absent.
pub async fn roles_of_users(
    tx: &DatabaseTransaction,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, IdentityError> {
    names_by_key::<user_roles::Entity, roles::Entity>(
        tx,
        user_roles::Column::UserId,
        roles::Column::Name,
        user_ids,
    )
    .await
}

/// Role names (sorted) of each portal user, in one query; portal users without roles are absent.
pub async fn roles_of_portal_users(
    tx: &DatabaseTransaction,
    portal_user_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, IdentityError> {
    names_by_key::<portal_user_roles::Entity, roles::Entity>(
        tx,
        portal_user_roles::Column::PortalUserId,
        roles::Column::Name,
        portal_user_ids,
    )
    .await
}

/// Permission keys (sorted) of each role, in one query; roles without permissions are absent.
pub async fn permissions_of_roles(
    tx: &DatabaseTransaction,
    role_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, IdentityError> {
    names_by_key::<role_permissions::Entity, permissions::Entity>(
        tx,
        role_permissions::Column::RoleId,
        permissions::Column::Key,
        role_ids,
    )
    .await
}

/// The `name` of the `Named` rows a link table joins to each of `ids` (its `key` column), sorted
/// per id, in one query; ids with no link are absent.
async fn names_by_key<Link, Named>(
    tx: &DatabaseTransaction,
    key: Link::Column,
    name: Named::Column,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, IdentityError>
where
    Link: EntityTrait + Related<Named>,
    Named: EntityTrait,
{
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let pairs = Link::find()
        .select_only()
        .column(key)
        .column(name)
        .inner_join(Named::default())
        .filter(key.is_in(ids.iter().copied()))
        .into_tuple()
        .all(tx)
        .await?;
    Ok(group_sorted(pairs))
}

fn group_sorted(pairs: Vec<(Uuid, String)>) -> HashMap<Uuid, Vec<String>> {
    let mut groups: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (id, name) in pairs {
        groups.entry(id).or_default().push(name);
    }
    for names in groups.values_mut() {
        names.sort_unstable();
    }
    groups
}

/// The roles named, each checked to exist and to be for `audience`; duplicates collapse.
pub(super) async fn resolve_roles(
    tx: &DatabaseTransaction,
    names: &[String],
    audience: RoleAudience,
) -> Result<Vec<roles::Model>, IdentityError> {
    let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let candidates = roles::Entity::find()
        .filter(roles::Column::Name.is_in(names.iter().copied()))
        .all(tx)
        .await?;
    names
        .into_iter()
        .map(|name| match preferred(&candidates, name) {
            None => Err(IdentityError::bad_input(
                "roles",
                format!("unknown role {name:?}"),
            )),
            Some(role) if role.audience != audience => Err(IdentityError::bad_input(
                "roles",
                wrong_audience(name, audience),
            )),
            Some(role) => Ok(role.clone()),
        })
        .collect()
}

/// One role by name: `NotFound` when the tenant has none, `Forbidden` when it is for the other
/// audience.
async fn role_for(
    tx: &DatabaseTransaction,
    name: &str,
    audience: RoleAudience,
) -> Result<roles::Model, IdentityError> {
    let candidates = roles::Entity::find()
        .filter(roles::Column::Name.eq(name))
        .all(tx)
        .await?;
    let role = preferred(&candidates, name).ok_or(Refusal::NotFound { entity: "role" })?;
    if role.audience != audience {
        return Err(IdentityError::Forbidden {
            reason: wrong_audience(name, audience),
        });
    }
    Ok(role.clone())
}

/// The tenant's own role of this name if it has one, else the system role.
fn preferred<'a>(candidates: &'a [roles::Model], name: &str) -> Option<&'a roles::Model> {
    candidates
        .iter()
        .filter(|role| role.name == name)
        .max_by_key(|role| role.tenant_id.is_some())
}

fn wrong_audience(name: &str, audience: RoleAudience) -> String {
    match audience {
        RoleAudience::Internal => {
            format!("{name:?} is a portal role; internal users cannot hold it")
        }
        RoleAudience::Portal => {
            format!("{name:?} is an internal role; portal users cannot hold it")
        }
    }
}
