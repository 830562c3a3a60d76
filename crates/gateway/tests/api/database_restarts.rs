//! When PostgreSQL goes away and comes back, on a private cluster this test stops and starts: a
//! request in flight and requests sent meanwhile fail fast with the retryable
//! `DATABASE_UNAVAILABLE` (503 and `Retry-After` when refused before running), `/readyz` reports
//! unready, and once PostgreSQL is back the same server serves again by itself, with nothing of
//! the interrupted write kept.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use leora_migration::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A private cluster in a directory of its own, stopped and removed when dropped.
struct Cluster {
    dir: PathBuf,
}

impl Cluster {
    async fn start() -> (Self, String) {
        let dir = std::env::temp_dir().join(format!("leora-restart-{}", uuid::Uuid::now_v7()));
        let server = leora_local_pg::start_private(&dir).await.unwrap();
        (Self { dir }, server)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let dir = self.dir.clone();
        // Drop may run inside the runtime; a thread of its own can block on the stop.
        let stopped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let stopped = runtime.block_on(leora_local_pg::stop(&dir));
            let _ = std::fs::remove_dir_all(&dir);
            stopped
        })
        .join();
        if !matches!(stopped, Ok(Ok(()))) {
            eprintln!(
                "could not stop the private cluster in {}",
                self.dir.display()
            );
        }
    }
}

const CUSTOMER: &str = "query($id: ID!) { customer(id: $id) { name } }";

#[tokio::test]
async fn while_postgres_is_down_requests_fail_fast_and_retryably_and_the_server_recovers_alone() {
    let (cluster, server) = Cluster::start().await;
    let maintenance = sea_orm::Database::connect(&server).await.unwrap();
    maintenance
        .execute_unprepared("CREATE DATABASE leora_restart")
        .await
        .unwrap();
    let url = leora_local_pg::with_database(&server, "leora_restart");
    let owner = sea_orm::Database::connect(&url).await.unwrap();
    Migrator::up(&owner, None).await.unwrap();
    let app = app_on(None, owner, &url, &[], Some(Duration::from_secs(2))).await;
    let admin = app.token("admin@acme.test").await;
    let id = json!({ "id": app.customer.to_string() });
    let before = app.graphql(Some(&admin), CUSTOMER, id.clone()).await;
    assert_eq!(
        before.data("customer")["name"],
        "Harborview Cellars",
        "{}",
        before.body
    );

    // A rename in flight, held on the customer's row by another session when PostgreSQL stops.
    let lock = lock_customer(&app).await;
    let rename = {
        let (app, admin, id) = (&app, admin.clone(), id.clone());
        async move { app.graphql(Some(&admin), RENAME, id).await }
    };
    let stop = async {
        wait_until_a_request_waits_for_a_lock(&app).await;
        leora_local_pg::stop(&cluster.dir).await.unwrap();
    };
    let (interrupted, ()) = tokio::join!(rename, stop);
    drop(lock);
    assert_eq!(
        interrupted.code(),
        "DATABASE_UNAVAILABLE",
        "{}",
        interrupted.body
    );

    // While it is down: refused before running, fast, with when to come back.
    let started = Instant::now();
    let refused = app.graphql(Some(&admin), CUSTOMER, id.clone()).await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.body
    );
    assert_eq!(refused.code(), "DATABASE_UNAVAILABLE");
    assert_eq!(
        refused.body["errors"][0]["extensions"]["retryAfterSeconds"],
        2
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered in {:?}",
        started.elapsed()
    );
    let sign_in = app.login("admin@acme.test", PASSWORD).await;
    assert_eq!(sign_in.code(), "DATABASE_UNAVAILABLE", "{}", sign_in.body);
    let ready = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);

    // Back: the same server serves again within seconds, and the rename left nothing.
    leora_local_pg::start_private(&cluster.dir).await.unwrap();
    let mut after = None;
    for _ in 0..60 {
        let reply = app.graphql(Some(&admin), CUSTOMER, id.clone()).await;
        if reply.body["errors"].is_null() {
            after = Some(reply);
            break;
        }
        assert_eq!(reply.code(), "DATABASE_UNAVAILABLE", "{}", reply.body);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let after = after.expect("the server serves again once PostgreSQL is back");
    assert_eq!(after.data("customer")["name"], "Harborview Cellars");
    let ready = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(ready.status, StatusCode::OK);
}
