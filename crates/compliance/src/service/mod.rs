//! Compliance rules as plain Rust over a tenant transaction: tax arithmetic, the rates in force,
//! and their administration.

pub mod states;
pub mod tax;
pub mod tax_rates;
