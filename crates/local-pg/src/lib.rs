//! Finds or starts a PostgreSQL server for development and tests.
//!
//! Nobody should have to set up a database before running the dev server or the tests: when no
//! URL is configured we use a stock local server if there is one, and otherwise keep a private
//! cluster in a directory the caller chooses. That cluster is left running and its data kept
//! between runs on purpose: `initdb` and start-up are the slow part, so only the first run pays.
//!
//! Unix only: the private cluster is managed with `initdb`, `pg_ctl`, and (as root) `runuser`.

mod binaries;
mod cluster;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sea_orm::{ConnectOptions, Database};

/// A stock local install: Debian's and Homebrew's packages both listen here, and CI images
/// commonly run one with trust authentication.
///
/// Loopback URLs turn TLS off: it protects nothing there, and in unoptimised (debug) builds its
/// handshake costs tens of milliseconds per connection, which adds up over a test suite.
const MACHINE_SERVER_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable";

/// How long a configured server gets to answer; generous because it may be remote or busy.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a private cluster that pg_ctl reports running gets to accept connections.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// Why no server could be found or started. Every message is one line saying what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocalPgError {
    #[error(
        "could not connect to PostgreSQL at {url}: {reason}; check that the server is running and that the URL's host, port, user and password are right"
    )]
    Unreachable { url: String, reason: String },

    #[error("PostgreSQL at {url} answers, but {advice}")]
    DatabaseMissing { url: String, advice: String },

    #[error(
        "PostgreSQL server programs (initdb, pg_ctl) not found: install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`, macOS: `brew install postgresql@16`) or set DATABASE_URL to a running server"
    )]
    BinariesNotFound,

    #[error(
        "running as root, which PostgreSQL refuses, and there is no `postgres` or `nobody` user to run it as: create a `postgres` user or set DATABASE_URL to a running server"
    )]
    NoUnprivilegedUser,

    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("`{command}` failed: {detail}")]
    CommandFailed { command: String, detail: String },

    #[error("PostgreSQL in {} did not start ({detail}); see {}", dir.display(), log.display())]
    StartFailed {
        dir: PathBuf,
        log: PathBuf,
        detail: String,
    },

    #[error(
        "PostgreSQL in {} is running but {url} refuses connections ({reason}); see {}",
        dir.display(),
        log.display()
    )]
    NotAccepting {
        dir: PathBuf,
        url: String,
        log: PathBuf,
        reason: String,
    },
}

/// When a connection failed because the database it names does not exist (PostgreSQL's
/// `database "…" does not exist`), what to do about it.
pub fn missing_database_advice(reason: &str) -> Option<String> {
    let (_, rest) = reason.split_once("database \"")?;
    let (name, rest) = rest.split_once('"')?;
    rest.trim_start().starts_with("does not exist").then(|| {
        format!(
            "the database \"{name}\" does not exist: create it, owned by the migration role \
             (`CREATE DATABASE \"{name}\" OWNER <migration role>;` or `createdb -O <migration role> \
             {name}`), then run `leora migrate`"
        )
    })
}

/// Returns the URL of a PostgreSQL server to use, connecting as a user that may create databases.
///
/// In order: `explicit_url`, which must connect (a configured server that is down is an error,
/// never a reason to quietly use another); a server on 127.0.0.1:5432 that lets `postgres` in
/// without a password; the private cluster in `private_data_dir`, via [`start_private`].
///
/// `explicit_url` is returned as given; the URLs this function builds name the `postgres`
/// database and turn TLS off (e.g. `postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable`).
pub async fn find_or_start(
    explicit_url: Option<&str>,
    private_data_dir: &Path,
) -> Result<String, LocalPgError> {
    if let Some(url) = explicit_url {
        let connects = match tcp_probe(url).await {
            Ok(()) => check_connects(url, CONNECT_TIMEOUT).await,
            Err(reason) => Err(reason),
        };
        connects.map_err(|reason| match missing_database_advice(&reason) {
            Some(advice) => LocalPgError::DatabaseMissing {
                url: redact(url),
                advice,
            },
            None => LocalPgError::Unreachable {
                url: redact(url),
                reason,
            },
        })?;
        return Ok(url.to_owned());
    }
    if machine_server_accepts().await {
        return Ok(MACHINE_SERVER_URL.to_owned());
    }
    start_private(private_data_dir).await
}

