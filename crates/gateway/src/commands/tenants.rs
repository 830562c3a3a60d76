//! `leora tenants create | list | suspend | activate | reset-password`: onboarding a distributor
//! and its life cycle, through the owner connection (`DIRECT_URL`), since the application role may
//! not write `tenants` (docs/database/README.md, section 5). docs/operations.md, "Tenants", is the
//! operator's guide.
//!
//! `create` makes the tenant and its settings as the owner, then, like `leora seed`, its first
//! admin as the application role through row-level security: an invited account with no password
//! and a single-use password-reset token, which the command prints (and only prints: it is never
//! logged) for the operator to hand over. The admin sets a password with `resetPassword`.

use std::io::Write;

use chrono::{Duration, SecondsFormat};
use leora_identity::IdentityError;
use leora_identity::service::admin::{self, NewInvitation};
use leora_identity::service::password_reset::{IssuedReset, issue_password_reset};
use leora_tenancy::entities::tenants::{self, TenantStatus};
use leora_tenancy::operator::{self, NewTenant};
use leora_tenancy::sql::stmt;
use leora_tenancy::validate::plausible_email;
use leora_tenancy::{Refusal, TenancyError, TenantContext, TenantDb, with_tenant};
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult};
use uuid::Uuid;

/// How long the first admin's token stays usable: a day, for the operator to hand it over (an
/// admin's own `issuePasswordReset` gives an hour).
pub const FIRST_ADMIN_TOKEN_TTL: Duration = Duration::hours(24);

/// The first admin's name until they change it.
const FIRST_ADMIN_NAME: &str = "Administrator";

/// `leora tenants create`'s input, as the flags give it.
#[derive(Debug, Clone)]
pub struct CreateTenant {
    pub slug: String,
    pub name: String,
    pub admin_email: String,
    pub timezone: Option<String>,
    pub currency: Option<String>,
}

