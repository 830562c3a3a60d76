//! Call plans: calls and visits a rep schedules, then completes, cancels or misses.
//!
//! planned → completed | cancelled | missed; a missed call can still be completed (the rep went a
//! day late). The health job marks planned calls whose day has passed as missed.

use chrono::{DateTime, NaiveDate, Utc};
use leora_catalog::entities::customers;
use leora_tenancy::TenantTx;
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::sql::stmt;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use uuid::Uuid;

use super::settings;
use super::validate::{note, title};
use super::viewer::Viewer;
use crate::entities::call_plans::{self, CallPlanStatus};
use crate::error::IntelligenceError;

const ENTITY: &str = "call plan";

#[derive(Debug, Clone)]
pub struct NewCallPlan {
    /// `None` is the acting user; managers schedule for their reports, admins for anyone.
    pub rep_id: Option<Uuid>,
    pub customer_id: Uuid,
    pub scheduled_for: DateTime<Utc>,
    pub objective: String,
}

#[derive(Debug, Clone, Default)]
pub struct CallPlanFilter {
    pub rep_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// Any of these; empty means any status.
    pub statuses: Vec<CallPlanStatus>,
    /// Inclusive, on `scheduled_for`.
    pub scheduled_from: Option<DateTime<Utc>>,
    /// Inclusive.
    pub scheduled_to: Option<DateTime<Utc>>,
}

/// Plans a call. `BadInput` on `objective`; `Forbidden` for a rep outside the viewer's team;
/// `NotFound` customer or user.
pub async fn schedule_call(
    tx: &TenantTx,
    input: NewCallPlan,
) -> Result<call_plans::Model, IntelligenceError> {
    let ctx = tx.context();
    let viewer = Viewer::resolve(tx).await?;
    let rep_id = viewer.act_for(input.rep_id, "repId")?;
    let objective = title("objective", &input.objective)?;
    if customers::Entity::find_by_id(input.customer_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(IntelligenceError::not_found("customer"));
    }
    if leora_identity::entities::users::Entity::find_by_id(rep_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(IntelligenceError::not_found("user"));
    }
    Ok(call_plans::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(ctx.tenant_id()),
        user_id: Set(rep_id),
        customer_id: Set(input.customer_id),
        scheduled_for: Set(input.scheduled_for),
        objective: Set(objective),
        status: Set(CallPlanStatus::Planned),
        ..Default::default()
    }
    .insert(tx)
    .await?)
}

/// Completes a planned (or missed) call with its outcome.
pub async fn complete_call(
    tx: &TenantTx,
    id: Uuid,
    outcome: Option<String>,
) -> Result<call_plans::Model, IntelligenceError> {
    let ctx = tx.context();
    let outcome = note("outcome", outcome)?;
    let plan = own_for_update(tx, id).await?;
    if !matches!(
        plan.status,
        CallPlanStatus::Planned | CallPlanStatus::Missed
    ) {
        return Err(IntelligenceError::invalid_transition(
            "a call plan",
            plan.status.to_value(),
            "complete",
        ));
    }
    let now = settings::load(tx, ctx.tenant_id()).await?.now;
    let mut model: call_plans::ActiveModel = plan.into();
    model.status = Set(CallPlanStatus::Completed);
    model.outcome = Set(outcome);
    model.completed_at = Set(Some(now));
    Ok(model.update(tx).await?)
}

/// One call plan the viewer may see; any other → `NotFound`.
pub async fn call_plan(tx: &TenantTx, id: Uuid) -> Result<call_plans::Model, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    call_plans::Entity::find_by_id(id)
        .filter(viewer.sees(
            &[call_plans::Column::UserId],
            call_plans::Column::CustomerId,
        ))
        .one(tx)
        .await?
        .ok_or(IntelligenceError::not_found(ENTITY))
}

/// Moves a planned or missed call to `scheduled_for`; it is planned again.
pub async fn reschedule_call(
    tx: &TenantTx,
    id: Uuid,
    scheduled_for: DateTime<Utc>,
) -> Result<call_plans::Model, IntelligenceError> {
    let plan = own_for_update(tx, id).await?;
    if !matches!(
        plan.status,
        CallPlanStatus::Planned | CallPlanStatus::Missed
    ) {
        return Err(IntelligenceError::invalid_transition(
            "a call plan",
            plan.status.to_value(),
            "reschedule",
        ));
    }
    let mut model: call_plans::ActiveModel = plan.into();
    model.scheduled_for = Set(scheduled_for);
    model.status = Set(CallPlanStatus::Planned);
    Ok(model.update(tx).await?)
}

/// Cancels a planned call.
pub async fn cancel_call(tx: &TenantTx, id: Uuid) -> Result<call_plans::Model, IntelligenceError> {
    let plan = own_for_update(tx, id).await?;
    if plan.status != CallPlanStatus::Planned {
        return Err(IntelligenceError::invalid_transition(
            "a call plan",
            plan.status.to_value(),
            "cancel",
        ));
    }
    let mut model: call_plans::ActiveModel = plan.into();
    model.status = Set(CallPlanStatus::Cancelled);
    Ok(model.update(tx).await?)
}

/// A plan the viewer may see, locked, when the viewer may act for its rep (the rep, their manager,
/// an admin): a colleague who shares the account sees the plan but may not close it (`Forbidden`).
async fn own_for_update(tx: &TenantTx, id: Uuid) -> Result<call_plans::Model, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    let plan = call_plans::Entity::find_by_id(id)
        .filter(viewer.sees(
            &[call_plans::Column::UserId],
            call_plans::Column::CustomerId,
        ))
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(IntelligenceError::not_found(ENTITY))?;
    viewer.check_act_for(plan.user_id)?;
    Ok(plan)
}

/// The call plans the viewer may see that match `filter`, soonest first.
pub async fn call_plans(
    tx: &TenantTx,
    filter: &CallPlanFilter,
) -> Result<Select<call_plans::Entity>, IntelligenceError> {
    use call_plans::Column;
    let viewer = Viewer::resolve(tx).await?;
    Ok(call_plans::Entity::find()
        .filter(viewer.sees(&[Column::UserId], Column::CustomerId))
        .filter_eq(Column::UserId, filter.rep_id)
        .filter_eq(Column::CustomerId, filter.customer_id)
        .filter_in(Column::Status, filter.statuses.iter().copied())
        .filter_within(
            Column::ScheduledFor,
            filter.scheduled_from,
            filter.scheduled_to,
        )
        .order_by_asc(Column::ScheduledFor))
}

/// Marks planned calls scheduled before `today` (a date in the tenant's time zone) as missed;
/// returns how many.
pub async fn mark_missed(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    timezone: &str,
) -> Result<u64, IntelligenceError> {
    let result = db
        .execute_raw(stmt(
            "UPDATE call_plans SET status = 'missed'
              WHERE status = 'planned' AND scheduled_for < ($1::date::timestamp AT TIME ZONE $2)",
            [today.into(), timezone.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}
