//! The commerce API: orders and their lifecycle, invoices and payments, the portal cart and saved
//! lists. Portal users reach only their own customer's documents (the database sees to that);
//! staff need the matching permission.

mod inputs;
mod loaders;
mod mutation;
mod query;
mod types;

pub use mutation::OrdersMutation;
pub use query::OrdersQuery;
