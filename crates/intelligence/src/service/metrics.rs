//! Sales metrics: revenue, order count, average order value and units, per day, week (ISO, from
//! Monday) and month, for each rep, each customer and the whole tenant.
//!
//! * Sales are orders that are neither drafts nor cancelled, dated on the day they were placed in
//!   the tenant's time zone (see [`super::health::snapshots::PLACED_ON`]).
//! * Revenue is the order subtotal: excise tax is collected for the state, not earned.
//! * Units are bottles on non-sample lines.
//! * A rep's figures are those of the customers assigned to them *now*: reassigning an account
//!   moves its history with it on the next run. Customers without a rep count towards the
//!   customer and tenant figures only.
//!
//! Each run recomputes whole periods from [`MetricsWindow::start`] to the run's date in one
//! transaction (delete, then insert from the orders), so cancellations and late changes are
//! picked up, periods that lost all their orders disappear, and nothing older is touched.

use chrono::{Datelike, Duration, NaiveDate};
use leora_tenancy::TenantTx;
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::sql::stmt;
use sea_orm::sea_query::{NullOrdering, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, Select,
};
use uuid::Uuid;

use super::health::snapshots::{COUNTS_AS_SALE, PLACED_ON};
use super::viewer::{Reach, Viewer};
use crate::entities::sales_metrics::{self, MetricKind, MetricPeriod};
use crate::error::IntelligenceError;

/// How far back a routine run recomputes: the months covering the last 62 days, so a change to
/// last month's orders is reflected for a full month after it ends.
const RECENT_DAYS: i64 = 62;

/// The whole periods a run recomputes: months from `month_start`, days and weeks from the Monday
/// on or before it (so the first week is complete).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsWindow {
    month_start: NaiveDate,
}

impl MetricsWindow {
    /// The routine window for a run on `today`.
    pub fn recent(today: NaiveDate) -> Self {
        Self::since(today - Duration::days(RECENT_DAYS))
    }

    /// Everything from the month containing `date` (a full rebuild passes the first order date).
    pub fn since(date: NaiveDate) -> Self {
        Self {
            month_start: date.with_day(1).unwrap_or(date),
        }
    }

    pub fn start(self) -> NaiveDate {
        self.day_start()
    }

    fn day_start(self) -> NaiveDate {
        let back = i64::from(self.month_start.weekday().num_days_from_monday());
        self.month_start - Duration::days(back)
    }
}

/// Recomputes the metrics of `window` up to `today`; returns the rows written.
pub async fn refresh_sales_metrics(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    today: NaiveDate,
    timezone: &str,
    window: MetricsWindow,
) -> Result<u64, IntelligenceError> {
    let (day_start, month_start) = (window.day_start(), window.month_start);
    db.execute_raw(stmt(
        "DELETE FROM sales_metrics
          WHERE period_start <= $3
            AND ((period IN ('day', 'week') AND period_start >= $1)
                 OR (period = 'month' AND period_start >= $2))",
        [day_start.into(), month_start.into(), today.into()],
    ))
    .await?;
    let placed_on = PLACED_ON.replace("$tz", "$5");
    let sql = format!(
        "WITH placed AS (
           SELECT o.customer_id, c.assigned_rep_id AS rep_id, o.subtotal AS revenue,
                  {placed_on} AS day,
                  (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l
                    WHERE l.tenant_id = o.tenant_id AND l.customer_id = o.customer_id
                      AND l.order_id = o.id AND NOT l.is_sample) AS units
             FROM orders o
             JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
            WHERE {COUNTS_AS_SALE} AND {placed_on} BETWEEN $2 AND $4
         ),
         by_period AS (
           SELECT 'day' AS period, day AS period_start, customer_id, rep_id, revenue, units
             FROM placed
           UNION ALL
           SELECT 'week', date_trunc('week', day::timestamp)::date, customer_id, rep_id, revenue, units
             FROM placed
           UNION ALL
           SELECT 'month', date_trunc('month', day::timestamp)::date, customer_id, rep_id, revenue, units
             FROM placed WHERE day >= $3
         ),
         grouped AS (
           SELECT period, period_start, rep_id, customer_id,
                  GROUPING(rep_id) AS rep_rolled_up, GROUPING(customer_id) AS customer_rolled_up,
                  sum(revenue) AS revenue, count(*) AS orders, sum(units) AS units
             FROM by_period
            GROUP BY period, period_start, GROUPING SETS ((rep_id), (customer_id), ())
         )
         INSERT INTO sales_metrics (tenant_id, user_id, customer_id, metric, period, period_start, value)
         SELECT $1,
                CASE WHEN g.rep_rolled_up = 0 THEN g.rep_id END,
                CASE WHEN g.customer_rolled_up = 0 THEN g.customer_id END,
                m.metric, g.period, g.period_start, m.value
           FROM grouped g
          CROSS JOIN LATERAL (VALUES
                ('revenue', g.revenue),
                ('order_count', g.orders::numeric),
                ('average_order_value', round(g.revenue / g.orders, 4)),
                ('units', g.units::numeric)) AS m (metric, value)
          WHERE NOT (g.rep_rolled_up = 0 AND g.rep_id IS NULL)"
    );
    let inserted = db
        .execute_raw(stmt(
            &sql,
            [
                tenant_id.into(),
                day_start.into(),
                month_start.into(),
                today.into(),
                timezone.into(),
            ],
        ))
        .await?;
    Ok(inserted.rows_affected())
}

