//! Catalog rules as plain Rust over a tenant transaction: prices, stock, and the administration
//! of suppliers, products, SKUs, customers and price lists.
//!
//! Every function runs in the caller's transaction, so row-level security decides what it sees.
//! A function that returns an error after the database refused a statement leaves the transaction
//! aborted; `with_tenant` rolls it back.

pub mod customers;
pub mod inventory;
pub mod low_stock;
pub mod price_lists;
pub mod pricing;
pub mod products;
pub mod skus;
pub mod suppliers;
mod validate;
