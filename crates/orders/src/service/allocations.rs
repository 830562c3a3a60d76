//! Allocations (docs/domain-rules.md, "Allocations"): a SKU marked allocated is sold to a customer
//! only up to the quantity allocated to it for the period that includes the day of the order (the
//! tenant's date). A customer with no allocation for that day gets none.
//!
//! What a customer has used of an allocation is not stored: it is the quantity of the SKU in the
//! customer's submitted, confirmed, fulfilled and delivered orders submitted within the period.
//! Cancelling an order so gives its quantity back with nothing to undo, and no counter can drift.
//! A submission locks the allocation rows it draws on before reading what was used, so two
//! submissions for one customer cannot both fit into the last of an allocation.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use leora_catalog::entities::{customers, skus};
use leora_tenancy::TenantTx;
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::sql::{Violation, stmt, violated_constraint};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, Select, Set,
};
use uuid::Uuid;

use super::validate::MAX_QUANTITY;
use crate::entities::allocations;
use crate::error::OrdersError;

/// A customer's allocation of a SKU for a period.
#[derive(Debug, Clone)]
pub struct AllocationInput {
    pub customer_id: Uuid,
    pub sku_id: Uuid,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub quantity: i32,
}

#[derive(Debug, Clone, Default)]
pub struct AllocationFilter {
    pub customer_id: Option<Uuid>,
    pub sku_id: Option<Uuid>,
    /// Only allocations whose period includes this day.
    pub active_on: Option<NaiveDate>,
}

/// Sets a customer's allocation of a SKU for a period: the allocation starting on the same day is
/// changed (its end and quantity), otherwise one is added. Bad input → `BadInput` on `quantity` or
/// `periodEnd`; an unknown (or unseen) customer or SKU → `NotFound` on `customerId` / `skuId`; a
/// period overlapping another allocation of the same customer and SKU → `Conflict` on
/// `periodStart`. Lowering an allocation below what was already used is allowed: orders placed
/// stand, and nothing more can be ordered until the next period.
pub async fn set_allocation(
    tx: &TenantTx,
    input: AllocationInput,
) -> Result<allocations::Model, OrdersError> {
    if !(0..=MAX_QUANTITY).contains(&input.quantity) {
        return Err(OrdersError::bad_input(
            "quantity",
            format!("must be between 0 and {MAX_QUANTITY}"),
        ));
    }
    if input.period_end < input.period_start {
        return Err(OrdersError::bad_input(
            "periodEnd",
            "must not be before periodStart",
        ));
    }
    customers::Entity::find_by_id(input.customer_id)
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found_at("customer", "customerId"))?;
    skus::Entity::find_by_id(input.sku_id)
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found_at("sku", "skuId"))?;
    let existing = allocations::Entity::find()
        .filter(allocations::Column::CustomerId.eq(input.customer_id))
        .filter(allocations::Column::SkuId.eq(input.sku_id))
        .filter(allocations::Column::PeriodStart.eq(input.period_start))
        .one(tx)
        .await?;
    let written = match existing {
        Some(existing) => {
            let mut allocation: allocations::ActiveModel = existing.into();
            allocation.period_end = Set(input.period_end);
            allocation.quantity = Set(input.quantity);
            allocation.update(tx).await
        }
        None => {
            allocations::ActiveModel {
                id: Set(Uuid::now_v7()),
                tenant_id: Set(tx.tenant_id()),
                customer_id: Set(input.customer_id),
                sku_id: Set(input.sku_id),
                period_start: Set(input.period_start),
                period_end: Set(input.period_end),
                quantity: Set(input.quantity),
                ..Default::default()
            }
            .insert(tx)
            .await
        }
    };
    written.map_err(write_error)
}

fn write_error(error: DbErr) -> OrdersError {
    match violated_constraint(&error) {
        Some(Violation::Exclusion("allocations_no_overlap")) => OrdersError::conflict(
            "periodStart",
            "the period overlaps another allocation of this SKU for this customer",
        ),
        _ => error.into(),
    }
}

/// Allocations matching `filter`, latest period first.
pub fn allocations(filter: &AllocationFilter) -> Select<allocations::Entity> {
    let mut select = allocations::Entity::find()
        .filter_eq(allocations::Column::CustomerId, filter.customer_id)
        .filter_eq(allocations::Column::SkuId, filter.sku_id);
    if let Some(day) = filter.active_on {
        select = select
            .filter(allocations::Column::PeriodStart.lte(day))
            .filter(allocations::Column::PeriodEnd.gte(day));
    }
    select.order_by_desc(allocations::Column::PeriodStart)
}

#[derive(FromQueryResult)]
struct Used {
    id: Uuid,
    used: i64,
}

