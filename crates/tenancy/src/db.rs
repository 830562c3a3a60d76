//! The only way application code reaches tenant tables: a transaction that has switched to the
//! application role and carries the tenant (and, for portal users, the customer) as
//! transaction-local settings. Transaction-local settings vanish at COMMIT/ROLLBACK, so a pooled
//! connection — or a transaction-mode pooler such as PgBouncer — never leaks one request's tenant
//! into the next.

use crate::context::TenantContext;
use crate::error::TenancyError;
use crate::sql::stmt;
use leora_migration::app_role::AppRole;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait,
};
use uuid::Uuid;

/// A connection pool plus the role tenant transactions run as.
#[derive(Debug, Clone)]
pub struct TenantDb {
    pool: DatabaseConnection,
    app_role: AppRole,
}

impl TenantDb {
    pub fn new(pool: DatabaseConnection, app_role: AppRole) -> Self {
        Self { pool, app_role }
    }

    pub fn app_role(&self) -> &AppRole {
        &self.app_role
    }

    /// Opens a transaction scoped to `ctx`. BEGIN plus one statement setting the role, tenant and
    /// customer: two round trips in all.
    pub async fn begin(&self, ctx: &TenantContext) -> Result<DatabaseTransaction, TenancyError> {
        self.begin_scoped(Some(ctx.tenant_id()), ctx.customer_id())
            .await
    }

    async fn begin_scoped(
        &self,
        tenant_id: Option<Uuid>,
        customer_id: Option<Uuid>,
    ) -> Result<DatabaseTransaction, TenancyError> {
        let tx = self.pool.begin().await?;
        let setting = |id: Option<Uuid>| id.map(|id| id.to_string()).unwrap_or_default();
        tx.execute_raw(stmt(
            "SELECT set_config('role', $1, true), \
                    set_config('app.current_tenant_id', $2, true), \
                    set_config('app.current_customer_id', $3, true)",
            [
                self.app_role.as_str().into(),
                setting(tenant_id).into(),
                setting(customer_id).into(),
            ],
        ))
        .await?;
        Ok(tx)
    }

    /// The id of the active tenant with this slug. Runs as the application role with no tenant
    /// set, through the one lookup the schema allows before a tenant is known.
    pub async fn tenant_id_for_slug(&self, slug: &str) -> Result<Uuid, TenancyError> {
        let tx = self.begin_scoped(None, None).await?;
        let row = tx
            .query_one_raw(stmt("SELECT tenant_id_for_slug($1) AS id", [slug.into()]))
            .await?;
        tx.commit().await?;
        row.and_then(|row| row.try_get::<Option<Uuid>>("", "id").ok().flatten())
            .ok_or_else(|| TenancyError::TenantNotFound {
                slug: slug.to_owned(),
            })
    }
}

impl TenantDb {
    /// Every active tenant, for scheduled jobs that then work per tenant through [`with_tenant`].
    pub async fn active_tenant_ids(&self) -> Result<Vec<Uuid>, TenancyError> {
        let tx = self.begin_scoped(None, None).await?;
        let rows = tx
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT active_tenant_ids() AS id",
            ))
            .await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| row.try_get::<Uuid>("", "id").map_err(TenancyError::from))
            .collect()
    }
}

/// Runs `work` in one tenant-scoped transaction: commits when it returns `Ok`, rolls back when it
/// returns `Err` (or panics), so nothing is ever half-written.
pub async fn with_tenant<T, E, F>(db: &TenantDb, ctx: &TenantContext, work: F) -> Result<T, E>
where
    F: AsyncFnOnce(&DatabaseTransaction) -> Result<T, E>,
    E: From<TenancyError>,
{
    let tx = db.begin(ctx).await?;
    match work(&tx).await {
        Ok(value) => {
            tx.commit().await.map_err(TenancyError::from)?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback_error) = tx.rollback().await {
                tracing::warn!(%rollback_error, "rollback failed; the connection is discarded");
            }
            Err(error)
        }
    }
}
