//! An order whose invoice was voided can be invoiced again; one live invoice per order.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0006_reinvoice_after_void.up.sql");
const DOWN_SQL: &str = include_str!("sql/0006_reinvoice_after_void.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
