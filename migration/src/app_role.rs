//! The non-owner, non-bypassing role every tenant query runs as (`SET LOCAL ROLE`).

use std::fmt;

/// Environment variable naming the application role; shared with the server's config.
pub const APP_ROLE_ENV: &str = "APP_DB_ROLE";
pub const DEFAULT_APP_ROLE: &str = "leora_app";

/// A validated PostgreSQL role name, safe to splice into SQL as an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRole(String);

#[derive(Debug, thiserror::Error)]
#[error(
    "{APP_ROLE_ENV}={0:?} is not a valid role name: use lower-case letters, digits and underscores, starting with a letter (at most 63 characters)"
)]
pub struct InvalidAppRole(String);

impl AppRole {
    pub fn parse(name: &str) -> Result<Self, InvalidAppRole> {
        let mut chars = name.chars();
        let starts_well = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if starts_well && rest_ok && name.len() <= 63 {
            Ok(Self(name.to_owned()))
        } else {
            Err(InvalidAppRole(name.to_owned()))
        }
    }

    /// The role named by `APP_DB_ROLE`, or `leora_app` when unset.
    pub fn from_env() -> Result<Self, InvalidAppRole> {
        match std::env::var(APP_ROLE_ENV) {
            Ok(name) if !name.is_empty() => Self::parse(&name),
            _ => Ok(Self(DEFAULT_APP_ROLE.to_owned())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The role as migrations see it: a bad `APP_DB_ROLE` fails the migration with its message.
pub(crate) fn migration_role() -> Result<AppRole, sea_orm_migration::sea_orm::DbErr> {
    AppRole::from_env().map_err(|e| sea_orm_migration::sea_orm::DbErr::Migration(e.to_string()))
}

impl Default for AppRole {
    fn default() -> Self {
        Self(DEFAULT_APP_ROLE.to_owned())
    }
}

impl fmt::Display for AppRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_that_could_inject_sql_are_rejected() {
        for bad in [
            "",
            "Leora",
            "1app",
            "app; drop table users",
            "app\"x",
            &"a".repeat(64),
        ] {
            assert!(AppRole::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(AppRole::parse("leora_app2").unwrap().as_str(), "leora_app2");
    }
}
