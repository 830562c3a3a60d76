//! What an operator does to tenants: create one with its settings, list them, suspend and
//! reactivate them (`leora tenants …`, crates/gateway/src/commands/tenants.rs).
//!
//! Every function takes the **owner** connection: the migration role (`DIRECT_URL`) or a
//! superuser, past row-level security. The application role may only read its own tenant's row
//! (docs/database/README.md, section 5), so no request, whatever its permissions, can do any of
//! this.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::tenants::{self, TenantStatus};
use crate::error::{Refusal, TenancyError};
use crate::sql::{Violation, stmt, violated_constraint};
use crate::validate;

/// The longest tenant name accepted.
const MAX_NAME_CHARS: usize = 200;

/// The most tenants [`list`] returns: far beyond any installation, a bound all the same.
pub const LIST_LIMIT: u64 = 10_000;

/// A tenant to create. Absent settings take the column defaults of `tenant_settings`
/// (docs/domain-rules.md, "Tenant settings").
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub slug: String,
    pub name: String,
    pub timezone: Option<String>,
    pub currency: Option<String>,
}

/// A [`NewTenant`] whose every field passed its check; made by [`check`].
#[derive(Debug, Clone)]
pub struct CheckedTenant {
    slug: String,
    name: String,
    timezone: Option<String>,
    currency: Option<String>,
}

impl CheckedTenant {
    pub fn slug(&self) -> &str {
        &self.slug
    }
}

/// Checks every field of `input` (`BadInput` on `slug`, `name`, `timezone` or `currency`), the
/// time zone against the database's own list, and that no tenant has the slug yet (`Conflict` on
/// `slug`), writing nothing: a caller with more to check (the first admin's email) checks it all
/// before anything is created.
pub async fn check(
    owner: &DatabaseConnection,
    input: NewTenant,
) -> Result<CheckedTenant, TenancyError> {
    let slug = validate::slug("slug", &input.slug)?;
    let name = validate::required_text("name", &input.name, MAX_NAME_CHARS)?;
    let currency = input
        .currency
        .map(|code| validate::currency("currency", &code))
        .transpose()?;
    let timezone = match input.timezone {
        Some(zone) => Some(validate::timezone::<TenancyError>(owner, "timezone", &zone).await?),
        None => None,
    };
    if find(owner, &slug).await?.is_some() {
        return Err(slug_taken(&slug).into());
    }
    Ok(CheckedTenant {
        slug,
        name,
        timezone,
        currency,
    })
}

/// Creates the tenant, active, and its settings row in one transaction. A slug taken meanwhile is
/// `Conflict` on `slug`.
pub async fn create(
    owner: &DatabaseConnection,
    tenant: &CheckedTenant,
) -> Result<tenants::Model, TenancyError> {
    let id = Uuid::now_v7();
    let tx = owner.begin().await?;
    tx.execute_raw(stmt(
        "INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)",
        [
            id.into(),
            tenant.slug.clone().into(),
            tenant.name.clone().into(),
        ],
    ))
    .await
    .map_err(|error| match violated_constraint(&error) {
        Some(Violation::Unique(_)) => TenancyError::from(slug_taken(&tenant.slug)),
        _ => error.into(),
    })?;
    // The row first with every default, then what was given: the defaults stay the columns' own.
    tx.execute_raw(stmt(
        "INSERT INTO tenant_settings (tenant_id) VALUES ($1)",
        [id.into()],
    ))
    .await?;
    tx.execute_raw(stmt(
        "UPDATE tenant_settings SET timezone = coalesce($2, timezone), \
                currency = coalesce($3, currency) \
          WHERE tenant_id = $1",
        [
            id.into(),
            tenant.timezone.clone().into(),
            tenant.currency.clone().into(),
        ],
    ))
    .await?;
    tx.commit().await?;
    find(owner, &tenant.slug)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("tenant {} just created", tenant.slug)).into())
}

/// Deletes a tenant and, through the cascades of every `tenant_id`, everything it holds: undoes
/// a [`create`] whose next step failed, so that the slug can be tried again.
pub async fn remove(owner: &DatabaseConnection, tenant_id: Uuid) -> Result<(), TenancyError> {
    owner
        .execute_raw(stmt(
            "DELETE FROM tenants WHERE id = $1",
            [tenant_id.into()],
        ))
        .await?;
    Ok(())
}

/// The tenants, oldest first, at most [`LIST_LIMIT`] of them.
pub async fn list(owner: &DatabaseConnection) -> Result<Vec<tenants::Model>, TenancyError> {
    Ok(tenants::Entity::find()
        .order_by_asc(tenants::Column::CreatedAt)
        .order_by_asc(tenants::Column::Slug)
        .limit(LIST_LIMIT)
        .all(owner)
        .await?)
}

/// The tenant's status before and after a [`set_status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub before: TenantStatus,
    pub after: TenantStatus,
}

impl StatusChange {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

#[derive(FromQueryResult)]
struct Before {
    status: TenantStatus,
}

/// Sets the tenant's status (`NotFound` tenant for an unknown slug). Setting the status it has is
/// no error and changes nothing. A suspended or cancelled tenant is shut out at its next request
/// (docs/domain-rules.md, "Sign-in and sessions"); nothing of it is deleted.
pub async fn set_status(
    owner: &DatabaseConnection,
    slug: &str,
    status: TenantStatus,
) -> Result<StatusChange, TenancyError> {
    let tx = owner.begin().await?;
    let before = Before::find_by_statement(stmt(
        "SELECT status FROM tenants WHERE slug = $1 FOR UPDATE",
        [slug.trim().into()],
    ))
    .one(&tx)
    .await?
    .ok_or(Refusal::NotFound { entity: "tenant" })?;
    if before.status != status {
        tx.execute_raw(stmt(
            "UPDATE tenants SET status = $2 WHERE slug = $1",
            [slug.trim().into(), status.into()],
        ))
        .await?;
    }
    tx.commit().await?;
    Ok(StatusChange {
        before: before.status,
        after: status,
    })
}

/// The tenant with this slug, whatever its status.
pub async fn find(
    owner: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<tenants::Model>, DbErr> {
    tenants::Entity::find()
        .filter(tenants::Column::Slug.eq(slug))
        .one(owner)
        .await
}

fn slug_taken(slug: &str) -> Refusal {
    Refusal::conflict("slug", format!("the slug {slug:?} is taken"))
}
