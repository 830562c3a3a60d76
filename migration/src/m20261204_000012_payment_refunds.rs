//! Refunds: `payments.refunded_amount` (a payment is `refunded` once all of it was returned) and
//! the `payments.refund` permission, for admins.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0012_payment_refunds.up.sql");
const DOWN_SQL: &str = include_str!("sql/0012_payment_refunds.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
