//! The HTTP API end to end: the real router, on a real PostgreSQL, one fresh database per test.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

mod account_scope;
mod allocations;
mod cancellation;
mod catalog;
mod conventions;
mod database_restarts;
mod depletions;
mod identity;
mod instances;
mod lookups;
mod low_stock;
mod metrics;
mod orders;
mod pagination;
mod password_reset;
mod portal_features;
mod price_book;
mod promises;
mod refunds;
mod resources;
mod roles_and_users;
mod rolling_deploys;
mod rows;
mod shutdown;
mod subscriptions;
mod support;
mod tenant_commands;
mod tenant_settings;
mod traces;
mod trusted_documents;
