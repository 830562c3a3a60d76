//! Allocations: `skus.allocated`, the `allocations` table (a customer's quantity of an allocated
//! SKU for a period) and the `allocations.manage` permission (admins and sales managers).
//! Allocations belong to their customer: a portal request reads its own and writes none, and
//! internal users see those of the accounts they see.

use crate::app_role::{AppRole, migration_role};
use crate::isolation::{
    self, OF_VISIBLE_CUSTOMER, Restriction, Scope, TablePolicy, account_scoped, policy,
    staff_writes_only,
};
use sea_orm_migration::prelude::*;

const HEADER_UP: &str = include_str!("sql/0014_allocations.up.sql");
const DOWN_SQL: &str = include_str!("sql/0014_allocations.down.sql");

/// Frozen, like `isolation::SCHEMA_V1`.
pub const TABLES: &[TablePolicy] = &[policy("allocations", Scope::Customer("customer_id"))];

/// Frozen, like `isolation::SCHEMA_V1`.
pub const RESTRICTIONS: &[Restriction] = &[
    staff_writes_only("allocations"),
    account_scoped("allocations", OF_VISIBLE_CUSTOMER),
];

pub fn up_sql(role: &AppRole) -> String {
    format!(
        "{HEADER_UP}\n{}{}",
        isolation::table_sql(TABLES, role),
        isolation::restrictions_sql(RESTRICTIONS),
    )
}

sql_migration!(up: &up_sql(&migration_role()?), down: DOWN_SQL);
