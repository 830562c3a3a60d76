//! Tenancy: the tenant and principal of a request, the one way to open a tenant-scoped transaction
//! (`with_tenant`), the start-up check that row-level security really applies, the error
//! vocabulary every crate maps its errors onto, the raw-SQL statement, constraint-violation,
//! list-filter and input-check helpers every crate shares, and what an operator does to tenants
//! through the owner connection (`operator`).

pub mod context;
pub mod db;
pub mod entities;
pub mod error;
pub mod events;
pub mod filter;
pub mod graphql;
pub mod operator;
pub mod portal;
pub mod rows;
pub mod search;
pub mod sql;
pub mod startup_check;
pub mod tenant_tx;
pub mod validate;

pub use context::{Principal, TenantContext};
pub use db::{Deadlines, TenantDb, with_tenant};
pub use error::{ApiError, AuthFailure, ErrorCode, Refusal, TenancyError};
pub use leora_migration::app_role::{AppRole, InvalidAppRole};
pub use tenant_tx::TenantTx;
