//! Call plans through their lifecycle, each step for the people allowed to take it.

use crate::support::*;
use leora_intelligence::entities::call_plans::CallPlanStatus;
use leora_intelligence::service::call_plans::{
    CallPlanFilter, NewCallPlan, call_plans, cancel_call, complete_call, mark_missed, schedule_call,
};
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code_and_field;
use std::collections::BTreeSet;
use uuid::Uuid;

fn call(customer: Uuid, at: &str) -> NewCallPlan {
    NewCallPlan {
        rep_id: None,
        customer_id: customer,
        scheduled_for: time(at),
        objective: "Present the new vintage".into(),
    }
}

#[tokio::test]
async fn call_plans_move_through_their_lifecycle_for_the_right_people() {
    let w = world().await;
    let t = w.t;
    let rep1 = t.as_user(t.rep1);
    let schedule = |ctx: TenantContext, input: NewCallPlan| {
        w.run(ctx, async move |tx| schedule_call(tx, input).await)
    };
    let plan = schedule(rep1, call(t.c1, "2031-01-10T15:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        (plan.status, plan.user_id),
        (CallPlanStatus::Planned, t.rep1)
    );
    let for_report = schedule(
        t.as_user(t.manager),
        NewCallPlan {
            rep_id: Some(t.rep2),
            ..call(t.c2, "2031-01-11T15:00:00Z")
        },
    )
    .await
    .unwrap();
    assert_eq!(for_report.user_id, t.rep2);
    let theirs = schedule(t.as_user(t.rep3), call(t.c3, "2031-01-12T15:00:00Z"))
        .await
        .unwrap();
    assert_code_and_field(
        schedule(
            rep1,
            NewCallPlan {
                rep_id: Some(t.rep2),
                ..call(t.c2, "2031-01-10T15:00:00Z")
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        schedule(
            t.as_user(t.manager),
            NewCallPlan {
                rep_id: Some(t.rep3),
                ..call(t.c3, "2031-01-10T15:00:00Z")
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        schedule(
            rep1,
            NewCallPlan {
                objective: "  ".into(),
                ..call(t.c1, "2031-01-10T15:00:00Z")
            },
        )
        .await,
        ErrorCode::BadUserInput,
        Some("objective"),
    );

    let ids = |ctx: TenantContext, filter: CallPlanFilter| {
        w.run(ctx, async move |tx| {
            Ok(call_plans(tx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect::<BTreeSet<_>>())
        })
    };
    assert_eq!(
        ids(rep1, CallPlanFilter::default()).await.unwrap(),
        set([plan.id])
    );
    assert_eq!(
        ids(t.as_user(t.manager), CallPlanFilter::default())
            .await
            .unwrap(),
        set([plan.id, for_report.id])
    );
    assert_eq!(
        ids(t.as_user(t.admin), CallPlanFilter::default())
            .await
            .unwrap(),
        set([plan.id, for_report.id, theirs.id])
    );
    assert_eq!(
        ids(
            t.as_user(t.admin),
            CallPlanFilter {
                scheduled_from: Some(time("2031-01-11T00:00:00Z")),
                scheduled_to: Some(time("2031-01-12T00:00:00Z")),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([for_report.id])
    );
    // Both ends are inclusive: calls scheduled at exactly either bound are in.
    assert_eq!(
        ids(
            t.as_user(t.admin),
            CallPlanFilter {
                scheduled_from: Some(time("2031-01-11T15:00:00Z")),
                scheduled_to: Some(time("2031-01-12T15:00:00Z")),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([for_report.id, theirs.id])
    );
    assert_code_and_field(
        ids(t.as_portal(t.portal1, t.c1), CallPlanFilter::default()).await,
        ErrorCode::Forbidden,
        None,
    );

    // Someone outside the plan's reach cannot touch it.
    let id = plan.id;
    assert_code_and_field(
        w.run(t.as_user(t.rep2), async |tx| {
            complete_call(tx, id, None).await
        })
        .await,
        ErrorCode::NotFound,
        None,
    );
    let done = w
        .run(rep1, async |tx| {
            complete_call(tx, id, Some("Ordered two cases".into())).await
        })
        .await
        .unwrap();
    assert_eq!(done.status, CallPlanStatus::Completed);
    assert_eq!(done.outcome.as_deref(), Some("Ordered two cases"));
    assert!(done.completed_at.is_some());
    assert_code_and_field(
        w.run(rep1, async |tx| complete_call(tx, id, None).await)
            .await,
        ErrorCode::InvalidTransition,
        None,
    );
    assert_code_and_field(
        w.run(rep1, async |tx| cancel_call(tx, id).await).await,
        ErrorCode::InvalidTransition,
        None,
    );
    let cancelled = w
        .run(t.as_user(t.manager), async |tx| {
            cancel_call(tx, for_report.id).await
        })
        .await
        .unwrap();
    assert_eq!(cancelled.status, CallPlanStatus::Cancelled);
    assert_eq!(
        ids(
            t.as_user(t.admin),
            CallPlanFilter {
                statuses: vec![CallPlanStatus::Planned],
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([theirs.id])
    );
    assert_eq!(
        ids(
            t.as_user(t.admin),
            CallPlanFilter {
                statuses: vec![CallPlanStatus::Planned, CallPlanStatus::Cancelled],
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([theirs.id, for_report.id]),
        "any of the statuses asked for, and the completed call left out"
    );

    // The job marks calls whose day has passed as missed; a missed call can still be completed.
    let missed = w
        .run(t.system(), async |tx| {
            mark_missed(tx, date("2031-01-13"), "UTC").await
        })
        .await
        .unwrap();
    assert_eq!(missed, 1);
    let late = w
        .run(t.as_user(t.rep3), async |tx| {
            complete_call(tx, theirs.id, None).await
        })
        .await
        .unwrap();
    assert_eq!(late.status, CallPlanStatus::Completed);
}

#[tokio::test]
async fn a_rep_who_shares_the_account_sees_a_colleagues_call_but_may_not_close_it() {
    let w = world().await;
    let t = w.t;
    // An admin plans rep2's call at rep1's account: rep1 sees it, as it is about their customer.
    let plan = w
        .run(t.as_user(t.admin), async |tx| {
            let at_rep1s_account = NewCallPlan {
                rep_id: Some(t.rep2),
                ..call(t.c1, "2031-01-20T10:00:00Z")
            };
            schedule_call(tx, at_rep1s_account).await
        })
        .await
        .unwrap();
    let id = plan.id;
    for attempt in [
        w.run(t.as_user(t.rep1), async |tx| {
            complete_call(tx, id, None).await
        })
        .await,
        w.run(t.as_user(t.rep1), async |tx| cancel_call(tx, id).await)
            .await,
    ] {
        assert_code_and_field(attempt, ErrorCode::Forbidden, None);
    }
    let done = w
        .run(t.as_user(t.manager), async |tx| {
            complete_call(tx, id, None).await
        })
        .await
        .unwrap();
    assert_eq!(done.status, CallPlanStatus::Completed, "their manager may");
}
