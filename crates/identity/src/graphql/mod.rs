//! The identity API: sign-in and sessions (`login`, `portalLogin`, `refreshSession`, `logout`,
//! `me`, password resets), administration of users, portal users and roles, and the tenant and
//! its settings.

mod admin;
mod auth;
mod devices;
mod loaders;
mod tenant;
mod types;

pub use admin::{AdminMutation, AdminQuery};
pub use auth::{AuthMutation, AuthQuery, AuthSettings, TenantHint};
pub use devices::{DevicesMutation, DevicesQuery};
pub use tenant::{TenantMutation, TenantQuery};
pub use types::{PortalUser, User, UserStatus};

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct IdentityQuery(AuthQuery, AdminQuery, DevicesQuery, TenantQuery);

#[derive(MergedObject, Default)]
pub struct IdentityMutation(AuthMutation, AdminMutation, DevicesMutation, TenantMutation);
