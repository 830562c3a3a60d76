//! The intelligence job (`leora jobs health`, and the `refreshAccountHealth` mutation): one
//! transaction per tenant that
//!
//! 1. upserts today's account health snapshots and alerts reps of accounts newly at risk,
//! 2. recomputes the recent sales metrics,
//! 3. marks planned calls whose day has passed as missed,
//! 4. turns recent `order.status_changed` events into portal notifications and tells assignees
//!    about tasks due today or overdue,
//! 5. stores the date-driven statuses of compliance filings.
//!
//! Every step is idempotent, so the job can run as often as wanted; runs for one tenant serialise
//! on an advisory lock, so two schedulers cannot interleave.

use chrono::{Duration, NaiveDate};
use leora_tenancy::sql::stmt;
use leora_tenancy::{TenantContext, TenantDb, with_tenant};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::health::snapshots::refresh_snapshots;
use super::metrics::{MetricsWindow, refresh_sales_metrics};
use super::notifications::{notify_due_tasks, notify_from_events};
use super::{call_plans, settings};
use crate::error::IntelligenceError;

/// How far back order events are turned into notifications. A status change older than a week
/// is old news; the bound keeps each run's scan of the outbox small.
pub const EVENT_LOOKBACK: Duration = Duration::days(7);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthRunSummary {
    pub tenant_id: Uuid,
    pub snapshot_date: NaiveDate,
    /// Snapshots written (one per open customer).
    pub snapshots: u64,
    /// Customers with at least one risk flag.
    pub at_risk: u64,
    /// Customers at risk that were not at their previous snapshot.
    pub newly_at_risk: u64,
    pub metric_rows: u64,
    pub calls_missed: u64,
    /// Notifications written: at-risk alerts, order status changes and due tasks.
    pub notifications: u64,
    pub filings_updated: u64,
}

/// Runs the job for one tenant as of `today` (normally the tenant's own date), in a transaction of
/// its own.
pub async fn refresh_account_health(
    db: &TenantDb,
    tenant_id: Uuid,
    today: NaiveDate,
) -> Result<HealthRunSummary, IntelligenceError> {
    let ctx = TenantContext::system(tenant_id);
    with_tenant(db, &ctx, async |tx| run(tx, tenant_id, Some(today)).await).await
}

/// Runs the job for each tenant on that tenant's own date, each in its own transaction: one
/// tenant's failure neither rolls back nor stops the others.
pub async fn refresh_all_tenants(
    db: &TenantDb,
    tenant_ids: &[Uuid],
) -> Vec<(Uuid, Result<HealthRunSummary, IntelligenceError>)> {
    let mut outcomes = Vec::with_capacity(tenant_ids.len());
    for &tenant_id in tenant_ids {
        let ctx = TenantContext::system(tenant_id);
        let outcome = with_tenant(db, &ctx, async |tx| run(tx, tenant_id, None).await).await;
        if let Err(error) = &outcome {
            tracing::error!(%tenant_id, %error, "health job failed for tenant");
        }
        outcomes.push((tenant_id, outcome));
    }
    outcomes
}

/// The job inside the caller's transaction (the mutation runs it in the request's). `today`
/// defaults to the tenant's current date.
pub async fn run(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    today: Option<NaiveDate>,
) -> Result<HealthRunSummary, IntelligenceError> {
    db.execute_raw(stmt(
        "SELECT pg_advisory_xact_lock(hashtextextended('leora.health:' || $1::text, 0))",
        [tenant_id.into()],
    ))
    .await?;
    let clock = settings::load(db, tenant_id).await?;
    let today = today.unwrap_or(clock.today);
    let tz = clock.timezone.as_str();

    let snapshots = refresh_snapshots(db, tenant_id, today, tz, &clock.thresholds).await?;
    let metric_rows =
        refresh_sales_metrics(db, tenant_id, today, tz, MetricsWindow::recent(today)).await?;
    let calls_missed = call_plans::mark_missed(db, today, tz).await?;
    let order_notifications = notify_from_events(db, tenant_id, clock.now - EVENT_LOOKBACK).await?;
    let task_notifications = notify_due_tasks(db, tenant_id, today, tz).await?;
    let filings_updated = leora_compliance::service::filings::refresh_statuses(db, today).await?;

    Ok(HealthRunSummary {
        tenant_id,
        snapshot_date: today,
        snapshots: snapshots.snapshots,
        at_risk: snapshots.at_risk,
        newly_at_risk: snapshots.newly_at_risk.len() as u64,
        metric_rows,
        calls_missed,
        notifications: snapshots.notifications + order_notifications + task_notifications,
        filings_updated,
    })
}
