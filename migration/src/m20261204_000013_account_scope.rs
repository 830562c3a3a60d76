//! Account scope: an internal user sees and works the customer accounts of their team only, unless
//! they hold `accounts.view_all` (admins). The database enforces it, keyed on the request's user
//! (`app.current_user_id`), with one restrictive policy per table that belongs to a customer.

use crate::isolation::{
    self, ASSIGNED_TO_TEAM, OF_VISIBLE_CUSTOMER, Restriction, TENANT_WIDE_OR_OF_VISIBLE_CUSTOMER,
    account_scoped,
};
use sea_orm_migration::prelude::*;

const HEADER_UP: &str = include_str!("sql/0013_account_scope.up.sql");
const HEADER_DOWN: &str = include_str!("sql/0013_account_scope.down.sql");

/// Frozen, like `isolation::SCHEMA_V1`: a later change gets a migration of its own.
pub const RESTRICTIONS: &[Restriction] = &[
    account_scoped("customers", ASSIGNED_TO_TEAM),
    account_scoped("orders", OF_VISIBLE_CUSTOMER),
    account_scoped("order_lines", OF_VISIBLE_CUSTOMER),
    account_scoped("invoices", OF_VISIBLE_CUSTOMER),
    account_scoped("payments", OF_VISIBLE_CUSTOMER),
    account_scoped("carts", OF_VISIBLE_CUSTOMER),
    account_scoped("cart_items", OF_VISIBLE_CUSTOMER),
    account_scoped("lists", OF_VISIBLE_CUSTOMER),
    account_scoped("list_items", OF_VISIBLE_CUSTOMER),
    account_scoped("price_list_entries", TENANT_WIDE_OR_OF_VISIBLE_CUSTOMER),
];

pub fn up_sql() -> String {
    format!("{HEADER_UP}\n{}", isolation::restrictions_sql(RESTRICTIONS))
}

fn down_sql() -> String {
    format!(
        "{}{HEADER_DOWN}",
        isolation::drop_restrictions_sql(RESTRICTIONS)
    )
}

sql_migration!(up: &up_sql(), down: &down_sql());
