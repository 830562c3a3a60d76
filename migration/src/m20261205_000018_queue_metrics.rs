//! The webhook queue's depth and age and the outbox lag for `/metrics`, as one `SECURITY DEFINER`
//! function granted to the application role only.

use crate::app_role::{AppRole, migration_role};
use sea_orm_migration::prelude::*;

const FUNCTION_UP: &str = include_str!("sql/0018_queue_metrics.up.sql");
const DOWN_SQL: &str = include_str!("sql/0018_queue_metrics.down.sql");

pub fn up_sql(role: &AppRole) -> String {
    format!("{FUNCTION_UP}\nGRANT EXECUTE ON FUNCTION webhook_queue_stats() TO {role};\n")
}

sql_migration!(up: &up_sql(&migration_role()?), down: DOWN_SQL);
