//! Stock: reserving it for orders, releasing and consuming reservations, adjusting counts, and
//! the low-stock threshold.
//!
//! Overselling is prevented by the database, not by reading first: a reservation is one
//! conditional `UPDATE … WHERE on_hand - reserved >= quantity`. Concurrent reservations of one
//! SKU queue on its row lock, and each re-checks the condition against the row its predecessor
//! committed, so no interleaving can reserve more than is on hand. The table's own
//! `0 ≤ reserved ≤ on_hand` check backs this up for every other write.
//!
//! Every write of stock goes through `write_stock`, which judges whether the write made the SKU
//! low (`crates/catalog/src/service/low_stock.rs`) and records `inventory.low` in the same
//! transaction. A SKU's threshold is kept on its main-location row
//! (`inventory.low_stock_threshold`; the column is unused on other locations' rows) and compared
//! with its availability over all locations.

use std::collections::HashMap;

use leora_tenancy::events::{self, EventType};
use leora_tenancy::sql::stmt;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Value,
};
use uuid::Uuid;

use super::low_stock::{self, LowStock};
use super::validate::{non_negative, positive, required_text};
use crate::entities::inventory;
use crate::error::CatalogError;

/// The location orders reserve from and fulfil from. Other locations (a second warehouse, a
/// bonded store) hold stock that counts in [`availability`] but must be moved here to be sold.
pub const MAIN_LOCATION: &str = "main";

/// A SKU's stock summed over its locations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Availability {
    pub on_hand: i64,
    pub reserved: i64,
    /// `on_hand - reserved`.
    pub available: i64,
}

/// Reserves `quantity` units of a SKU at the main location. Not enough unreserved stock (or no
/// stock row at all) → `InsufficientInventory` with what is available; an unknown SKU →
/// `NotFound`. Nothing is written on failure.
pub async fn reserve(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    quantity: i32,
) -> Result<inventory::Model, CatalogError> {
    take_unreserved(
        tx,
        sku_id,
        quantity,
        "UPDATE inventory SET reserved = reserved + $2
          WHERE sku_id = $1 AND location = $3 AND on_hand - reserved >= $2
          RETURNING *",
    )
    .await
}

/// Runs `sql`, which spends `quantity` unreserved units of a SKU at the main location (`$1` the
/// SKU, `$2` the quantity, `$3` the location) only where that many are unreserved; fewer →
/// `InsufficientInventory` with what is available, and nothing written.
async fn take_unreserved(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    quantity: i32,
    sql: &str,
) -> Result<inventory::Model, CatalogError> {
    positive("quantity", quantity)?;
    if let Some(row) = update_main(tx, sql, sku_id, quantity, -quantity).await? {
        return Ok(row);
    }
    let stock = stock_at(tx, sku_id, MAIN_LOCATION).await?;
    Err(CatalogError::InsufficientInventory {
        sku_id,
        sku_code: stock.code,
        requested: quantity,
        available: stock.on_hand - stock.reserved,
    })
}

/// Takes `quantity` unreserved units out of stock at the main location for something other than
/// a sale (a sample pull), recording `inventory.adjusted` with `reason` as a hand adjustment
/// does. Not enough unreserved stock → `InsufficientInventory` with what is available: units
/// promised to orders are never given away. Nothing is written on failure.
pub async fn take_out(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    quantity: i32,
    reason: &str,
) -> Result<inventory::Model, CatalogError> {
    let row = take_unreserved(
        tx,
        sku_id,
        quantity,
        "UPDATE inventory SET on_hand = on_hand - $2
          WHERE sku_id = $1 AND location = $3 AND on_hand - reserved >= $2
          RETURNING *",
    )
    .await?;
    let payload = serde_json::json!({
        "skuId": sku_id, "location": MAIN_LOCATION, "delta": -quantity, "reason": reason,
        "onHand": row.on_hand,
    });
    events::record(tx, row.tenant_id, EventType::InventoryAdjusted, payload).await?;
    Ok(row)
}

/// Gives back `quantity` reserved units (an order was cancelled). Releasing more than is
/// reserved → `Conflict` on `quantity`: the caller's books disagree with the stock's.
pub async fn release(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    quantity: i32,
) -> Result<inventory::Model, CatalogError> {
    take_reserved(
        tx,
        sku_id,
        quantity,
        quantity,
        "release",
        "UPDATE inventory SET reserved = reserved - $2
          WHERE sku_id = $1 AND location = $3 AND reserved >= $2
          RETURNING *",
    )
    .await
}

