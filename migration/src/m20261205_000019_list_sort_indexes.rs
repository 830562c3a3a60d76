//! Indexes for sorting the activities and tasks lists across a tenant: by when an activity
//! happened or was logged, by a task's due date or creation.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0019_list_sort_indexes.up.sql");
const DOWN_SQL: &str = include_str!("sql/0019_list_sort_indexes.down.sql");

sql_migration!(up: UP_SQL, down: DOWN_SQL);
