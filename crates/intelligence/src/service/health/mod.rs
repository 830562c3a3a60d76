//! Account health: the pure rules, the snapshot job, and reading the snapshots back.

pub mod rules;
pub mod snapshots;

use leora_catalog::entities::customers;
use leora_tenancy::TenantTx;
use leora_tenancy::filter::FilterIfGiven;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};
use uuid::Uuid;

use super::viewer::Viewer;
use crate::entities::account_health_snapshots::{self as snapshot_rows, PaceStatus};
use crate::error::IntelligenceError;

/// A customer's snapshots, newest first. Reps and managers see their team's accounts only; any
/// other customer is `NotFound`.
pub async fn history(
    tx: &TenantTx,
    customer_id: Uuid,
) -> Result<Select<snapshot_rows::Entity>, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    let visible = customers::Entity::find_by_id(customer_id)
        .filter(viewer.sees_customer(customers::Column::Id))
        .one(tx)
        .await?;
    if visible.is_none() {
        return Err(IntelligenceError::not_found("customer"));
    }
    Ok(snapshot_rows::Entity::find()
        .filter(snapshot_rows::Column::CustomerId.eq(customer_id))
        .order_by_desc(snapshot_rows::Column::SnapshotDate))
}

/// A customer's latest snapshot, if the job has assessed it.
pub async fn latest(
    tx: &TenantTx,
    customer_id: Uuid,
) -> Result<Option<snapshot_rows::Model>, IntelligenceError> {
    Ok(history(tx, customer_id).await?.one(tx).await?)
}

#[derive(Debug, Clone, Default)]
pub struct OverviewFilter {
    pub at_risk_only: bool,
    /// Any of these, as the latest run judged them; empty means any pace.
    pub pace_statuses: Vec<PaceStatus>,
    /// Accounts assigned to this rep.
    pub rep_id: Option<Uuid>,
    /// Scores at or below this.
    pub max_score: Option<i32>,
}

/// The latest run's snapshots of the accounts the viewer may see, worst score first.
pub async fn overview(
    tx: &TenantTx,
    filter: &OverviewFilter,
) -> Result<Select<snapshot_rows::Entity>, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    let latest_run = Query::select()
        .expr(snapshot_rows::Column::SnapshotDate.max())
        .from(snapshot_rows::Entity)
        .to_owned();
    let mut select = snapshot_rows::Entity::find()
        .filter(viewer.sees_customer(snapshot_rows::Column::CustomerId))
        // `=` a scalar sub-select: planned as an InitPlan, evaluated once per statement (`IN`
        // would re-aggregate the tenant's snapshots for every candidate row).
        .filter(
            Expr::col((snapshot_rows::Entity, snapshot_rows::Column::SnapshotDate))
                .eq(Expr::SubQuery(None, Box::new(latest_run.into()))),
        );
    if filter.at_risk_only {
        select = select.filter(Expr::cust("risk_flags <> '[]'::jsonb"));
    }
    select = select
        .filter_in(
            snapshot_rows::Column::PaceStatus,
            filter.pace_statuses.iter().copied(),
        )
        .filter_if(
            filter
                .max_score
                .map(|max| snapshot_rows::Column::HealthScore.lte(max)),
        );
    if let Some(rep) = filter.rep_id {
        let accounts = Query::select()
            .column(customers::Column::Id)
            .from(customers::Entity)
            .and_where(customers::Column::AssignedRepId.eq(rep))
            .to_owned();
        select = select
            .filter(Condition::all().add(snapshot_rows::Column::CustomerId.in_subquery(accounts)));
    }
    Ok(select.order_by_asc(snapshot_rows::Column::HealthScore))
}
