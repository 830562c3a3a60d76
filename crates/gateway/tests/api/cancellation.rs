//! Clients that hang up mid-request, through real sockets: with a pool of one connection, every
//! request reuses the connection the abandoned ones held, so one left inside a transaction would
//! be seen at once.

use crate::support::app_with;
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_abandoned_by_their_clients_leave_no_transaction_open() {
    let app = app_with(&[("DATABASE_POOL_MAX", "1")]).await;
    let token = app.token("admin@acme.test").await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let service = app
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, service).await });

    // A write, then reads, in one request; the client closes its socket at a different moment
    // each time, from before the server has read the request to after it has answered.
    let payload = json!([
        { "query": "mutation { createSupplier(input: {name: \"Abandoned\"}) { id } }" },
        { "query": "{ me { kind } products(first: 50) { edges { node { id name } } } }" },
    ])
    .to_string();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n{payload}",
        payload.len()
    );
    for attempt in 0..60u64 {
        let mut socket = TcpStream::connect(address).await.unwrap();
        socket.write_all(request.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_micros(attempt * 150)).await;
        drop(socket);
    }

    // The next request waits for the one connection, so it runs after every abandoned one let go.
    let reply = app.ask(&token, "{ me { user { email } } }").await;
    assert_eq!(
        reply.data("me")["user"]["email"],
        "admin@acme.test",
        "{}",
        reply.body
    );
    let in_transaction = app
        .scalar(
            "SELECT count(*) FROM pg_stat_activity
              WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
        )
        .await;
    assert_eq!(
        in_transaction, 0,
        "a connection was left inside a transaction"
    );
    server.abort();
}
