//! The monthly sample allowance: free pulls up to it, pending ones above it, decided by the rep's
//! manager.

use crate::support::*;
use chrono::{Duration, Utc};
use leora_intelligence::entities::activities::SampleApprovalStatus;
use leora_intelligence::service::activities::ActivityFilter;
use leora_intelligence::service::activities::NewActivity;
use leora_intelligence::service::samples::{SampleDecision, decide_sample_pull, pull_standing};
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::sql::exec;
use uuid::Uuid;

#[tokio::test]
async fn sample_pulls_are_free_up_to_exactly_the_allowance_and_pending_one_above() {
    let w = world().await;
    let t = w.t;
    steady_month_zone(&w).await;
    let rep1 = t.as_user(t.rep1);
    // The fixture's allowance is 5 units per rep per calendar month.
    let first = w.log(rep1, pull_now(t.c1, t.sku, 3)).await.unwrap();
    let at_allowance = w.log(rep1, pull_now(t.c1, t.sku, 2)).await.unwrap();
    let above = w.log(rep1, pull_now(t.c1, t.sku, 1)).await.unwrap();
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

    // Another rep starts from zero; a pull that alone exceeds the allowance is pending too.
    let rep2 = w
        .log(t.as_user(t.rep2), pull_now(t.c2, t.sku, 5))
        .await
        .unwrap();
    assert_eq!(
        rep2.sample_approval_status,
        SampleApprovalStatus::NotRequired
    );
    let big = w
        .log(t.as_user(t.rep3), pull_now(t.c3, t.sku, 6))
        .await
        .unwrap();
    assert_eq!(big.sample_approval_status, SampleApprovalStatus::Pending);

    // Without required approval, nothing waits.
    exec(
        &w.pools.owner,
        "UPDATE tenant_settings SET sample_manager_approval_required = false WHERE tenant_id = $1",
        [t.tenant.into()],
    )
    .await;
    let unchecked = w.log(rep1, pull_now(t.c1, t.sku, 9)).await.unwrap();
    assert_eq!(
        unchecked.sample_approval_status,
        SampleApprovalStatus::NotRequired
    );
}

#[tokio::test]
async fn a_pull_counts_against_the_month_it_is_recorded_in_and_one_dated_in_a_closed_month_waits() {
    let w = world().await;
    let t = w.t;
    steady_month_zone(&w).await;
    let rep1 = t.as_user(t.rep1);
    // Forty days back is an earlier month in every time zone.
    let backdated = NewActivity {
        occurred_at: Some(Utc::now() - Duration::days(40)),
        ..pull_now(t.c1, t.sku, 5)
    };
    let backdated = w.log(rep1, backdated).await.unwrap();
    assert_eq!(
        backdated.sample_approval_status,
        SampleApprovalStatus::Pending,
        "last month's unused allowance is not there to spend, and a closed month needs a manager"
    );
    let today = w.log(rep1, pull_now(t.c1, t.sku, 1)).await.unwrap();
    assert_eq!(
        today.sample_approval_status,
        SampleApprovalStatus::Pending,
        "the backdated pull spent this month's allowance"
    );

    w.run(t.as_user(t.manager), async |tx| {
        decide_sample_pull(tx, backdated.id, SampleDecision::Reject).await
    })
    .await
    .unwrap();
    let after_rejection = w.log(rep1, pull_now(t.c1, t.sku, 4)).await.unwrap();
    assert_eq!(
        after_rejection.sample_approval_status,
        SampleApprovalStatus::NotRequired,
        "a rejected pull gives its units back: 1 pending + 4 is the allowance"
    );
}