/// Why a tenant command did nothing (or, for `create`, undid what it had done). Each is one line
/// for the operator; refused input names its flag.
#[derive(Debug, thiserror::Error)]
pub enum TenantsError {
    #[error("{}", flagged(.0))]
    Refused(Refusal),
    #[error("no tenant has the slug {0:?}")]
    UnknownSlug(String),
    #[error(transparent)]
    Tenancy(TenancyError),
    #[error(transparent)]
    Identity(IdentityError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl From<TenancyError> for TenantsError {
    fn from(error: TenancyError) -> Self {
        match error {
            TenancyError::Refused(refusal) => Self::Refused(refusal),
            other => Self::Tenancy(other),
        }
    }
}

impl From<IdentityError> for TenantsError {
    fn from(error: IdentityError) -> Self {
        match error {
            IdentityError::Refused(refusal) => Self::Refused(refusal),
            IdentityError::Tenancy(error) => error.into(),
            other => Self::Identity(other),
        }
    }
}

impl From<Refusal> for TenantsError {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

/// A refusal in the operator's words: the flag (`adminEmail` is `--admin-email`) and why.
fn flagged(refusal: &Refusal) -> String {
    match refusal {
        Refusal::BadInput { field, message } | Refusal::Conflict { field, message } => {
            format!("--{}: {message}", flag(field))
        }
        Refusal::NotFound { entity } => format!("{entity} not found"),
    }
}

fn flag(field: &str) -> String {
    field.chars().fold(String::new(), |mut flag, c| {
        if c.is_ascii_uppercase() {
            flag.push('-');
        }
        flag.push(c.to_ascii_lowercase());
        flag
    })
}

#[derive(FromQueryResult)]
struct Settings {
    timezone: String,
    currency: String,
}

/// Creates the tenant, its settings and its first admin, and writes the admin's set-password
/// token to `out`. Every input is checked before anything is written (`--slug` taken or
/// malformed, `--name` blank, `--admin-email`, `--timezone` not an IANA name PostgreSQL knows,
/// `--currency` not three capital letters); if the admin cannot be created, the tenant is
/// deleted again, so a retry starts clean.
pub async fn create(
    owner: &DatabaseConnection,
    db: &TenantDb,
    input: CreateTenant,
    out: &mut impl Write,
) -> Result<(), TenantsError> {
    let admin_email = plausible_email(&input.admin_email)
        .ok_or_else(|| Refusal::bad_input("adminEmail", "is not an email address"))?;
    let checked = operator::check(
        owner,
        NewTenant {
            slug: input.slug,
            name: input.name,
            timezone: input.timezone,
            currency: input.currency,
        },
    )
    .await?;
    let tenant = operator::create(owner, &checked).await?;
    let issued = match first_admin(db, tenant.id, &admin_email).await {
        Ok(issued) => issued,
        Err(error) => {
            if let Err(undo) = operator::remove(owner, tenant.id).await {
                tracing::error!(tenant = %tenant.slug, %undo, "could not delete the tenant whose admin failed");
            }
            return Err(error.into());
        }
    };
    let settings = Settings::find_by_statement(stmt(
        "SELECT timezone, currency FROM tenant_settings WHERE tenant_id = $1",
        [tenant.id.into()],
    ))
    .one(owner)
    .await?
    .ok_or_else(|| DbErr::RecordNotFound("the new tenant's settings".to_owned()))?;
    tracing::info!(tenant = %tenant.slug, "created a tenant and invited its first admin");
    write!(out, "{}", created_text(&tenant, &settings, &issued))?;
    Ok(())
}

async fn first_admin(
    db: &TenantDb,
    tenant_id: Uuid,
    email: &str,
) -> Result<IssuedReset, IdentityError> {
    with_tenant(db, &TenantContext::system(tenant_id), async |tx| {
        let invitation = NewInvitation {
            email: email.to_owned(),
            full_name: FIRST_ADMIN_NAME.to_owned(),
            roles: vec!["admin".to_owned()],
        };
        let admin = admin::invite_user(tx, invitation).await?;
        issue_password_reset(tx, admin.id, FIRST_ADMIN_TOKEN_TTL).await
    })
    .await
}

fn created_text(tenant: &tenants::Model, settings: &Settings, issued: &IssuedReset) -> String {
    let token = &issued.token;
    format!(
        "Created tenant {slug} ({name:?}, id {id}): active, time zone {timezone}, currency {currency}.\n\
         Its first admin, {email}, is invited and has no password yet. Hand them this single-use\n\
         token, valid until {expires}; it is shown only now:\n\
         \n\
         \x20   {token}\n\
         \n\
         They set their password with it, without signing in:\n\
         \n\
         \x20   mutation {{ resetPassword(token: \"{token}\", newPassword: \"…\") }}\n\
         \n\
         then sign in with tenantSlug \"{slug}\".\n",
        slug = tenant.slug,
        name = tenant.name,
        id = tenant.id,
        timezone = settings.timezone,
        currency = settings.currency,
        email = issued.email,
        expires = issued.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    )
}

/// Issues a new single-use set-password token for the tenant's user `email` (valid as the first
/// admin's, [`FIRST_ADMIN_TOKEN_TTL`]) and writes it to `out`: how an operator lets back in an
/// admin whose token expired, or a tenant whose every admin lost their password. Any earlier
/// token of the user stops working. An unknown slug or email is refused; nothing else changes
/// until the token is used.
pub async fn reset_password(
    owner: &DatabaseConnection,
    db: &TenantDb,
    slug: &str,
    email: &str,
    out: &mut impl Write,
) -> Result<(), TenantsError> {
    let slug = slug.trim();
    let tenant = operator::find(owner, slug)
        .await?
        .ok_or_else(|| TenantsError::UnknownSlug(slug.to_owned()))?;
    let email = plausible_email(email)
        .ok_or_else(|| Refusal::bad_input("email", "is not an email address"))?;
    let issued = with_tenant(db, &TenantContext::system(tenant.id), async |tx| {
        let user = admin::user_by_email(tx, &email)
            .await?
            .ok_or_else(|| Refusal::bad_input("email", "no user of this tenant has this email"))?;
        issue_password_reset(tx, user.id, FIRST_ADMIN_TOKEN_TTL).await
    })
    .await?;
    tracing::info!(tenant = %tenant.slug, "issued a set-password token from the command line");
    let token = &issued.token;
    write!(
        out,
        "A new single-use token for {email} of tenant {slug}, valid until {expires}; it is shown\n\
         only now, and any earlier one no longer works:\n\
         \n\
         \x20   {token}\n\
         \n\
         \x20   mutation {{ resetPassword(token: \"{token}\", newPassword: \"…\") }}\n",
        email = issued.email,
        slug = tenant.slug,
        expires = issued.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    )?;
    Ok(())
}

/// Writes the tenants to `out`, oldest first: slug, name, status and when each was created.
pub async fn list(owner: &DatabaseConnection, out: &mut impl Write) -> Result<(), TenantsError> {
    let tenants = operator::list(owner).await?;
    write!(out, "{}", list_text(&tenants))?;
    Ok(())
}

fn list_text(tenants: &[tenants::Model]) -> String {
    if tenants.is_empty() {
        return "no tenants yet: `leora tenants create` makes one\n".to_owned();
    }
    let rows: Vec<[String; 4]> = tenants
        .iter()
        .map(|tenant| {
            [
                tenant.slug.clone(),
                tenant.name.clone(),
                status_name(tenant.status).to_owned(),
                tenant.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            ]
        })
        .collect();
    let header = ["SLUG", "NAME", "STATUS", "CREATED"].map(str::to_owned);
    let mut widths = header.clone().map(|title| title.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 4]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut text = line(&header);
    for row in &rows {
        text.push_str(&line(row));
    }
    if u64::try_from(tenants.len()).is_ok_and(|shown| shown >= operator::LIST_LIMIT) {
        text.push_str(&format!(
            "(the first {} tenants only)\n",
            operator::LIST_LIMIT
        ));
    }
    text
}

fn status_name(status: TenantStatus) -> &'static str {
    match status {
        TenantStatus::Active => "active",
        TenantStatus::Suspended => "suspended",
        TenantStatus::Cancelled => "cancelled",
    }
}

/// Suspends the tenant: its access tokens are refused at their next request, its refresh tokens
/// do not refresh, no one signs in, its jobs are skipped and its webhooks wait. Nothing is
/// deleted. A suspended tenant stays suspended, and says so.
pub async fn suspend(
    owner: &DatabaseConnection,
    slug: &str,
    out: &mut impl Write,
) -> Result<(), TenantsError> {
    set_status(owner, slug, TenantStatus::Suspended, out).await
}

/// Makes the tenant active again, with everything it had. An active tenant stays active.
pub async fn activate(
    owner: &DatabaseConnection,
    slug: &str,
    out: &mut impl Write,
) -> Result<(), TenantsError> {
    set_status(owner, slug, TenantStatus::Active, out).await
}

async fn set_status(
    owner: &DatabaseConnection,
    slug: &str,
    status: TenantStatus,
    out: &mut impl Write,
) -> Result<(), TenantsError> {
    let change = match operator::set_status(owner, slug, status).await {
        Err(TenancyError::Refused(Refusal::NotFound { .. })) => {
            return Err(TenantsError::UnknownSlug(slug.trim().to_owned()));
        }
        other => other?,
    };
    let slug = slug.trim();
    let (now, was) = (status_name(change.after), status_name(change.before));
    if change.changed() {
        tracing::info!(tenant = slug, from = was, to = now, "tenant status changed");
    }
    let text = if !change.changed() {
        format!("Tenant {slug} is already {now}; nothing changed.\n")
    } else if status == TenantStatus::Active {
        format!("Tenant {slug} is active again (it was {was}).\n")
    } else {
        format!(
            "Tenant {slug} is {now} (it was {was}): its sessions, sign-ins, jobs and webhooks \
             stop at once; nothing is deleted.\n"
        )
    };
    write!(out, "{text}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_flag_the_operator_typed() {
        let error = TenantsError::from(Refusal::bad_input("adminEmail", "is not an email address"));
        assert_eq!(error.to_string(), "--admin-email: is not an email address");
        let error = TenantsError::from(TenancyError::Refused(Refusal::conflict(
            "slug",
            "the slug \"acme\" is taken",
        )));
        assert_eq!(error.to_string(), "--slug: the slug \"acme\" is taken");
    }
}
