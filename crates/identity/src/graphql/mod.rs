//! The identity API: sign-in and sessions (`login`, `portalLogin`, `refreshSession`, `logout`,
//! `me`) and administration of users, portal users and roles.

mod admin;
mod auth;
mod devices;
mod loaders;
mod types;

pub use admin::{AdminMutation, AdminQuery};
pub use auth::{AuthMutation, AuthQuery, AuthSettings, TenantHint};
pub use devices::{DevicesMutation, DevicesQuery};
pub use types::User;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct IdentityQuery(AuthQuery, AdminQuery, DevicesQuery);

#[derive(MergedObject, Default)]
pub struct IdentityMutation(AuthMutation, AdminMutation, DevicesMutation);
