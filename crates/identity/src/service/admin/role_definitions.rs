//! A tenant's own roles: named sets of permissions of one audience, next to the system roles
//! every tenant shares. System roles are read-only; a role still held by someone cannot be
//! deleted (take it from them first).

use std::collections::BTreeSet;

use leora_tenancy::TenantTx;
use leora_tenancy::sql::{Violation, stmt, violated_constraint};
use leora_tenancy::{Refusal, sql};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::entities::enums::RoleAudience;
use crate::entities::{permissions, role_permissions, roles};
use crate::error::IdentityError;

const MAX_NAME_CHARS: usize = 100;
const MAX_DESCRIPTION_CHARS: usize = 500;

pub struct NewRole {
    pub name: String,
    pub description: Option<String>,
    pub audience: RoleAudience,
    /// Permission keys, all of the role's audience.
    pub permissions: Vec<String>,
}

/// Changes to a role: `None` leaves a field as it is; `permissions` replaces the whole set.
#[derive(Default)]
pub struct RoleChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
}

/// Creates a tenant role. A bad name or description → `BadInput` on `name` / `description`; an
/// unknown permission, or one of the other audience → `BadInput` on `permissions`; a name the
/// tenant already uses → `Conflict` on `name`.
pub async fn create_role(tx: &TenantTx, input: NewRole) -> Result<roles::Model, IdentityError> {
    let name = role_name(&input.name)?;
    let description = description(input.description.as_deref().unwrap_or_default())?;
    let grants = permission_ids(tx, &input.permissions, input.audience).await?;
    let role = roles::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(Some(tx.tenant_id())),
        name: Set(name),
        description: Set(description),
        audience: Set(input.audience),
        is_system: Set(false),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(name_conflict)?;
    grant(tx, &role, &grants).await?;
    Ok(role)
}

/// Renames, redescribes or re-permissions a tenant role; a system role → `Forbidden`. The rules of
/// [`create_role`] apply; the audience never changes.
pub async fn update_role(
    tx: &TenantTx,
    id: Uuid,
    changes: RoleChanges,
) -> Result<roles::Model, IdentityError> {
    let role = own_role(tx, id).await?;
    let name = changes.name.as_deref().map(role_name).transpose()?;
    let description = changes
        .description
        .as_deref()
        .map(description)
        .transpose()?;
    let grants = match &changes.permissions {
        Some(keys) => Some(permission_ids(tx, keys, role.audience).await?),
        None => None,
    };
    let mut model: roles::ActiveModel = role.into();
    if let Some(name) = name {
        model.name = Set(name);
    }
    if let Some(description) = description {
        model.description = Set(description);
    }
    let role = model.update(tx).await.map_err(name_conflict)?;
    if let Some(grants) = grants {
        role_permissions::Entity::delete_many()
            .filter(role_permissions::Column::RoleId.eq(role.id))
            .exec(tx)
            .await?;
        grant(tx, &role, &grants).await?;
    }
    Ok(role)
}

/// Deletes a tenant role nobody holds: a system role → `Forbidden`, one still held by a user or
/// portal user → `Conflict`.
pub async fn delete_role(tx: &TenantTx, id: Uuid) -> Result<(), IdentityError> {
    let role = own_role(tx, id).await?;
    let holders = sql::count(
        tx,
        stmt(
            "SELECT (SELECT count(*) FROM user_roles WHERE role_id = $1)
                  + (SELECT count(*) FROM portal_user_roles WHERE role_id = $1)",
            [role.id.into()],
        ),
    )
    .await?;
    if holders > 0 {
        return Err(Refusal::conflict(
            "id",
            format!("{holders} account(s) hold this role: revoke it from them first"),
        )
        .into());
    }
    roles::Entity::delete_by_id(role.id).exec(tx).await?;
    Ok(())
}

/// A role the tenant sees, when it is the tenant's own (system roles → `Forbidden`). Locked: an
/// assignment racing a deletion waits for it (its foreign-key check shares the row), then fails.
async fn own_role(tx: &DatabaseTransaction, id: Uuid) -> Result<roles::Model, IdentityError> {
    let seen = roles::Entity::find_by_id(id).one(tx).await?;
    if seen.as_ref().is_some_and(|role| role.is_system) {
        return Err(IdentityError::Forbidden {
            reason: "system roles cannot be changed; create a role of your own".to_owned(),
        });
    }
    // Row-level security lets a transaction lock only its tenant's rows, which this one is.
    roles::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or_else(|| Refusal::NotFound { entity: "role" }.into())
}

fn role_name(raw: &str) -> Result<String, IdentityError> {
    let name = raw.trim().to_ascii_lowercase();
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= MAX_NAME_CHARS;
    if !valid {
        return Err(IdentityError::bad_input(
            "name",
            "must be a letter followed by letters, digits or underscores, such as buyer_lead",
        ));
    }
    Ok(name)
}

fn description(raw: &str) -> Result<String, IdentityError> {
    let text = raw.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(IdentityError::bad_input(
            "description",
            format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// The ids of `keys` (deduplicated), each a permission of `audience`.
async fn permission_ids(
    tx: &DatabaseTransaction,
    keys: &[String],
    audience: RoleAudience,
) -> Result<Vec<Uuid>, IdentityError> {
    let wanted: BTreeSet<&str> = keys.iter().map(|key| key.trim()).collect();
    let found = permissions::Entity::find()
        .filter(permissions::Column::Key.is_in(wanted.iter().copied()))
        .all(tx)
        .await?;
    for key in &wanted {
        match found.iter().find(|permission| permission.key == *key) {
            None => {
                return Err(IdentityError::bad_input(
                    "permissions",
                    format!("{key} is not a permission"),
                ));
            }
            Some(permission) if permission.audience != audience => {
                return Err(IdentityError::bad_input(
                    "permissions",
                    format!("{key} is for the other audience than this role's"),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(found.into_iter().map(|permission| permission.id).collect())
}

async fn grant(
    tx: &DatabaseTransaction,
    role: &roles::Model,
    permission_ids: &[Uuid],
) -> Result<(), IdentityError> {
    if permission_ids.is_empty() {
        return Ok(());
    }
    let links = permission_ids
        .iter()
        .map(|permission_id| role_permissions::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(role.tenant_id),
            role_id: Set(role.id),
            permission_id: Set(*permission_id),
            ..Default::default()
        });
    role_permissions::Entity::insert_many(links)
        .exec_without_returning(tx)
        .await?;
    Ok(())
}

fn name_conflict(error: DbErr) -> IdentityError {
    match violated_constraint(&error) {
        Some(Violation::Unique(_)) => {
            Refusal::conflict("name", "the tenant already has a role of this name").into()
        }
        _ => error.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_identifiers() {
        assert_eq!(role_name(" Buyer_Lead2 ").unwrap(), "buyer_lead2");
        for bad in ["", "2nd", "buyer lead", "chef-de-cave"] {
            assert!(role_name(bad).is_err(), "{bad:?}");
        }
    }
}
