//! Password resets for portal users: a `password_resets` row names a member of staff or a portal
//! user (with its customer), and the table's scope becomes `Customer("customer_id")`, so that a
//! portal admin issues its own customer's portal users' tokens through RLS while a portal request
//! still sees no staff row (their customer is NULL).

use crate::isolation::{Rescope, Scope, policy, rescope};
use sea_orm_migration::prelude::*;

const HEADER_UP: &str = include_str!("sql/0016_portal_password_resets.up.sql");
const HEADER_DOWN: &str = include_str!("sql/0016_portal_password_resets.down.sql");

/// Frozen, like `isolation::SCHEMA_V1`.
pub const RESCOPES: &[Rescope] = &[rescope(
    policy("password_resets", Scope::Internal),
    Scope::Customer("customer_id"),
)];

pub fn up_sql() -> String {
    let policies: String = RESCOPES.iter().map(Rescope::sql).collect();
    format!("{HEADER_UP}\n{policies}")
}

/// The old scope's policies first: the new ones name `customer_id`, which the header then drops.
fn down_sql() -> String {
    let policies: String = RESCOPES.iter().rev().map(Rescope::undo_sql).collect();
    format!("{policies}{HEADER_DOWN}")
}

sql_migration!(up: &up_sql(), down: &down_sql());
