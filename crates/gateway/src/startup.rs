//! Everything between reading the configuration and serving: finding the database, migrating it
//! (development) or checking it is migrated (production), and checking that row-level security
//! really applies to the application role. Each failure is one line telling the operator what to fix.

use crate::config::{Config, DatabasePooler, Environment};
use leora_migration::serving::{SchemaState, schema_state};
use leora_migration::{Migrator, MigratorTrait};
use leora_tenancy::sql::stmt;
use leora_tenancy::startup_check::{AppRoleProblem, verify_app_role};
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, DbErr};
use std::time::Duration;

/// The database the development server creates on a local PostgreSQL it found or started.
const LOCAL_DATABASE: &str = "leora";

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Telemetry(#[from] crate::telemetry::TelemetryError),
    #[error(transparent)]
    LocalPostgres(#[from] leora_local_pg::LocalPgError),
    #[error("cannot connect to the database at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("migrating the database failed: {0}")]
    Migrate(DbErr),
    #[error(
        "{pending} migration(s) are pending; production never migrates on start: run `leora migrate` first"
    )]
    PendingMigrations { pending: usize },
    #[error(
        "the database has applied {0}, which this release does not know and which breaks it: deploy the release that ships it (docs/database/MIGRATION_GUIDE.md, \"Rolling deploys\")"
    )]
    BreakingMigrations(String),
    #[error("unsafe database role: {0}")]
    AppRole(#[from] AppRoleProblem),
    #[error(transparent)]
    EncryptionKeys(#[from] leora_integrations::KeyCheckError),
    #[error("the webhook worker cannot start: {0}")]
    Worker(#[from] leora_integrations::WorkerSetupError),
    #[error("job failed: {0}")]
    Job(String),
    #[error("cannot read the migration status: {0}")]
    MigrationStatus(DbErr),
    #[error("seeding failed: {0}")]
    Seed(leora_seed::SeedError),
    #[error(transparent)]
    Tenants(#[from] crate::commands::tenants::TenantsError),
    #[error("cannot write the output: {source}")]
    Output { source: std::io::Error },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// What a connection goes through: a direct one (`DIRECT_URL`, the local server) always reaches
/// PostgreSQL itself, `DATABASE_URL` whatever `DATABASE_POOLER` says.
#[derive(Clone, Copy)]
enum Route {
    Direct,
    Pooled(DatabasePooler),
}

async fn connect(
    url: &str,
    max_connections: u32,
    route: Route,
) -> Result<DatabaseConnection, StartupError> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    if let Route::Pooled(DatabasePooler::Transaction) = route {
        leora_tenancy::db::prepare_statements_once(&mut options);
    }
    leora_tenancy::db::connect(options)
        .await
        .map_err(|error| StartupError::Connect {
            url: leora_local_pg::redact(url),
            reason: connection_failure_reason(&error),
        })
}

fn connection_failure_reason(error: &DbErr) -> String {
    let reason = match error {
        DbErr::Conn(inner) => inner.to_string(),
        other => other.to_string(),
    };
    leora_local_pg::missing_database_advice(&reason).unwrap_or(reason)
}

/// The server's database URL: the configured one, or in development a `leora` database on a
/// local PostgreSQL (one already listening, else a private cluster kept under `.leora/`).
pub async fn database_url(config: &Config) -> Result<String, StartupError> {
    if let Some(url) = &config.database_url {
        // Probes the server first, so an unreachable one is reported as such, not as a timeout.
        return Ok(leora_local_pg::find_or_start(Some(url), &config.local_postgres_dir).await?);
    }
    let server = leora_local_pg::find_or_start(None, &config.local_postgres_dir).await?;
    let maintenance = connect(&server, 1, Route::Direct).await?;
    let exists = maintenance
        .query_one_raw(stmt(
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [LOCAL_DATABASE.into()],
        ))
        .await
        .map_err(StartupError::Migrate)?
        .is_some();
    if !exists {
        maintenance
            .execute_unprepared(&format!("CREATE DATABASE {LOCAL_DATABASE}"))
            .await
            .map_err(StartupError::Migrate)?;
    }
    maintenance.close().await.map_err(StartupError::Migrate)?;
    Ok(leora_local_pg::with_database(&server, LOCAL_DATABASE))
}

/// Whether this binary may serve the database: none of its own migrations pending, and no newer
/// migration applied that is marked breaking (newer expand migrations are served: deploys roll).
pub async fn check_schema(db: &DatabaseConnection) -> Result<SchemaState, StartupError> {
    let state = schema_state(db)
        .await
        .map_err(StartupError::MigrationStatus)?;
    if !state.pending.is_empty() {
        return Err(StartupError::PendingMigrations {
            pending: state.pending.len(),
        });
    }
    let breaking = state.breaking();
    if !breaking.is_empty() {
        return Err(StartupError::BreakingMigrations(breaking.join(", ")));
    }
    Ok(state)
}

/// Applies pending migrations through `DIRECT_URL` when set (migrations need a session, not a
/// transaction-mode pooler). `DIRECT_URL` is the direct route to `DATABASE_URL`'s database, so it
/// only counts when `DATABASE_URL` is set too; otherwise the local database is migrated.
pub async fn migrate(config: &Config, database_url: &str) -> Result<(), StartupError> {
    let (url, route) = direct_url(config, database_url);
    let db = connect(url, 1, route).await?;
    Migrator::up(&db, None)
        .await
        .map_err(StartupError::Migrate)?;
    db.close().await.map_err(StartupError::Migrate)
}

/// `DIRECT_URL` when both it and `DATABASE_URL` are configured, else `database_url`.
fn direct_url<'a>(config: &'a Config, database_url: &'a str) -> (&'a str, Route) {
    match (&config.database_url, &config.direct_url) {
        (Some(_), Some(direct)) => (direct.as_str(), Route::Direct),
        _ => (database_url, Route::Pooled(config.database_pooler)),
    }
}

/// One connection as the migration role (through `DIRECT_URL`, like [`migrate`]), for the operator
/// work the application role may not do: creating tenants.
pub async fn owner_connection(config: &Config) -> Result<DatabaseConnection, StartupError> {
    let url = database_url(config).await?;
    let (url, route) = direct_url(config, &url);
    connect(url, 1, route).await
}

/// Connects the serving pool, after making sure the schema is current and RLS really applies.
pub async fn prepare_database(config: &Config) -> Result<DatabaseConnection, StartupError> {
    let url = database_url(config).await?;
    if config.environment == Environment::Development {
        // Only when something is pending: migrating checks every applied migration is known,
        // which a database a newer release has expanded is not.
        let probe = connect(&url, 1, Route::Pooled(config.database_pooler)).await?;
        let state = schema_state(&probe)
            .await
            .map_err(StartupError::MigrationStatus)?;
        probe.close().await.map_err(StartupError::Migrate)?;
        if !state.pending.is_empty() {
            migrate(config, &url).await?;
        }
    }
    let pool = connect(
        &url,
        config.database_pool_max,
        Route::Pooled(config.database_pooler),
    )
    .await?;
    let state = check_schema(&pool).await?;
    if !state.newer.is_empty() {
        tracing::info!(
            newer = state.newer.join(", "),
            "the database is migrated ahead of this release (expand migrations only): serving"
        );
    }
    verify_app_role(&pool, &config.app_role).await?;
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_database_is_named_with_how_to_create_it() {
        let error = DbErr::Conn(sea_orm::RuntimeErr::Internal(
            "error returned from database: database \"leora_prod\" does not exist".to_owned(),
        ));
        let reason = connection_failure_reason(&error);
        assert!(reason.contains("\"leora_prod\" does not exist"), "{reason}");
        assert!(
            reason.contains("CREATE DATABASE \"leora_prod\""),
            "{reason}"
        );
        assert!(reason.contains("leora migrate"), "{reason}");
        let refused = DbErr::Conn(sea_orm::RuntimeErr::Internal(
            "connection refused".to_owned(),
        ));
        assert_eq!(connection_failure_reason(&refused), "connection refused");
    }
}
