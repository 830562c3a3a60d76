//! [`TenantTx`]: a transaction running under row-level security for one tenant and principal.
//! Holding one is the proof that a statement sees only that tenant's rows (and, for a portal
//! user, its customer's), so services take it instead of a transaction plus a context beside it.

use crate::context::TenantContext;
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, Statement,
};
use std::ops::Deref;
use uuid::Uuid;

/// A transaction opened by [`TenantDb::begin`](crate::TenantDb::begin) or
/// [`with_tenant`](crate::with_tenant): switched to the application role, with `context`'s tenant
/// and customer set transaction-locally.
pub struct TenantTx {
    tx: DatabaseTransaction,
    context: TenantContext,
}

impl TenantTx {
    pub(crate) fn new(tx: DatabaseTransaction, context: TenantContext) -> Self {
        Self { tx, context }
    }

    /// Who the transaction acts as.
    pub fn context(&self) -> &TenantContext {
        &self.context
    }

    pub fn tenant_id(&self) -> Uuid {
        self.context.tenant_id()
    }

    pub(crate) fn into_inner(self) -> DatabaseTransaction {
        self.tx
    }

    /// Runs tenant-wide work that a user may start (the scheduled jobs, run early) over every
    /// account of the tenant, not only the accounts the user sees: the account-scope policies key
    /// on `app.current_user_id`, cleared for `work` and put back after it, whatever it returns.
    pub async fn over_every_account<T, E: From<DbErr>>(
        &self,
        work: impl AsyncFnOnce(&Self) -> Result<T, E>,
    ) -> Result<T, E> {
        let Some(user_id) = self.context.user_id() else {
            return work(self).await;
        };
        self.set_account_user("").await?;
        let outcome = work(self).await;
        self.set_account_user(&user_id.to_string()).await?;
        outcome
    }

    async fn set_account_user(&self, user_id: &str) -> Result<(), DbErr> {
        self.tx
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('app.current_user_id', $1, true)",
                [user_id.into()],
            ))
            .await?;
        Ok(())
    }
}

impl std::fmt::Debug for TenantTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantTx")
            .field("context", &self.context)
            .finish_non_exhaustive()
    }
}

/// Code that needs only a connection (SeaORM's queries, the kernel's helpers) takes the
/// transaction underneath.
impl Deref for TenantTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.tx
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for TenantTx {
    fn get_database_backend(&self) -> DbBackend {
        self.tx.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.tx.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.tx.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.tx.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.tx.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.tx.support_returning()
    }
}
