//! GraphQL subscriptions over WebSocket (graphql-transport-ws), end to end: the real router on a
//! TCP port, a WebSocket client, and changes made through other HTTP requests. Each subscriber
//! receives exactly what its own queries could show, from whichever instance wrote it.

use crate::orders::{CAB, order_input, seed_stock};
use crate::support::*;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for a message that should come.
const WAIT: Duration = Duration::from_secs(10);
/// How long a test waits to be sure a message does not come.
const QUIET: Duration = Duration::from_millis(700);

const ORDER_UPDATED: &str =
    "subscription($id: ID) { orderUpdated(orderId: $id) { id status total customer { name } } }";

/// Serves `router` on a free local port, as `leora` does.
async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    address
}

struct Client {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What a connection ended with: its close code and reason.
type Closed = (u16, String);

impl Client {
    /// Opens a connection and sends `connection_init` with `payload`.
    async fn open(address: SocketAddr, payload: Value) -> Self {
        let mut request = format!("ws://{address}/graphql")
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            "graphql-transport-ws"
        );
        let mut client = Self { socket };
        client
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        client
    }

    /// A connection acknowledged for the bearer of `token`.
    async fn signed_in(address: SocketAddr, token: &str) -> Self {
        let mut client = Self::open(
            address,
            json!({ "authorization": format!("Bearer {token}") }),
        )
        .await;
        let ack = client.next().await.expect("connection_ack");
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .unwrap();
    }

    async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next protocol message other than the server's keep-alive pings, or the close.
    async fn receive(&mut self, wait: Duration) -> Option<Result<Value, Closed>> {
        loop {
            let message = tokio::time::timeout(wait, self.socket.next()).await.ok()?;
            return match message {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(text.as_str()).unwrap();
                    if value["type"] == "ping" {
                        continue;
                    }
                    Some(Ok(value))
                }
                Some(Ok(Message::Close(frame))) => Some(Err(frame
                    .map_or((1005, String::new()), |f| {
                        (u16::from(f.code), f.reason.as_str().to_owned())
                    }))),
                Some(Ok(_)) => continue,
                Some(Err(error)) => panic!("the connection failed: {error}"),
                None => Some(Err((1006, String::new()))),
            };
        }
    }

    async fn next(&mut self) -> Option<Value> {
        match self.receive(WAIT).await? {
            Ok(value) => Some(value),
            Err(closed) => panic!("closed {closed:?} while a message was expected"),
        }
    }

    /// The `next` payload of subscription `id`.
    async fn data(&mut self, id: &str) -> Value {
        let message = self.next().await.expect("a message");
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        message["payload"]["data"].clone()
    }

    /// Asserts nothing more arrives for a while.
    async fn nothing_more(&mut self) {
        if let Some(message) = self.receive(QUIET).await {
            panic!("expected nothing more, got {message:?}");
        }
    }

    async fn closed(&mut self, wait: Duration) -> Closed {
        loop {
            match self.receive(wait).await {
                Some(Err(closed)) => return closed,
                Some(Ok(message)) if message["type"] == "next" => continue,
                other => panic!("expected the connection to close, got {other:?}"),
            }
        }
    }
}

/// A second customer, Downtown Wine, assigned to nobody: the admin sees it, the rep does not.
async fn second_customer(app: &TestApp) -> String {
    app.owner
        .execute_unprepared(
            "INSERT INTO customers (tenant_id, account_number, name, state, license_number, license_state, license_expires_on)
             SELECT tenant_id, 'C-2', 'Downtown Wine', 'CA', 'CA-C-2', 'CA', current_date + 365 FROM customers",
        )
        .await
        .unwrap();
    app.scalar_text("SELECT id::text FROM customers WHERE account_number = 'C-2'")
        .await
}

const CREATE: &str =
    "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }";

async fn create_order(app: &TestApp, token: &str, input: Value) -> String {
    let reply = app.graphql(Some(token), CREATE, input).await;
    reply.data("createOrder")["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", reply.body))
        .to_owned()
}