/// Whose figures a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricSubject {
    Rep,
    Customer,
    Tenant,
}

impl MetricSubject {
    /// Whose figures `row` holds: a rep's when it names one, else a customer's when it names one,
    /// else the whole tenant's.
    pub fn of(row: &sales_metrics::Model) -> Self {
        match (row.user_id, row.customer_id) {
            (Some(_), _) => Self::Rep,
            (None, Some(_)) => Self::Customer,
            (None, None) => Self::Tenant,
        }
    }
}

#[derive(Debug, Clone)]
pub struct MetricsFilter {
    pub period: MetricPeriod,
    pub metrics: Vec<MetricKind>,
    pub subject: Option<MetricSubject>,
    pub rep_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// Inclusive, on `period_start`.
    pub from: Option<NaiveDate>,
    /// Inclusive.
    pub to: Option<NaiveDate>,
}

/// The metrics the viewer may see, by period then subject. Reps and managers see their team's
/// rep rows and their team's accounts' customer rows; tenant-wide rows are for admins.
pub async fn sales_metrics(
    tx: &TenantTx,
    filter: &MetricsFilter,
) -> Result<Select<sales_metrics::Entity>, IntelligenceError> {
    use sales_metrics::Column;
    let viewer = Viewer::resolve(tx).await?;
    let mut select = sales_metrics::Entity::find().filter(Column::Period.eq(filter.period));
    if let Reach::Team(members) = &viewer.reach {
        let accounts = Query::select()
            .column(leora_catalog::entities::customers::Column::Id)
            .from(leora_catalog::entities::customers::Entity)
            .and_where(
                leora_catalog::entities::customers::Column::AssignedRepId
                    .is_in(members.iter().copied()),
            )
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(Column::UserId.is_in(members.iter().copied()))
                        .add(Column::CustomerId.is_null()),
                )
                .add(
                    Condition::all()
                        .add(Column::UserId.is_null())
                        .add(Column::CustomerId.in_subquery(accounts)),
                ),
        );
    }
    select = match filter.subject {
        Some(MetricSubject::Rep) => select.filter(Column::UserId.is_not_null()),
        Some(MetricSubject::Customer) => select.filter(Column::CustomerId.is_not_null()),
        Some(MetricSubject::Tenant) => select
            .filter(Column::UserId.is_null())
            .filter(Column::CustomerId.is_null()),
        None => select,
    };
    Ok(select
        .filter_in(Column::Metric, filter.metrics.iter().copied())
        .filter_eq(Column::UserId, filter.rep_id)
        .filter_eq(Column::CustomerId, filter.customer_id)
        .filter_within(Column::PeriodStart, filter.from, filter.to)
        .order_by_asc(Column::PeriodStart)
        .order_by_with_nulls(Column::UserId, Order::Asc, NullOrdering::First)
        .order_by_with_nulls(Column::CustomerId, Order::Asc, NullOrdering::First)
        .order_by_asc(Column::Metric))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(value: &str) -> NaiveDate {
        value.parse().unwrap()
    }

    #[test]
    fn windows_start_on_whole_periods() {
        // 2025-06-30 − 62 days = 2025-04-29 → April; 2025-04-01 is a Tuesday.
        let window = MetricsWindow::recent(date("2025-06-30"));
        assert_eq!(window.month_start, date("2025-04-01"));
        assert_eq!(window.start(), date("2025-03-31"));
        // A month starting on a Monday needs no earlier days.
        assert_eq!(
            MetricsWindow::since(date("2025-09-17")).start(),
            date("2025-09-01")
        );
    }
}
