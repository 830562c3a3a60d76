//! A fresh, fully migrated database for every test, as crates.io's `crates_io_test_db` does it.
//!
//! Migrating per test would cost seconds each, so the migrations run once into a template
//! database named after their fingerprint, and each [`TestDatabase`] is a `CREATE DATABASE …
//! TEMPLATE` copy of it (milliseconds). A changed migration changes the fingerprint, and with it
//! the template, so a stale schema is never reused.
//!
//! The server is `LEORA_TEST_DATABASE_URL`, else `DATABASE_URL`, else whatever
//! [`leora_local_pg::find_or_start`] finds or starts. Without one, tests fail; they never skip.

pub mod docs;
pub mod errors;
pub mod fixtures;
pub mod sql;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use crate::sql::stmt;
use leora_migration::app_role::AppRole;
use leora_migration::{Migrator, MigratorTrait, fingerprint};
use leora_tenancy::TenantDb;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Serialises template creation across every process using the same server.
const TEMPLATE_LOCK_KEY: i64 = 0x6c65_6f72_615f_7470; // "leora_tp"

/// Per-test pools stay small: many tests run at once against one server.
const TEST_POOL_SIZE: u32 = 10;

/// One test's database, dropped (with any open connections) when this handle is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    url: String,
    maintenance_url: String,
}

impl TestDatabase {
    /// Creates this test's database from the migrated template (migrating it first if no process
    /// has yet). Panics, saying what was tried and how to fix it, when that is impossible.
    pub async fn new() -> Self {
        let server = server_url_off_runtime().await;
        let maintenance_url = leora_local_pg::with_database(&server, "postgres");
        let template = template(&server).await;

        let name = format!("leora_test_{}", uuid::Uuid::now_v7().simple());
        let url = leora_local_pg::with_database(&server, &name);
        if let Err(error) = create_from_template(&maintenance_url, &name, template).await {
            panic!(
                "leora-test-db: could not create test database {name} from template {template} on {}: {}",
                leora_local_pg::redact(&server),
                one_line(&error.to_string())
            );
        }
        Self {
            name,
            url,
            maintenance_url,
        }
    }

    /// Connects as the server's superuser, like the service's own pool; tests `SET LOCAL ROLE`
    /// to the application role exactly as the service does.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A pool of at most ten connections to this database. Panics if it cannot connect.
    pub async fn connect(&self) -> DatabaseConnection {
        let mut options = ConnectOptions::new(self.url.as_str());
        options.max_connections(TEST_POOL_SIZE).sqlx_logging(false);
        match leora_tenancy::db::connect(options).await {
            Ok(db) => db,
            Err(error) => panic!(
                "leora-test-db: could not connect to test database {}: {}",
                self.name,
                one_line(&error.to_string())
            ),
        }
    }

    /// A pool like [`connect`](Self::connect)'s for tenant transactions, which run as the
    /// application role `APP_DB_ROLE` names, as the service's do.
    pub async fn tenant_db(&self) -> TenantDb {
        match AppRole::from_env() {
            Ok(role) => TenantDb::new(self.connect().await, role),
            Err(error) => panic!("leora-test-db: {error}"),
        }
    }
}

/// This test's database with the two pools every crate's test world holds.
pub struct Pools {
    /// Declared first so it is dropped first, closing the pools' connections with the database.
    pub database: TestDatabase,
    /// The server's superuser, past row-level security: it seeds and inspects rows.
    pub owner: DatabaseConnection,
    /// Tenant transactions as the application role, as the service runs them.
    pub db: TenantDb,
}

impl Pools {
    /// A fresh database ([`TestDatabase::new`]) with its owner connection and tenant pool.
    pub async fn new() -> Self {
        let database = TestDatabase::new().await;
        let owner = database.connect().await;
        let db = database.tenant_db().await;
        Self {
            database,
            owner,
            db,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop may run inside a runtime (which cannot block on another future) and during a
        // panic; a thread of its own with its own runtime works in both. Failing here would only
        // leak a database, so it is reported, never raised.
        let name = self.name.clone();
        let maintenance_url = self.maintenance_url.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let db = connect_single(&maintenance_url)
                    .await
                    .map_err(|e| one_line(&e.to_string()))?;
                // FORCE: pools the test left open must not keep the database alive.
                let result = db
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .map(drop);
                let _ = db.close().await;
                result.map_err(|e| one_line(&e.to_string()))
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                eprintln!(
                    "leora-test-db: could not drop test database {}: {error}",
                    self.name
                );
            }
            Err(_) => eprintln!(
                "leora-test-db: dropping test database {} panicked",
                self.name
            ),
        }
    }
}

/// The URL of the server the tests use, connecting as a user that may create databases.
///
/// Resolved once per process; panics with what was tried and how to fix it when no server can be
/// found or started. Blocks the first time (it may start a server), so async code should call it
/// from a blocking task.
pub fn server_url() -> String {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    match SERVER.get_or_init(resolve_server) {
        Ok(url) => url.clone(),
        Err(message) => panic!("{message}"),
    }
}

async fn server_url_off_runtime() -> String {
    match tokio::task::spawn_blocking(server_url).await {
        Ok(url) => url,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => panic!("leora-test-db: finding the database server was cancelled: {error}"),
    }
}

