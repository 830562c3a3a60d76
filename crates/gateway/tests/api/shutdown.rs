//! `SIGTERM` drains the real `leora` binary: it stops accepting connections at once, finishes the
//! request in flight (here a rename waiting on a row lock) and commits it, then exits cleanly.

use crate::support::*;
use serde_json::{Value, json};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

/// One HTTP/1.1 exchange on a connection of its own: the status and the JSON body.
pub(crate) async fn post(
    port: u16,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let auth = token.map_or(String::new(), |token| {
        format!("Authorization: Bearer {token}\r\n")
    });
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Connection: close\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

async fn ready(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)).await else {
        return false;
    };
    let request = "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let mut response = Vec::new();
    stream.write_all(request.as_bytes()).await.is_ok()
        && stream.read_to_end(&mut response).await.is_ok()
        && response.starts_with(b"HTTP/1.1 200")
}

/// The `leora` binary serving `app`'s database on a free port, killed if the test ends first.
async fn serve(app: &TestApp) -> (Child, u16) {
    serve_with(app, &[]).await
}

/// [`serve`], with `extra` added to its environment.
pub(crate) async fn serve_with(app: &TestApp, extra: &[(&str, &str)]) -> (Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::env::temp_dir().join(format!("leora-shutdown-{port}.log"));
    let mut server = Command::new(env!("CARGO_BIN_EXE_leora"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LEORA_ENV", "development")
        .env("DATABASE_URL", &app.url)
        .env("DIRECT_URL", &app.url)
        .env("LEORA_LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("JWT_SECRET", SECRET)
        .env("RUST_LOG", "info,sqlx=warn")
        .envs(extra.iter().copied())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    for _ in 0..240 {
        if ready(port).await {
            return (server, port);
        }
        if let Ok(Some(status)) = server.try_wait() {
            panic!("leora exited with {status}: see {}", log.display());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("leora never became ready: see {}", log.display());
}

/// The test admin's access token, from the server on `port`.
pub(crate) async fn sign_in(port: u16) -> String {
    let (_, signed_in) = post(
        port,
        None,
        "mutation($input: LoginInput!) { login(input: $input) { accessToken } }",
        json!({ "input": { "tenantSlug": "acme", "email": "admin@acme.test", "password": PASSWORD } }),
    )
    .await;
    signed_in["data"]["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{signed_in}"))
        .to_owned()
}

#[tokio::test]
async fn sigterm_stops_accepting_finishes_the_request_in_flight_and_exits_cleanly() {
    let app = app().await;
    let (mut server, port) = serve(&app).await;
    let token = sign_in(port).await;

    let lock = lock_customer(&app).await;
    let rename = tokio::spawn({
        let token = token.clone();
        let id = json!({ "id": app.customer.to_string() });
        async move { post(port, Some(&token), RENAME, id).await }
    });
    wait_until_a_request_waits_for_a_lock(&app).await;
    let pid = server.id().unwrap().to_string();
    let signalled = Command::new("kill").args(["-TERM", &pid]).status().await;
    assert!(signalled.unwrap().success());

    // It stops accepting at once, while the rename still waits.
    let mut refused = false;
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(refused, "new connections are still accepted after SIGTERM");
    assert!(
        server.try_wait().unwrap().is_none(),
        "it waits for the request in flight"
    );

    // The lock goes; the rename finishes, is answered and kept; then the process exits cleanly.
    drop(lock);
    let (status, body) = rename.await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["updateCustomer"]["name"], "Renamed", "{body}");
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT name FROM customers WHERE id = '{}'",
            app.customer
        ))
        .await,
        "Renamed"
    );
    let exited = tokio::time::timeout(Duration::from_secs(30), server.wait())
        .await
        .expect("leora exits once drained")
        .unwrap();
    assert!(exited.success(), "{exited}");
}

/// A webhook receiver on a free port that takes one delivery and answers `200` only when told.
struct Receiver {
    port: u16,
    received: tokio::sync::oneshot::Receiver<()>,
    answer: tokio::sync::oneshot::Sender<()>,
}

async fn receiver() -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (got, received) = tokio::sync::oneshot::channel();
    let (answer, answered) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 64 * 1024];
        let _ = stream.read(&mut request).await.unwrap();
        let _ = got.send(());
        let _ = answered.await;
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
    });
    Receiver {
        port,
        received,
        answer,
    }
}

#[tokio::test]
async fn sigterm_lets_the_webhook_worker_finish_the_delivery_it_has_started() {
    let app = app().await;
    let receiver = receiver().await;
    let (mut server, port) = serve(&app).await;
    let token = sign_in(port).await;
    let (_, subscribed) = post(
        port,
        Some(&token),
        "mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { secret } }",
        json!({ "input": {
            "url": format!("http://127.0.0.1:{}/hook", receiver.port),
            "eventTypes": ["inventory.adjusted"],
        } }),
    )
    .await;
    assert!(subscribed["errors"].is_null(), "{subscribed}");
    app.scalar(
        "WITH e AS (INSERT INTO webhook_events (tenant_id, event_type, payload)
                    SELECT id, 'inventory.adjusted', '{}' FROM tenants RETURNING 1)
         SELECT count(*) FROM e",
    )
    .await;

    // The worker has the delivery on the wire when the server is told to stop.
    tokio::time::timeout(Duration::from_secs(30), receiver.received)
        .await
        .expect("the worker sends the delivery")
        .unwrap();
    let pid = server.id().unwrap().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap()
            .success()
    );
    while TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Given the time to exit it would take if it did not wait for the worker.
    let _ = tokio::time::timeout(Duration::from_secs(2), server.wait()).await;
    let _ = receiver.answer.send(());

    let exited = tokio::time::timeout(Duration::from_secs(30), server.wait())
        .await
        .expect("leora exits once the attempt is recorded")
        .unwrap();
    assert!(exited.success(), "{exited}");
    assert_eq!(
        app.scalar_text("SELECT status || ' after ' || attempts FROM webhook_deliveries")
            .await,
        "succeeded after 1"
    );
}
