//! The HTTP API end to end: the real router, on a real PostgreSQL, one fresh database per test.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

mod account_scope;
mod allocations;
mod cancellation;
mod catalog;
mod conventions;
mod depletions;
mod identity;
mod low_stock;
mod metrics;
mod orders;
mod promises;
mod refunds;
mod resources;
mod rows;
mod support;
