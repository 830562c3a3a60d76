//! Compliance: state excise tax rates and the filings owed to state regulators.

pub mod entities;
pub mod error;
pub mod graphql;
pub mod service;
