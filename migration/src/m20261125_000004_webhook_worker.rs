//! The two cross-tenant lookups of the webhook worker and the encryption-key check, granted to the
//! application role only.

use crate::app_role::{AppRole, migration_role};
use sea_orm_migration::prelude::*;

const FUNCTIONS_UP: &str = include_str!("sql/0004_webhook_worker.up.sql");
const DOWN_SQL: &str = include_str!("sql/0004_webhook_worker.down.sql");

pub fn up_sql(role: &AppRole) -> String {
    format!(
        "{FUNCTIONS_UP}\n\
         GRANT EXECUTE ON FUNCTION webhook_tenants_with_work(integer) TO {role};\n\
         GRANT EXECUTE ON FUNCTION encryption_key_samples() TO {role};\n"
    )
}

sql_migration!(up: &up_sql(&migration_role()?), down: DOWN_SQL);
