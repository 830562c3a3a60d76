//! SeaORM entities for the tenancy tables: the tenants themselves and their settings.

pub mod tenant_settings;
pub mod tenants;
