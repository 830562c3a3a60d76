//! The database, not only the resolvers, refuses what only operators or staff may do: no request
//! writes the tenants table, and a portal request writes no roles, permissions, suppliers, customer
//! account, prices, invoices or payments (it reads its own customer's invoices; staff issue them
//! and record what was paid), and reads only its own customer's and its own tier's prices.

use crate::app_role::{AppRole, migration_role};
use crate::isolation::{
    self, OWN_CUSTOMER_OR_OWN_TIER, Restriction, portal_reads_only, staff_writes_only,
};
use sea_orm_migration::prelude::*;

const HEADER_UP: &str = include_str!("sql/0010_rls_defence_in_depth.up.sql");
const HEADER_DOWN: &str = include_str!("sql/0010_rls_defence_in_depth.down.sql");

/// Frozen, like `isolation::SCHEMA_V1`: a later change gets a migration of its own.
pub const RESTRICTIONS: &[Restriction] = &[
    staff_writes_only("roles"),
    staff_writes_only("role_permissions"),
    staff_writes_only("suppliers"),
    staff_writes_only("customers"),
    staff_writes_only("price_list_entries"),
    staff_writes_only("invoices"),
    staff_writes_only("payments"),
    portal_reads_only("price_list_entries", OWN_CUSTOMER_OR_OWN_TIER),
];

pub fn up_sql(role: &AppRole) -> String {
    format!(
        "{HEADER_UP}\n{}{}",
        isolation::read_only_grant_sql("tenants", role),
        isolation::restrictions_sql(RESTRICTIONS),
    )
}

fn down_sql(role: &AppRole) -> String {
    format!(
        "{HEADER_DOWN}\n{}{}",
        isolation::drop_restrictions_sql(RESTRICTIONS),
        isolation::restore_write_grant_sql("tenants", role),
    )
}

sql_migration!(
    up: &up_sql(&migration_role()?),
    down: &down_sql(&migration_role()?),
);
