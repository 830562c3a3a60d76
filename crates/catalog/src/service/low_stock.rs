//! When a SKU is low on stock, and the `inventory.low` event that says it has just become so.
//!
//! The rule is pure and stateless: a SKU is low while its availability is below its threshold,
//! and the event is recorded on the change that makes it low. Staying low records nothing more;
//! rising back to the threshold and falling below it again records the next event. Judging every
//! change on the levels just before and just after it (`crates/catalog/src/service/inventory.rs`
//! takes the SKU's stock lock so that those levels are exact) needs no stored "already reported"
//! flag.

use leora_tenancy::events::{self, EventType};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::json;
use uuid::Uuid;

/// A SKU with `available` units (on hand less reserved, over all its locations) is low when that
/// is below its threshold. A threshold of 0 means the SKU is never low.
pub fn is_low(available: i64, threshold: i64) -> bool {
    threshold > 0 && available < threshold
}

/// A change of availability from `before` to `after` crossed below `threshold`: the SKU was not
/// low before it and is after it. Exactly at the threshold is not low.
pub fn crossed_below(before: i64, after: i64, threshold: i64) -> bool {
    !is_low(before, threshold) && is_low(after, threshold)
}

/// A threshold changed from `old` to `new` made a SKU with `available` units low: the new
/// threshold is above what is available and the old one was not. Reported like a fall in stock,
/// so a SKU is never low without its event having been recorded.
pub fn threshold_made_low(available: i64, old: i64, new: i64) -> bool {
    !is_low(available, old) && is_low(available, new)
}

/// What `inventory.low` says: which SKU, what is available now and the threshold it fell below.
/// The field names are the API's (`Sku.code`, `StockLevel.available`,
/// `Sku.lowStockThreshold`), as documented in `docs/webhooks.md`.
pub(crate) struct LowStock<'a> {
    pub tenant_id: Uuid,
    pub sku_id: Uuid,
    pub sku_code: &'a str,
    pub available: i64,
    pub low_stock_threshold: i32,
}

/// Appends `inventory.low` to the outbox, in the caller's transaction: it exists exactly when the
/// change that made the SKU low commits.
pub(crate) async fn record(tx: &impl ConnectionTrait, low: LowStock<'_>) -> Result<(), DbErr> {
    let payload = json!({
        "skuId": low.sku_id,
        "skuCode": low.sku_code,
        "available": low.available,
        "lowStockThreshold": low.low_stock_threshold,
    });
    events::record(tx, low.tenant_id, EventType::InventoryLow, payload).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falling_exactly_to_the_threshold_is_not_low() {
        assert!(!crossed_below(6, 5, 5));
        assert!(!is_low(5, 5));
    }

    #[test]
    fn falling_one_below_the_threshold_crosses_it() {
        assert!(crossed_below(5, 4, 5));
        assert!(crossed_below(6, 4, 5));
    }

    #[test]
    fn falling_from_far_above_to_nothing_crosses_once() {
        assert!(crossed_below(100, 0, 5));
    }

    #[test]
    fn staying_below_the_threshold_crosses_nothing() {
        assert!(!crossed_below(4, 3, 5));
        assert!(!crossed_below(4, 4, 5));
        assert!(!crossed_below(0, 0, 5));
    }

    #[test]
    fn rising_crosses_nothing() {
        assert!(!crossed_below(4, 5, 5));
        assert!(!crossed_below(4, 9, 5));
        assert!(!crossed_below(5, 6, 5));
    }

    #[test]
    fn back_at_the_threshold_then_below_crosses_again() {
        assert!(crossed_below(5, 4, 5));
        assert!(!crossed_below(4, 5, 5));
        assert!(crossed_below(5, 4, 5));
    }

    #[test]
    fn a_threshold_of_zero_is_never_crossed() {
        assert!(!crossed_below(1, 0, 0));
        assert!(!crossed_below(100, 0, 0));
        assert!(!is_low(0, 0));
    }

    #[test]
    fn a_threshold_raised_above_what_is_available_makes_the_sku_low() {
        assert!(threshold_made_low(10, 0, 11));
        assert!(threshold_made_low(10, 10, 11));
        assert!(threshold_made_low(0, 0, 1));
    }

    #[test]
    fn a_threshold_change_that_leaves_the_sku_as_it_was_makes_nothing_low() {
        // Raised to exactly what is available: not low.
        assert!(!threshold_made_low(10, 0, 10));
        // Already low: it became low earlier, and that change was reported.
        assert!(!threshold_made_low(10, 11, 12));
        // Lowered or cleared: not low any more.
        assert!(!threshold_made_low(10, 12, 5));
        assert!(!threshold_made_low(10, 12, 0));
    }
}
