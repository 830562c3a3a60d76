//! Refuse to serve when row-level security would not actually protect tenants: the application
//! role must exist, must not be a superuser, must not bypass RLS, must not own the tables (owners
//! skip policies unless FORCEd, and could disable them), the server's login must be able to
//! assume it, and every table must have RLS enabled and forced.

use crate::sql::stmt;
use leora_migration::app_role::AppRole;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, TransactionTrait};

#[derive(Debug, thiserror::Error)]
pub enum AppRoleProblem {
    #[error("the application role {role} does not exist: run the migrations (`leora migrate`)")]
    Missing { role: String },
    #[error(
        "the application role {role} is a superuser, so row-level security would not apply: set APP_DB_ROLE to a plain role"
    )]
    Superuser { role: String },
    #[error(
        "the application role {role} has BYPASSRLS, so row-level security would not apply: ALTER ROLE {role} NOBYPASSRLS"
    )]
    BypassesRls { role: String },
    #[error(
        "the application role {role} owns {tables} table(s): tables must be owned by the migration role, not the application role"
    )]
    OwnsTables { role: String, tables: i64 },
    #[error(
        "the database login {login} cannot assume the application role {role}: GRANT {role} TO {login}"
    )]
    CannotAssume { role: String, login: String },
    #[error(
        "the tables' owner {owner} is subject to row-level security, so the tenant lookups before sign-in find nothing: run the migrations as a superuser or a role with BYPASSRLS"
    )]
    OwnerSubjectToRls { owner: String },
    #[error("row-level security is not enabled and forced on: {tables}")]
    TablesWithoutRls { tables: String },
    #[error("could not check the application role: {0}")]
    Database(#[from] DbErr),
}

const ROLE_QUERY: &str = "\
SELECT r.rolsuper AS is_superuser,
       r.rolbypassrls AS bypasses_rls,
       pg_has_role(current_user, r.oid, 'MEMBER') AS can_assume,
       current_user::text AS login,
       (SELECT count(*) FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relowner = r.oid) AS owned_tables
  FROM pg_roles r
 WHERE r.rolname = $1";

/// The lookups that run before a tenant is known (`tenant_id_for_slug` …) are SECURITY DEFINER
/// functions owned by the migration role; with FORCE'd RLS they only see rows if that role
/// bypasses it.
const OWNER_QUERY: &str = "\
SELECT r.rolname::text AS owner, (r.rolsuper OR r.rolbypassrls) AS bypasses
  FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
 WHERE p.proname = 'tenant_id_for_slug'";

const UNPROTECTED_TABLES_QUERY: &str = "\
SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), '') AS tables
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'r'
   AND c.relname <> 'seaql_migrations'
   AND NOT (c.relrowsecurity AND c.relforcerowsecurity)";

/// Runs the checks in a transaction of their own, so that they may go through a
/// transaction-mode pooler (`docs/database/README.md`, "Behind PgBouncer").
pub async fn verify_app_role(
    conn: &DatabaseConnection,
    role: &AppRole,
) -> Result<(), AppRoleProblem> {
    let tx = conn.begin().await?;
    let verdict = check_app_role(&tx, role).await;
    tx.commit().await?;
    verdict
}

async fn check_app_role(conn: &impl ConnectionTrait, role: &AppRole) -> Result<(), AppRoleProblem> {
    let name = role.as_str().to_owned();
    let row = conn
        .query_one_raw(stmt(ROLE_QUERY, [name.clone().into()]))
        .await?
        .ok_or_else(|| AppRoleProblem::Missing { role: name.clone() })?;
    if row.try_get::<bool>("", "is_superuser")? {
        return Err(AppRoleProblem::Superuser { role: name });
    }
    if row.try_get::<bool>("", "bypasses_rls")? {
        return Err(AppRoleProblem::BypassesRls { role: name });
    }
    let owned_tables: i64 = row.try_get("", "owned_tables")?;
    if owned_tables > 0 {
        return Err(AppRoleProblem::OwnsTables {
            role: name,
            tables: owned_tables,
        });
    }
    if !row.try_get::<bool>("", "can_assume")? {
        let login = row.try_get("", "login")?;
        return Err(AppRoleProblem::CannotAssume { role: name, login });
    }
    let owner = conn
        .query_one_raw(Statement::from_string(DbBackend::Postgres, OWNER_QUERY))
        .await?;
    if let Some(row) = owner
        && !row.try_get::<bool>("", "bypasses")?
    {
        return Err(AppRoleProblem::OwnerSubjectToRls {
            owner: row.try_get("", "owner")?,
        });
    }
    let unprotected = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            UNPROTECTED_TABLES_QUERY,
        ))
        .await?
        .map(|row| row.try_get::<String>("", "tables"))
        .transpose()?
        .unwrap_or_default();
    if !unprotected.is_empty() {
        return Err(AppRoleProblem::TablesWithoutRls {
            tables: unprotected,
        });
    }
    Ok(())
}
