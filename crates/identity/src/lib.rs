//! Identity: internal users, portal users, roles, permissions and their sessions; password
//! hashing, access and refresh tokens, and the rules for administering them.

pub mod entities;
pub mod error;
pub mod graphql;
pub mod service;

pub use error::IdentityError;
pub use service::sessions::{AuthPolicy, Authenticated, ClientInfo, IssuedTokens};
pub use service::tokens::{AccessClaims, JwtKeys, PrincipalKind};
pub use service::with_tenant_committing;
