//! SeaORM entities for the tenancy tables: the tenants themselves and their settings, and the
//! `related!` macro every crate's entities implement `Related` with.

mod related;
pub mod tenant_settings;
pub mod tenants;