/// What was used of each allocation (see the module's header), in one statement; `excluding` is
/// an order being submitted, not yet counted.
async fn used_of(
    tx: &DatabaseTransaction,
    ids: &[Uuid],
    excluding: Option<Uuid>,
) -> Result<HashMap<Uuid, i64>, DbErr> {
    let rows = Used::find_by_statement(stmt(
        "SELECT a.id, coalesce(sum(ol.quantity), 0)::int8 AS used
           FROM allocations a
           JOIN tenant_settings ts ON ts.tenant_id = a.tenant_id
           LEFT JOIN orders o
             ON o.customer_id = a.customer_id
            AND o.status IN ('submitted', 'confirmed', 'fulfilled', 'delivered')
            AND o.id IS DISTINCT FROM $2
            AND (o.submitted_at AT TIME ZONE ts.timezone)::date
                BETWEEN a.period_start AND a.period_end
           LEFT JOIN order_lines ol ON ol.order_id = o.id AND ol.sku_id = a.sku_id
          WHERE a.id = ANY($1)
          GROUP BY a.id",
        [ids.to_vec().into(), excluding.into()],
    ))
    .all(tx)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.used)).collect())
}

/// What was used of each allocation, for the `Allocation.used` loader.
pub async fn used(tx: &DatabaseTransaction, ids: &[Uuid]) -> Result<HashMap<Uuid, i64>, DbErr> {
    used_of(tx, ids, None).await
}

/// What an order asks of one allocated SKU: its lines' quantities together, reported on the first
/// line's `field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Demand {
    pub sku_id: Uuid,
    pub quantity: i64,
    pub field: String,
}

/// The demand of `(index, (sku, quantity))` lines on allocated SKUs, one per SKU in SKU order.
pub(crate) fn demand(
    lines: impl IntoIterator<Item = (usize, (Uuid, i32))>,
    field: impl Fn(usize) -> String,
) -> Vec<Demand> {
    let mut by_sku: BTreeMap<Uuid, Demand> = BTreeMap::new();
    for (index, (sku_id, quantity)) in lines {
        by_sku
            .entry(sku_id)
            .or_insert_with(|| Demand {
                sku_id,
                quantity: 0,
                field: field(index),
            })
            .quantity += i64::from(quantity);
    }
    by_sku.into_values().collect()
}

/// What is left of an allocation of `quantity` once `used` was ordered (never below zero: an
/// allocation lowered after orders were placed leaves nothing, not a debt).
pub fn remaining(quantity: i32, used: i64) -> i64 {
    (i64::from(quantity) - used).max(0)
}

#[derive(FromQueryResult)]
struct Held {
    id: Uuid,
    sku_id: Uuid,
    quantity: i32,
}

#[derive(FromQueryResult)]
struct SkuCode {
    code: String,
}

/// `ALLOCATION_EXCEEDED` on the first allocated SKU the order asks more of than `customer_id` has
/// left on `today` (nothing, without an allocation). `excluding` is the order being submitted.
pub(crate) async fn require_allocations(
    tx: &DatabaseTransaction,
    customer_id: Uuid,
    today: NaiveDate,
    demands: &[Demand],
    excluding: Option<Uuid>,
) -> Result<(), OrdersError> {
    if demands.is_empty() {
        return Ok(());
    }
    let sku_ids: Vec<Uuid> = demands.iter().map(|demand| demand.sku_id).collect();
    let held: HashMap<Uuid, Held> = Held::find_by_statement(stmt(
        "SELECT id, sku_id, quantity FROM allocations
          WHERE customer_id = $1 AND sku_id = ANY($2) AND $3 BETWEEN period_start AND period_end
          ORDER BY id FOR UPDATE",
        [customer_id.into(), sku_ids.into(), today.into()],
    ))
    .all(tx)
    .await?
    .into_iter()
    .map(|held| (held.sku_id, held))
    .collect();
    let ids: Vec<Uuid> = held.values().map(|held| held.id).collect();
    let used = used_of(tx, &ids, excluding).await?;
    for demand in demands {
        let (allocated, left) = held.get(&demand.sku_id).map_or((0, 0), |held| {
            let used = used.get(&held.id).copied().unwrap_or(0);
            (held.quantity, remaining(held.quantity, used))
        });
        if demand.quantity > left {
            let sku = SkuCode::find_by_statement(stmt(
                "SELECT code FROM skus WHERE id = $1",
                [demand.sku_id.into()],
            ))
            .one(tx)
            .await?;
            return Err(OrdersError::AllocationExceeded {
                field: demand.field.clone(),
                sku_id: demand.sku_id,
                sku_code: sku.map(|sku| sku.code).unwrap_or_default(),
                allocated,
                remaining: left,
                requested: demand.quantity,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_one_sku_add_up_and_report_on_the_first() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let demands = demand([(0, (b, 2)), (1, (a, 1)), (2, (b, 3))], |i| {
            format!("lines[{i}].quantity")
        });
        assert_eq!(
            demands,
            vec![
                Demand {
                    sku_id: a,
                    quantity: 1,
                    field: "lines[1].quantity".into()
                },
                Demand {
                    sku_id: b,
                    quantity: 5,
                    field: "lines[0].quantity".into()
                },
            ]
        );
    }

    #[test]
    fn what_is_left_never_goes_below_zero() {
        assert_eq!(remaining(12, 0), 12);
        assert_eq!(remaining(12, 12), 0);
        assert_eq!(remaining(6, 10), 0);
    }
}
