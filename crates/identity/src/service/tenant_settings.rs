//! The tenant as its own people see it, and its settings (docs/domain-rules.md, "Tenant
//! settings"): read by every signed-in principal of the tenant (the API decides which fields),
//! changed by its admins. Here because the settings name roles (the line-discount limits are per
//! internal role), which this crate owns.
//!
//! A change is checked field by field before anything is written: one bad field refuses the
//! whole change, naming the field.

use std::collections::BTreeMap;
use std::str::FromStr;

use leora_tenancy::entities::{tenant_settings, tenants};
use leora_tenancy::portal::{Feature, PortalFeatures};
use leora_tenancy::sql::stmt;
use leora_tenancy::{Refusal, TenantTx, validate};
use sea_orm::prelude::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Map, Value};

use crate::entities::enums::RoleAudience;
use crate::entities::roles;
use crate::error::IdentityError;

/// The most line-discount limits a tenant keeps (and one change may name): far beyond its roles.
pub const MAX_DISCOUNT_LIMITS: usize = 100;

/// Bounds of the whole-number settings: generous, but a typo of three zeros is refused rather
/// than silently disabling a rule.
const MAX_MIN_ORDERS: i32 = 1_000;
const MAX_SAMPLE_UNITS: i32 = 100_000;
const MAX_RISK_DAYS: i32 = 365;
const MAX_CART_TTL_HOURS: i32 = 24 * 366;

/// The tenant the transaction belongs to; `NotFound` if it is gone.
pub async fn tenant(tx: &TenantTx) -> Result<tenants::Model, IdentityError> {
    tenants::Entity::find_by_id(tx.tenant_id())
        .one(tx)
        .await?
        .ok_or_else(|| Refusal::NotFound { entity: "tenant" }.into())
}

/// The tenant's settings row. A tenant without one reads the columns' defaults: the row is
/// inserted in a savepoint that is rolled back, so reading writes nothing and the defaults are
/// the database's own, never a copy in Rust.
pub async fn settings(tx: &TenantTx) -> Result<tenant_settings::Model, IdentityError> {
    if let Some(row) = find(tx).await? {
        return Ok(row);
    }
    let savepoint = tx.begin().await?;
    insert_default_row(&savepoint, tx).await?;
    let row = find_in(&savepoint, tx).await?;
    savepoint.rollback().await?;
    row.ok_or_else(|| {
        Refusal::NotFound {
            entity: "tenant settings",
        }
        .into()
    })
}

/// What [`update_settings`] changes: each field given is set, the others kept.
#[derive(Debug, Clone, Default)]
pub struct SettingsChanges {
    pub health_revenue_drop_threshold: Option<Decimal>,
    pub health_min_orders: Option<i32>,
    pub sample_pulls_per_rep_per_month: Option<i32>,
    pub sample_manager_approval_required: Option<bool>,
    pub pace_min_orders: Option<i32>,
    pub pace_risk_threshold_days: Option<i32>,
    pub cart_ttl_hours: Option<i32>,
    pub timezone: Option<String>,
    pub currency: Option<String>,
    /// (role name, percent): each role named gets that limit; roles not named keep theirs.
    pub line_discount_limits: Option<Vec<(String, Decimal)>>,
    /// Each feature named is switched so; the others stay as they are.
    pub portal_features: Vec<(Feature, bool)>,
}

