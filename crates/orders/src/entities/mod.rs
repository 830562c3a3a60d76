//! SeaORM entities for the order tables: orders and their lines, invoices and payments, portal
//! carts, saved order lists, and the allocations that limit what a customer may order.

pub mod allocations;
pub mod cart_items;
pub mod carts;
pub mod invoices;
pub mod list_items;
pub mod lists;
pub mod order_lines;
pub mod orders;
pub mod payments;
