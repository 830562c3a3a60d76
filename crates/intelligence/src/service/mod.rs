//! Intelligence rules as plain Rust over a tenant transaction: the rep workflow (activities, call
//! plans, tasks), the sample allowance, account health, sales metrics, depletion reports,
//! notifications and the job that keeps the computed ones current.
//!
//! Functions taking a [`leora_tenancy::TenantContext`] resolve what its principal may see (see
//! [`viewer`]); row-level security has already confined the transaction to the tenant.

pub mod activities;
pub mod call_plans;
pub mod depletions;
pub mod health;
pub mod job;
pub mod licenses;
pub mod metrics;
pub mod notifications;
pub mod samples;
pub mod settings;
pub mod tasks;
mod validate;
pub mod viewer;
