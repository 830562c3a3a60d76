//! State tax rates and compliance filings on a real PostgreSQL, through tenant transactions as
//! the application role, and through the compliance schema.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod filings;
mod graphql;
mod support;
mod tax_rates;
