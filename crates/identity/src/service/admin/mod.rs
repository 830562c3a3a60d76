//! Administration of users, portal users and their roles. Who may call these is decided by the
//! GraphQL guards; these functions keep the rules that hold whoever calls: emails are unique per
//! tenant and stored lower-case, internal users hold only internal roles and portal users only
//! portal roles, and an account that stops being active loses its sessions at once.
//!
//! Role names resolve among the roles the tenant sees (the system roles and its own); a tenant's
//! own role shadows a system role of the same name.

mod accounts;
mod directory;
mod input;
mod profiles;
mod role_definitions;
mod roles;

pub use accounts::{
    NewInvitation, NewPortalUser, NewUser, create_portal_user, create_user, invite_user,
    set_portal_user_status, set_user_status,
};
pub use directory::{
    PortalUserFilter, permissions, portal_user, portal_users, roles, user, user_by_email, users,
};
pub use profiles::{UserChanges, update_user};
pub use role_definitions::{NewRole, RoleChanges, create_role, delete_role, update_role};
pub use roles::{
    assign_portal_role, assign_role, permissions_of_roles, revoke_portal_role, revoke_role,
    roles_of_portal_users, roles_of_users,
};