/// The second tenant with a SKU of its own in stock; returns its admin's token and an order
/// input for its customer.
async fn beta_with_stock(app: &TestApp) -> (String, Value) {
    let token = app.token_in_second_tenant().await;
    app.owner
        .execute_unprepared(
            "INSERT INTO products (id, tenant_id, name, category)
               SELECT '01936b2e-0000-7000-8000-0000000000b1', id, 'Beta Red', 'wine' FROM tenants WHERE slug = 'beta';
             INSERT INTO skus (id, tenant_id, product_id, code, size_ml, base_price)
               SELECT '01936b2e-0000-7000-8000-0000000000b2', tenant_id, id, 'BETA-750', 750, 20.00 FROM products WHERE name = 'Beta Red';
             INSERT INTO inventory (tenant_id, sku_id, on_hand)
               SELECT tenant_id, id, 50 FROM skus WHERE code = 'BETA-750';
             INSERT INTO state_tax_rates (tenant_id, state, product_category, rate_kind, rate, effective_from)
               SELECT id, 'CA', 'wine', 'per_gallon', 0.20, '2020-01-01' FROM tenants WHERE slug = 'beta';",
        )
        .await
        .unwrap();
    let customer = app
        .scalar_text("SELECT c.id::text FROM customers c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'beta'")
        .await;
    let input = json!({ "input": { "customerId": customer, "submit": false,
        "lines": [{ "skuId": "01936b2e-0000-7000-8000-0000000000b2", "quantity": 1 }] } });
    (token, input)
}

#[tokio::test]
async fn a_portal_user_and_a_rep_receive_exactly_the_order_updates_they_may_see() {
    let app = app().await;
    seed_stock(&app).await;
    let downtown = second_customer(&app).await;
    let (beta_admin, beta_order) = beta_with_stock(&app).await;
    let admin = app.token("admin@acme.test").await;
    let address = serve(app.router()).await;

    let mut buyer = Client::signed_in(address, &app.portal_token().await).await;
    let mut rep = Client::signed_in(address, &app.token("rep@acme.test").await).await;
    let mut everyone = Client::signed_in(address, &admin).await;
    for client in [&mut buyer, &mut rep, &mut everyone] {
        client.subscribe("orders", ORDER_UPDATED, json!({})).await;
    }
    // The server starts a subscription when it reads the message; a query on the same
    // connection's heels would not wait for it, so give the three a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let lines = json!([{ "skuId": CAB, "quantity": 2 }]);
    // Another customer's order, and another tenant's: neither the buyer nor the rep may see them.
    let mut elsewhere = order_input(&app, lines.clone(), false);
    elsewhere["input"]["customerId"] = json!(downtown);
    let downtown_order = create_order(&app, &admin, elsewhere).await;
    create_order(&app, &beta_admin, beta_order).await;
    // Harborview's order, placed as a draft, then submitted.
    let order = create_order(&app, &admin, order_input(&app, lines, false)).await;
    let submitted = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { submitOrder(id: $id) { status } }",
            json!({ "id": order }),
        )
        .await;
    assert_eq!(
        submitted.data("submitOrder")["status"],
        "SUBMITTED",
        "{}",
        submitted.body
    );

    for client in [&mut buyer, &mut rep] {
        let placed = client.data("orders").await;
        assert_eq!(placed["orderUpdated"]["id"], order.as_str(), "{placed}");
        assert_eq!(placed["orderUpdated"]["status"], "DRAFT");
        assert_eq!(
            placed["orderUpdated"]["customer"]["name"],
            "Harborview Cellars"
        );
        let changed = client.data("orders").await;
        assert_eq!(changed["orderUpdated"]["id"], order.as_str());
        assert_eq!(changed["orderUpdated"]["status"], "SUBMITTED");
        assert_eq!(
            changed["orderUpdated"]["total"],
            placed["orderUpdated"]["total"]
        );
        client.nothing_more().await;
    }
    // The admin sees every account of its tenant, and still nothing of the other tenant.
    let seen = [
        everyone.data("orders").await,
        everyone.data("orders").await,
        everyone.data("orders").await,
    ];
    let ids: Vec<&str> = seen
        .iter()
        .map(|data| data["orderUpdated"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [downtown_order.as_str(), order.as_str(), order.as_str()]
    );
    everyone.nothing_more().await;
}

