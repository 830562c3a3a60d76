//! Batched role and permission look-ups for lists of users and roles.

use crate::service::admin;
use leora_tenancy::batch_loader;
use uuid::Uuid;

batch_loader!(UserRoles: Uuid => Vec<String>, admin::roles_of_users);
batch_loader!(PortalUserRoles: Uuid => Vec<String>, admin::roles_of_portal_users);
batch_loader!(RolePermissions: Uuid => Vec<String>, admin::permissions_of_roles);
