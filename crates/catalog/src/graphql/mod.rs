//! The catalog API: products with their SKUs, stock and customer prices; suppliers; customer
//! accounts; and their administration. Portal users browse the same catalog at their own prices
//! and never see cost-side fields.

mod inputs;
pub mod loaders;
mod mutation;
mod query;
pub mod types;

pub use mutation::CatalogMutation;
pub use query::CatalogQuery;
