//! Stock: reserving it for orders, releasing and consuming reservations, adjusting counts.
//!
//! Overselling is prevented by the database, not by reading first: a reservation is one
//! conditional `UPDATE … WHERE on_hand - reserved >= quantity`. Concurrent reservations of one
//! SKU queue on its row lock, and each re-checks the condition against the row its predecessor
//! committed, so no interleaving can reserve more than is on hand. The table's own
//! `0 ≤ reserved ≤ on_hand` check backs this up for every other write.

use std::collections::HashMap;

use leora_integrations::events::{self, EventType};
use leora_tenancy::sql::stmt;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, Value,
};
use uuid::Uuid;

use super::validate::{positive, required_text};
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
    positive("quantity", quantity)?;
    let updated = update_main(
        tx,
        "UPDATE inventory SET reserved = reserved + $2
          WHERE sku_id = $1 AND location = $3 AND on_hand - reserved >= $2
          RETURNING *",
        sku_id,
        quantity,
    )
    .await?;
    if let Some(row) = updated {
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
    take_reserved(
        tx,
        sku_id,
        quantity,
        "consume",
        "UPDATE inventory SET on_hand = on_hand - $2, reserved = reserved - $2
          WHERE sku_id = $1 AND location = $3 AND reserved >= $2
          RETURNING *",
    )
    .await
}

/// Runs `sql`, which takes `quantity` reserved units of the SKU at the main location ($1 the SKU,
/// $2 the quantity, $3 the location) only while that many are reserved; more → `Conflict` on
/// `quantity`, naming `action`.
async fn take_reserved(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
    quantity: i32,
    action: &str,
    sql: &str,
) -> Result<inventory::Model, CatalogError> {
    positive("quantity", quantity)?;
    match update_main(tx, sql, sku_id, quantity).await? {
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
/// location); `None` when the condition or the row is missing.
async fn update_main(
    tx: &DatabaseTransaction,
    sql: &str,
    sku_id: Uuid,
    quantity: i32,
) -> Result<Option<inventory::Model>, CatalogError> {
    write_row(
        tx,
        sql,
        [sku_id.into(), quantity.into(), MAIN_LOCATION.into()],
    )
    .await
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
    let row = write_row(
        tx,
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
    let row = write_row(
        tx,
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
