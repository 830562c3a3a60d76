//! Input checks shared by the order services. Each names the field it rejects, in the API's
//! camelCase, so a form can point at it.

use leora_tenancy::sql::{count, stmt};
use leora_tenancy::validate::money_fault;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, Value};

use crate::error::OrdersError;

/// The most different SKUs one cart holds: a cart becomes one order.
pub const MAX_CART_ITEMS: usize = super::orders::MAX_LINES;
/// The most SKUs on one saved list.
pub const MAX_LIST_ITEMS: usize = 500;
/// The most payments recorded against one invoice.
pub const MAX_PAYMENTS_PER_INVOICE: usize = 100;

/// The most units of one SKU on an order line, cart item or list item: far beyond any real
/// order, and far below where stock arithmetic (`integer` columns) could overflow.
pub const MAX_QUANTITY: i32 = 100_000;
/// Capacity of a `numeric(12, 2)` line amount (unit price, discount): less than 10¹⁰.
pub(crate) const LINE_MONEY_LIMIT: Decimal = Decimal::from_parts(1_410_065_408, 2, 0, false, 0);
/// Capacity of a `numeric(14, 2)` document amount (order and invoice totals, payments): less than
/// 10¹².
pub(crate) const DOCUMENT_MONEY_LIMIT: Decimal =
    Decimal::from_parts(3_567_587_328, 232, 0, false, 0);
/// `orders.idempotency_key` allows 1 to 200 characters.
const MAX_KEY_CHARS: usize = 200;

pub(crate) fn quantity(field: &str, quantity: i32) -> Result<i32, OrdersError> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(OrdersError::bad_input(
            field,
            format!("must be between 1 and {MAX_QUANTITY}"),
        ));
    }
    Ok(quantity)
}

/// A non-negative amount in whole cents, below `limit` (the column's capacity).
pub(crate) fn money(field: &str, amount: Decimal, limit: Decimal) -> Result<Decimal, OrdersError> {
    match money_fault(amount, limit) {
        Some(fault) => Err(OrdersError::bad_input(field, fault)),
        None => Ok(amount),
    }
}

/// Keys are compared exactly, so they are kept as sent; only blank or overlong ones are refused.
pub(crate) fn idempotency_key(key: Option<String>) -> Result<Option<String>, OrdersError> {
    let Some(key) = key else {
        return Ok(None);
    };
    if key.trim().is_empty() {
        return Err(OrdersError::bad_input(
            "idempotencyKey",
            "must not be blank",
        ));
    }
    if key.chars().count() > MAX_KEY_CHARS {
        return Err(OrdersError::bad_input(
            "idempotencyKey",
            format!("must be at most {MAX_KEY_CHARS} characters"),
        ));
    }
    Ok(Some(key))
}

/// Trimmed, non-empty text of at most `max_chars` characters.
pub(crate) fn required_text(
    field: &str,
    raw: &str,
    max_chars: usize,
) -> Result<String, OrdersError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(OrdersError::bad_input(field, "must not be blank"));
    }
    at_most(field, text, max_chars)?;
    Ok(text.to_owned())
}

/// Optional free text, trimmed; blank counts as absent.
pub(crate) fn optional_text(
    field: &str,
    raw: Option<String>,
    max_chars: usize,
) -> Result<Option<String>, OrdersError> {
    let Some(text) = raw
        .map(|text| text.trim().to_owned())
        .filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    at_most(field, &text, max_chars)?;
    Ok(Some(text))
}

fn at_most(field: &str, text: &str, max_chars: usize) -> Result<(), OrdersError> {
    if text.chars().count() > max_chars {
        return Err(OrdersError::bad_input(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(())
}

/// Refuses a write that left more than `cap` rows counted by `count_sql` (one `$1` parameter,
/// the parent's id). Run under the parent's row lock, after the write, so concurrent writers
/// cannot both slip under the cap; the refusal rolls the write back with the request. The caps
/// bound what one list field of the API can return (see `docs/architecture.md`, "What a request
/// may cost").
pub(crate) async fn rows_at_most(
    db: &impl ConnectionTrait,
    count_sql: &str,
    parent: impl Into<Value>,
    cap: usize,
    field: &str,
    message: &str,
) -> Result<(), OrdersError> {
    if count(db, stmt(count_sql, [parent.into()])).await? > cap {
        return Err(OrdersError::bad_input(field, format!("{message} {cap}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use leora_tenancy::ApiError;

    fn d(value: &str) -> Decimal {
        value.parse().unwrap()
    }

    fn field_of<T: std::fmt::Debug>(outcome: Result<T, OrdersError>) -> String {
        outcome.unwrap_err().field().unwrap().to_owned()
    }

    #[test]
    fn quantities_are_positive_and_bounded() {
        assert_eq!(quantity("quantity", 1).unwrap(), 1);
        assert_eq!(quantity("quantity", MAX_QUANTITY).unwrap(), MAX_QUANTITY);
        for bad in [0, -1, MAX_QUANTITY + 1] {
            assert_eq!(
                field_of(quantity("lines[0].quantity", bad)),
                "lines[0].quantity"
            );
        }
    }

    #[test]
    fn the_limits_are_the_columns_capacities() {
        assert_eq!(LINE_MONEY_LIMIT, d("10000000000"));
        assert_eq!(DOCUMENT_MONEY_LIMIT, d("1000000000000"));
    }

    #[test]
    fn money_is_non_negative_whole_cents_below_the_limit() {
        let limit = d("100");
        assert_eq!(money("amount", d("12.50"), limit).unwrap(), d("12.50"));
        assert_eq!(money("amount", d("1.2000"), limit).unwrap(), d("1.2"));
        assert_eq!(
            money("amount", Decimal::ZERO, limit).unwrap(),
            Decimal::ZERO
        );
        for bad in ["-0.01", "0.001", "100"] {
            assert_eq!(field_of(money("amount", d(bad), limit)), "amount", "{bad}");
        }
    }

    #[test]
    fn idempotency_keys_are_kept_as_sent_unless_blank_or_long() {
        assert_eq!(idempotency_key(None).unwrap(), None);
        assert_eq!(
            idempotency_key(Some(" k-1 ".into())).unwrap().as_deref(),
            Some(" k-1 ")
        );
        assert_eq!(
            field_of(idempotency_key(Some("  ".into()))),
            "idempotencyKey"
        );
        assert_eq!(
            field_of(idempotency_key(Some("k".repeat(201)))),
            "idempotencyKey"
        );
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(required_text("name", " Reds ", 10).unwrap(), "Reds");
        assert_eq!(field_of(required_text("name", "  ", 10)), "name");
        assert_eq!(field_of(required_text("name", "elevenchars", 10)), "name");
        assert_eq!(optional_text("notes", Some("  ".into()), 10).unwrap(), None);
        assert_eq!(
            optional_text("notes", Some(" hi ".into()), 10)
                .unwrap()
                .as_deref(),
            Some("hi")
        );
        assert_eq!(
            field_of(optional_text("notes", Some("x".repeat(11)), 10)),
            "notes"
        );
    }
}
