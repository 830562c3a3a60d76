//! Domain services: plain functions over a tenant transaction, free of GraphQL.

pub mod admin;
pub mod demo;
pub mod devices;
pub mod password_change;
pub mod password_reset;
pub mod passwords;
mod refresh_token;
mod secret;
mod session_store;
pub mod sessions;
pub mod sign_in_failures;
pub mod sign_in_limit;
pub mod signed_in;
pub mod tenant_settings;
pub mod tokens;
mod transaction;

pub use transaction::with_tenant_committing;