#[tokio::test]
async fn the_month_a_pull_is_recorded_in_is_the_tenants() {
    let w = world().await;
    let t = w.t;
    let rep1 = t.as_user(t.rep1);
    for _ in 0..2 {
        w.log(rep1, pull_now(t.c1, t.sku, 3)).await.unwrap();
    }
    // Recorded at 2025-06-30 20:00 and 2025-07-01 03:00 UTC: both June in Los Angeles.
    exec(
        &w.pools.owner,
        "UPDATE activities SET created_at = CASE WHEN created_at = (SELECT min(created_at)
                FROM activities WHERE user_id = $1) THEN timestamptz '2025-06-30T20:00:00Z'
                ELSE timestamptz '2025-07-01T03:00:00Z' END
          WHERE user_id = $1",
        [t.rep1.into()],
    )
    .await;
    let standing = |now: &'static str, zone: &'static str| {
        w.run(t.system(), async move |tx| {
            pull_standing(tx, t.rep1, time(now), time(now), zone).await
        })
    };
    let june_in_los_angeles = standing("2025-07-01T06:00:00Z", "America/Los_Angeles")
        .await
        .unwrap();
    assert_eq!(june_in_los_angeles.recorded_this_month, 6);
    assert_eq!(
        standing("2025-07-01T08:00:00Z", "America/Los_Angeles")
            .await
            .unwrap()
            .recorded_this_month,
        0,
        "July in Los Angeles"
    );
    assert_eq!(
        standing("2025-07-01T06:00:00Z", "UTC")
            .await
            .unwrap()
            .recorded_this_month,
        3,
        "in UTC only the second is July's"
    );
    let backdated = w
        .run(t.system(), async |tx| {
            pull_standing(
                tx,
                t.rep1,
                time("2025-07-01T06:00:00Z"),
                time("2025-07-01T08:00:00Z"),
                "America/Los_Angeles",
            )
            .await
        })
        .await
        .unwrap();
    assert!(
        backdated.dated_in_closed_month,
        "June 30 23:00 in Los Angeles is a closed month once July has begun there"
    );
    assert!(!june_in_los_angeles.dated_in_closed_month);
}

