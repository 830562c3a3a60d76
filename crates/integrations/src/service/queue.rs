//! How far the webhook worker is behind, across every tenant, for `/metrics`: read through the
//! `webhook_queue_stats()` function, which returns four numbers and nothing of any row.

use crate::error::IntegrationsError;
use leora_tenancy::sql::stmt;
use leora_tenancy::{TenantContext, TenantDb, with_tenant};
use sea_orm::FromQueryResult;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, FromQueryResult)]
pub struct QueueStats {
    /// Deliveries waiting for an attempt: pending, or failed and due for a retry.
    pub waiting_deliveries: i64,
    /// How long the oldest of them has waited, in seconds (0 when none waits).
    pub oldest_waiting_seconds: f64,
    /// Events not yet fanned out into deliveries.
    pub undispatched_events: i64,
    /// The age of the oldest such event, in seconds: the outbox lag.
    pub oldest_undispatched_seconds: f64,
}

pub async fn queue_stats(db: &TenantDb) -> Result<QueueStats, IntegrationsError> {
    with_tenant(db, &TenantContext::system(Uuid::nil()), async |tx| {
        let stats = QueueStats::find_by_statement(stmt("SELECT * FROM webhook_queue_stats()", []))
            .one(tx)
            .await?
            .ok_or(sea_orm::DbErr::RecordNotFound(
                "webhook_queue_stats() returned no row".to_owned(),
            ))?;
        Ok::<_, IntegrationsError>(stats)
    })
    .await
}
