//! The full schema: tables, constraints, indexes, row-level security, grants.

use crate::app_role::{AppRole, migration_role};
use crate::isolation;
use sea_orm_migration::prelude::*;

const TABLES_UP: &str = include_str!("sql/0001_schema.up.sql");
const TABLES_DOWN: &str = include_str!("sql/0001_schema.down.sql");

pub fn up_sql(role: &AppRole) -> String {
    format!("{TABLES_UP}\n{}", isolation::schema_v1_sql(role))
}

fn down_sql(role: &AppRole) -> String {
    format!("{}\n{TABLES_DOWN}", isolation::revoke_app_role_sql(role))
}

sql_migration!(
    up: &up_sql(&migration_role()?),
    down: &down_sql(&migration_role()?),
);
