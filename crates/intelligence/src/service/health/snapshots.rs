//! The snapshot half of the health job: reads every open customer's order history, assesses it
//! with [`super::rules`], upserts one snapshot per (customer, date), and reacts to accounts that
//! have just become at risk (an `account.at_risk` event in the outbox and a notification to the
//! account's rep).

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use leora_tenancy::events::{self, EventType};
use leora_tenancy::sql::stmt;
use rust_decimal::Decimal;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, Set, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use super::rules::{Assessment, HISTORY_DAYS, PERIOD_DAYS, PlacedOrder, RiskFlag, assess};
use crate::entities::account_health_snapshots::{self as snapshots, Column};
use crate::entities::enums::Priority;
use crate::error::IntelligenceError;
use crate::service::notifications::{
    ACCOUNT_AT_RISK, NewNotification, Recipient, enum_value, notify,
};
use crate::service::settings::Thresholds;

/// The day an order was placed, in the tenant's time zone (`$tz`): when it was submitted, or,
/// for orders that never went through submission (imports), when it was created.
pub(crate) const PLACED_ON: &str =
    "(coalesce(o.submitted_at, o.created_at) AT TIME ZONE $tz)::date";
/// Orders that count as sales: neither drafts nor cancelled.
pub(crate) const COUNTS_AS_SALE: &str = "o.status NOT IN ('draft', 'cancelled')";

/// Rows per upsert statement: 16 parameters each, well inside PostgreSQL's 65 535.
const UPSERT_CHUNK: usize = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotRun {
    pub snapshots: u64,
    pub at_risk: u64,
    /// Customers at risk on this date that were not at their previous snapshot.
    pub newly_at_risk: Vec<Uuid>,
    pub notifications: u64,
}

#[derive(FromQueryResult)]
struct CustomerRow {
    id: Uuid,
    name: String,
    assigned_rep_id: Option<Uuid>,
}

#[derive(FromQueryResult)]
struct OrderRow {
    customer_id: Uuid,
    placed_on: NaiveDate,
    revenue: Decimal,
}

#[derive(FromQueryResult)]
struct LastOrderRow {
    customer_id: Uuid,
    last_order_on: NaiveDate,
}

#[derive(FromQueryResult)]
struct SamplesRow {
    customer_id: Uuid,
    units: i64,
}

#[derive(FromQueryResult)]
struct PreviousRow {
    customer_id: Uuid,
    risk_flags: Value,
}

fn zoned_statement(sql: &str, tz: &str, values: Vec<sea_orm::Value>) -> Statement {
    // `$tz` keeps the shared snippets readable; it is always the last parameter.
    let sql = sql.replace("$tz", &format!("${}", values.len() + 1));
    let mut values = values;
    values.push(tz.into());
    stmt(&sql, values)
}