#[tokio::test]
async fn a_subscription_to_one_order_hears_of_that_order_only() {
    let app = app().await;
    seed_stock(&app).await;
    let admin = app.token("admin@acme.test").await;
    let lines = json!([{ "skuId": CAB, "quantity": 1 }]);
    let watched = create_order(&app, &admin, order_input(&app, lines.clone(), false)).await;
    let other = create_order(&app, &admin, order_input(&app, lines, false)).await;
    let address = serve(app.router()).await;
    let mut buyer = Client::signed_in(address, &app.portal_token().await).await;
    buyer
        .subscribe("one", ORDER_UPDATED, json!({ "id": watched }))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let submit = "mutation($id: ID!) { submitOrder(id: $id) { status } }";
    app.graphql(Some(&admin), submit, json!({ "id": other }))
        .await;
    app.graphql(Some(&admin), submit, json!({ "id": watched }))
        .await;
    let data = buyer.data("one").await;
    assert_eq!(data["orderUpdated"]["id"], watched.as_str());
    assert_eq!(data["orderUpdated"]["status"], "SUBMITTED");
    buyer.nothing_more().await;
}

#[tokio::test]
async fn an_event_written_through_one_instance_reaches_a_subscriber_on_another() {
    let app = app().await;
    seed_stock(&app).await;
    let admin = app.token("admin@acme.test").await;
    // Instance B serves the subscriber; the order is placed through instance A (`app`).
    let address = serve(app.instance(&[]).await).await;
    let mut buyer = Client::signed_in(address, &app.portal_token().await).await;
    buyer.subscribe("orders", ORDER_UPDATED, json!({})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lines = json!([{ "skuId": CAB, "quantity": 1 }]);
    let order = create_order(&app, &admin, order_input(&app, lines, false)).await;
    let data = buyer.data("orders").await;
    assert_eq!(data["orderUpdated"]["id"], order.as_str());
}

#[tokio::test]
async fn events_committed_while_the_listening_connection_is_down_still_arrive() {
    let app = app().await;
    seed_stock(&app).await;
    let admin = app.token("admin@acme.test").await;
    let address = serve(app.router()).await;
    let mut buyer = Client::signed_in(address, &app.portal_token().await).await;
    buyer.subscribe("orders", ORDER_UPDATED, json!({})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let dropped = app
        .scalar(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = current_database() AND query LIKE 'LISTEN%') AS t",
        )
        .await;
    assert_eq!(dropped, 1, "one listening connection per instance");
    // The hub listens again a second later; this order is committed before it does.
    let lines = json!([{ "skuId": CAB, "quantity": 1 }]);
    let order = create_order(&app, &admin, order_input(&app, lines, false)).await;
    let data = buyer.data("orders").await;
    assert_eq!(data["orderUpdated"]["id"], order.as_str());
    buyer.nothing_more().await;
}

#[tokio::test]
async fn logging_out_closes_the_sessions_subscriptions_within_seconds() {
    let app = app_with(&[("SUBSCRIPTION_SESSION_CHECK_MS", "200")]).await;
    let address = serve(app.router()).await;
    let token = app.portal_token().await;
    let mut buyer = Client::signed_in(address, &token).await;
    buyer.subscribe("orders", ORDER_UPDATED, json!({})).await;
    let mut rep = Client::signed_in(address, &app.token("rep@acme.test").await).await;
    rep.subscribe("orders", ORDER_UPDATED, json!({})).await;
    let reply = app.ask(&token, "mutation { logout }").await;
    assert_eq!(reply.data("logout"), true, "{}", reply.body);
    let started = std::time::Instant::now();
    let closed = buyer.closed(Duration::from_secs(5)).await;
    assert_eq!(closed, (4403, "Forbidden: SESSION_ENDED".to_owned()));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // Another principal's connection stays open.
    rep.nothing_more().await;
}

#[tokio::test]
async fn disabling_a_user_closes_their_connection() {
    let app = app_with(&[("SUBSCRIPTION_SESSION_CHECK_MS", "200")]).await;
    let address = serve(app.router()).await;
    let mut rep = Client::signed_in(address, &app.token("rep@acme.test").await).await;
    rep.subscribe("orders", ORDER_UPDATED, json!({})).await;
    let admin = app.token("admin@acme.test").await;
    let rep_id = app
        .scalar_text("SELECT id::text FROM users WHERE email = 'rep@acme.test'")
        .await;
    let reply = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { setUserStatus(userId: $id, status: DISABLED) { status } }",
            json!({ "id": rep_id }),
        )
        .await;
    assert_eq!(
        reply.data("setUserStatus")["status"],
        "DISABLED",
        "{}",
        reply.body
    );
    let (code, reason) = rep.closed(Duration::from_secs(5)).await;
    assert_eq!(code, 4403, "{reason}");
}

