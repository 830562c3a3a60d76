//! The permission catalogue and the five system roles every tenant shares (tenant_id NULL).
//! They are reference data, so they ship with the schema and only a migration can change them.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0002_reference_data.up.sql");
const DOWN_SQL: &str = include_str!("sql/0002_reference_data.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
