//! The only way application code reaches tenant tables: a transaction that has switched to the
//! application role and carries the tenant (and, for portal users, the customer) as
//! transaction-local settings. Transaction-local settings vanish at COMMIT/ROLLBACK, so a pooled
//! connection — or a transaction-mode pooler such as PgBouncer — never leaks one request's tenant
//! into the next.
//!
//! Opening and ending a transaction are cancellation-safe (see `docs/architecture.md`, "A request
//! dropped by its client"): each runs to its end on a task of its own, a connection goes back to
//! the pool only when no transaction is open on it, and a transaction that finds itself inside
//! another one refuses to run.

use crate::context::TenantContext;
use crate::error::TenancyError;
use crate::sql::stmt;
use crate::tenant_tx::TenantTx;
use leora_migration::app_role::AppRole;
use sea_orm::sqlx::{self, Row};
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    Statement, TransactionTrait,
};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use uuid::Uuid;

/// Opens a transaction's scope. `leora.transaction_open` is set (transaction-locally) by every
/// transaction this module opens, so finding it already set means the connection was handed out
/// inside another transaction. Select items are evaluated in order: the check reads the marker
/// before setting it. A deadline left unset (NULL) keeps the server's own setting.
const SCOPE: &str = "SELECT current_setting('leora.transaction_open', true) = 'yes' AS inherited, \
       set_config('leora.transaction_open', 'yes', true), \
       set_config('role', $1, true), \
       set_config('app.current_tenant_id', $2, true), \
       set_config('app.current_customer_id', $3, true), \
       set_config('app.current_user_id', $4, true), \
       set_config('statement_timeout', \
           coalesce($5, current_setting('statement_timeout')), true), \
       set_config('idle_in_transaction_session_timeout', \
           coalesce($6, current_setting('idle_in_transaction_session_timeout')), true)";

/// True when no transaction block is open. Outside a block a statement is its own transaction,
/// so the transaction starts when the statement does; inside one, the block began earlier (and
/// one of ours carries the marker).
const IS_IDLE: &str = "SELECT now() = statement_timestamp() \
       AND current_setting('leora.transaction_open', true) IS DISTINCT FROM 'yes'";

/// How long one statement, and a transaction left idle between statements, may take before
/// PostgreSQL ends them (`statement_timeout`, `idle_in_transaction_session_timeout`, set
/// transaction-locally). `None` keeps the server's setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deadlines {
    pub statement: Option<Duration>,
    pub idle_in_transaction: Option<Duration>,
}

impl Deadlines {
    fn setting(deadline: Option<Duration>) -> Option<String> {
        deadline.map(|d| format!("{}ms", d.as_millis().max(1)))
    }
}

/// A connection pool plus the role tenant transactions run as and their deadlines.
#[derive(Debug, Clone)]
pub struct TenantDb {
    pool: DatabaseConnection,
    app_role: AppRole,
    deadlines: Deadlines,
}

impl TenantDb {
    pub fn new(pool: DatabaseConnection, app_role: AppRole) -> Self {
        Self {
            pool,
            app_role,
            deadlines: Deadlines::default(),
        }
    }

    /// The same pool and role, every transaction bounded by `deadlines`.
    pub fn with_deadlines(self, deadlines: Deadlines) -> Self {
        Self { deadlines, ..self }
    }

    pub fn app_role(&self) -> &AppRole {
        &self.app_role
    }

    /// Opens a transaction scoped to `ctx`. BEGIN plus one statement setting the role, tenant,
    /// customer and user: two round trips in all.
    pub async fn begin(&self, ctx: &TenantContext) -> Result<TenantTx, TenancyError> {
        let tx = self.begin_scoped(Some(*ctx)).await?;
        Ok(TenantTx::new(tx, *ctx))
    }

