//! The `analytics.manage` permission (running the health job on demand), for admins and sales managers.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0007_analytics_manage.up.sql");
const DOWN_SQL: &str = include_str!("sql/0007_analytics_manage.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
