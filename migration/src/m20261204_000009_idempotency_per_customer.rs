//! Order idempotency keys are unique per customer, not per tenant.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0009_idempotency_per_customer.up.sql");
const DOWN_SQL: &str = include_str!("sql/0009_idempotency_per_customer.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