/// Ships `quantity` reserved units (an order was fulfilled): they leave both `on_hand` and
/// `reserved`. Consuming more than is reserved → `Conflict` on `quantity`.
pub async fn consume(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    quantity: i32,
) -> Result<inventory::Model, CatalogError> {
    // Shipping reserved units leaves what is available as it was.
    take_reserved(
        tx,
        sku_id,
        quantity,
        0,
        "consume",
        "UPDATE inventory SET on_hand = on_hand - $2, reserved = reserved - $2
          WHERE sku_id = $1 AND location = $3 AND reserved >= $2
          RETURNING *",
    )
    .await
}

/// Runs `sql`, which takes `quantity` reserved units of the SKU at the main location ($1 the SKU,
/// $2 the quantity, $3 the location) only while that many are reserved, changing availability by
/// `available_delta`; more → `Conflict` on `quantity`, naming `action`.
async fn take_reserved(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    quantity: i32,
    available_delta: i32,
    action: &str,
    sql: &str,
) -> Result<inventory::Model, CatalogError> {
    positive("quantity", quantity)?;
    match update_main(tx, sql, sku_id, quantity, available_delta).await? {
        Some(row) => Ok(row),
        None => Err(more_than_reserved(tx, sku_id, quantity, action).await),
    }
}

/// Changes the count on hand at a location by `delta` (a delivery, a count correction,
/// breakage), creating the location's row for a positive delta. The count may not fall below
/// what is reserved there (`BadInput` on `delta`). `reason` is required (`BadInput` on `reason`)
/// and logged with the change.
pub async fn adjust(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    location: &str,
    delta: i32,
    reason: &str,
) -> Result<inventory::Model, CatalogError> {
    let location = required_text("location", location)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CatalogError::bad_input(
            "reason",
            "say why the stock changes (delivery, count, breakage …)",
        ));
    }
    if delta == 0 {
        return Err(CatalogError::bad_input("delta", "must not be zero"));
    }
    let row = if delta > 0 {
        add_stock(tx, sku_id, &location, delta).await?
    } else {
        remove_stock(tx, sku_id, &location, delta).await?
    };
    // The outbox keeps the reason for good: integrations and audits read it from there.
    let payload = serde_json::json!({
        "skuId": sku_id, "location": location, "delta": delta, "reason": reason, "onHand": row.on_hand,
    });
    events::record(tx, row.tenant_id, EventType::InventoryAdjusted, payload).await?;
    Ok(row)
}

/// Stock of each of `sku_ids`, summed over locations, in one statement. Every id asked for is in
/// the result; one without stock (or unknown to the transaction) shows zeros.
pub async fn availability(
    tx: &DatabaseTransaction,
    sku_ids: &[Uuid],
) -> Result<HashMap<Uuid, Availability>, CatalogError> {
    let mut result: HashMap<Uuid, Availability> = sku_ids
        .iter()
        .map(|id| (*id, Availability::default()))
        .collect();
    if sku_ids.is_empty() {
        return Ok(result);
    }
    let sums: Vec<(Uuid, i64, i64)> = inventory::Entity::find()
        .select_only()
        .column(inventory::Column::SkuId)
        .column_as(
            Expr::from(Func::sum(Expr::col(inventory::Column::OnHand))),
            "on_hand",
        )
        .column_as(
            Expr::from(Func::sum(Expr::col(inventory::Column::Reserved))),
            "reserved",
        )
        .filter(inventory::Column::SkuId.is_in(sku_ids.iter().copied()))
        .group_by(inventory::Column::SkuId)
        .into_tuple()
        .all(tx)
        .await?;
    for (sku_id, on_hand, reserved) in sums {
        result.insert(
            sku_id,
            Availability {
                on_hand,
                reserved,
                available: on_hand - reserved,
            },
        );
    }
    Ok(result)
}

/// Runs a conditional update of the SKU's main-location row (`$1` SKU, `$2` quantity, `$3`
/// location) that changes availability by `available_delta`; `None` when the condition or the
/// row is missing.
async fn update_main(
    tx: &DatabaseTransaction,
    sql: &str,
    sku_id: Uuid,
    quantity: i32,
    available_delta: i32,
) -> Result<Option<inventory::Model>, CatalogError> {
    write_stock(
        tx,
        sku_id,
        available_delta,
        sql,
        [sku_id.into(), quantity.into(), MAIN_LOCATION.into()],
    )
    .await
}

