//! The monthly sample allowance (docs/domain-rules.md, "Activities and the sample allowance"): the
//! sample units a rep records in a calendar month (in the tenant's time zone) are counted against
//! `sample_pulls_per_rep_per_month`; a pull that would take the month's total beyond it is recorded
//! as `pending` and needs a manager's approval.
//!
//! A pull counts against the month it is *recorded* in, whatever day it is dated: dating a pull
//! into an earlier month cannot spend that month's unused allowance. A pull dated in a closed
//! month (before the current one) is always `pending`, however much allowance is left.
//!
//! The allowance counts units (bottles), not sample activities: a pull of twelve bottles costs the
//! distributor twelve times a pull of one. Pending and approved pulls count; rejected ones do not.

use chrono::{DateTime, Utc};
use leora_catalog::service::inventory;
use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::viewer::Viewer;
use crate::entities::activities::{self, ActivityKind, SampleApprovalStatus};
use crate::error::IntelligenceError;

/// Where a new pull stands: the units the rep has recorded this month, and whether the pull is
/// dated in a closed month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromQueryResult)]
pub struct PullStanding {
    pub recorded_this_month: i64,
    pub dated_in_closed_month: bool,
}

/// The approval a pull of `quantity` units needs. One dated in a closed month always needs a
/// manager; otherwise exactly reaching the allowance needs none, and one unit beyond it does.
pub fn approval_for_pull(
    standing: PullStanding,
    quantity: i32,
    allowance: i32,
    approval_required: bool,
) -> SampleApprovalStatus {
    let within = standing.recorded_this_month + i64::from(quantity) <= i64::from(allowance);
    if !approval_required || (within && !standing.dated_in_closed_month) {
        SampleApprovalStatus::NotRequired
    } else {
        SampleApprovalStatus::Pending
    }
}

/// Where a pull by `rep_id` dated `occurred_at` and recorded at `now` stands: the sample units
/// the rep has recorded in the calendar month (tenant time) containing `now` — pulls, rejected
/// ones excepted, and sample lines of the orders the rep submitted that month, cancelled ones
/// excepted — and whether `occurred_at` falls in an earlier month.
pub async fn pull_standing(
    db: &impl ConnectionTrait,
    rep_id: Uuid,
    occurred_at: DateTime<Utc>,
    now: DateTime<Utc>,
    timezone: &str,
) -> Result<PullStanding, IntelligenceError> {
    let standing = PullStanding::find_by_statement(stmt(
        "WITH month AS (
           SELECT date_trunc('month', $3 AT TIME ZONE $4) AT TIME ZONE $4 AS starts,
                  (date_trunc('month', $3 AT TIME ZONE $4) + interval '1 month') AT TIME ZONE $4 AS ends)
         SELECT ((SELECT coalesce(sum(a.sample_quantity), 0)
                    FROM activities a, month m
                   WHERE a.user_id = $1
                     AND a.kind = 'sample'
                     AND a.sample_approval_status <> 'rejected'
                     AND a.created_at >= m.starts AND a.created_at < m.ends)
               + (SELECT coalesce(sum(l.quantity), 0)
                    FROM order_lines l
                    JOIN orders o ON o.id = l.order_id AND o.customer_id = l.customer_id, month m
                   WHERE o.placed_by_user_id = $1
                     AND l.is_sample
                     AND o.status <> 'cancelled'
                     AND o.submitted_at >= m.starts AND o.submitted_at < m.ends))::bigint
                  AS recorded_this_month,
                date_trunc('month', $2 AT TIME ZONE $4) < date_trunc('month', $3 AT TIME ZONE $4)
                  AS dated_in_closed_month",
        [rep_id.into(), occurred_at.into(), now.into(), timezone.into()],
    ))
    .one(db)
    .await?;
    // An aggregate without GROUP BY always answers one row.
    standing.ok_or_else(|| DbErr::RecordNotFound("pull standing".into()).into())
}

/// Serialises sample pulls of one rep until the transaction ends, so two concurrent pulls cannot
/// both fit into the last of the allowance.
pub(crate) async fn lock_rep_allowance(
    db: &impl ConnectionTrait,
    rep_id: Uuid,
) -> Result<(), IntelligenceError> {
    db.execute_raw(stmt(
        "SELECT pg_advisory_xact_lock(hashtextextended('leora.samples:' || $1::text, 0))",
        [rep_id.into()],
    ))
    .await?;
    Ok(())
}

