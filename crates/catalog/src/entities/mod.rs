//! SeaORM entities for the catalog tables: suppliers, customer accounts, products and their SKUs,
//! inventory, and price lists.
//!
//! `customers` also carries the relation to identity's `portal_users`, whose `customer_id` that
//! crate cannot name.

pub mod customers;
pub mod enums;
pub mod inventory;
pub mod price_list_entries;
pub mod products;
pub mod skus;
pub mod suppliers;