/// The one way stock is written: takes the SKU's stock lock (see [`lock_stock`]), runs `sql`,
/// which writes one inventory row of `sku_id` and changes the SKU's availability by
/// `available_delta` when it writes at all, and records `inventory.low` when that made the SKU
/// low (`low_stock::crossed_below`). `None` when `sql` writes nothing.
///
/// The level after the write is read under the lock, so it is exact; the level before is the
/// level after less the write's own change. Only a fall can cross below a threshold, so only a
/// fall reads it.
async fn write_stock(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    available_delta: i32,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> Result<Option<inventory::Model>, CatalogError> {
    lock_stock(tx, sku_id).await?;
    let Some(row) = write_row(tx, sql, values).await? else {
        return Ok(None);
    };
    // The main row carries the threshold, current under the lock: without one there is nothing
    // to cross, and most reservations are of SKUs without a threshold.
    let no_threshold = row.location == MAIN_LOCATION && row.low_stock_threshold == 0;
    if available_delta < 0 && !no_threshold {
        let after = level_of(tx, sku_id).await?;
        let before = after.available - i64::from(available_delta);
        let threshold = i64::from(after.low_stock_threshold);
        if low_stock::crossed_below(before, after.available, threshold) {
            low_stock::record(tx, after.low_stock(row.tenant_id, sku_id)).await?;
        }
    }
    Ok(Some(row))
}

/// Sets a SKU's low-stock threshold: below this many available units (over all its locations)
/// the SKU is low; 0 means never. Negative → `BadInput` on `lowStockThreshold`; a SKU the
/// transaction cannot see → `NotFound` sku.
///
/// A threshold that puts the SKU's current availability below it, where the old one did not,
/// records `inventory.low` at once (`low_stock::threshold_made_low`): a SKU is never low without
/// the event, whatever made it low.
pub async fn set_low_stock_threshold(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    threshold: i32,
) -> Result<(), CatalogError> {
    let threshold = non_negative("lowStockThreshold", threshold)?;
    lock_stock(tx, sku_id).await?;
    let level = level_of(tx, sku_id).await?;
    if level.low_stock_threshold == threshold {
        return Ok(());
    }
    // A SKU without stock yet gets its main row here, with nothing on hand.
    let row = write_row(
        tx,
        "INSERT INTO inventory (tenant_id, sku_id, location, low_stock_threshold)
         SELECT s.tenant_id, s.id, $2, $3 FROM skus s WHERE s.id = $1
         ON CONFLICT (tenant_id, sku_id, location)
         DO UPDATE SET low_stock_threshold = EXCLUDED.low_stock_threshold
         RETURNING *",
        [sku_id.into(), MAIN_LOCATION.into(), threshold.into()],
    )
    .await?
    .ok_or(CatalogError::not_found("sku"))?;
    let made_low = low_stock::threshold_made_low(
        level.available,
        i64::from(level.low_stock_threshold),
        i64::from(threshold),
    );
    if made_low {
        let level = Level {
            low_stock_threshold: threshold,
            ..level
        };
        low_stock::record(tx, level.low_stock(row.tenant_id, sku_id)).await?;
    }
    Ok(())
}

/// The low-stock threshold of each of `sku_ids`, in one statement; 0 for one without a
/// main-location row (or unknown to the transaction).
pub async fn low_stock_thresholds(
    tx: &DatabaseTransaction,
    sku_ids: &[Uuid],
) -> Result<HashMap<Uuid, i32>, CatalogError> {
    let mut result: HashMap<Uuid, i32> = sku_ids.iter().map(|id| (*id, 0)).collect();
    if sku_ids.is_empty() {
        return Ok(result);
    }
    let rows: Vec<(Uuid, i32)> = inventory::Entity::find()
        .select_only()
        .column(inventory::Column::SkuId)
        .column(inventory::Column::LowStockThreshold)
        .filter(inventory::Column::SkuId.is_in(sku_ids.iter().copied()))
        .filter(inventory::Column::Location.eq(MAIN_LOCATION))
        .into_tuple()
        .all(tx)
        .await?;
    result.extend(rows);
    Ok(result)
}

/// Serialises every change of a SKU's stock or threshold until the transaction ends, so each is
/// judged on the level its predecessor left. The SKU's rows may be at several locations, and a
/// threshold may be set before any exists: no one row lock covers them all. Every write takes it
/// before touching any of the SKU's rows, so it is always taken before their row locks, and an
/// order takes its SKUs in SKU order (`crates/orders/src/service/placing.rs`): it adds no
/// deadlock.
async fn lock_stock(tx: &DatabaseTransaction, sku_id: Uuid) -> Result<(), CatalogError> {
    tx.execute_raw(stmt(
        "SELECT pg_advisory_xact_lock(hashtextextended('leora.stock:' || $1::text, 0))",
        [sku_id.into()],
    ))
    .await?;
    Ok(())
}

/// A SKU's code, availability over all locations and threshold, as the transaction sees them now.
#[derive(Debug, Clone, FromQueryResult)]
struct Level {
    code: String,
    available: i64,
    low_stock_threshold: i32,
}

impl Level {
    fn low_stock(&self, tenant_id: Uuid, sku_id: Uuid) -> LowStock<'_> {
        LowStock {
            tenant_id,
            sku_id,
            sku_code: &self.code,
            available: self.available,
            low_stock_threshold: self.low_stock_threshold,
        }
    }
}

