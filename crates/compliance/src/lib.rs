//! Compliance: state excise tax rates and the filings owed to state regulators.

pub mod entities;
