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
