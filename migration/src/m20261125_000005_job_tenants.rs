//! The list of active tenants for scheduled jobs, granted to the application role only.

use crate::app_role::{AppRole, migration_role};
use sea_orm_migration::prelude::*;

const FUNCTION_UP: &str = include_str!("sql/0005_job_tenants.up.sql");
const DOWN_SQL: &str = include_str!("sql/0005_job_tenants.down.sql");

pub fn up_sql(role: &AppRole) -> String {
    format!("{FUNCTION_UP}\nGRANT EXECUTE ON FUNCTION active_tenant_ids() TO {role};\n")
}

sql_migration!(up: &up_sql(&migration_role()?), down: DOWN_SQL);
