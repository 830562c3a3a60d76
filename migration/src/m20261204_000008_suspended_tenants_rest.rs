//! A suspended or cancelled tenant's webhooks wait instead of going out.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0008_suspended_tenants_rest.up.sql");
const DOWN_SQL: &str = include_str!("sql/0008_suspended_tenants_rest.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