/// Takes a pull's units out of stock once it needs no approval or has been approved: the
/// bottles leave the warehouse then, and a pull waiting for (or refused) approval takes none, so
/// rejecting one gives back nothing. `inventory.adjusted` records the movement and its reason.
/// Too little unreserved stock → `INSUFFICIENT_INVENTORY` on the pull, and nothing is recorded.
pub(crate) async fn take_sample_stock(
    tx: &DatabaseTransaction,
    pull: &activities::Model,
) -> Result<(), IntelligenceError> {
    let (Some(sku_id), Some(quantity)) = (pull.sample_sku_id, pull.sample_quantity) else {
        return Ok(());
    };
    let reason = format!("sample pull {}", pull.id);
    inventory::take_out(tx, sku_id, quantity, &reason).await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleDecision {
    Approve,
    Reject,
}

/// Approves or rejects a pending pull. The decider must see the pull (a manager: their reports'
/// pulls; an admin: any) and may not decide their own; only a `pending` pull can be decided.
/// The `samples.approve` permission is checked by the API's guard.
pub async fn decide_sample_pull(
    tx: &TenantTx,
    activity_id: Uuid,
    decision: SampleDecision,
) -> Result<activities::Model, IntelligenceError> {
    let ctx = tx.context();
    let viewer = Viewer::resolve(tx).await?;
    let Some(decider) = viewer.user_id else {
        return Err(IntelligenceError::Forbidden {
            reason: "a sample pull is approved by a person",
        });
    };
    let pull = activities::Entity::find_by_id(activity_id)
        .filter(viewer.sees(
            &[activities::Column::UserId],
            activities::Column::CustomerId,
        ))
        .lock_exclusive()
        .one(tx)
        .await?
        .filter(|a| a.kind == ActivityKind::Sample)
        .ok_or(IntelligenceError::not_found("sample pull"))?;
    if pull.user_id == decider {
        return Err(IntelligenceError::Forbidden {
            reason: "you cannot approve your own sample pull",
        });
    }
    // Seeing the pull (it may be at one of the team's accounts) is not managing the rep who
    // pulled it.
    if !viewer.may_act_for(pull.user_id) {
        return Err(IntelligenceError::Forbidden {
            reason: "you decide only your direct reports' sample pulls",
        });
    }
    if pull.sample_approval_status != SampleApprovalStatus::Pending {
        let action = match decision {
            SampleDecision::Approve => "approve",
            SampleDecision::Reject => "reject",
        };
        return Err(IntelligenceError::invalid_transition(
            "a sample pull",
            pull.sample_approval_status.to_value(),
            action,
        ));
    }
    let mut model: activities::ActiveModel = pull.into();
    model.sample_approval_status = Set(match decision {
        SampleDecision::Approve => SampleApprovalStatus::Approved,
        SampleDecision::Reject => SampleApprovalStatus::Rejected,
    });
    model.approved_by_user_id = Set(Some(decider));
    model.approved_at = Set(Some(super::settings::load(tx, ctx.tenant_id()).await?.now));
    let decided = model.update(tx).await?;
    if decision == SampleDecision::Approve {
        take_sample_stock(tx, &decided).await?;
    }
    Ok(decided)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SampleApprovalStatus::{NotRequired, Pending};

    fn this_month(recorded_this_month: i64) -> PullStanding {
        PullStanding {
            recorded_this_month,
            dated_in_closed_month: false,
        }
    }

    #[test]
    fn a_pull_is_free_up_to_exactly_the_allowance() {
        let cases = [
            // (recorded this month, quantity, allowance, expected)
            (0, 1, 60, NotRequired),
            (59, 1, 60, NotRequired),
            (60, 1, 60, Pending),
            (58, 2, 60, NotRequired),
            (58, 3, 60, Pending),
            (0, 60, 60, NotRequired),
            (0, 61, 60, Pending),
            (75, 1, 60, Pending),
            (0, 1, 0, Pending),
        ];
        for (used, quantity, allowance, expected) in cases {
            assert_eq!(
                approval_for_pull(this_month(used), quantity, allowance, true),
                expected,
                "{used} used + {quantity} against {allowance}"
            );
        }
    }

    #[test]
    fn a_pull_dated_in_a_closed_month_waits_for_a_manager_however_much_is_left() {
        let backdated = PullStanding {
            recorded_this_month: 0,
            dated_in_closed_month: true,
        };
        assert_eq!(approval_for_pull(backdated, 1, 60, true), Pending);
        assert_eq!(approval_for_pull(backdated, 1, 60, false), NotRequired);
    }

    #[test]
    fn without_required_approval_nothing_is_pending() {
        assert_eq!(approval_for_pull(this_month(60), 5, 60, false), NotRequired);
    }
}
