//! Changing a staff member's name, email and manager. The reporting lines form a tree: a change
//! that would make someone their own manager, directly or up the line, is refused.

use leora_tenancy::sql::{Violation, stmt, violated_constraint};
use leora_tenancy::{Refusal, TenantTx};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, FromQueryResult, Set};
use uuid::Uuid;

use super::directory::user;
use super::input::{normalize_email, required_name};
use crate::entities::users;
use crate::error::IdentityError;

/// Changes to a user: `None` leaves a field as it is; `manager_id: Some(None)` removes the
/// manager.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub manager_id: Option<Option<Uuid>>,
}

#[derive(FromQueryResult)]
struct Cycle {
    cycle: bool,
}

/// Changes a user. Bad name or email → `BadInput` on `fullName` / `email`; an email the tenant
/// already uses → `Conflict` on `email`; an unknown manager → `BadInput` on `managerId`, and one
/// who reports to the user (or is the user) → `BadInput` on `managerId` too.
pub async fn update_user(
    tx: &TenantTx,
    id: Uuid,
    changes: UserChanges,
) -> Result<users::Model, IdentityError> {
    let full_name = changes
        .full_name
        .as_deref()
        .map(required_name)
        .transpose()?;
    let email = changes.email.as_deref().map(normalize_email).transpose()?;
    let current = user(tx, id).await?;
    if let Some(Some(manager_id)) = changes.manager_id {
        // One reporting-line change at a time per tenant, so two cannot close a loop together.
        tx.execute_raw(stmt(
            "SELECT pg_advisory_xact_lock(hashtextextended('leora.reporting:' || $1::text, 0))",
            [tx.tenant_id().into()],
        ))
        .await?;
        match user(tx, manager_id).await {
            Err(IdentityError::Refused(Refusal::NotFound { .. })) => {
                return Err(IdentityError::bad_input("managerId", "no such user"));
            }
            found => drop(found?),
        }
        if reports_to(tx, manager_id, id).await? {
            return Err(IdentityError::bad_input(
                "managerId",
                "this user manages them, directly or up the line: reporting lines cannot loop",
            ));
        }
    }
    let mut model: users::ActiveModel = current.into();
    if let Some(full_name) = full_name {
        model.full_name = Set(full_name);
    }
    if let Some(email) = email {
        model.email = Set(email);
    }
    if let Some(manager_id) = changes.manager_id {
        model.manager_id = Set(manager_id);
    }
    model.update(tx).await.map_err(email_taken)
}

/// Whether `user_id` is `manager_id` or above them in their reporting line.
async fn reports_to(tx: &TenantTx, manager_id: Uuid, user_id: Uuid) -> Result<bool, DbErr> {
    let row = Cycle::find_by_statement(stmt(
        "WITH RECURSIVE line AS (
           SELECT id, manager_id FROM users WHERE id = $1
           UNION
           SELECT u.id, u.manager_id FROM users u JOIN line ON u.id = line.manager_id
         )
         SELECT EXISTS (SELECT 1 FROM line WHERE id = $2) AS cycle",
        [manager_id.into(), user_id.into()],
    ))
    .one(tx)
    .await?;
    Ok(row.is_some_and(|row| row.cycle))
}

fn email_taken(error: DbErr) -> IdentityError {
    match violated_constraint(&error) {
        Some(Violation::Unique(_)) => {
            Refusal::conflict("email", "a user with this email already exists").into()
        }
        _ => error.into(),
    }
}