/// Assesses every customer that is not inactive as of `today` and stores the snapshots.
pub async fn refresh_snapshots(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    today: NaiveDate,
    timezone: &str,
    thresholds: &Thresholds,
) -> Result<SnapshotRun, IntelligenceError> {
    let customers = CustomerRow::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        "SELECT id, name, assigned_rep_id FROM customers WHERE status <> 'inactive' ORDER BY id",
    ))
    .all(db)
    .await?;
    let history_start = today - Duration::days(HISTORY_DAYS - 1);
    let period_start = today - Duration::days(PERIOD_DAYS - 1);

    let mut orders: HashMap<Uuid, Vec<PlacedOrder>> = HashMap::new();
    let rows = OrderRow::find_by_statement(zoned_statement(
        &format!(
            "SELECT o.customer_id, {PLACED_ON} AS placed_on, o.subtotal AS revenue
               FROM orders o
              WHERE {COUNTS_AS_SALE} AND {PLACED_ON} BETWEEN $1 AND $2"
        ),
        timezone,
        vec![history_start.into(), today.into()],
    ))
    .all(db)
    .await?;
    for row in rows {
        orders
            .entry(row.customer_id)
            .or_default()
            .push(PlacedOrder {
                placed_on: row.placed_on,
                revenue: row.revenue,
            });
    }
    let last_orders: HashMap<Uuid, NaiveDate> = LastOrderRow::find_by_statement(zoned_statement(
        &format!(
            "SELECT o.customer_id, max({PLACED_ON}) AS last_order_on
               FROM orders o
              WHERE {COUNTS_AS_SALE} AND {PLACED_ON} <= $1
              GROUP BY o.customer_id"
        ),
        timezone,
        vec![today.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|row| (row.customer_id, row.last_order_on))
    .collect();
    let samples: HashMap<Uuid, i64> = SamplesRow::find_by_statement(zoned_statement(
        "SELECT customer_id, coalesce(sum(sample_quantity), 0)::bigint AS units
           FROM activities
          WHERE kind = 'sample' AND sample_approval_status <> 'rejected'
            AND (occurred_at AT TIME ZONE $tz)::date BETWEEN $1 AND $2
          GROUP BY customer_id",
        timezone,
        vec![period_start.into(), today.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|row| (row.customer_id, row.units))
    .collect();
    let previously_at_risk: HashSet<Uuid> = PreviousRow::find_by_statement(stmt(
        "SELECT DISTINCT ON (customer_id) customer_id, risk_flags
               FROM account_health_snapshots
              WHERE snapshot_date <= $1
              ORDER BY customer_id, snapshot_date DESC",
        [today.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .filter(|row| {
        row.risk_flags
            .as_array()
            .is_some_and(|flags| !flags.is_empty())
    })
    .map(|row| row.customer_id)
    .collect();

    let mut run = SnapshotRun::default();
    let mut rows = Vec::with_capacity(customers.len());
    let mut alerts = Vec::new();
    for customer in &customers {
        let history = orders.get(&customer.id).map(Vec::as_slice).unwrap_or(&[]);
        let assessment = assess(
            history,
            last_orders.get(&customer.id).copied(),
            today,
            thresholds,
        );
        let samples_used = samples.get(&customer.id).copied().unwrap_or(0);
        if assessment.at_risk() {
            run.at_risk += 1;
            if !previously_at_risk.contains(&customer.id) {
                run.newly_at_risk.push(customer.id);
                alerts.push((customer, assessment.clone()));
            }
        }
        rows.push(snapshot_row(
            tenant_id,
            customer.id,
            today,
            &assessment,
            samples_used,
        ));
    }
    for chunk in rows.chunks(UPSERT_CHUNK) {
        run.snapshots += upsert(db, chunk.to_vec()).await?;
    }
    for (customer, assessment) in alerts {
        run.notifications += raise_alert(db, tenant_id, today, customer, &assessment).await?;
    }
    Ok(run)
}

fn flags_json(flags: &[RiskFlag]) -> Value {
    Value::Array(flags.iter().map(|f| Value::from(f.key())).collect())
}

/// A snapshot's risk flags, read back from their stored keys (a key this build does not know is
/// left out).
pub fn risk_flags(snapshot: &snapshots::Model) -> Vec<RiskFlag> {
    snapshot
        .risk_flags
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|flag| flag.as_str().and_then(RiskFlag::from_key))
        .collect()
}

fn snapshot_row(
    tenant_id: Uuid,
    customer_id: Uuid,
    today: NaiveDate,
    assessment: &Assessment,
    samples_used: i64,
) -> snapshots::ActiveModel {
    snapshots::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        customer_id: Set(customer_id),
        snapshot_date: Set(today),
        period_days: Set(i32::try_from(PERIOD_DAYS).unwrap_or(i32::MAX)),
        revenue_current: Set(assessment.revenue_current),
        revenue_previous: Set(assessment.revenue_previous),
        revenue_change_pct: Set(assessment.revenue_change_pct),
        order_count: Set(assessment.order_count),
        days_since_last_order: Set(assessment.days_since_last_order),
        avg_reorder_interval_days: Set(assessment.avg_reorder_interval_days),
        pace_status: Set(assessment.pace),
        health_score: Set(assessment.score),
        risk_flags: Set(flags_json(&assessment.flags)),
        samples_used: Set(i32::try_from(samples_used).unwrap_or(i32::MAX)),
        ..Default::default()
    }
}

async fn upsert(
    db: &impl ConnectionTrait,
    rows: Vec<snapshots::ActiveModel>,
) -> Result<u64, IntelligenceError> {
    let conflict =
        OnConflict::columns([Column::TenantId, Column::CustomerId, Column::SnapshotDate])
            .update_columns([
                Column::PeriodDays,
                Column::RevenueCurrent,
                Column::RevenuePrevious,
                Column::RevenueChangePct,
                Column::OrderCount,
                Column::DaysSinceLastOrder,
                Column::AvgReorderIntervalDays,
                Column::PaceStatus,
                Column::HealthScore,
                Column::RiskFlags,
                Column::SamplesUsed,
            ])
            .to_owned();
    Ok(snapshots::Entity::insert_many(rows)
        .on_conflict(conflict)
        .exec_without_returning(db)
        .await?)
}

/// Records `account.at_risk` and tells the account's rep; returns the notifications written.
async fn raise_alert(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    today: NaiveDate,
    customer: &CustomerRow,
    assessment: &Assessment,
) -> Result<u64, IntelligenceError> {
    let flags = flags_json(&assessment.flags);
    events::record(
        db,
        tenant_id,
        EventType::AccountAtRisk,
        json!({
            "customerId": customer.id,
            "snapshotDate": today,
            "healthScore": assessment.score,
            "riskFlags": flags,
        }),
    )
    .await?;
    let Some(rep) = customer.assigned_rep_id else {
        return Ok(0);
    };
    let reasons: Vec<String> = assessment
        .flags
        .iter()
        .map(|flag| match flag {
            RiskFlag::RevenueDrop => format!(
                "revenue changed {}% against the previous {PERIOD_DAYS} days",
                assessment
                    .revenue_change_pct
                    .map(|p| p.round_dp(1).normalize().to_string())
                    .unwrap_or_default()
            ),
            RiskFlag::PaceAtRisk => format!(
                "no order for {} days (usually every {} days)",
                assessment.days_since_last_order.unwrap_or_default(),
                assessment
                    .avg_reorder_interval_days
                    .map(|d| d.round_dp(1).normalize().to_string())
                    .unwrap_or_default()
            ),
        })
        .collect();
    let priority = if assessment.flags.len() > 1 {
        Priority::Urgent
    } else {
        Priority::High
    };
    notify(
        db,
        tenant_id,
        vec![NewNotification {
            recipient: Recipient::User(rep),
            kind: ACCOUNT_AT_RISK,
            title: format!("{} is at risk", customer.name),
            body: format!("Health score {}: {}.", assessment.score, reasons.join("; ")),
            priority,
            data: json!({
                "customerId": customer.id,
                "snapshotDate": today,
                "healthScore": assessment.score,
                "riskFlags": assessment.flags.iter().map(|flag| enum_value(flag.key())).collect::<Vec<_>>(),
            }),
        }],
    )
    .await
}
