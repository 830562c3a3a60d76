//! Per-tenant counters for gapless order and invoice numbers, and the cart lifetime setting.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0003_document_numbers.up.sql");
const DOWN_SQL: &str = include_str!("sql/0003_document_numbers.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
