//! Activities: what reps did at their accounts (visits, calls, emails, tastings, sample pulls).

use chrono::{DateTime, Duration, Utc};
use leora_catalog::entities::{customers, skus};
use leora_tenancy::TenantTx;
use leora_tenancy::filter::FilterIfGiven;
use sea_orm::{
    ActiveModelTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Select, Set,
};
use uuid::Uuid;

use super::samples::{approval_for_pull, lock_rep_allowance, pull_standing, take_sample_stock};
use super::settings;
use super::validate::note;
use super::viewer::Viewer;
use crate::entities::activities::{self, ActivityKind, SampleApprovalStatus};
use crate::error::IntelligenceError;

/// How far ahead of the clock an activity may be dated: enough for a rep in another time zone,
/// not enough to log tomorrow's visit as done.
const MAX_FUTURE: Duration = Duration::hours(24);
/// Bottles in one pull: a case or two, not the warehouse.
const MAX_SAMPLE_QUANTITY: i32 = 1_000;

#[derive(Debug, Clone)]
pub struct SamplePull {
    pub sku_id: Uuid,
    pub quantity: i32,
}

#[derive(Debug, Clone)]
pub struct NewActivity {
    /// The rep the activity is recorded for; `None` is the acting user. Managers may log for their
    /// reports, admins for anyone.
    pub rep_id: Option<Uuid>,
    pub customer_id: Uuid,
    pub kind: ActivityKind,
    /// `None` is now.
    pub occurred_at: Option<DateTime<Utc>>,
    pub notes: Option<String>,
    pub outcome: Option<String>,
    /// Required exactly when `kind` is `Sample`.
    pub sample: Option<SamplePull>,
}

#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub rep_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub kind: Option<ActivityKind>,
    /// Any of these; empty means any approval status.
    pub approval_statuses: Vec<SampleApprovalStatus>,
    /// Inclusive, on `occurred_at`.
    pub occurred_from: Option<DateTime<Utc>>,
    /// Inclusive.
    pub occurred_to: Option<DateTime<Utc>>,
}

/// Records an activity. A sample pull is counted against the rep's allowance for the month it is
/// recorded in, and is recorded `pending` when it goes beyond it or is dated in a closed month
/// (see [`super::samples`]).
///
/// Errors: `BadInput` on `sample`, `sample.quantity`, `occurredAt`, `notes` or `outcome`;
/// `Forbidden` for a rep outside the viewer's team; `NotFound` customer or sku.
pub async fn log_activity(
    tx: &TenantTx,
    input: NewActivity,
) -> Result<activities::Model, IntelligenceError> {
    let ctx = tx.context();
    let viewer = Viewer::resolve(tx).await?;
    let rep_id = viewer.act_for(input.rep_id, "repId")?;
    let clock = settings::load(tx, ctx.tenant_id()).await?;
    let occurred_at = input.occurred_at.unwrap_or(clock.now);
    if occurred_at > clock.now + MAX_FUTURE {
        return Err(IntelligenceError::bad_input(
            "occurredAt",
            "must not be in the future; plan future visits with scheduleCall",
        ));
    }
    let sample = match (input.kind, input.sample) {
        (ActivityKind::Sample, Some(sample)) => Some(sample),
        (ActivityKind::Sample, None) => {
            return Err(IntelligenceError::bad_input(
                "sample",
                "a sample activity needs the sku and quantity pulled",
            ));
        }
        (_, Some(_)) => {
            return Err(IntelligenceError::bad_input(
                "sample",
                "only a sample activity records a sample pull",
            ));
        }
        (_, None) => None,
    };
    if let Some(sample) = &sample
        && !(1..=MAX_SAMPLE_QUANTITY).contains(&sample.quantity)
    {
        return Err(IntelligenceError::bad_input(
            "sample.quantity",
            format!("must be between 1 and {MAX_SAMPLE_QUANTITY}"),
        ));
    }
    let notes = note("notes", input.notes)?;
    let outcome = note("outcome", input.outcome)?;
    if customers::Entity::find_by_id(input.customer_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(IntelligenceError::not_found("customer"));
    }
    if !rep_exists(tx, rep_id).await? {
        return Err(IntelligenceError::not_found("user"));
    }
    let approval = match &sample {
        None => SampleApprovalStatus::NotRequired,
        Some(sample) => {
            if skus::Entity::find_by_id(sample.sku_id)
                .one(tx)
                .await?
                .is_none()
            {
                return Err(IntelligenceError::not_found("sku"));
            }
            lock_rep_allowance(tx, rep_id).await?;
            let standing =
                pull_standing(tx, rep_id, occurred_at, clock.now, &clock.timezone).await?;
            approval_for_pull(
                standing,
                sample.quantity,
                clock.thresholds.sample_allowance,
                clock.thresholds.sample_approval_required,
            )
        }
    };
    let activity = activities::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(ctx.tenant_id()),
        user_id: Set(rep_id),
        customer_id: Set(input.customer_id),
        kind: Set(input.kind),
        occurred_at: Set(occurred_at),
        notes: Set(notes),
        outcome: Set(outcome),
        sample_sku_id: Set(sample.as_ref().map(|s| s.sku_id)),
        sample_quantity: Set(sample.as_ref().map(|s| s.quantity)),
        sample_approval_status: Set(approval),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    if approval == SampleApprovalStatus::NotRequired {
        take_sample_stock(tx, &activity).await?;
    }
    Ok(activity)
}

async fn rep_exists(tx: &DatabaseTransaction, rep_id: Uuid) -> Result<bool, IntelligenceError> {
    Ok(leora_identity::entities::users::Entity::find_by_id(rep_id)
        .one(tx)
        .await?
        .is_some())
}

/// The activities the viewer may see that match `filter`, newest first.
pub async fn activities(
    tx: &TenantTx,
    filter: &ActivityFilter,
) -> Result<Select<activities::Entity>, IntelligenceError> {
    use activities::Column;
    let viewer = Viewer::resolve(tx).await?;
    Ok(activities::Entity::find()
        .filter(viewer.sees(&[Column::UserId], Column::CustomerId))
        .filter_eq(Column::UserId, filter.rep_id)
        .filter_eq(Column::CustomerId, filter.customer_id)
        .filter_eq(Column::Kind, filter.kind)
        .filter_in(
            Column::SampleApprovalStatus,
            filter.approval_statuses.iter().copied(),
        )
        .filter_within(Column::OccurredAt, filter.occurred_from, filter.occurred_to)
        .order_by_desc(Column::OccurredAt))
}

/// One activity the viewer may see.
pub async fn activity(tx: &TenantTx, id: Uuid) -> Result<activities::Model, IntelligenceError> {
    let viewer = Viewer::resolve(tx).await?;
    activities::Entity::find_by_id(id)
        .filter(viewer.sees(
            &[activities::Column::UserId],
            activities::Column::CustomerId,
        ))
        .one(tx)
        .await?
        .ok_or(IntelligenceError::not_found("activity"))
}
