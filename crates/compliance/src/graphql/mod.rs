//! The compliance API: effective-dated state excise rates, the filings owed to state regulators
//! with their lifecycle, and a per-state calendar of what falls due. `ProductCategory` is shared
//! with the catalog API.

mod inputs;
mod mutation;
mod query;
pub mod types;

pub use mutation::ComplianceMutation;
pub use query::ComplianceQuery;
pub use types::ProductCategory;