/// Applies `changes` and answers the settings as they now are. Refusals, all `BadInput` on the
/// field, checked in the input's order before anything is written:
/// `healthRevenueDropThreshold` (0 to 1, at most 4 decimal places), `healthMinOrders` and
/// `paceMinOrders` (0 to 1,000), `samplePullsPerRepPerMonth` (0 to 100,000),
/// `paceRiskThresholdDays` (0 to 365), `cartTtlHours` (1 to 8,784, a leap year), `timezone` (an
/// IANA name PostgreSQL knows), `currency` (three capital letters), `lineDiscountLimits` (an
/// internal role the tenant has, named once, 0 to 100 percent with at most 2 decimal places).
pub async fn update_settings(
    tx: &TenantTx,
    changes: SettingsChanges,
) -> Result<tenant_settings::Model, IdentityError> {
    let checked = check(tx, changes).await?;
    insert_default_row(tx, tx).await?;
    tx.execute_raw(stmt(
        "UPDATE tenant_settings SET \
            health_revenue_drop_threshold = coalesce($2, health_revenue_drop_threshold), \
            health_min_orders = coalesce($3, health_min_orders), \
            sample_pulls_per_rep_per_month = coalesce($4, sample_pulls_per_rep_per_month), \
            sample_manager_approval_required = coalesce($5, sample_manager_approval_required), \
            pace_min_orders = coalesce($6, pace_min_orders), \
            pace_risk_threshold_days = coalesce($7, pace_risk_threshold_days), \
            cart_ttl_hours = coalesce($8, cart_ttl_hours), \
            timezone = coalesce($9, timezone), \
            currency = coalesce($10, currency), \
            line_discount_limits = line_discount_limits || $11, \
            portal_features = portal_features || $12 \
          WHERE tenant_id = $1",
        [
            tx.tenant_id().into(),
            checked.health_revenue_drop_threshold.into(),
            checked.health_min_orders.into(),
            checked.sample_pulls_per_rep_per_month.into(),
            checked.sample_manager_approval_required.into(),
            checked.pace_min_orders.into(),
            checked.pace_risk_threshold_days.into(),
            checked.cart_ttl_hours.into(),
            checked.timezone.into(),
            checked.currency.into(),
            Value::Object(checked.line_discount_limits).into(),
            Value::Object(checked.portal_features).into(),
        ],
    ))
    .await?;
    find(tx).await?.ok_or_else(|| {
        Refusal::NotFound {
            entity: "tenant settings",
        }
        .into()
    })
}

/// [`SettingsChanges`] with every field checked, the jsonb ones as the objects to merge.
struct Checked {
    health_revenue_drop_threshold: Option<Decimal>,
    health_min_orders: Option<i32>,
    sample_pulls_per_rep_per_month: Option<i32>,
    sample_manager_approval_required: Option<bool>,
    pace_min_orders: Option<i32>,
    pace_risk_threshold_days: Option<i32>,
    cart_ttl_hours: Option<i32>,
    timezone: Option<String>,
    currency: Option<String>,
    line_discount_limits: Map<String, Value>,
    portal_features: Map<String, Value>,
}

async fn check(tx: &TenantTx, changes: SettingsChanges) -> Result<Checked, IdentityError> {
    let threshold = changes
        .health_revenue_drop_threshold
        .map(|fraction| {
            let within = fraction >= Decimal::ZERO && fraction <= Decimal::ONE;
            if within && fraction.normalize().scale() <= 4 {
                Ok(fraction)
            } else {
                Err(Refusal::bad_input(
                    "healthRevenueDropThreshold",
                    "must be a fraction from 0 to 1 with at most 4 decimal places (0.15 is 15 %)",
                ))
            }
        })
        .transpose()?;
    let health_min_orders = within(
        "healthMinOrders",
        changes.health_min_orders,
        0,
        MAX_MIN_ORDERS,
    )?;
    let sample_units = within(
        "samplePullsPerRepPerMonth",
        changes.sample_pulls_per_rep_per_month,
        0,
        MAX_SAMPLE_UNITS,
    )?;
    let pace_min_orders = within("paceMinOrders", changes.pace_min_orders, 0, MAX_MIN_ORDERS)?;
    let pace_risk_days = within(
        "paceRiskThresholdDays",
        changes.pace_risk_threshold_days,
        0,
        MAX_RISK_DAYS,
    )?;
    let cart_ttl_hours = within(
        "cartTtlHours",
        changes.cart_ttl_hours,
        1,
        MAX_CART_TTL_HOURS,
    )?;
    let timezone = match changes.timezone {
        Some(zone) => Some(validate::timezone::<IdentityError>(tx, "timezone", &zone).await?),
        None => None,
    };
    let currency = changes
        .currency
        .map(|code| validate::currency("currency", &code))
        .transpose()?;
    let line_discount_limits = match changes.line_discount_limits {
        Some(limits) => discount_limits(tx, limits).await?,
        None => Map::new(),
    };
    let portal_features = changes
        .portal_features
        .into_iter()
        .map(|(feature, on)| (feature.key().to_owned(), Value::Bool(on)))
        .collect();
    Ok(Checked {
        health_revenue_drop_threshold: threshold,
        health_min_orders,
        sample_pulls_per_rep_per_month: sample_units,
        sample_manager_approval_required: changes.sample_manager_approval_required,
        pace_min_orders,
        pace_risk_threshold_days: pace_risk_days,
        cart_ttl_hours,
        timezone,
        currency,
        line_discount_limits,
        portal_features,
    })
}

