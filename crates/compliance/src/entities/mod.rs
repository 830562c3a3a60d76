//! SeaORM entities for the compliance tables: state filings and effective-dated excise tax rates.

pub mod compliance_filings;
pub mod enums;
pub mod state_tax_rates;
