//! Orders: orders and their lines, invoices and payments, portal carts, and saved order lists.

pub mod entities;
pub mod error;
pub mod graphql;
pub mod service;
