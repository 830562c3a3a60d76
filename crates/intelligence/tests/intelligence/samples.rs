//! The monthly sample allowance: free pulls up to it, pending ones above it, decided by the rep's
//! manager.

use crate::support::*;
use leora_intelligence::entities::activities::SampleApprovalStatus;
use leora_intelligence::service::activities::ActivityFilter;
use leora_intelligence::service::samples::{
    SampleDecision, decide_sample_pull, units_used_in_month,
};
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::sql::exec;
use uuid::Uuid;

#[tokio::test]
async fn sample_pulls_are_free_up_to_exactly_the_allowance_and_pending_one_above() {
    let w = world().await;
    let t = w.t;
    let rep1 = t.as_user(t.rep1);
    // The fixture's allowance is 5 units per rep per calendar month.
    let first = w
        .log(rep1, pull(t.c1, t.sku, 3, "2025-06-10T09:00:00Z"))
        .await
        .unwrap();
    let at_allowance = w
        .log(rep1, pull(t.c1, t.sku, 2, "2025-06-11T09:00:00Z"))
        .await
        .unwrap();
    let above = w
        .log(rep1, pull(t.c1, t.sku, 1, "2025-06-12T09:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        first.sample_approval_status,
        SampleApprovalStatus::NotRequired
    );
    assert_eq!(
        at_allowance.sample_approval_status,
        SampleApprovalStatus::NotRequired,
        "exactly the allowance"
    );
    assert_eq!(
        above.sample_approval_status,
        SampleApprovalStatus::Pending,
        "one unit above it"
    );
    assert_eq!(
        (above.sample_sku_id, above.sample_quantity),
        (Some(t.sku), Some(1))
    );

    // Another month, and another rep, start from zero.
    let july = w
        .log(rep1, pull(t.c1, t.sku, 5, "2025-07-01T00:00:00Z"))
        .await
        .unwrap();
    let may = w
        .log(rep1, pull(t.c1, t.sku, 5, "2025-05-31T23:59:59Z"))
        .await
        .unwrap();
    let rep2 = w
        .log(
            t.as_user(t.rep2),
            pull(t.c2, t.sku, 5, "2025-06-15T09:00:00Z"),
        )
        .await
        .unwrap();
    for other in [&july, &may, &rep2] {
        assert_eq!(
            other.sample_approval_status,
            SampleApprovalStatus::NotRequired
        );
    }
    // A pull that alone exceeds the allowance is pending too.
    let big = w
        .log(
            t.as_user(t.rep3),
            pull(t.c3, t.sku, 6, "2025-06-15T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(big.sample_approval_status, SampleApprovalStatus::Pending);

    // Months are the tenant's: in Los Angeles, 2025-07-01 03:00 UTC is still June 30.
    exec(
        &w.pools.owner,
        "UPDATE tenant_settings SET timezone = 'America/Los_Angeles' WHERE tenant_id = $1",
        [t.tenant.into()],
    )
    .await;
    let used = |at: &'static str| {
        w.run(t.system(), async move |tx| {
            units_used_in_month(tx, t.rep1, time(at), "America/Los_Angeles").await
        })
    };
    assert_eq!(
        used("2025-07-01T03:00:00Z").await.unwrap(),
        6 + 5,
        "June plus the July pull at 00:00 UTC"
    );
    assert_eq!(
        used("2025-07-01T08:00:00Z").await.unwrap(),
        0,
        "July in Los Angeles"
    );

    // Without required approval, nothing waits.
    exec(
        &w.pools.owner,
        "UPDATE tenant_settings SET sample_manager_approval_required = false WHERE tenant_id = $1",
        [t.tenant.into()],
    )
    .await;
    let unchecked = w
        .log(rep1, pull(t.c1, t.sku, 9, "2025-06-20T19:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        unchecked.sample_approval_status,
        SampleApprovalStatus::NotRequired
    );
}

#[tokio::test]
async fn pending_pulls_are_decided_by_the_reps_manager_never_by_the_rep() {
    let w = world().await;
    let t = w.t;
    let rep1 = t.as_user(t.rep1);
    w.log(rep1, pull(t.c1, t.sku, 5, "2025-06-10T09:00:00Z"))
        .await
        .unwrap();
    let pending = w
        .log(rep1, pull(t.c1, t.sku, 1, "2025-06-11T09:00:00Z"))
        .await
        .unwrap();
    let free = w
        .log(
            t.as_user(t.rep2),
            pull(t.c2, t.sku, 1, "2025-06-11T09:00:00Z"),
        )
        .await
        .unwrap();
    let visit = w.log(rep1, visit(t.c1)).await.unwrap();
    let decide = |ctx: TenantContext, id: Uuid, decision: SampleDecision| {
        w.run(ctx, async move |tx| {
            decide_sample_pull(tx, id, decision).await
        })
    };

    assert_code_and_field(
        decide(rep1, pending.id, SampleDecision::Approve).await,
        ErrorCode::Forbidden,
        None,
    );
    // rep2 and rep3 cannot see rep1's pull at rep1's account.
    assert_code_and_field(
        decide(t.as_user(t.rep2), pending.id, SampleDecision::Approve).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code_and_field(
        decide(t.as_user(t.rep3), pending.id, SampleDecision::Approve).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code_and_field(
        decide(
            t.as_portal(t.portal1, t.c1),
            pending.id,
            SampleDecision::Approve,
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        decide(
            w.other.as_user(w.other.admin),
            pending.id,
            SampleDecision::Approve,
        )
        .await,
        ErrorCode::NotFound,
        None,
    );

    // rep3 reports to no manager: the manager sees rep3's pull at rep1's account, but does not
    // decide it; an admin does.
    let outside_team = w
        .log(
            t.as_user(t.rep3),
            pull(t.c1, t.sku, 6, "2025-06-11T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        outside_team.sample_approval_status,
        SampleApprovalStatus::Pending
    );
    assert_code_and_field(
        decide(
            t.as_user(t.manager),
            outside_team.id,
            SampleDecision::Approve,
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    let by_admin = decide(t.as_user(t.admin), outside_team.id, SampleDecision::Reject)
        .await
        .unwrap();
    assert_eq!(
        by_admin.sample_approval_status,
        SampleApprovalStatus::Rejected
    );

    let approved = decide(t.as_user(t.manager), pending.id, SampleDecision::Approve)
        .await
        .unwrap();
    assert_eq!(
        approved.sample_approval_status,
        SampleApprovalStatus::Approved
    );
    assert_eq!(approved.approved_by_user_id, Some(t.manager));
    assert!(approved.approved_at.is_some());
    assert_code_and_field(
        decide(t.as_user(t.manager), pending.id, SampleDecision::Reject).await,
        ErrorCode::InvalidTransition,
        None,
    );
    assert_code_and_field(
        decide(t.as_user(t.manager), free.id, SampleDecision::Approve).await,
        ErrorCode::InvalidTransition,
        None,
    );
    assert_code_and_field(
        decide(t.as_user(t.manager), visit.id, SampleDecision::Approve).await,
        ErrorCode::NotFound,
        None,
    );

    // A rejected pull stops counting against the allowance.
    let second = w
        .log(rep1, pull(t.c1, t.sku, 2, "2025-06-12T09:00:00Z"))
        .await
        .unwrap();
    assert_eq!(second.sample_approval_status, SampleApprovalStatus::Pending);
    let used = || {
        w.run(t.system(), async |tx| {
            units_used_in_month(tx, t.rep1, time("2025-06-30T00:00:00Z"), "UTC").await
        })
    };
    assert_eq!(used().await.unwrap(), 8);
    let rejected = decide(t.as_user(t.admin), second.id, SampleDecision::Reject)
        .await
        .unwrap();
    assert_eq!(
        rejected.sample_approval_status,
        SampleApprovalStatus::Rejected
    );
    assert_eq!(used().await.unwrap(), 6);

    // Admins decide anyone's, including a rep with no manager.
    let lonely = w
        .log(
            t.as_user(t.rep3),
            pull(t.c3, t.sku, 6, "2025-06-12T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_code_and_field(
        decide(t.as_user(t.manager), lonely.id, SampleDecision::Approve).await,
        ErrorCode::NotFound,
        None,
    );
    decide(t.as_user(t.admin), lonely.id, SampleDecision::Approve)
        .await
        .unwrap();

    // The queue of pending pulls is a filter away.
    let pending_ids = w
        .activity_ids(
            t.as_user(t.manager),
            ActivityFilter {
                approval_statuses: vec![SampleApprovalStatus::Pending],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(pending_ids.is_empty());
}