fn within(
    field: &'static str,
    value: Option<i32>,
    least: i32,
    most: i32,
) -> Result<Option<i32>, Refusal> {
    match value {
        Some(n) if !(least..=most).contains(&n) => Err(Refusal::bad_input(
            field,
            format!("must be from {least} to {most}"),
        )),
        other => Ok(other),
    }
}

/// The limits as the object to merge into `line_discount_limits`: each role an internal role the
/// tenant sees (a system role or its own), named once, with 0 to 100 percent in cents of a
/// percent at most.
async fn discount_limits(
    tx: &TenantTx,
    limits: Vec<(String, Decimal)>,
) -> Result<Map<String, Value>, IdentityError> {
    const FIELD: &str = "lineDiscountLimits";
    if limits.len() > MAX_DISCOUNT_LIMITS {
        return Err(IdentityError::bad_input(
            FIELD,
            format!("at most {MAX_DISCOUNT_LIMITS} roles"),
        ));
    }
    let mut merged = BTreeMap::new();
    for (role, percent) in limits {
        let role = role.trim().to_owned();
        let valid = percent >= Decimal::ZERO
            && percent <= Decimal::ONE_HUNDRED
            && percent.normalize().scale() <= 2;
        if !valid {
            return Err(IdentityError::bad_input(
                FIELD,
                format!(
                    "{role}: a limit is a percentage from 0 to 100 with at most 2 decimal places"
                ),
            ));
        }
        if merged.insert(role.clone(), percent).is_some() {
            return Err(IdentityError::bad_input(
                FIELD,
                format!("{role} is named twice"),
            ));
        }
    }
    let known: Vec<String> = roles::Entity::find()
        .filter(roles::Column::Name.is_in(merged.keys().cloned()))
        .filter(roles::Column::Audience.eq(RoleAudience::Internal))
        .all(tx)
        .await?
        .into_iter()
        .map(|role| role.name)
        .collect();
    if let Some(unknown) = merged.keys().find(|name| !known.contains(name)) {
        return Err(IdentityError::bad_input(
            FIELD,
            format!("{unknown:?} is not an internal role of this distributor"),
        ));
    }
    merged
        .into_iter()
        .map(|(role, percent)| Ok((role, percent_json(percent)?)))
        .collect()
}

/// A percentage as a JSON number, the form the discount rule reads (`(… ->> role)::numeric`).
fn percent_json(percent: Decimal) -> Result<Value, IdentityError> {
    serde_json::Number::from_str(&percent.normalize().to_string())
        .map(Value::Number)
        .map_err(|error| DbErr::Custom(format!("a percentage as JSON: {error}")).into())
}

/// The limits as stored, by role name: numbers (or numeric strings) only, at most
/// [`MAX_DISCOUNT_LIMITS`] of them.
pub fn line_discount_limits(settings: &tenant_settings::Model) -> Vec<(String, Decimal)> {
    let Some(stored) = settings.line_discount_limits.as_object() else {
        return Vec::new();
    };
    let limits: BTreeMap<&String, Decimal> = stored
        .iter()
        .filter_map(|(role, value)| {
            let text = match value {
                Value::Number(number) => number.to_string(),
                Value::String(text) => text.clone(),
                _ => return None,
            };
            Decimal::from_str(&text)
                .or_else(|_| Decimal::from_scientific(&text))
                .ok()
                .map(|percent| (role, percent))
        })
        .collect();
    limits
        .into_iter()
        .take(MAX_DISCOUNT_LIMITS)
        .map(|(role, percent)| (role.clone(), percent))
        .collect()
}

/// The portal features as stored (every feature on where the object says nothing).
pub fn portal_features(settings: &tenant_settings::Model) -> PortalFeatures {
    PortalFeatures::from_json(&settings.portal_features)
}

async fn find(tx: &TenantTx) -> Result<Option<tenant_settings::Model>, DbErr> {
    find_in(&**tx, tx).await
}

async fn find_in(
    db: &impl ConnectionTrait,
    tx: &TenantTx,
) -> Result<Option<tenant_settings::Model>, DbErr> {
    tenant_settings::Entity::find()
        .filter(tenant_settings::Column::TenantId.eq(tx.tenant_id()))
        .one(db)
        .await
}

/// The settings row with every default, unless the tenant has one (a concurrent insert wins
/// quietly).
async fn insert_default_row(db: &impl ConnectionTrait, tx: &TenantTx) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        "INSERT INTO tenant_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING",
        [tx.tenant_id().into()],
    ))
    .await?;
    Ok(())
}
