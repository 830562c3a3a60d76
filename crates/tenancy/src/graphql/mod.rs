//! GraphQL plumbing every domain crate shares: the per-request scope (tenant, principal,
//! permissions, transaction), the RBAC guards, the one mapping from domain errors to GraphQL
//! errors, and Relay pagination.

pub mod cost;
pub mod error;
pub mod guard;
pub mod ids;
pub mod keyset;
pub mod live;
pub mod loader;
pub mod mirror;
pub mod pagination;
pub mod patch;
pub mod permission;
pub mod scalars;
pub mod scope;

pub use crate::portal::Feature;
pub use error::{ApiResult, ResolverError};
pub use guard::{
    PortalFeature, RequireAuthenticated, RequirePermission, RequireStaff, StaffOrPortal,
};
pub use loader::{BatchLoad, Batching, LoadFailed};
pub use permission::Permission;
pub use scalars::{Date, Exact, Instant, Money};
pub use scope::{RequestScope, Session};
