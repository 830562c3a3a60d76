//! Password resets: the `password_resets` table (a single-use, expiring token per user, stored as
//! the SHA-256 of its secret). Staff data: invisible to portal requests.

use crate::app_role::{AppRole, migration_role};
use crate::isolation::{self, Scope, TablePolicy, policy};
use sea_orm_migration::prelude::*;

const HEADER_UP: &str = include_str!("sql/0015_password_resets.up.sql");
const DOWN_SQL: &str = include_str!("sql/0015_password_resets.down.sql");

/// Frozen, like `isolation::SCHEMA_V1`.
pub const TABLES: &[TablePolicy] = &[policy("password_resets", Scope::Internal)];

pub fn up_sql(role: &AppRole) -> String {
    format!("{HEADER_UP}\n{}", isolation::table_sql(TABLES, role))
}

sql_migration!(up: &up_sql(&migration_role()?), down: DOWN_SQL);
