//! The commerce API: customer accounts with their orders, orders and their lifecycle, invoices and
//! payments, the portal cart and saved lists. Portal users reach only their own customer's documents (the database sees to that);
//! staff need the matching permission.

mod customers;
mod inputs;
mod loaders;
mod mutation;
mod query;
mod subscription;
mod types;

pub use customers::{Customer, CustomerStatus, CustomersMutation, CustomersQuery, PaymentTerms};
pub use mutation::OrdersMutation;
pub use query::OrdersQuery;
pub use subscription::OrdersSubscription;