fn resolve_server() -> Result<String, String> {
    let from_env = ["LEORA_TEST_DATABASE_URL", "DATABASE_URL"]
        .into_iter()
        .find_map(|var| {
            let url = std::env::var(var).ok().filter(|url| !url.is_empty())?;
            Some((var, url))
        });
    let private_dir = target_dir().join("leora-test-pg");

    // A runtime of its own: callers may be inside one, and a runtime cannot nest.
    let private_dir_for_thread = private_dir.clone();
    let explicit = from_env.as_ref().map(|(_, url)| url.clone());
    let found = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime
            .block_on(leora_local_pg::find_or_start(
                explicit.as_deref(),
                &private_dir_for_thread,
            ))
            .map_err(|e| e.to_string())
    })
    .join()
    .map_err(|_| "finding the server panicked".to_owned())
    .and_then(|result| result);

    found.map_err(|error| match from_env {
        Some((var, _)) => format!(
            "leora-test-db: no database server for tests: {var} is set but {error}. Fix or unset {var}."
        ),
        None => format!(
            "leora-test-db: no database server for tests: LEORA_TEST_DATABASE_URL and DATABASE_URL are unset, \
             nothing lets user postgres in on 127.0.0.1:5432, and the private cluster in {} failed: {error}. \
             Set LEORA_TEST_DATABASE_URL to a server whose user may create databases, or fix the above.",
            private_dir.display()
        ),
    })
}

/// Where the private cluster lives: under the workspace's target directory, which is already
/// ignored by git and shared by every crate's tests.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

/// The template's name, migrating it first if needed; checked once per process.
async fn template(server: &str) -> &'static str {
    static TEMPLATE: tokio::sync::OnceCell<Result<String, String>> =
        tokio::sync::OnceCell::const_new();
    // A failure is remembered too: every test would fail the same way, slowly.
    match TEMPLATE
        .get_or_init(|| async { ensure_template(server).await })
        .await
    {
        Ok(name) => name,
        Err(message) => panic!("{message}"),
    }
}

async fn ensure_template(server: &str) -> Result<String, String> {
    let app_role = AppRole::from_env().map_err(|e| format!("leora-test-db: {e}"))?;
    let name = format!("leora_tpl_{}", fingerprint(&app_role));
    let maintenance_url = leora_local_pg::with_database(server, "postgres");
    let context = |error: DbErr| {
        format!(
            "leora-test-db: could not prepare template database {name} on {}: {}",
            leora_local_pg::redact(server),
            one_line(&error.to_string())
        )
    };

    // A session-level lock, so the pool must be a single connection. Other processes (other
    // test binaries) wait here while one migrates; a crash releases it with the connection.
    let db = connect_single(&maintenance_url).await.map_err(|e| {
        format!(
            "leora-test-db: could not connect to {}: {e}",
            leora_local_pg::redact(&maintenance_url)
        )
    })?;
    let locked = db
        .execute_unprepared(&format!("SELECT pg_advisory_lock({TEMPLATE_LOCK_KEY})"))
        .await;
    let result = match locked {
        Ok(_) => {
            let made = make_template_if_missing(&db, server, &name).await;
            let _ = db
                .execute_unprepared(&format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK_KEY})"))
                .await;
            made
        }
        Err(error) => Err(error),
    };
    let _ = db.close().await;
    result.map(|()| name.clone()).map_err(context)
}

/// Under the template lock: makes and migrates the template unless a finished one exists.
async fn make_template_if_missing(
    db: &DatabaseConnection,
    server: &str,
    name: &str,
) -> Result<(), DbErr> {
    let existing = db
        .query_one_raw(stmt(
            "SELECT datistemplate FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await?;
    match existing {
        Some(row) if row.try_get::<bool>("", "datistemplate")? => return Ok(()),
        // Only marked as a template once fully migrated, so this is a process's unfinished work.
        Some(_) => drop_database(db, name).await?,
        None => {}
    }

    db.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    let migrated = migrate(&leora_local_pg::with_database(server, name)).await;
    if let Err(error) = migrated {
        // Gone, so the next run retries instead of cloning a half-migrated schema.
        let _ = drop_database(db, name).await;
        return Err(error);
    }
    db.execute_unprepared(&format!("ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true"))
        .await
        .map(drop)
}

async fn migrate(url: &str) -> Result<(), DbErr> {
    let db = connect_single(url).await?;
    let migrated = Migrator::up(&db, None).await;
    // Closed before cloning: a template with a connection open cannot be copied.
    db.close().await?;
    migrated
}

async fn drop_database(db: &DatabaseConnection, name: &str) -> Result<(), DbErr> {
    db.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .map(drop)
}

async fn create_from_template(
    maintenance_url: &str,
    name: &str,
    template: &str,
) -> Result<(), DbErr> {
    let db = connect_single(maintenance_url).await?;
    let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
    let mut attempts = 0;
    let result = loop {
        attempts += 1;
        match db.execute_unprepared(&sql).await {
            // Nothing should be connected to the template, but a backend that has just closed
            // can linger for a moment; PostgreSQL then refuses to copy it.
            Err(error)
                if attempts < 10
                    && error
                        .to_string()
                        .contains("is being accessed by other users") =>
            {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            other => break other.map(drop),
        }
    };
    let _ = db.close().await;
    result
}

async fn connect_single(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options.max_connections(1).sqlx_logging(false);
    Database::connect(options).await
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