/// The SKU's [`Level`]; `NotFound` for a SKU the transaction cannot see.
async fn level_of(tx: &DatabaseTransaction, sku_id: Uuid) -> Result<Level, CatalogError> {
    let level = Level::find_by_statement(stmt(
        "SELECT s.code,
                coalesce(sum(i.on_hand - i.reserved), 0)::bigint AS available,
                coalesce(max(i.low_stock_threshold) FILTER (WHERE i.location = $2), 0)
                  AS low_stock_threshold
           FROM skus s LEFT JOIN inventory i ON i.sku_id = s.id
          WHERE s.id = $1
          GROUP BY s.id, s.code",
        [sku_id.into(), MAIN_LOCATION.into()],
    ))
    .one(tx)
    .await?;
    level.ok_or(CatalogError::not_found("sku"))
}

/// The inventory row `sql` writes and returns; `None` when it writes none.
async fn write_row(
    tx: &DatabaseTransaction,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> Result<Option<inventory::Model>, CatalogError> {
    Ok(inventory::Entity::find()
        .from_raw_sql(stmt(sql, values))
        .one(tx)
        .await?)
}

async fn add_stock(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    location: &str,
    delta: i32,
) -> Result<inventory::Model, CatalogError> {
    // Selecting the SKU (through RLS) both supplies its tenant and makes an unknown SKU insert
    // nothing, instead of failing a foreign key.
    let row = write_stock(
        tx,
        sku_id,
        delta,
        "INSERT INTO inventory (tenant_id, sku_id, location, on_hand)
         SELECT s.tenant_id, s.id, $2, $3 FROM skus s WHERE s.id = $1
         ON CONFLICT (tenant_id, sku_id, location)
         DO UPDATE SET on_hand = inventory.on_hand + EXCLUDED.on_hand
         RETURNING *",
        [sku_id.into(), location.into(), delta.into()],
    )
    .await?;
    row.ok_or(CatalogError::not_found("sku"))
}

async fn remove_stock(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    location: &str,
    delta: i32,
) -> Result<inventory::Model, CatalogError> {
    let row = write_stock(
        tx,
        sku_id,
        delta,
        "UPDATE inventory SET on_hand = on_hand + $3
          WHERE sku_id = $1 AND location = $2 AND on_hand + $3 >= reserved
          RETURNING *",
        [sku_id.into(), location.into(), delta.into()],
    )
    .await?;
    if let Some(row) = row {
        return Ok(row);
    }
    let stock = stock_at(tx, sku_id, location).await?;
    Err(CatalogError::bad_input(
        "delta",
        format!(
            "sku {} has {} on hand at {location}, {} of them reserved: at most {} can be removed",
            stock.code,
            stock.on_hand,
            stock.reserved,
            stock.on_hand - stock.reserved
        ),
    ))
}

async fn more_than_reserved(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    quantity: i32,
    action: &str,
) -> CatalogError {
    match stock_at(tx, sku_id, MAIN_LOCATION).await {
        Ok(stock) => CatalogError::conflict(
            "quantity",
            format!(
                "cannot {action} {quantity} of sku {}: only {} reserved",
                stock.code, stock.reserved
            ),
        ),
        Err(error) => error,
    }
}

#[derive(FromQueryResult)]
struct Stock {
    code: String,
    on_hand: i32,
    reserved: i32,
}

/// A SKU's code and stock at one location (zeros without a row there); `NotFound` for a SKU the
/// transaction cannot see. Only for explaining a refusal: the figures may already have moved.
async fn stock_at(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    location: &str,
) -> Result<Stock, CatalogError> {
    let stock = Stock::find_by_statement(stmt(
        "SELECT s.code, coalesce(i.on_hand, 0) AS on_hand, coalesce(i.reserved, 0) AS reserved
           FROM skus s LEFT JOIN inventory i ON i.sku_id = s.id AND i.location = $2
          WHERE s.id = $1",
        [sku_id.into(), location.into()],
    ))
    .one(tx)
    .await?;
    stock.ok_or(CatalogError::not_found("sku"))
}