    async fn begin_scoped(
        &self,
        ctx: Option<TenantContext>,
    ) -> Result<DatabaseTransaction, TenancyError> {
        let pool = self.pool.clone();
        let role = self.app_role.clone();
        let deadlines = self.deadlines;
        to_completion(async move {
            let tx = pool.begin().await?;
            scope(&tx, &role, ctx.as_ref(), deadlines).await?;
            Ok(tx)
        })
        .await
    }

    /// The id of the active tenant with this slug. Runs as the application role with no tenant
    /// set, through the one lookup the schema allows before a tenant is known.
    pub async fn tenant_id_for_slug(&self, slug: &str) -> Result<Uuid, TenancyError> {
        let tx = self.begin_scoped(None).await?;
        let row = tx
            .query_one_raw(stmt("SELECT tenant_id_for_slug($1) AS id", [slug.into()]))
            .await?;
        end(tx, End::Commit).await?;
        row.and_then(|row| row.try_get::<Option<Uuid>>("", "id").ok().flatten())
            .ok_or_else(|| TenancyError::TenantNotFound {
                slug: slug.to_owned(),
            })
    }
}

impl TenantDb {
    /// Every active tenant, for scheduled jobs that then work per tenant through [`with_tenant`].
    pub async fn active_tenant_ids(&self) -> Result<Vec<Uuid>, TenancyError> {
        let tx = self.begin_scoped(None).await?;
        let rows = tx
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT active_tenant_ids() AS id",
            ))
            .await?;
        end(tx, End::Commit).await?;
        rows.iter()
            .map(|row| row.try_get::<Uuid>("", "id").map_err(TenancyError::from))
            .collect()
    }
}

/// Runs `work` in one tenant-scoped transaction: commits when it returns `Ok`, rolls back when it
/// returns `Err` (or panics, or is dropped), so nothing is ever half-written.
pub async fn with_tenant<T, E, F>(db: &TenantDb, ctx: &TenantContext, work: F) -> Result<T, E>
where
    F: AsyncFnOnce(&TenantTx) -> Result<T, E>,
    E: From<TenancyError>,
{
    let tx = db.begin(ctx).await?;
    match work(&tx).await {
        Ok(value) => {
            commit(tx).await?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback_error) = rollback(tx).await {
                tracing::warn!(%rollback_error, "rollback failed; the connection is discarded");
            }
            Err(error)
        }
    }
}

/// Commits `tx`. Runs to its end even when the caller is dropped half-way: a COMMIT abandoned in
/// flight would otherwise be followed by the ROLLBACK the dropped transaction queues.
pub async fn commit(tx: TenantTx) -> Result<(), TenancyError> {
    end(tx.into_inner(), End::Commit).await
}

/// Rolls `tx` back, running to its end even when the caller is dropped half-way.
pub async fn rollback(tx: TenantTx) -> Result<(), TenancyError> {
    end(tx.into_inner(), End::Rollback).await
}

enum End {
    Commit,
    Rollback,
}

async fn end(tx: DatabaseTransaction, end: End) -> Result<(), TenancyError> {
    to_completion(async move {
        match end {
            End::Commit => tx.commit().await?,
            End::Rollback => tx.rollback().await?,
        }
        Ok(())
    })
    .await
}

/// Runs `work` on a task of its own and waits for it. Dropping the caller leaves `work` running;
/// what it returns is then dropped by the task, and a transaction dropped once open is rolled back.
///
/// This is what makes opening a transaction cancellation-safe: sqlx counts a transaction only once
/// PostgreSQL has confirmed its BEGIN, so a future dropped while waiting for that confirmation
/// leaves a transaction open that nothing rolls back.
///
/// `work` runs in the caller's span, so a request's BEGIN and COMMIT belong to its trace.
async fn to_completion<T: Send + 'static>(
    work: impl Future<Output = Result<T, TenancyError>> + Send + 'static,
) -> Result<T, TenancyError> {
    use tracing::Instrument;
    tokio::spawn(work.in_current_span()).await?
}

