//! Batched role and permission look-ups for lists of users and roles.

use crate::service::admin;
use leora_tenancy::graphql::BatchLoad;
use leora_tenancy::graphql::LoadFailed;
use sea_orm::DatabaseTransaction;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

macro_rules! roles_loader {
    ($name:ident, $batch:path) => {
        pub struct $name(pub Arc<DatabaseTransaction>);

        impl BatchLoad<Uuid> for $name {
            type Value = Vec<String>;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, LoadFailed> {
                $batch(&self.0, keys).await.map_err(LoadFailed::log)
            }
        }
    };
}

roles_loader!(UserRoles, admin::roles_of_users);
roles_loader!(PortalUserRoles, admin::roles_of_portal_users);
roles_loader!(RolePermissions, admin::permissions_of_roles);
