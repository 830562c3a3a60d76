//! The account health job: snapshots, alerts sent once, and the tenant's thresholds at their edges.

use crate::support::*;
use chrono::Duration;
use leora_intelligence::entities::account_health_snapshots::PaceStatus;
use leora_intelligence::entities::enums::Priority;
use leora_intelligence::service::health::{self, OverviewFilter};
use leora_intelligence::service::notifications::inbox;
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::sql::exec;
use serde_json::json;
use std::collections::BTreeSet;
use uuid::Uuid;

#[tokio::test]
async fn the_health_job_snapshots_every_account_and_alerts_reps_once() {
    let w = world().await;
    let t = w.t;
    let today = health_fixture(&w).await;

    let summary = run_job(&w, today).await;
    assert_eq!(
        (summary.snapshots, summary.at_risk, summary.newly_at_risk),
        (4, 2, 2)
    );
    assert_eq!(summary.snapshot_date, today);

    let latest = |ctx: TenantContext, customer: Uuid| {
        w.run(ctx, async move |tx| health::latest(tx, customer).await)
    };
    let admin = t.as_user(t.admin);
    let c1 = latest(admin, t.c1).await.unwrap().unwrap();
    assert_eq!(
        (c1.health_score, c1.pace_status, c1.order_count),
        (100, PaceStatus::OnTrack, 6)
    );
    assert_eq!(
        (c1.revenue_current, c1.revenue_previous),
        (dec("300"), dec("300"))
    );
    assert_eq!(c1.risk_flags, json!([]));
    let c2 = latest(admin, t.c2).await.unwrap().unwrap();
    assert_eq!(
        (c2.revenue_current, c2.revenue_previous),
        (dec("500.00"), dec("999.99"))
    );
    assert_eq!(c2.revenue_change_pct, Some(dec("-49.9995")));
    assert_eq!(c2.risk_flags, json!(["revenue_drop"]));
    assert_eq!(
        (c2.health_score, c2.days_since_last_order, c2.period_days),
        (60, Some(5), 30)
    );
    let c3 = latest(admin, t.c3).await.unwrap().unwrap();
    assert_eq!(c3.risk_flags, json!(["pace_at_risk"]));
    assert_eq!(
        (c3.pace_status, c3.avg_reorder_interval_days),
        (PaceStatus::AtRisk, Some(dec("10")))
    );
    // 15 days since the last order, 5 late on a 10-day rhythm: 100 − (30 + 20 × 0.5).
    assert_eq!(c3.health_score, 60);
    let c4 = latest(admin, t.c4).await.unwrap().unwrap();
    assert_eq!(
        (c4.health_score, c4.pace_status),
        (70, PaceStatus::InsufficientData)
    );

    // The accounts' reps are told; the unassigned and healthy ones produce nothing.
    let inbox_of = |user: Uuid| {
        w.run(t.as_user(user), async |tx| {
            Ok(inbox(tx.context(), false)?.all(tx).await?)
        })
    };
    let rep2_inbox = inbox_of(t.rep2).await.unwrap();
    assert_eq!(rep2_inbox.len(), 1);
    assert_eq!(
        (rep2_inbox[0].kind.as_str(), rep2_inbox[0].priority),
        ("account.at_risk", Priority::High)
    );
    assert_eq!(rep2_inbox[0].data["customerId"], json!(t.c2));
    assert_eq!(inbox_of(t.rep3).await.unwrap().len(), 1);
    assert!(inbox_of(t.rep1).await.unwrap().is_empty());
    let events = "SELECT count(*) FROM webhook_events WHERE tenant_id = $1 AND event_type = 'account.at_risk'";
    assert_eq!(w.count(events, vec![t.tenant.into()]).await, 2);

    // Running again the same day replaces the snapshots and alerts nobody twice.
    let again = run_job(&w, today).await;
    assert_eq!(
        (again.snapshots, again.at_risk, again.newly_at_risk),
        (4, 2, 0)
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM account_health_snapshots WHERE tenant_id = $1",
            vec![t.tenant.into()]
        )
        .await,
        4
    );
    assert_eq!(inbox_of(t.rep2).await.unwrap().len(), 1);
    assert_eq!(w.count(events, vec![t.tenant.into()]).await, 2);
    // The next day adds history; still at risk is not news.
    let tomorrow = run_job(&w, today + Duration::days(1)).await;
    assert_eq!(tomorrow.newly_at_risk, 0);
    let history = w
        .run(admin, async |tx| {
            Ok(health::history(tx, t.c2).await?.all(tx).await?)
        })
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|s| s.snapshot_date).collect::<Vec<_>>(),
        vec![today + Duration::days(1), today]
    );

    // Who sees which account's health.
    assert!(latest(t.as_user(t.rep2), t.c2).await.unwrap().is_some());
    assert_code_and_field(
        latest(t.as_user(t.rep1), t.c2).await,
        ErrorCode::NotFound,
        None,
    );
    assert!(latest(t.as_user(t.manager), t.c2).await.unwrap().is_some());
    assert_code_and_field(
        latest(t.as_user(t.manager), t.c3).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code_and_field(
        latest(t.as_portal(t.portal1, t.c1), t.c1).await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code_and_field(
        latest(w.other.as_user(w.other.admin), t.c2).await,
        ErrorCode::NotFound,
        None,
    );
    let overview = |ctx: TenantContext| {
        w.run(ctx, async |tx| {
            let filter = OverviewFilter {
                at_risk_only: true,
                ..Default::default()
            };
            Ok(health::overview(tx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|s| s.customer_id)
                .collect::<Vec<_>>())
        })
    };
    assert_eq!(overview(t.as_user(t.manager)).await.unwrap(), vec![t.c2]);
    assert_eq!(overview(admin).await.unwrap().len(), 2);
    assert!(overview(t.as_user(t.rep1)).await.unwrap().is_empty());
    let by_pace = |pace_statuses: Vec<PaceStatus>| {
        w.run(admin, async move |tx| {
            let filter = OverviewFilter {
                pace_statuses,
                ..Default::default()
            };
            Ok(health::overview(tx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|s| s.customer_id)
                .collect::<BTreeSet<_>>())
        })
    };
    assert_eq!(
        by_pace(vec![PaceStatus::AtRisk, PaceStatus::InsufficientData])
            .await
            .unwrap(),
        set([t.c3, t.c4]),
        "any of the paces asked for, and the on-track accounts left out"
    );
    assert_eq!(by_pace(vec![]).await.unwrap().len(), 4);

    // The other tenant was not touched.
    assert_eq!(
        w.count(
            "SELECT count(*) FROM account_health_snapshots WHERE tenant_id = $1",
            vec![w.other.tenant.into()]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_job_applies_the_tenants_thresholds_at_their_edges() {
    let w = world().await;
    let t = w.t;
    let today = date(TODAY);
    // Previous period 1000.00 over three orders; this period exactly 15 % less, and a cent more.
    for (customer, current) in [(t.c1, "850.00"), (t.c2, "849.99")] {
        for (days_ago, amount) in [(55, "400.00"), (45, "300.00"), (35, "300.00")] {
            w.order(customer, today, days_ago, amount, "delivered", 1)
                .await;
        }
        w.order(customer, today, 5, current, "delivered", 1).await;
    }
    // Two orders only: a 100 % drop that does not count.
    w.order(t.c3, today, 50, "1000.00", "delivered", 1).await;
    w.order(t.c3, today, 40, "1000.00", "delivered", 1).await;
    run_job(&w, today).await;
    let flags = async |customer: Uuid| {
        w.run(t.system(), async move |tx| {
            health::latest(tx, customer).await
        })
        .await
        .unwrap()
        .unwrap()
        .risk_flags
    };
    assert_eq!(
        flags(t.c1).await,
        json!([]),
        "a drop of exactly the threshold"
    );
    assert_eq!(
        flags(t.c2).await,
        json!(["revenue_drop"]),
        "a cent beyond it"
    );
    assert_eq!(
        flags(t.c3).await,
        json!([]),
        "fewer than the minimum orders"
    );

    // Lower thresholds flag them all.
    exec(&w.pools.owner, "UPDATE tenant_settings SET health_revenue_drop_threshold = 0.10, health_min_orders = 2 WHERE tenant_id = $1", [t.tenant.into()]).await;
    run_job(&w, today).await;
    assert_eq!(flags(t.c1).await, json!(["revenue_drop"]));
    assert_eq!(flags(t.c3).await, json!(["revenue_drop"]));
}