/// Switches a just-opened transaction to the application role and the request's tenant, customer
/// and user (`ctx`; none before a tenant is known), in one statement. Refuses (and so rolls back, as the transaction is dropped) when the
/// connection turns out to be inside an earlier transaction of this module: its BEGIN then opened
/// nothing, and running on would mean running in someone else's transaction.
pub async fn scope(
    tx: &impl ConnectionTrait,
    role: &AppRole,
    ctx: Option<&TenantContext>,
    deadlines: Deadlines,
) -> Result<(), TenancyError> {
    let setting = |id: Option<Uuid>| id.map(|id| id.to_string()).unwrap_or_default();
    let tenant_id = ctx.map(TenantContext::tenant_id);
    let customer_id = ctx.and_then(TenantContext::customer_id);
    let user_id = ctx.and_then(TenantContext::user_id);
    let row = tx
        .query_one_raw(stmt(
            SCOPE,
            [
                role.as_str().into(),
                setting(tenant_id).into(),
                setting(customer_id).into(),
                setting(user_id).into(),
                Deadlines::setting(deadlines.statement).into(),
                Deadlines::setting(deadlines.idle_in_transaction).into(),
            ],
        ))
        .await?;
    let inherited = row
        .map(|row| row.try_get::<Option<bool>>("", "inherited"))
        .transpose()?
        .flatten();
    if inherited == Some(true) {
        tracing::error!("a pooled connection was still inside another transaction; refused");
        return Err(TenancyError::InheritedTransaction);
    }
    Ok(())
}

/// Makes the pool built from `options` take a connection back only when no transaction is open
/// on it; any other is closed. The transactions this module opens never come back open, so this
/// guards against every other path (a future dropped inside a driver, a statement that began a
/// transaction by hand) and costs one round trip per release, after the response has gone.
pub fn close_connections_released_in_a_transaction(options: &mut ConnectOptions) {
    options.map_sqlx_postgres_pool_opts(|pool| pool.after_release(keep_if_idle));
}

fn keep_if_idle(
    conn: &mut sqlx::PgConnection,
    _: sqlx::pool::PoolConnectionMetadata,
) -> Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        let idle = sqlx::raw_sql(IS_IDLE)
            .fetch_one(&mut *conn)
            .await
            .and_then(|row| row.try_get::<bool, _>(0));
        match idle {
            Ok(true) => Ok(true),
            Ok(false) => {
                tracing::warn!("a connection came back to the pool inside a transaction; closed");
                Ok(false)
            }
            Err(error) => {
                tracing::warn!(%error, "a connection failed its check on release; closed");
                Ok(false)
            }
        }
    })
}

/// Makes the pool built from `options` keep no prepared statement for later: sqlx then prepares
/// a statement, under a name of its own, each time it runs one, and never uses it again. For a
/// transaction-mode pooler that does not track prepared statements (PgBouncer before 1.21),
/// which hands each transaction to whichever server connection is free: a statement prepared
/// in one transaction is never looked for in another, so it does not matter on which server
/// connection that one runs. The pooler must clear what the client leaves behind when it takes a
/// server connection back (`server_reset_query = DEALLOCATE ALL`, `server_reset_query_always =
/// 1`): otherwise the statements pile up on the server, and another client's names, which sqlx
/// numbers per connection from 1, would collide with them. Never on a direct connection, where
/// nothing clears them (`docs/database/README.md`, "Behind PgBouncer").
pub fn prepare_statements_once(options: &mut ConnectOptions) {
    options.map_sqlx_postgres_opts(|options| options.statement_cache_capacity(0));
}

/// A pool whose connections are checked as they come back (see
/// [`close_connections_released_in_a_transaction`]).
pub async fn connect(mut options: ConnectOptions) -> Result<DatabaseConnection, DbErr> {
    close_connections_released_in_a_transaction(&mut options);
    sea_orm::Database::connect(options).await
}
