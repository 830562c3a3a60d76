//! Sales metrics, checked against a direct sum over the orders.

use crate::support::*;
use leora_intelligence::entities::sales_metrics::{MetricKind, MetricPeriod};
use leora_intelligence::service::metrics::{MetricSubject, MetricsFilter, sales_metrics};
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::sql::exec;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

#[tokio::test]
async fn sales_metrics_agree_with_a_direct_sum_over_the_orders() {
    let w = world().await;
    let t = w.t;
    let today = health_fixture(&w).await;
    // A month earlier, so months and weeks hold several days.
    w.order(t.c2, today, 61, "42.42", "fulfilled", 4).await;
    let summary = run_job(&w, today).await;
    assert!(summary.metric_rows > 0);

    let sales = "status NOT IN ('draft', 'cancelled') AND tenant_id = $1";
    let revenue = w
        .scalar_decimal(
            &format!("SELECT sum(subtotal) FROM orders WHERE {sales}"),
            vec![t.tenant.into()],
        )
        .await;
    let orders = w
        .count(
            &format!("SELECT count(*) FROM orders WHERE {sales}"),
            vec![t.tenant.into()],
        )
        .await;
    let units = w
        .scalar_decimal(
            &format!("SELECT sum(quantity)::numeric FROM order_lines WHERE NOT is_sample AND order_id IN (SELECT id FROM orders WHERE {sales})"),
            vec![t.tenant.into()],
        )
        .await;
    assert_eq!((revenue, orders, units), (dec("2517.41"), 15, dec("90")));

    let metric_sum = async |period: &str, metric: &str, rows: &str| {
        w.scalar_decimal(
            &format!("SELECT sum(value) FROM sales_metrics WHERE tenant_id = $1 AND period = $2 AND metric = $3 AND {rows}"),
            vec![t.tenant.into(), period.into(), metric.into()],
        )
        .await
    };
    let tenant_rows = "user_id IS NULL AND customer_id IS NULL";
    let customer_rows = "customer_id IS NOT NULL";
    let rep_rows = "user_id IS NOT NULL";
    for period in ["day", "week", "month"] {
        for (metric, rows, expected, what) in [
            ("revenue", tenant_rows, revenue, "revenue"),
            ("revenue", customer_rows, revenue, "by customer"),
            ("order_count", tenant_rows, Decimal::from(orders), "orders"),
            ("units", tenant_rows, units, "units"),
            // Reps hold everything but the unassigned customer's 75.00.
            ("revenue", rep_rows, revenue - dec("75.00"), "by rep"),
        ] {
            let sum = metric_sum(period, metric, rows).await;
            assert_eq!(sum, expected, "{period} {what}");
        }
    }
    // One rep-month, and its average: rep2's May is c2's orders of May 6, 16 and 26.
    let may = |metric: &'static str| {
        let sql = "SELECT sum(value) FROM sales_metrics WHERE tenant_id = $1 AND period = 'month'
                    AND metric = $2 AND user_id = $3 AND period_start = '2025-05-01'";
        w.scalar_decimal(sql, vec![t.tenant.into(), metric.into(), t.rep2.into()])
    };
    assert_eq!(may("revenue").await, dec("999.99"));
    assert_eq!(may("order_count").await, dec("3"));
    assert_eq!(may("average_order_value").await, dec("333.33"));

    // A cancellation is picked up by the next run.
    exec(
        &w.pools.owner,
        "UPDATE orders SET status = 'cancelled' WHERE customer_id = $1 AND subtotal = 500.00",
        [t.c2.into()],
    )
    .await;
    run_job(&w, today).await;
    assert_eq!(
        metric_sum("month", "revenue", tenant_rows).await,
        revenue - dec("500.00")
    );

    // Who sees which figures.
    let subjects = |ctx: TenantContext| {
        w.run(ctx, async |tx| {
            let filter = MetricsFilter {
                period: MetricPeriod::Month,
                metrics: vec![MetricKind::Revenue],
                subject: None,
                rep_id: None,
                customer_id: None,
                from: None,
                to: None,
            };
            Ok(sales_metrics(tx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|m| (m.user_id, m.customer_id))
                .collect::<BTreeSet<_>>())
        })
    };
    let rep1 = subjects(t.as_user(t.rep1)).await.unwrap();
    assert_eq!(
        rep1,
        [(Some(t.rep1), None), (None, Some(t.c1))]
            .into_iter()
            .collect()
    );
    let manager = subjects(t.as_user(t.manager)).await.unwrap();
    assert_eq!(
        manager,
        [
            (Some(t.rep1), None),
            (Some(t.rep2), None),
            (None, Some(t.c1)),
            (None, Some(t.c2))
        ]
        .into_iter()
        .collect()
    );
    let admin = subjects(t.as_user(t.admin)).await.unwrap();
    assert!(
        admin.contains(&(None, None))
            && admin.contains(&(None, Some(t.c4)))
            && admin.contains(&(Some(t.rep3), None))
    );
    assert_code_and_field(
        subjects(t.as_portal(t.portal1, t.c1)).await,
        ErrorCode::Forbidden,
        None,
    );
    let tenant_only = w
        .run(t.as_user(t.admin), async |tx| {
            let filter = MetricsFilter {
                period: MetricPeriod::Week,
                metrics: vec![],
                subject: Some(MetricSubject::Tenant),
                rep_id: None,
                customer_id: None,
                from: Some(date("2025-06-23")),
                to: Some(date("2025-06-30")),
            };
            Ok(sales_metrics(tx, &filter).await?.all(tx).await?)
        })
        .await
        .unwrap();
    // Two weeks (starting June 23 and June 30), four metrics each.
    assert_eq!(tenant_only.len(), 8);
}
