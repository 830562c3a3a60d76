//! The catalog API: products with their SKUs, stock and customer prices; suppliers; the price
//! book; and their administration. Portal users browse the same catalog at their own prices and
//! never see cost-side fields. Customer accounts are catalog rows, but their GraphQL type lives in
//! the orders crate, beside the orders and invoices it links to.

mod inputs;
pub mod loaders;
mod mutation;
mod query;
mod subscription;
pub mod types;

pub use mutation::CatalogMutation;
pub use query::CatalogQuery;
pub use subscription::CatalogSubscription;
