//! Administration of effective-dated state excise rates.
//!
//! Windows of one state and category may not overlap. The database's exclusion constraint is the
//! judge, so two concurrent admins cannot both win; its refusal is reported as a `Conflict` on
//! `effectiveFrom`, and, like every failed statement, leaves the transaction to be rolled back.

use chrono::NaiveDate;
use leora_tenancy::Refusal;
use leora_tenancy::TenantTx;
use leora_tenancy::error::find_visible;
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::sql::{Violation, violated_constraint};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, DatabaseTransaction, DbErr, EntityTrait, QueryOrder, Select, Set,
};
use uuid::Uuid;

use super::states::parse_state_code;
use super::tax::in_force_on;
use crate::entities::enums::ProductCategory;
use crate::entities::state_tax_rates::{self, TaxRateKind};
use crate::error::ComplianceError;

const ENTITY: &str = "state tax rate";
const OVERLAP_CONSTRAINT: &str = "state_tax_rates_no_overlap";
/// `rate` is numeric(12, 6).
const MAX_RATE_SCALE: u32 = 6;
const RATE_LIMIT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

#[derive(Debug, Clone, Default)]
pub struct TaxRateFilter {
    /// A two-letter code as [`parse_state_code`] gives it.
    pub state: Option<String>,
    pub category: Option<ProductCategory>,
    /// Only the rates in force on this day.
    pub in_force_on: Option<NaiveDate>,
}

/// The rates matching `filter`, by state, category and start date (the caller breaks ties).
pub fn state_tax_rates(filter: &TaxRateFilter) -> Select<state_tax_rates::Entity> {
    use state_tax_rates::Column;
    state_tax_rates::Entity::find()
        .filter_eq(Column::State, filter.state.as_deref())
        .filter_eq(Column::ProductCategory, filter.category)
        .filter_if(filter.in_force_on.map(in_force_on))
        .order_by_asc(Column::State)
        .order_by_asc(Column::ProductCategory)
        .order_by_asc(Column::EffectiveFrom)
}

#[derive(Debug, Clone)]
pub struct NewTaxRate {
    /// Two-letter code, any case.
    pub state: String,
    pub category: ProductCategory,
    pub kind: TaxRateKind,
    /// Dollars per gallon, or a percentage (7.5 means 7.5 %).
    pub rate: Decimal,
    pub effective_from: NaiveDate,
    /// Exclusive; `None` while the rate has no announced end.
    pub effective_until: Option<NaiveDate>,
}

/// Changes to a rate; `None` leaves a field as it is. `effective_until: Some(None)` removes the end.
#[derive(Debug, Clone, Default)]
pub struct TaxRateChanges {
    pub state: Option<String>,
    pub category: Option<ProductCategory>,
    pub kind: Option<TaxRateKind>,
    pub rate: Option<Decimal>,
    pub effective_from: Option<NaiveDate>,
    pub effective_until: Option<Option<NaiveDate>>,
}

/// Adds a rate. Bad input → `BadInput` on `state`, `rate` or `effectiveUntil`; a window
/// overlapping another rate of the same state and category → `Conflict` on `effectiveFrom`.
pub async fn create_state_tax_rate(
    tx: &TenantTx,
    input: NewTaxRate,
) -> Result<state_tax_rates::Model, ComplianceError> {
    let tenant_id = tx.tenant_id();
    let state = validate(
        &input.state,
        input.kind,
        input.rate,
        input.effective_from,
        input.effective_until,
    )?;
    state_tax_rates::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        state: Set(state.clone()),
        product_category: Set(input.category),
        rate_kind: Set(input.kind),
        rate: Set(input.rate),
        effective_from: Set(input.effective_from),
        effective_until: Set(input.effective_until),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|error| overlap_conflict(error, &state, input.category))
}

/// Changes a rate, with the rules of [`create_state_tax_rate`] applied to the result.
pub async fn update_state_tax_rate(
    tx: &DatabaseTransaction,
    id: Uuid,
    changes: TaxRateChanges,
) -> Result<state_tax_rates::Model, ComplianceError> {
    let current = find_visible::<state_tax_rates::Entity, ComplianceError>(tx, id, ENTITY).await?;
    let category = changes.category.unwrap_or(current.product_category);
    let kind = changes.kind.unwrap_or(current.rate_kind);
    let rate = changes.rate.unwrap_or(current.rate);
    let from = changes.effective_from.unwrap_or(current.effective_from);
    let until = changes.effective_until.unwrap_or(current.effective_until);
    let state = validate(
        changes.state.as_deref().unwrap_or(&current.state),
        kind,
        rate,
        from,
        until,
    )?;
    let mut model: state_tax_rates::ActiveModel = current.into();
    model.state = Set(state.clone());
    model.product_category = Set(category);
    model.rate_kind = Set(kind);
    model.rate = Set(rate);
    model.effective_from = Set(from);
    model.effective_until = Set(until);
    model
        .update(tx)
        .await
        .map_err(|error| overlap_conflict(error, &state, category))
}

pub async fn delete_state_tax_rate(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<(), ComplianceError> {
    let deleted = state_tax_rates::Entity::delete_by_id(id).exec(tx).await?;
    if deleted.rows_affected == 0 {
        return Err(Refusal::NotFound { entity: ENTITY }.into());
    }
    Ok(())
}

/// Checks a rate as it would be stored, returning its normalised state code.
fn validate(
    state: &str,
    kind: TaxRateKind,
    rate: Decimal,
    from: NaiveDate,
    until: Option<NaiveDate>,
) -> Result<String, ComplianceError> {
    let state = parse_state_code(state).ok_or_else(|| {
        ComplianceError::bad_input("state", "must be a two-letter state code such as CA")
    })?;
    if rate < Decimal::ZERO {
        return Err(ComplianceError::bad_input("rate", "must not be negative"));
    }
    if rate.normalize().scale() > MAX_RATE_SCALE {
        return Err(ComplianceError::bad_input(
            "rate",
            "may have at most 6 decimal places",
        ));
    }
    if rate >= RATE_LIMIT {
        return Err(ComplianceError::bad_input(
            "rate",
            "must be less than 1000000",
        ));
    }
    if kind == TaxRateKind::Percent && rate > Decimal::ONE_HUNDRED {
        return Err(ComplianceError::bad_input(
            "rate",
            "a percentage rate may not exceed 100",
        ));
    }
    if until.is_some_and(|until| until <= from) {
        return Err(ComplianceError::bad_input(
            "effectiveUntil",
            "must be after effectiveFrom",
        ));
    }
    Ok(state)
}

fn overlap_conflict(error: DbErr, state: &str, category: ProductCategory) -> ComplianceError {
    if violated_constraint(&error) == Some(Violation::Exclusion(OVERLAP_CONSTRAINT)) {
        return Refusal::conflict(
            "effectiveFrom",
            format!(
                "another {state} {} rate is in force during part of this period; \
                 end that rate (effectiveUntil) before this one starts",
                category.to_value()
            ),
        )
        .into();
    }
    error.into()
}
