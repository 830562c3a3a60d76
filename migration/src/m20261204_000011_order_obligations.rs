//! What an order must clear before it is submitted: the `orders.override_credit` permission (admins
//! and sales managers), the override recorded on the order, and each tenant's line-discount limits
//! per internal role.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0011_order_obligations.up.sql");
const DOWN_SQL: &str = include_str!("sql/0011_order_obligations.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
