//! The tenant settings the intelligence rules read, with the database's defaults for a tenant that
//! has no settings row yet (reading never creates one: a rep's request should not write settings).

use chrono::{DateTime, NaiveDate, Utc};
use leora_tenancy::sql::stmt;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, FromQueryResult};
use uuid::Uuid;

use crate::error::IntelligenceError;

/// The `tenant_settings` thresholds (docs/domain-rules.md, "Tenant settings"), as the health and
/// sample rules use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds {
    /// A fraction: 0.15 flags a revenue drop of more than 15 %.
    pub revenue_drop: Decimal,
    /// Orders a customer needs before a revenue drop counts.
    pub health_min_orders: i32,
    /// Sample units a rep may pull per calendar month without approval.
    pub sample_allowance: i32,
    /// When false, pulls beyond the allowance are recorded without approval.
    pub sample_approval_required: bool,
    /// Orders a customer needs before its pace is judged.
    pub pace_min_orders: i32,
    /// Days past the expected reorder date that a customer may be before it is at risk.
    pub pace_risk_days: i32,
}

impl Default for Thresholds {
    /// The column defaults of `tenant_settings`.
    fn default() -> Self {
        Self {
            revenue_drop: Decimal::new(15, 2),
            health_min_orders: 3,
            sample_allowance: 60,
            sample_approval_required: true,
            pace_min_orders: 3,
            pace_risk_days: 2,
        }
    }
}

/// The settings plus the clock, read in one statement.
#[derive(Debug, Clone)]
pub struct TenantClock {
    pub thresholds: Thresholds,
    /// The tenant's IANA time zone, which decides calendar days and months.
    pub timezone: String,
    /// The transaction's start time.
    pub now: DateTime<Utc>,
    /// `now` as a date in the tenant's time zone.
    pub today: NaiveDate,
}

#[derive(FromQueryResult)]
struct Row {
    now: DateTime<Utc>,
    today: NaiveDate,
    timezone: String,
    revenue_drop: Option<Decimal>,
    health_min_orders: Option<i32>,
    sample_allowance: Option<i32>,
    sample_approval_required: Option<bool>,
    pace_min_orders: Option<i32>,
    pace_risk_days: Option<i32>,
}

pub async fn load(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<TenantClock, IntelligenceError> {
    let row = Row::find_by_statement(stmt(
        "SELECT now() AS now,
                (now() AT TIME ZONE coalesce(s.timezone, 'UTC'))::date AS today,
                coalesce(s.timezone, 'UTC') AS timezone,
                s.health_revenue_drop_threshold AS revenue_drop,
                s.health_min_orders,
                s.sample_pulls_per_rep_per_month AS sample_allowance,
                s.sample_manager_approval_required AS sample_approval_required,
                s.pace_min_orders,
                s.pace_risk_threshold_days AS pace_risk_days
           FROM (SELECT 1) AS one
           LEFT JOIN tenant_settings s ON s.tenant_id = $1",
        [tenant_id.into()],
    ))
    .one(db)
    .await?
    .ok_or(IntelligenceError::not_found("tenant settings"))?;
    let defaults = Thresholds::default();
    Ok(TenantClock {
        thresholds: Thresholds {
            revenue_drop: row.revenue_drop.unwrap_or(defaults.revenue_drop),
            health_min_orders: row.health_min_orders.unwrap_or(defaults.health_min_orders),
            sample_allowance: row.sample_allowance.unwrap_or(defaults.sample_allowance),
            sample_approval_required: row
                .sample_approval_required
                .unwrap_or(defaults.sample_approval_required),
            pace_min_orders: row.pace_min_orders.unwrap_or(defaults.pace_min_orders),
            pace_risk_days: row.pace_risk_days.unwrap_or(defaults.pace_risk_days),
        },
        timezone: row.timezone,
        now: row.now,
        today: row.today,
    })
}
