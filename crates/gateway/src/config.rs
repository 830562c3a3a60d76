//! The server's configuration: one typed struct read from the environment (and `.env` in
//! development), validated as a whole so start-up reports every bad value at once.

use leora_tenancy::AppRole;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    /// `None` in development means "find or start a local PostgreSQL".
    pub database_url: Option<String>,
    /// Migrations connect here when set (a direct connection, not through a pooler).
    pub direct_url: Option<String>,
    pub app_role: AppRole,
    pub database_pool_max: u32,
    pub listen_addr: SocketAddr,
    pub log_format: LogFormat,
    pub local_postgres_dir: PathBuf,
}

/// Every problem found in the environment, one line each.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  - {}", .0.join("\n  - "))]
pub struct ConfigError(pub Vec<String>);

/// Reads variables through `lookup` so tests can validate a configuration without touching the
/// process environment.
pub struct EnvReader<F: Fn(&str) -> Option<String>> {
    lookup: F,
    problems: Vec<String>,
}

impl<F: Fn(&str) -> Option<String>> EnvReader<F> {
    fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.trim().is_empty())
    }

    fn parsed<T: FromStr>(&mut self, name: &str, default: T, expected: &str) -> T {
        match self.optional(name) {
            None => default,
            Some(raw) => raw.trim().parse().unwrap_or_else(|_| {
                self.problems
                    .push(format!("{name}={raw:?} is not {expected}"));
                default
            }),
        }
    }

    fn database_url(&mut self, name: &str) -> Option<String> {
        let url = self.optional(name)?;
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(url)
        } else {
            self.problems.push(format!(
                "{name} must be a PostgreSQL URL (postgres://user:password@host:port/database)"
            ));
            None
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut env = EnvReader {
            lookup,
            problems: Vec::new(),
        };
        let environment = match env.optional("LEORA_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                env.problems.push(format!(
                    "LEORA_ENV={other:?} must be development or production"
                ));
                Environment::Development
            }
        };
        let database_url = env.database_url("DATABASE_URL");
        if database_url.is_none() && environment == Environment::Production {
            env.problems
                .push("DATABASE_URL is required in production".to_owned());
        }
        let direct_url = env.database_url("DIRECT_URL");
        let app_role = match env
            .optional("APP_DB_ROLE")
            .map(|name| AppRole::parse(&name))
        {
            None => AppRole::default(),
            Some(Ok(role)) => role,
            Some(Err(invalid)) => {
                env.problems.push(invalid.to_string());
                AppRole::default()
            }
        };
        let database_pool_max = env.parsed("DATABASE_POOL_MAX", 10, "a whole number");
        if database_pool_max == 0 {
            env.problems
                .push("DATABASE_POOL_MAX must be at least 1".to_owned());
        }
        let listen_addr = env.parsed(
            "LEORA_LISTEN_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            "an address such as 127.0.0.1:8080",
        );
        let default_log_format = match environment {
            Environment::Development => LogFormat::Pretty,
            Environment::Production => LogFormat::Json,
        };
        let log_format = match env.optional("LOG_FORMAT").as_deref() {
            None => default_log_format,
            Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                env.problems
                    .push(format!("LOG_FORMAT={other:?} must be pretty or json"));
                default_log_format
            }
        };
        let local_postgres_dir = env
            .optional("LEORA_LOCAL_PG_DIR")
            .map_or_else(|| PathBuf::from(".leora/postgres"), PathBuf::from);

        if !env.problems.is_empty() {
            return Err(ConfigError(env.problems));
        }
        Ok(Self {
            environment,
            database_url,
            direct_url,
            app_role,
            database_pool_max,
            listen_addr,
            log_format,
            local_postgres_dir,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn development_needs_no_variables() {
        let config = config(&[]).unwrap();
        assert_eq!(config.environment, Environment::Development);
        assert_eq!(config.database_url, None);
        assert_eq!(config.app_role.as_str(), "leora_app");
        assert_eq!(config.log_format, LogFormat::Pretty);
    }

    #[test]
    fn production_requires_a_database_url() {
        let error = config(&[("LEORA_ENV", "production")]).unwrap_err();
        assert_eq!(error.0, vec!["DATABASE_URL is required in production"]);
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        let error = config(&[
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_POOL_MAX", "many"),
            ("APP_DB_ROLE", "Robert'); DROP TABLE users;--"),
            ("LEORA_LISTEN_ADDR", "nowhere"),
        ])
        .unwrap_err();
        assert_eq!(error.0.len(), 4, "{error}");
        assert!(
            error
                .to_string()
                .contains("DATABASE_URL must be a PostgreSQL URL")
        );
    }
}