#[tokio::test]
async fn a_connection_without_a_usable_token_is_closed_as_graphql_ws_expects() {
    let app = app().await;
    let address = serve(app.router()).await;
    let mut anonymous = Client::open(address, json!({})).await;
    assert_eq!(anonymous.closed(WAIT).await.0, 4401);
    let mut forged = Client::open(address, json!({ "authorization": "Bearer not-a-token" })).await;
    assert_eq!(
        forged.closed(WAIT).await,
        (4403, "Forbidden: TOKEN_INVALID".to_owned())
    );
    // And a subscription before connection_init is refused too.
    let mut request = format!("ws://{address}/graphql")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut early = Client { socket };
    early.subscribe("x", ORDER_UPDATED, json!({})).await;
    assert_eq!(early.closed(WAIT).await.0, 4401);
}

/// The test buyer, subscribed (as `inbox`) to its notifications.
async fn buyer_inbox(app: &TestApp, address: SocketAddr) -> Client {
    let mut buyer = Client::signed_in(address, &app.portal_token().await).await;
    buyer
        .subscribe(
            "inbox",
            "subscription { notificationReceived { title } }",
            json!({}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    buyer
}

#[tokio::test]
async fn a_portal_user_hears_of_their_own_notifications_only() {
    let app = app().await;
    let address = serve(app.router()).await;
    let mut buyer = buyer_inbox(&app, address).await;
    app.owner
        .execute_unprepared(
            "INSERT INTO notifications (tenant_id, recipient_user_id, kind, title)
               SELECT tenant_id, id, 'task.due', 'for the rep' FROM users WHERE email = 'rep@acme.test';
             INSERT INTO notifications (tenant_id, recipient_portal_user_id, customer_id, kind, title)
               SELECT tenant_id, id, customer_id, 'order.status_changed', 'for the buyer' FROM portal_users;",
        )
        .await
        .unwrap();
    let data = buyer.data("inbox").await;
    assert_eq!(data["notificationReceived"]["title"], "for the buyer");
    buyer.nothing_more().await;
}

#[tokio::test]
async fn stock_changes_arrive_for_the_watched_skus_as_orders_reserve_them() {
    let app = app().await;
    seed_stock(&app).await;
    let address = serve(app.router()).await;
    let mut buyer = Client::signed_in(address, &app.portal_token().await).await;
    buyer
        .subscribe(
            "stock",
            "subscription($skus: [ID!]!) { stockChanged(skuIds: $skus) { id available } }",
            json!({ "skus": [CAB] }),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let admin = app.token("admin@acme.test").await;
    let lines = json!([{ "skuId": CAB, "quantity": 3 }]);
    create_order(&app, &admin, order_input(&app, lines, true)).await;
    let data = buyer.data("stock").await;
    assert_eq!(data["stockChanged"], json!([{ "id": CAB, "available": 7 }]));
    // Submitting records two events (placed, then submitted); the stock moved once.
    buyer.nothing_more().await;
}

#[tokio::test]
async fn a_connection_holds_at_most_its_share_of_subscriptions() {
    let app = app_with(&[("SUBSCRIPTIONS_MAX_PER_CONNECTION", "1")]).await;
    let address = serve(app.router()).await;
    let mut buyer = Client::signed_in(address, &app.portal_token().await).await;
    buyer.subscribe("a", ORDER_UPDATED, json!({})).await;
    buyer.subscribe("b", ORDER_UPDATED, json!({})).await;
    let refused = buyer.next().await.unwrap();
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "b");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "RATE_LIMITED");
    // The same id twice closes the connection, as the protocol says.
    buyer.subscribe("a", ORDER_UPDATED, json!({})).await;
    assert_eq!(buyer.closed(WAIT).await.0, 4409);
}

#[tokio::test]
async fn an_expired_access_token_closes_the_connection_so_the_client_refreshes() {
    let app = app_with(&[
        ("ACCESS_TOKEN_TTL_SECONDS", "2"),
        ("SUBSCRIPTION_SESSION_CHECK_MS", "200"),
    ])
    .await;
    let address = serve(app.router()).await;
    // GraphiQL sends its Headers editor as the payload, capitalised as an HTTP header.
    let mut buyer = Client::open(
        address,
        json!({ "Authorization": format!("Bearer {}", app.portal_token().await) }),
    )
    .await;
    assert_eq!(buyer.next().await.unwrap()["type"], "connection_ack");
    buyer.subscribe("orders", ORDER_UPDATED, json!({})).await;
    assert_eq!(
        buyer.closed(Duration::from_secs(6)).await,
        (4403, "Forbidden: TOKEN_EXPIRED".to_owned())
    );
}

#[tokio::test]
async fn suspending_the_tenant_closes_its_connections() {
    let app = app_with(&[("SUBSCRIPTION_SESSION_CHECK_MS", "200")]).await;
    let address = serve(app.router()).await;
    let mut buyer = Client::signed_in(address, &app.portal_token().await).await;
    buyer.subscribe("orders", ORDER_UPDATED, json!({})).await;
    buyer.nothing_more().await;
    app.owner
        .execute_unprepared("UPDATE tenants SET status = 'suspended' WHERE slug = 'acme'")
        .await
        .unwrap();
    assert_eq!(
        buyer.closed(Duration::from_secs(5)).await,
        (4403, "Forbidden: SESSION_ENDED".to_owned())
    );
}

#[tokio::test]
async fn a_subscription_that_falls_behind_the_servers_buffer_is_ended_with_a_reason() {
    let app = app_with(&[("SUBSCRIPTION_EVENT_BUFFER", "2")]).await;
    let address = serve(app.router()).await;
    let mut buyer = buyer_inbox(&app, address).await;
    // Fifty notifications committed at once: announced together, faster than one subscription
    // reads them one transaction at a time.
    app.owner
        .execute_unprepared(
            "INSERT INTO notifications (tenant_id, recipient_portal_user_id, customer_id, kind, title)
               SELECT tenant_id, id, customer_id, 'order.status_changed', 'n' || n
                 FROM portal_users, generate_series(1, 50) AS n",
        )
        .await
        .unwrap();
    let mut received = 0;
    loop {
        let message = buyer.next().await.expect("a message");
        assert_eq!(message["type"], "next", "{message}");
        if let Some(errors) = message["payload"]["errors"].as_array() {
            assert_eq!(errors[0]["extensions"]["code"], "RATE_LIMITED", "{message}");
            assert!(
                errors[0]["message"].as_str().unwrap().contains("behind"),
                "{message}"
            );
            break;
        }
        received += 1;
    }
    assert!(
        received < 50,
        "the buffer holds 2, so not all of them arrived"
    );
    let complete = buyer.next().await.unwrap();
    assert_eq!(complete, json!({ "type": "complete", "id": "inbox" }));
}

#[tokio::test]
async fn integration_managers_follow_webhook_deliveries_and_nobody_else_may() {
    let app = app().await;
    let address = serve(app.router()).await;
    let admin = app.token("admin@acme.test").await;
    let mut manager = Client::signed_in(address, &admin).await;
    let deliveries = "subscription { webhookDeliveryUpdated { id status attempts } }";
    manager.subscribe("deliveries", deliveries, json!({})).await;
    let mut rep = Client::signed_in(address, &app.token("rep@acme.test").await).await;
    rep.subscribe("deliveries", deliveries, json!({})).await;
    let refused = rep.next().await.unwrap();
    assert_eq!(refused["type"], "next", "{refused}");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
    assert_eq!(rep.next().await.unwrap()["type"], "complete");

    let created = app
        .graphql(
            Some(&admin),
            "mutation { createWebhookSubscription(input: { url: \"http://127.0.0.1:9/hook\", eventTypes: [\"order.placed\"] }) { subscription { id } } }",
            json!({}),
        )
        .await;
    let subscription = created.data("createWebhookSubscription")["subscription"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", created.body))
        .to_owned();
    let queued = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { sendTestWebhook(subscriptionId: $id) { id } }",
            json!({ "id": subscription }),
        )
        .await;
    let delivery = queued.data("sendTestWebhook")["id"].clone();
    assert!(delivery.is_string(), "{}", queued.body);
    let data = manager.data("deliveries").await;
    assert_eq!(data["webhookDeliveryUpdated"]["id"], delivery);
    assert_eq!(data["webhookDeliveryUpdated"]["status"], "PENDING");
    // An attempt changes the delivery: it is announced again.
    app.owner
        .execute_unprepared(
            "UPDATE webhook_deliveries SET status = 'failed', attempts = 1, last_status_code = 500",
        )
        .await
        .unwrap();
    let data = manager.data("deliveries").await;
    assert_eq!(data["webhookDeliveryUpdated"]["status"], "FAILED");
    assert_eq!(data["webhookDeliveryUpdated"]["attempts"], 1);
    manager.nothing_more().await;
}

#[tokio::test]
async fn a_subscription_sent_over_http_is_told_where_subscriptions_are_served() {
    let app = app().await;
    let token = app.portal_token().await;
    let reply = app.ask(&token, ORDER_UPDATED).await;
    assert_eq!(
        reply.status,
        axum::http::StatusCode::BAD_REQUEST,
        "{}",
        reply.body
    );
    assert_eq!(reply.code(), "BAD_USER_INPUT");
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("WebSocket"), "{message}");
}

#[tokio::test]
async fn a_message_larger_than_a_request_may_be_ends_the_connection_not_the_servers_memory() {
    let app = app().await;
    let address = serve(app.instance(&[("GRAPHQL_MAX_BODY_BYTES", "4096")]).await).await;
    let token = app.portal_token().await;
    let mut client = Client::signed_in(address, &token).await;
    let padding = "x".repeat(64 * 1024);
    client
        .send(json!({ "id": "big", "type": "subscribe", "payload": { "query": format!("# {padding}\n{ORDER_UPDATED}") } }))
        .await;
    let ended = tokio::time::timeout(WAIT, async {
        loop {
            match client.socket.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    })
    .await
    .expect("the connection ends");
    assert!(matches!(ended, None | Some(1000 | 1009)), "{ended:?}");
    // The server goes on serving.
    let mut next = Client::signed_in(address, &token).await;
    next.subscribe("ok", ORDER_UPDATED, json!({})).await;
    next.nothing_more().await;
}
