//! The order services on a real PostgreSQL, run as the server runs them: in tenant transactions
//! as the application role, under row-level security. Fixtures are written, and results read
//! back, as the owner with raw SQL, bypassing the services.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod allocations;
mod batch;
mod carts;
mod drafts;
mod filters;
mod invoices;
mod lists;
mod obligations;
mod orders;
mod refunds;
mod samples;
mod support;
