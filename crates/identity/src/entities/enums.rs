//! Enums shared by several identity tables.

use sea_orm::entity::prelude::*;

/// `users.status` and `portal_users.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum UserStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "invited")]
    Invited,
    #[sea_orm(string_value = "disabled")]
    Disabled,
}

/// `roles.audience` and `permissions.audience`: internal staff or a customer's portal users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum RoleAudience {
    #[sea_orm(string_value = "internal")]
    Internal,
    #[sea_orm(string_value = "portal")]
    Portal,
}
