//! Seed data: the Well Crafted demo tenant (idempotent: running it again changes nothing) and a
//! deterministic synthetic-data generator for benchmarks. Both write as the application role,
//! through the same constraints and row-level security as the API, except for the tenants' own
//! rows: creating a tenant is operator work, which the application role may not do.

pub mod error;
pub mod synthetic;
pub mod well_crafted;

pub use error::SeedError;
