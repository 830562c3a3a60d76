//! Catalog: suppliers, customer accounts, products, SKUs, inventory and price lists.

pub mod entities;
pub mod error;
pub mod graphql;
pub mod service;
