//! Two server instances on one database, as behind a balancer: a session begun on one is served
//! by the other, refresh-token rotation and reuse detection hold across them, and their webhook
//! workers deliver each event exactly once between them.

use crate::support::*;
use leora_integrations::{UrlPolicy, Worker, WorkerConfig};
use leora_tenancy::TenantDb;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ME: &str = "{ me { user { email } } }";
const REFRESH: &str =
    "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";

fn text(reply: &Reply, field: &str, key: &str) -> String {
    reply.data(field)[key]
        .as_str()
        .unwrap_or_else(|| panic!("{}", reply.body))
        .to_owned()
}

#[tokio::test]
async fn a_session_begun_on_one_instance_is_served_rotated_and_revoked_on_the_other() {
    let a = app().await;
    let b = a.another_instance().await;
    let login = a.login("admin@acme.test", PASSWORD).await;
    let (access, first_refresh) = (
        text(&login, "login", "accessToken"),
        text(&login, "login", "refreshToken"),
    );
    assert_eq!(
        b.ask(&access, ME).await.data("me")["user"]["email"],
        "admin@acme.test"
    );
    let rotated = b
        .graphql(None, REFRESH, json!({ "t": first_refresh }))
        .await;
    let (second_access, second_refresh) = (
        text(&rotated, "refreshSession", "accessToken"),
        text(&rotated, "refreshSession", "refreshToken"),
    );
    assert_eq!(
        a.ask(&second_access, ME).await.data("me")["user"]["email"],
        "admin@acme.test"
    );
    // The first refresh token, replayed on the instance that issued it: the family is revoked on
    // both.
    let replayed = a
        .graphql(None, REFRESH, json!({ "t": first_refresh }))
        .await;
    assert_eq!(replayed.code(), "UNAUTHENTICATED");
    assert_eq!(b.ask(&second_access, ME).await.code(), "UNAUTHENTICATED");
    let refreshed = b
        .graphql(None, REFRESH, json!({ "t": second_refresh }))
        .await;
    assert_eq!(refreshed.code(), "UNAUTHENTICATED");
}

/// A webhook receiver on a free port: answers `200` to every POST and keeps each body.
async fn receiver() -> (u16, Arc<Mutex<Vec<Value>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&received);
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let kept = Arc::clone(&kept);
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut chunk = [0_u8; 8192];
                loop {
                    let read = stream.read(&mut chunk).await.unwrap_or(0);
                    request.extend_from_slice(&chunk[..read]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let length = head
                            .lines()
                            .find_map(|line| {
                                let (name, value) = line.split_once(':')?;
                                name.eq_ignore_ascii_case("content-length")
                                    .then(|| value.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if body.len() >= length {
                            kept.lock()
                                .unwrap()
                                .push(serde_json::from_str(body).unwrap());
                            break;
                        }
                    }
                    if read == 0 {
                        return;
                    }
                }
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn the_webhook_workers_of_two_instances_deliver_each_event_exactly_once() {
    let app = app().await;
    let (port, received) = receiver().await;
    let admin = app.token("admin@acme.test").await;
    let subscribed = app
        .graphql(
            Some(&admin),
            "mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret } }",
            json!({ "input": { "url": format!("http://127.0.0.1:{port}/hook"), "eventTypes": ["inventory.adjusted"] } }),
        )
        .await;
    assert!(subscribed.body["errors"].is_null(), "{}", subscribed.body);
    app.owner
        .execute_unprepared(
            "INSERT INTO webhook_events (tenant_id, event_type, payload)
             SELECT t.id, 'inventory.adjusted', jsonb_build_object('n', i)
               FROM tenants t, generate_series(1, 12) AS i",
        )
        .await
        .unwrap();
    let config = config(&[]);
    let worker = || async {
        let pool = sea_orm::Database::connect(&app.url).await.unwrap();
        let db = TenantDb::new(pool, config.app_role.clone());
        let mut settings = WorkerConfig::new(
            Arc::clone(&config.integrations.secrets),
            UrlPolicy::for_environment(false),
        );
        // Fewer than the events, so that both workers take part in several rounds.
        settings.concurrency = 3;
        Worker::new(db, settings).unwrap()
    };
    let (first, second) = (worker().await, worker().await);
    for _ in 0..20 {
        let (a, b) = tokio::join!(first.run_once(), second.run_once());
        if a.unwrap() + b.unwrap() == 0
            && app
                .scalar("SELECT count(*) FROM webhook_events WHERE dispatched_at IS NULL")
                .await
                == 0
        {
            break;
        }
    }
    let mut per_event: BTreeMap<String, usize> = BTreeMap::new();
    for body in received.lock().unwrap().iter() {
        *per_event
            .entry(body["id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(per_event.len(), 12, "every event delivered: {per_event:?}");
    assert!(per_event.values().all(|n| *n == 1), "{per_event:?}");
    assert_eq!(
        app.scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'")
            .await,
        12
    );
}
