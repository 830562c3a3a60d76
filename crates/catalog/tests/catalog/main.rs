//! Catalog services on a real PostgreSQL, through tenant transactions as the application role;
//! fixtures are written and results read back as the owner, bypassing the services.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod administration;
mod inventory;
mod isolation;
mod lookups;
mod low_stock;
mod price_book;
mod pricing;
mod products;
mod support;