#[tokio::test]
async fn pending_pulls_are_decided_by_the_reps_manager_never_by_the_rep() {
    let w = world().await;
    let t = w.t;
    let zone = steady_month_zone(&w).await;
    let rep1 = t.as_user(t.rep1);
    w.log(rep1, pull_now(t.c1, t.sku, 5)).await.unwrap();
    let pending = w.log(rep1, pull_now(t.c1, t.sku, 1)).await.unwrap();
    let free = w
        .log(t.as_user(t.rep2), pull_now(t.c2, t.sku, 1))
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

    // rep3 reports to no manager: the manager sees rep3's pull at rep1's account (recorded for
    // rep3 by an admin, as rep3 does not see the account), but does not decide it; an admin does.
    let outside_team = w
        .log(
            t.as_user(t.admin),
            NewActivity {
                rep_id: Some(t.rep3),
                ..pull_now(t.c1, t.sku, 6)
            },
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
    let second = w.log(rep1, pull_now(t.c1, t.sku, 2)).await.unwrap();
    assert_eq!(second.sample_approval_status, SampleApprovalStatus::Pending);
    let used = || {
        w.run(t.system(), async |tx| {
            let now = Utc::now();
            let standing = pull_standing(tx, t.rep1, now, now, &zone).await?;
            Ok::<_, leora_intelligence::error::IntelligenceError>(standing.recorded_this_month)
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
        .log(t.as_user(t.rep3), pull_now(t.c3, t.sku, 6))
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

#[tokio::test]
async fn a_pull_takes_its_units_from_stock_when_free_or_approved_and_a_rejected_one_none() {
    let w = world().await;
    let t = w.t;
    steady_month_zone(&w).await;
    exec(
        &w.pools.owner,
        "UPDATE inventory SET on_hand = 10, reserved = 2 WHERE sku_id = $1",
        [t.sku.into()],
    )
    .await;
    let on_hand = || async {
        leora_test_db::sql::scalar::<i32>(
            &w.pools.owner,
            "SELECT on_hand FROM inventory WHERE sku_id = $1",
            [t.sku.into()],
        )
        .await
    };
    let rep1 = t.as_user(t.rep1);
    let free = w.log(rep1, pull_now(t.c1, t.sku, 3)).await.unwrap();
    assert_eq!(
        on_hand().await,
        7,
        "a free pull leaves the warehouse at once"
    );
    let moved: serde_json::Value = leora_test_db::sql::scalar(
        &w.pools.owner,
        "SELECT payload FROM webhook_events WHERE event_type = 'inventory.adjusted'",
        [],
    )
    .await;
    assert_eq!(moved["delta"], -3);
    assert_eq!(moved["reason"], format!("sample pull {}", free.id));

    let waiting = w.log(rep1, pull_now(t.c1, t.sku, 3)).await.unwrap();
    assert_eq!(
        waiting.sample_approval_status,
        SampleApprovalStatus::Pending
    );
    assert_eq!(on_hand().await, 7, "a pending pull takes nothing");
    let decide = |id: Uuid, decision: SampleDecision| {
        w.run(t.as_user(t.manager), async move |tx| {
            decide_sample_pull(tx, id, decision).await
        })
    };
    decide(waiting.id, SampleDecision::Approve).await.unwrap();
    assert_eq!(on_hand().await, 4, "approved, it leaves");
    let refused = w.log(rep1, pull_now(t.c1, t.sku, 1)).await.unwrap();
    decide(refused.id, SampleDecision::Reject).await.unwrap();
    assert_eq!(
        on_hand().await,
        4,
        "a rejected pull gives back nothing it never took"
    );

    // Units promised to orders are not given away: 4 on hand, 2 of them reserved.
    let short = w.log(t.as_user(t.rep2), pull_now(t.c2, t.sku, 3)).await;
    assert_code_and_field(short, ErrorCode::InsufficientInventory, None);
    assert_eq!(on_hand().await, 4);
    assert_eq!(
        leora_test_db::sql::scalar::<i64>(
            &w.pools.owner,
            "SELECT count(*) FROM activities WHERE user_id = $1",
            [t.rep2.into()],
        )
        .await,
        0,
        "the refused pull is not recorded"
    );
}

#[tokio::test]
async fn sample_lines_of_the_reps_submitted_orders_count_against_the_allowance() {
    let w = world().await;
    let t = w.t;
    steady_month_zone(&w).await;
    // rep1 submitted an order this month with 4 sample bottles, and cancelled one with 10.
    for (number, status, samples) in [("SO-1", "submitted", 4), ("SO-2", "cancelled", 10)] {
        exec(
            &w.pools.owner,
            "WITH o AS (
               INSERT INTO orders (tenant_id, order_number, customer_id, placed_by_user_id, status,
                                   subtotal, tax_total, total, submitted_at)
               VALUES ($1, $2, $3, $4, $5, 0, 0, 0, now()) RETURNING id, tenant_id, customer_id)
             INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity,
                                      unit_price, line_total, pricing_rule, is_sample)
             SELECT tenant_id, customer_id, id, 1, $6, $7, 0, 0, 'sample', true FROM o",
            [
                t.tenant.into(),
                number.into(),
                t.c1.into(),
                t.rep1.into(),
                status.into(),
                t.sku.into(),
                samples.into(),
            ],
        )
        .await;
    }
    let rep1 = t.as_user(t.rep1);
    let within = w.log(rep1, pull_now(t.c1, t.sku, 1)).await.unwrap();
    assert_eq!(
        within.sample_approval_status,
        SampleApprovalStatus::NotRequired,
        "4 on orders + 1 is the allowance of 5; the cancelled order's samples do not count"
    );
    let beyond = w.log(rep1, pull_now(t.c1, t.sku, 1)).await.unwrap();
    assert_eq!(beyond.sample_approval_status, SampleApprovalStatus::Pending);
}
