//! SeaORM entities for the identity tables: internal users, portal users (a customer's staff),
//! roles, permissions, their assignments, refresh-token sessions and password resets.
//!
//! `portal_users.customer_id` points at catalog's `customers`, which this crate cannot name; the
//! relation is defined on the catalog side.

pub mod enums;
pub mod password_resets;
pub mod permissions;
pub mod portal_sessions;
pub mod portal_user_roles;
pub mod portal_users;
pub mod role_permissions;
pub mod roles;
pub mod user_roles;
pub mod user_sessions;
pub mod users;
