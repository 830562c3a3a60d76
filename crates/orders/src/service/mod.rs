//! Order rules as plain Rust over a tenant transaction: the order lifecycle and totals, document
//! numbers, carts, invoices and payments, saved lists, and the batched reads behind the GraphQL
//! DataLoaders.
//!
//! Every function runs in the caller's transaction, so row-level security decides what it sees. A
//! function that fails may have written part of its work (or had a statement refused, which aborts
//! the transaction): the caller rolls back, as `with_tenant` and the gateway's per-request
//! transaction do, and nothing remains. Events go to the outbox in the same transaction, so they
//! exist exactly when their change commits.

mod access;
pub mod admission;
pub mod allocations;
pub mod batch;
pub mod carts;
pub mod discounts;
pub mod invoices;
pub mod lifecycle;
pub mod lists;
pub mod numbers;
pub mod orders;
mod placing;
mod sellable;
mod settings;
pub mod totals;
mod validate;

pub use validate::{MAX_CART_ITEMS, MAX_LIST_ITEMS, MAX_PAYMENTS_PER_INVOICE, MAX_QUANTITY};

use rust_decimal::Decimal;

/// Money in event payloads: a string with exactly two decimals ("0.00", not "0"), whatever scale
/// the database returned, so consumers can compare amounts as text.
fn money_json(amount: Decimal) -> serde_json::Value {
    let mut amount = amount;
    amount.rescale(2);
    serde_json::Value::String(amount.to_string())
}
