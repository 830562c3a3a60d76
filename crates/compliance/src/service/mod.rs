//! Compliance rules as plain Rust over a tenant transaction: tax arithmetic, the rates in force,
//! their administration, and the filings owed to state regulators.

pub mod filings;
pub mod states;
pub mod tax;
pub mod tax_rates;
