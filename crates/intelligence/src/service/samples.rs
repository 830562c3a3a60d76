//! The monthly sample allowance (docs/domain-rules.md, "Activities and the sample allowance"): the
//! sample units a rep pulls in a calendar month (in the tenant's time zone) are counted against
//! `sample_pulls_per_rep_per_month`; a pull that would take the month's total beyond it is recorded
//! as `pending` and needs a manager's approval.
//!
//! The allowance counts units (bottles), not sample activities: a pull of twelve bottles costs the
//! distributor twelve times a pull of one. Pending and approved pulls count; rejected ones do not.

use chrono::{DateTime, Utc};
use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::viewer::Viewer;
use crate::entities::activities::{self, ActivityKind, SampleApprovalStatus};
use crate::error::IntelligenceError;

/// The approval a pull of `quantity` units needs when the rep has already used `used` units this
/// month. Exactly reaching the allowance needs none; one unit beyond it does.
pub fn approval_for_pull(
    used: i64,
    quantity: i32,
    allowance: i32,
    approval_required: bool,
) -> SampleApprovalStatus {
    if !approval_required || used + i64::from(quantity) <= i64::from(allowance) {
        SampleApprovalStatus::NotRequired
    } else {
        SampleApprovalStatus::Pending
    }
}

#[derive(FromQueryResult)]
struct Used {
    used: i64,
}

/// Sample units `rep_id` has pulled in the calendar month (tenant time) containing `at`, rejected
/// pulls excepted.
pub async fn units_used_in_month(
    db: &impl ConnectionTrait,
    rep_id: Uuid,
    at: DateTime<Utc>,
    timezone: &str,
) -> Result<i64, IntelligenceError> {
    let used = Used::find_by_statement(stmt(
        "SELECT coalesce(sum(sample_quantity), 0)::bigint AS used
           FROM activities
          WHERE user_id = $1
            AND kind = 'sample'
            AND sample_approval_status <> 'rejected'
            AND occurred_at >= (date_trunc('month', $2 AT TIME ZONE $3) AT TIME ZONE $3)
            AND occurred_at < ((date_trunc('month', $2 AT TIME ZONE $3) + interval '1 month') AT TIME ZONE $3)",
        [rep_id.into(), at.into(), timezone.into()],
    ))
    .one(db)
    .await?;
    Ok(used.map_or(0, |u| u.used))
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
    Ok(model.update(tx).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SampleApprovalStatus::{NotRequired, Pending};

    #[test]
    fn a_pull_is_free_up_to_exactly_the_allowance() {
        let cases = [
            // (used, quantity, allowance, expected)
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
                approval_for_pull(used, quantity, allowance, true),
                expected,
                "{used} used + {quantity} against {allowance}"
            );
        }
    }

    #[test]
    fn without_required_approval_nothing_is_pending() {
        assert_eq!(approval_for_pull(60, 5, 60, false), NotRequired);
    }
}
