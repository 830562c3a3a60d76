//! Live events for GraphQL subscriptions: NOTIFY on `leora_events` for every outbox event and
//! notification, and the cross-tenant catch-up a listener runs after losing its connection,
//! granted to the application role only.

use crate::app_role::{AppRole, migration_role};
use sea_orm_migration::prelude::*;

const FUNCTIONS_UP: &str = include_str!("sql/0017_live_events.up.sql");
const DOWN_SQL: &str = include_str!("sql/0017_live_events.down.sql");

pub fn up_sql(role: &AppRole) -> String {
    format!(
        "{FUNCTIONS_UP}\nGRANT EXECUTE ON FUNCTION live_events_since(timestamptz, integer) TO {role};\n"
    )
}

sql_migration!(up: &up_sql(&migration_role()?), down: DOWN_SQL);
