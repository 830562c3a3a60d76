//! These tests start real PostgreSQL servers: they need the server programs installed, and fail
//! (never skip) when they are missing.

#![allow(clippy::unwrap_used)] // Helpers outside #[test] fns fail the test the same way.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use leora_local_pg::{LocalPgError, find_or_start, start_private, stop};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

/// A directory name no other test or run uses, so tests can run in parallel.
fn unique_dir(label: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!(
        "leora-local-pg-{label}-{}-{nanos}",
        std::process::id()
    ))
}

/// The machine's own server, as the test harness would find it.
fn machine_url() -> String {
    std::env::var("LEORA_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

async fn select_one(url: &str) -> i32 {
    let db = Database::connect(url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT 1 AS one",
        ))
        .await
        .unwrap()
        .unwrap();
    let one: i32 = row.try_get("", "one").unwrap();
    db.close().await.unwrap();
    one
}

fn first_line(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_explicit_url_that_connects_is_returned_as_given() {
    let dir = unique_dir("explicit");
    let url = machine_url();

    let found = find_or_start(Some(&url), &dir).await.unwrap();

    assert_eq!(found, url);
    assert!(!dir.exists(), "no private cluster should have been made");
}

#[tokio::test]
async fn an_explicit_url_that_does_not_connect_is_an_error_not_a_fallback() {
    let dir = unique_dir("unreachable");
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://postgres:hunter2@127.0.0.1:{closed_port}/postgres");

    let error = find_or_start(Some(&url), &dir).await.unwrap_err();

    assert!(
        matches!(error, LocalPgError::Unreachable { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains(&closed_port.to_string()), "{message}");
    assert!(!message.contains("hunter2"), "password leaked: {message}");
    assert!(!message.contains('\n'), "not one line: {message}");
    assert!(!dir.exists(), "no private cluster should have been made");
}

#[tokio::test]
async fn without_an_explicit_url_some_server_is_found() {
    let dir = unique_dir("find");

    let url = find_or_start(None, &dir).await.unwrap();

    assert_eq!(select_one(&url).await, 1);
    if dir.exists() {
        // No trusting server on 5432 here, so a private cluster was started: clean it up.
        stop(&dir).await.unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    } else {
        assert_eq!(
            url,
            "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
        );
    }
}

#[tokio::test]
async fn a_private_cluster_is_initialised_once_started_once_and_reused() {
    let dir = unique_dir("private");
    let outcome = exercise_private_cluster(&dir).await;
    // Clean up before judging, so a failure leaves no server running.
    let stopped = stop(&dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    outcome.unwrap();
    stopped.unwrap();
}

async fn exercise_private_cluster(dir: &Path) -> Result<(), String> {
    // Two callers racing on a fresh directory: the lock must make one initdb and one server.
    let (first, second) = tokio::join!(start_private(dir), start_private(dir));
    let url = first.map_err(|e| e.to_string())?;
    let raced = second.map_err(|e| e.to_string())?;
    if raced != url {
        return Err(format!(
            "racing callers got different servers: {url} and {raced}"
        ));
    }
    if !url.starts_with("postgres://postgres@127.0.0.1:") || url.contains(":5432/") {
        return Err(format!("unexpected URL {url}"));
    }
    if select_one(&url).await != 1 {
        return Err("SELECT 1 did not return 1".to_owned());
    }

    let version_stamp = std::fs::metadata(dir.join("PG_VERSION"))
        .and_then(|m| m.modified())
        .map_err(|e| e.to_string())?;
    let server_pid = first_line(&dir.join("postmaster.pid"));

    let again = start_private(dir).await.map_err(|e| e.to_string())?;
    if again != url {
        return Err(format!("second call moved the server: {url} then {again}"));
    }
    let version_stamp_after = std::fs::metadata(dir.join("PG_VERSION"))
        .and_then(|m| m.modified())
        .map_err(|e| e.to_string())?;
    if version_stamp_after != version_stamp {
        return Err("second call ran initdb again".to_owned());
    }
    if first_line(&dir.join("postmaster.pid")) != server_pid {
        return Err("second call restarted the server".to_owned());
    }

    // Stopped and started again, it comes back on the remembered port with its data.
    stop(dir).await.map_err(|e| e.to_string())?;
    if dir.join("postmaster.pid").exists() {
        return Err("stop left the server running".to_owned());
    }
    let restarted = start_private(dir).await.map_err(|e| e.to_string())?;
    if restarted != url {
        return Err(format!("restart changed the URL: {url} then {restarted}"));
    }
    if select_one(&restarted).await != 1 {
        return Err("SELECT 1 after restart did not return 1".to_owned());
    }
    Ok(())
}