/// Starts (or reuses) the private cluster in `private_data_dir` and returns its URL, ignoring any
/// other server; [`find_or_start`] falls back to it, and tests use it to exercise the cluster.
///
/// The directory is created and `initdb`'d if it holds no cluster yet, and never wiped. The port,
/// picked once from the free ones, is kept in the directory so the URL stays the same across runs.
/// Safe to call from several processes at once: they serialise on a lock on the directory.
///
/// The server listens on 127.0.0.1 only, and trusts every local connection.
pub async fn start_private(private_data_dir: &Path) -> Result<String, LocalPgError> {
    let dir = absolute(private_data_dir)?;
    let running = {
        let dir = dir.clone();
        blocking(move || cluster::ensure_running(&dir)).await?
    };
    // Same form as MACHINE_SERVER_URL, TLS off included.
    let url = format!(
        "postgres://postgres@127.0.0.1:{}/postgres?sslmode=disable",
        running.port
    );
    // sqlx keeps retrying while the server refuses or is still starting up (as one that another
    // process has just started, or that is recovering from a crash, may be), so allow it time.
    check_connects(&url, STARTUP_TIMEOUT)
        .await
        .map_err(|reason| LocalPgError::NotAccepting {
            dir,
            url: url.clone(),
            log: running.log,
            reason,
        })?;
    Ok(url)
}

/// Stops the private cluster in `private_data_dir` if it is running (fast shutdown: open sessions
/// are disconnected). The data stays; a later [`start_private`] starts it again on the same port.
pub async fn stop(private_data_dir: &Path) -> Result<(), LocalPgError> {
    let dir = absolute(private_data_dir)?;
    blocking(move || cluster::stop(&dir)).await
}

fn absolute(path: &Path) -> Result<PathBuf, LocalPgError> {
    // Commands run as another user start in `/`, so a relative path would point elsewhere.
    std::path::absolute(path).map_err(|source| LocalPgError::Io {
        action: "resolve",
        path: path.to_owned(),
        source,
    })
}

/// Runs cluster management (subprocesses, file locks) off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, LocalPgError> + Send + 'static,
) -> Result<T, LocalPgError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => Err(LocalPgError::CommandFailed {
            command: "PostgreSQL cluster management".to_owned(),
            detail: error.to_string(),
        }),
    }
}

async fn machine_server_accepts() -> bool {
    // The TCP probe keeps the common "nothing there" case to a quick refusal or a one-second wait.
    let listening = tokio::time::timeout(
        Duration::from_secs(1),
        tokio::net::TcpStream::connect(("127.0.0.1", 5432)),
    )
    .await;
    matches!(listening, Ok(Ok(_)))
        && check_connects(MACHINE_SERVER_URL, CONNECT_TIMEOUT)
            .await
            .is_ok()
}

/// Fails fast, with the reason, when nothing listens at the URL's host and port: connecting
/// through a pool would retry a refused connection until its timeout, then only say "timed out".
/// URLs naming a Unix socket are left to the real connection attempt.
async fn tcp_probe(url: &str) -> Result<(), String> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Ok(());
    };
    let host = parsed.host_str().unwrap_or_default();
    let names_socket = host.is_empty()
        || host.starts_with('/')
        || host.to_ascii_lowercase().starts_with("%2f")
        || parsed.query_pairs().any(|(key, _)| key == "host");
    if names_socket {
        return Ok(());
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = parsed.port().unwrap_or(5432);
    match tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::TcpStream::connect((host, port)),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(format!(
            "nothing accepts connections at {host}:{port} ({error})"
        )),
        Err(_) => Err(format!(
            "{host}:{port} did not answer within {CONNECT_TIMEOUT:?}"
        )),
    }
}

async fn check_connects(url: &str, timeout: Duration) -> Result<(), String> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(1)
        .connect_timeout(timeout)
        .acquire_timeout(timeout)
        .sqlx_logging(false);
    let db = Database::connect(options)
        .await
        .map_err(|e| one_line(&e.to_string()))?;
    let pinged = db.ping().await.map_err(|e| one_line(&e.to_string()));
    // Closing is best effort: the answer is already known.
    let _ = db.close().await;
    pinged
}

/// Hides a password so a URL can go into an error message.
/// Hides a password so a URL can go into a log line or an error message.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Only fails for URLs that cannot have a password, which this one has.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "(an unparsable URL)".to_owned(),
    }
}

/// `server` with its database replaced by `database`; user, host and options are kept.
pub fn with_database(server: &str, database: &str) -> String {
    match url::Url::parse(server) {
        Ok(mut url) => {
            url.set_path(&format!("/{database}"));
            url.to_string()
        }
        // Unreachable in practice: the server URL has already been used to connect.
        Err(_) => format!("{}/{database}", server.trim_end_matches('/')),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example:5432/leora"),
            "postgres://app:***@db.example:5432/leora"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1:5432"),
            "postgres://postgres@127.0.0.1:5432"
        );
    }
}

#[cfg(test)]
mod url_tests {
    use super::*;

    #[test]
    fn database_urls_keep_everything_but_the_database() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432", "leora_test_x"),
            "postgres://postgres@127.0.0.1:5432/leora_test_x"
        );
        assert_eq!(
            with_database(
                "postgres://app:pw@db:6543/leora_dev?sslmode=disable",
                "postgres"
            ),
            "postgres://app:pw@db:6543/postgres?sslmode=disable"
        );
    }
}
