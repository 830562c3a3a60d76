//! Webhooks and integration tokens on a real PostgreSQL, with real HTTP receivers on 127.0.0.1.
//! Services and workers run through tenant transactions as the application role; fixtures are
//! written and results read back as the owner, bypassing both.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use leora_test_db::sql::stmt;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::{EmptySubscription, Request, Schema, Variables};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use leora_integrations::events::{self, EventType};
use leora_integrations::graphql::{IntegrationsMutation, IntegrationsQuery};
use leora_integrations::service::subscriptions::{
    self, NewSubscription, SubscriptionChanges, WithSecret,
};
use leora_integrations::service::{deliveries, tokens};
use leora_integrations::signature;
use leora_integrations::{
    IntegrationsError, IntegrationsSettings, KeyCheckError, KeyError, RetryPolicy, SecretBox,
    UrlPolicy, Worker, WorkerConfig, run_worker, verify_encryption_keys,
};
use leora_tenancy::graphql::permission::PermissionSet;
use leora_tenancy::graphql::{RequestScope, Session};
use leora_tenancy::{ApiError, AppRole, ErrorCode, TenantContext, TenantDb, with_tenant};
use leora_test_db::TestDatabase;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

// ───────────────────────────── fixtures ─────────────────────────────

const KEY_ID: &str = "t1";

fn key_spec(id: &str, byte: u8) -> String {
    format!("{id}:{}", STANDARD.encode([byte; 32]))
}

fn keys() -> Arc<SecretBox> {
    Arc::new(SecretBox::parse(&key_spec(KEY_ID, 7)).unwrap())
}

struct World {
    _database: TestDatabase,
    owner: DatabaseConnection,
    db: TenantDb,
    secrets: Arc<SecretBox>,
    a: Uuid,
    b: Uuid,
}

async fn world() -> World {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let db = TenantDb::new(
        database.connect().await,
        AppRole::from_env().expect("APP_DB_ROLE is valid"),
    );
    let a = scalar_uuid(
        &owner,
        "INSERT INTO tenants (slug, name) VALUES ('alpha', 'Alpha') RETURNING id",
        [],
    )
    .await;
    let b = scalar_uuid(
        &owner,
        "INSERT INTO tenants (slug, name) VALUES ('beta', 'Beta') RETURNING id",
        [],
    )
    .await;
    World {
        _database: database,
        owner,
        db,
        secrets: keys(),
        a,
        b,
    }
}

async fn scalar_uuid(
    owner: &DatabaseConnection,
    sql: &str,
    values: impl IntoIterator<Item = sea_orm::Value>,
) -> Uuid {
    owner
        .query_one_raw(stmt(sql, values))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap()
}

/// A user of `tenant`, holding the system role `role` if any.
async fn add_user(
    owner: &DatabaseConnection,
    tenant: Uuid,
    email: &str,
    role: Option<&str>,
) -> Uuid {
    let user = scalar_uuid(
        owner,
        "INSERT INTO users (tenant_id, email, password_hash, full_name) VALUES ($1, $2, 'x', $2) RETURNING id",
        [tenant.into(), email.into()],
    )
    .await;
    if let Some(role) = role {
        owner
            .execute_raw(stmt(
                "INSERT INTO user_roles (tenant_id, user_id, role_id)
                 SELECT $1, $2, id FROM roles WHERE tenant_id IS NULL AND name = $3",
                [tenant.into(), user.into(), role.into()],
            ))
            .await
            .unwrap();
    }
    user
}

impl World {
    async fn count(&self, sql: &str, values: impl IntoIterator<Item = sea_orm::Value>) -> i64 {
        self.owner
            .query_one_raw(stmt(sql, values))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index(0)
            .unwrap()
    }

    async fn text(&self, sql: &str, values: impl IntoIterator<Item = sea_orm::Value>) -> String {
        self.owner
            .query_one_raw(stmt(sql, values))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index(0)
            .unwrap()
    }

    async fn run<T>(
        &self,
        tenant: Uuid,
        work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, IntegrationsError>,
    ) -> Result<T, IntegrationsError> {
        with_tenant(&self.db, &TenantContext::system(tenant), work).await
    }

    async fn subscribe(&self, tenant: Uuid, url: &str, types: &[EventType]) -> WithSecret {
        let input = NewSubscription {
            url: url.to_owned(),
            description: Some("test receiver".into()),
            event_types: types.iter().map(|t| t.name().to_owned()).collect(),
        };
        let secrets = Arc::clone(&self.secrets);
        self.run(tenant, async |tx| {
            subscriptions::create_subscription(tx, tenant, &secrets, UrlPolicy::DEVELOPMENT, input)
                .await
        })
        .await
        .unwrap()
    }

    /// Records `count` events of one type in one committed transaction; returns their ids.
    async fn record(&self, tenant: Uuid, event: EventType, count: usize) -> Vec<Uuid> {
        self.run(tenant, async |tx| {
            let mut ids = Vec::with_capacity(count);
            for n in 0..count {
                ids.push(
                    events::record(
                        tx,
                        tenant,
                        event,
                        json!({ "n": n, "orderId": format!("o-{n}") }),
                    )
                    .await?,
                );
            }
            Ok(ids)
        })
        .await
        .unwrap()
    }

    async fn deliveries_with_status(&self, status: &str) -> i64 {
        self.count(
            "SELECT count(*) FROM webhook_deliveries WHERE status = $1",
            [status.into()],
        )
        .await
    }

    /// Polls (as the owner) until `sql` counts `expected`, or fails after ten seconds.
    async fn wait_for_count(&self, sql: &str, expected: i64) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = self.count(sql, []).await;
            if now == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for `{sql}` to reach {expected} (it is {now})"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn config(&self) -> WorkerConfig {
        let mut config = WorkerConfig::new(Arc::clone(&self.secrets), UrlPolicy::DEVELOPMENT);
        config.retry = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_secs(1),
            jitter: 0.2,
        };
        config.request_timeout = Duration::from_secs(2);
        config.lease = Duration::from_secs(3);
        config.poll_interval = Duration::from_millis(20);
        config
    }

    fn spawn_worker(&self, config: WorkerConfig) -> RunningWorker {
        let (stop, stopped) = oneshot::channel::<()>();
        let db = self.db.clone();
        let handle = tokio::spawn(async move {
            run_worker(db, config, async move {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        RunningWorker { stop, handle }
    }
}

struct RunningWorker {
    stop: oneshot::Sender<()>,
    handle: JoinHandle<()>,
}

impl RunningWorker {
    /// Asks the worker to stop and waits until it has (attempts in flight finish first).
    async fn stop(self) {
        let _ = self.stop.send(());
        self.handle.await.unwrap();
    }

    /// Kills the worker mid-flight, as a crash would: nothing is recorded for its attempts.
    async fn kill(self) {
        self.handle.abort();
        assert!(self.handle.await.unwrap_err().is_cancelled());
    }
}

// ───────────────────────────── receiver ─────────────────────────────

#[derive(Clone)]
struct Hit {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
}

impl Hit {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }

    fn event_id(&self) -> Uuid {
        self.header(signature::EVENT_ID_HEADER).parse().unwrap()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

#[derive(Default)]
struct Behaviour {
    /// Answer 500 to the first this many requests.
    fail_first: usize,
    always_fail: bool,
    delay: Duration,
}

struct ReceiverState {
    behaviour: Behaviour,
    hits: Mutex<Vec<Hit>>,
}

/// An HTTP endpoint on 127.0.0.1 that records every request.
struct Receiver {
    url: String,
    state: Arc<ReceiverState>,
}

impl Receiver {
    async fn start(behaviour: Behaviour) -> Self {
        let state = Arc::new(ReceiverState {
            behaviour,
            hits: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, state }
    }

    fn hits(&self) -> Vec<Hit> {
        self.state.hits.lock().unwrap().clone()
    }

    async fn wait_for_hits(&self, at_least: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.hits().len() < at_least {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {at_least} requests"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn receive(
    State(state): State<Arc<ReceiverState>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let seen = {
        let mut hits = state.hits.lock().unwrap();
        hits.push(Hit {
            at: Instant::now(),
            headers,
            body,
        });
        hits.len()
    };
    if !state.behaviour.delay.is_zero() {
        tokio::time::sleep(state.behaviour.delay).await;
    }
    if state.behaviour.always_fail || seen <= state.behaviour.fail_first {
        (StatusCode::INTERNAL_SERVER_ERROR, "receiver is down")
    } else {
        (StatusCode::OK, "ok")
    }
}

/// HMAC-SHA256 of "{timestamp}.{body}", computed here rather than by the crate under test.
fn expected_signature(secret: &str, hit: &Hit) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(hit.header(signature::TIMESTAMP_HEADER).as_bytes());
    mac.update(b".");
    mac.update(&hit.body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("v1={hex}")
}

// ───────────────────────────── delivery ─────────────────────────────

#[tokio::test]
async fn deliveries_are_signed_with_the_subscription_secret_and_only_matching_events_go_out() {
    let w = world().await;
    let receiver = Receiver::start(Behaviour::default()).await;
    let sub = w
        .subscribe(w.a, &receiver.url, &[EventType::OrderPlaced])
        .await;
    let placed = w.record(w.a, EventType::OrderPlaced, 1).await[0];
    w.record(w.a, EventType::InventoryLow, 1).await;

    let worker = w.spawn_worker(w.config());
    w.wait_for_count(
        "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'",
        1,
    )
    .await;
    w.wait_for_count(
        "SELECT count(*) FROM webhook_events WHERE dispatched_at IS NULL",
        0,
    )
    .await;
    worker.stop().await;

    let hits = receiver.hits();
    assert_eq!(
        hits.len(),
        1,
        "the inventory.low event matches no subscription"
    );
    let hit = &hits[0];
    assert_eq!(hit.event_id(), placed);
    assert_eq!(hit.header(signature::EVENT_TYPE_HEADER), "order.placed");
    assert_eq!(hit.header(signature::ATTEMPT_HEADER), "1");
    assert_eq!(hit.header("content-type"), "application/json");
    let timestamp: i64 = hit.header(signature::TIMESTAMP_HEADER).parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 60);

    let sent = hit.header(signature::SIGNATURE_HEADER);
    assert_eq!(sent, expected_signature(&sub.secret, hit));
    assert!(signature::verify(&sub.secret, timestamp, &hit.body, sent));
    assert!(!signature::verify(
        "whsec_wrong",
        timestamp,
        &hit.body,
        sent
    ));
    assert!(!signature::verify(
        &sub.secret,
        timestamp + 1,
        &hit.body,
        sent
    ));

    let body = hit.json();
    assert_eq!(body["id"], json!(placed.to_string()));
    assert_eq!(body["type"], json!("order.placed"));
    assert_eq!(body["tenantId"], json!(w.a.to_string()));
    assert_eq!(body["data"]["orderId"], json!("o-0"));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM webhook_subscriptions WHERE last_success_at IS NOT NULL AND consecutive_failures = 0",
            []
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_receiver_failing_three_times_gets_the_event_on_the_fourth_attempt_after_backoff() {
    let w = world().await;
    let receiver = Receiver::start(Behaviour {
        fail_first: 3,
        ..Behaviour::default()
    })
    .await;
    w.subscribe(w.a, &receiver.url, &[EventType::InvoiceIssued])
        .await;
    let event = w.record(w.a, EventType::InvoiceIssued, 1).await[0];

    let mut config = w.config();
    config.retry.base_delay = Duration::from_millis(100);
    let retry = config.retry;
    let worker = w.spawn_worker(config);
    w.wait_for_count(
        "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'",
        1,
    )
    .await;
    worker.stop().await;

    let hits = receiver.hits();
    assert_eq!(hits.len(), 4);
    for (n, hit) in hits.iter().enumerate() {
        assert_eq!(
            hit.event_id(),
            event,
            "every attempt carries the same event id"
        );
        assert_eq!(hit.body, hits[0].body, "and the same body");
        assert_eq!(hit.header(signature::ATTEMPT_HEADER), (n + 1).to_string());
    }
    // Each wait is at least the jittered backoff's lower bound, and the waits grow.
    let gaps: Vec<Duration> = hits.windows(2).map(|w| w[1].at - w[0].at).collect();
    for (failures, gap) in (1..).zip(&gaps) {
        let floor = retry.nominal_delay(failures).mul_f64(1.0 - retry.jitter);
        assert!(*gap >= floor, "gap {failures} was {gap:?}, under {floor:?}");
    }
    assert!(gaps[2] > gaps[0], "{gaps:?}");

    let row = w
        .text(
            "SELECT status || ' ' || attempts || ' ' || last_status_code FROM webhook_deliveries",
            [],
        )
        .await;
    assert_eq!(row, "succeeded 4 200");
    assert_eq!(
        w.count(
            "SELECT count(*) FROM webhook_subscriptions WHERE consecutive_failures = 0",
            []
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_receiver_that_always_fails_ends_dead_and_its_subscription_disabled_with_admins_told() {
    let w = world().await;
    let admin_one = add_user(&w.owner, w.a, "one@alpha.test", Some("admin")).await;
    let admin_two = add_user(&w.owner, w.a, "two@alpha.test", Some("admin")).await;
    add_user(&w.owner, w.a, "rep@alpha.test", Some("sales_rep")).await;
    add_user(&w.owner, w.b, "admin@beta.test", Some("admin")).await;
    let receiver = Receiver::start(Behaviour {
        always_fail: true,
        ..Behaviour::default()
    })
    .await;
    let sub = w
        .subscribe(w.a, &receiver.url, &[EventType::PaymentRecorded])
        .await;
    w.record(w.a, EventType::PaymentRecorded, 1).await;

    let mut config = w.config();
    config.retry.max_attempts = 3;
    config.disable_after_failures = 3;
    let worker = w.spawn_worker(config);
    w.wait_for_count(
        "SELECT count(*) FROM webhook_deliveries WHERE status = 'dead'",
        1,
    )
    .await;
    w.wait_for_count(
        "SELECT count(*) FROM webhook_subscriptions WHERE status = 'disabled'",
        1,
    )
    .await;

    // A disabled subscription gets no new deliveries.
    w.record(w.a, EventType::PaymentRecorded, 1).await;
    w.wait_for_count(
        "SELECT count(*) FROM webhook_events WHERE dispatched_at IS NULL",
        0,
    )
    .await;
    worker.stop().await;

    assert_eq!(receiver.hits().len(), 3);
    assert_eq!(
        w.text(
            "SELECT attempts || ' ' || last_status_code || ' ' || last_error FROM webhook_deliveries",
            []
        )
        .await,
        "3 500 HTTP 500 Internal Server Error: receiver is down"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM webhook_subscriptions WHERE consecutive_failures = 3 AND disabled_at IS NOT NULL",
            []
        )
        .await,
        1
    );
    assert_eq!(
        w.count("SELECT count(*) FROM webhook_deliveries", []).await,
        1
    );

    let notified: HashSet<Uuid> = w
        .owner
        .query_all_raw(stmt(
            "SELECT recipient_user_id FROM notifications
             WHERE kind = 'webhook.subscription_disabled' AND priority = 'high'
               AND data->>'subscriptionId' = $1",
            [sub.subscription.id.to_string().into()],
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<Uuid>(0).unwrap())
        .collect();
    assert_eq!(notified, HashSet::from([admin_one, admin_two]));
    assert_eq!(w.count("SELECT count(*) FROM notifications", []).await, 2);

    // Resuming clears the streak and makes the subscription active again.
    let resumed = w
        .run(w.a, async |tx| {
            subscriptions::resume_subscription(tx, sub.subscription.id).await
        })
        .await
        .unwrap();
    assert_eq!(resumed.consecutive_failures, 0);
    assert_eq!(resumed.disabled_at, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_over_200_deliveries_send_each_exactly_once() {
    let w = world().await;
    let receiver = Receiver::start(Behaviour {
        delay: Duration::from_millis(2),
        ..Behaviour::default()
    })
    .await;
    w.subscribe(w.a, &receiver.url, &[EventType::OrderStatusChanged])
        .await;
    let recorded: HashSet<Uuid> = w
        .record(w.a, EventType::OrderStatusChanged, 200)
        .await
        .into_iter()
        .collect();

    let first = w.spawn_worker(w.config());
    let second = w.spawn_worker(w.config());
    w.wait_for_count(
        "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'",
        200,
    )
    .await;
    first.stop().await;
    second.stop().await;

    let hits = receiver.hits();
    let received: HashSet<Uuid> = hits.iter().map(Hit::event_id).collect();
    assert_eq!(hits.len(), 200, "no event was sent twice");
    assert_eq!(received, recorded);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM webhook_deliveries WHERE attempts = 1",
            []
        )
        .await,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_stopped_or_killed_mid_run_loses_nothing_once_another_runs() {
    let w = world().await;
    let receiver = Receiver::start(Behaviour {
        delay: Duration::from_millis(25),
        ..Behaviour::default()
    })
    .await;
    w.subscribe(w.a, &receiver.url, &[EventType::InvoicePaid])
        .await;
    let recorded: HashSet<Uuid> = w
        .record(w.a, EventType::InvoicePaid, 60)
        .await
        .into_iter()
        .collect();
    let mut config = w.config();
    config.concurrency = 4;
    config.request_timeout = Duration::from_millis(500);
    config.lease = Duration::from_secs(1);

    // A clean stop lets the attempts in flight finish and record their outcome.
    let worker = w.spawn_worker(config.clone());
    receiver.wait_for_hits(10).await;
    worker.stop().await;
    let after_stop = w.deliveries_with_status("succeeded").await;
    assert_eq!(after_stop as usize, receiver.hits().len());
    assert!(after_stop < 60, "the stop came mid-run");

    // A killed worker records nothing for its attempts in flight; their leases expire.
    let worker = w.spawn_worker(config.clone());
    receiver.wait_for_hits(after_stop as usize + 10).await;
    worker.kill().await;
    assert!(w.deliveries_with_status("succeeded").await < 60);

    let worker = w.spawn_worker(config);
    w.wait_for_count(
        "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'",
        60,
    )
    .await;
    worker.stop().await;

    let received: HashSet<Uuid> = receiver.hits().iter().map(Hit::event_id).collect();
    assert_eq!(received, recorded, "every event arrived at least once");
    assert!(
        w.count(
            "SELECT count(*) FROM webhook_deliveries WHERE attempts > 1",
            []
        )
        .await
            > 0,
        "the killed worker's claims were taken over once their lease ran out"
    );
}

#[tokio::test]
async fn a_rolled_back_change_leaves_no_event_and_no_delivery() {
    let w = world().await;
    let receiver = Receiver::start(Behaviour::default()).await;
    w.subscribe(w.a, &receiver.url, &[EventType::OrderPlaced])
        .await;
    let worker = Worker::new(w.db.clone(), w.config()).unwrap();

    let failed: Result<(), IntegrationsError> = w
        .run(w.a, async |tx| {
            events::record(tx, w.a, EventType::OrderPlaced, json!({ "orderId": "o-1" })).await?;
            Err(IntegrationsError::NotFound { entity: "customer" })
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(worker.run_once().await.unwrap(), 0);
    assert_eq!(w.count("SELECT count(*) FROM webhook_events", []).await, 0);
    assert_eq!(
        w.count("SELECT count(*) FROM webhook_deliveries", []).await,
        0
    );
    assert!(receiver.hits().is_empty());

    // The same change committed is delivered.
    w.record(w.a, EventType::OrderPlaced, 1).await;
    assert_eq!(worker.run_once().await.unwrap(), 1);
    assert_eq!(w.deliveries_with_status("succeeded").await, 1);
    assert_eq!(receiver.hits().len(), 1);
}

#[tokio::test]
async fn a_secret_that_does_not_decrypt_postpones_the_delivery_without_using_an_attempt() {
    let w = world().await;
    let receiver = Receiver::start(Behaviour::default()).await;
    w.subscribe(w.a, &receiver.url, &[EventType::OrderPlaced])
        .await;
    w.record(w.a, EventType::OrderPlaced, 1).await;
    let mut wrong_keys = w.config();
    wrong_keys.secrets = Arc::new(SecretBox::parse(&key_spec(KEY_ID, 8)).unwrap());
    wrong_keys.request_timeout = Duration::from_millis(100);
    wrong_keys.lease = Duration::from_millis(200);
    let misconfigured = Worker::new(w.db.clone(), wrong_keys).unwrap();
    for _ in 0..3 {
        assert_eq!(misconfigured.run_once().await.unwrap(), 0);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(receiver.hits().is_empty());
    let attempts = "SELECT count(*) FROM webhook_deliveries WHERE attempts = 0";
    assert_eq!(w.count(attempts, []).await, 1, "no attempt was used");

    let fixed = Worker::new(w.db.clone(), w.config()).unwrap();
    assert_eq!(fixed.run_once().await.unwrap(), 1);
    assert_eq!(w.deliveries_with_status("succeeded").await, 1);
    let first_attempt = "SELECT count(*) FROM webhook_deliveries WHERE attempts = 1";
    assert_eq!(w.count(first_attempt, []).await, 1);
}

#[tokio::test]
async fn oversized_payloads_are_capped_in_the_outbox() {
    let w = world().await;
    let lines: Vec<Value> = (0..20_000).map(|n| json!({ "line": n })).collect();
    w.run(w.a, async |tx| {
        events::record(
            tx,
            w.a,
            EventType::OrderPlaced,
            json!({ "orderId": "o-big", "lines": lines }),
        )
        .await?;
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(
        w.text("SELECT payload::text FROM webhook_events", []).await,
        r#"{"orderId": "o-big", "truncated": true}"#
    );
}

// ───────────────────────────── safety ─────────────────────────────

#[tokio::test]
async fn production_refuses_plain_http_and_internal_receivers() {
    let w = world().await;
    let create = async |url: &str| {
        let input = NewSubscription {
            url: url.to_owned(),
            description: None,
            event_types: vec!["order.placed".into()],
        };
        w.run(w.a, async |tx| {
            subscriptions::create_subscription(tx, w.a, &w.secrets, UrlPolicy::PRODUCTION, input)
                .await
        })
        .await
    };
    for (url, problem) in [
        ("http://hooks.example.com/x", "must use https"),
        ("https://127.0.0.1:9/x", "internal address 127.0.0.1"),
        ("https://[::1]/x", "internal address ::1"),
        ("https://192.168.1.20/x", "internal address"),
        (
            "https://169.254.169.254/latest/meta-data",
            "internal address",
        ),
        ("https://localhost/x", "local host name"),
    ] {
        let error = create(url).await.unwrap_err();
        assert_eq!(
            (error.code(), error.field()),
            (ErrorCode::BadUserInput, Some("url"))
        );
        assert!(error.to_string().contains(problem), "{url}: {error}");
    }
    assert_eq!(
        w.count("SELECT count(*) FROM webhook_subscriptions", [])
            .await,
        0
    );

    // A receiver saved under the development policy is still never reached by a production
    // worker: the attempt fails without a connection.
    let receiver = Receiver::start(Behaviour::default()).await;
    w.subscribe(w.a, &receiver.url, &[EventType::OrderPlaced])
        .await;
    w.record(w.a, EventType::OrderPlaced, 1).await;
    let mut config = w.config();
    config.url_policy = UrlPolicy::PRODUCTION;
    Worker::new(w.db.clone(), config)
        .unwrap()
        .run_once()
        .await
        .unwrap();
    assert!(receiver.hits().is_empty());
    assert_eq!(
        w.text(
            "SELECT status || ': ' || last_error FROM webhook_deliveries",
            []
        )
        .await,
        "failed: not sent: the URL must use https"
    );
}

// ───────────────────────────── secrets ─────────────────────────────

#[tokio::test]
async fn secrets_and_tokens_are_not_readable_in_plaintext_from_the_database() {
    let w = world().await;
    let sub = w
        .subscribe(w.a, "http://127.0.0.1:9/hook", &[EventType::OrderPlaced])
        .await;
    let token = "qb_live_4f9a8c7e6d5b4a3f2e1d0c9b";
    let store = async |token: &str| {
        let input = tokens::NewToken {
            provider: "quickbooks".into(),
            token: token.into(),
            scopes: vec!["accounting".into(), "payments".into()],
            expires_at: Some(chrono::Utc::now() + chrono::Duration::days(30)),
        };
        w.run(w.a, async |tx| {
            tokens::store_token(tx, w.a, &w.secrets, input).await
        })
        .await
        .unwrap()
    };
    let first = store(token).await;
    let second = store(token).await;
    assert_eq!(second.token_last4, "0c9b");
    assert_eq!(second.key_id, KEY_ID);
    assert_ne!(
        first.token_ciphertext, second.token_ciphertext,
        "a fresh nonce for every encryption"
    );

    for (table, plaintext) in [
        ("webhook_subscriptions", sub.secret.as_str()),
        ("integration_tokens", token),
    ] {
        // Every column as text (bytea as hex); the raw bytes are searched below.
        let found = w
            .count(
                &format!(
                    "SELECT count(*) FROM {table} t WHERE strpos(row_to_json(t)::text, $1) > 0"
                ),
                [plaintext.into()],
            )
            .await;
        assert_eq!(found, 0, "{table} holds the plaintext");
    }
    let found = w
        .count(
            "SELECT count(*) FROM webhook_subscriptions
             WHERE position(convert_to($1, 'UTF8') IN secret_ciphertext) > 0",
            [sub.secret.clone().into()],
        )
        .await
        + w.count(
            "SELECT count(*) FROM integration_tokens
             WHERE position(convert_to($1, 'UTF8') IN token_ciphertext) > 0",
            [token.into()],
        )
        .await;
    assert_eq!(found, 0);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM integration_tokens WHERE revoked_at IS NOT NULL",
            []
        )
        .await,
        1,
        "storing a provider's token again replaces the old one"
    );

    // The keys open them again.
    let opened = w
        .run(w.a, async |tx| {
            let found = subscriptions::find_subscription(tx, sub.subscription.id).await?;
            let secret = subscriptions::open_secret(&w.secrets, &found)?;
            let token = tokens::use_token(tx, &w.secrets, "quickbooks").await?;
            Ok((secret, token))
        })
        .await
        .unwrap();
    assert_eq!(opened, (sub.secret.clone(), Some(token.to_owned())));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM integration_tokens WHERE last_used_at IS NOT NULL",
            []
        )
        .await,
        1
    );

    // A ciphertext copied into another row does not open there.
    let other = w
        .subscribe(w.a, "http://127.0.0.1:9/other", &[EventType::OrderPlaced])
        .await;
    w.owner
        .execute_raw(stmt(
            "UPDATE webhook_subscriptions SET secret_ciphertext = (SELECT secret_ciphertext FROM webhook_subscriptions WHERE id = $1) WHERE id = $2",
            [sub.subscription.id.into(), other.subscription.id.into()],
        ))
        .await
        .unwrap();
    let moved = w
        .run(w.a, async |tx| {
            let found = subscriptions::find_subscription(tx, other.subscription.id).await?;
            Ok(subscriptions::open_secret(&w.secrets, &found))
        })
        .await
        .unwrap();
    assert!(moved.is_err());
}

#[tokio::test]
async fn a_wrong_or_missing_key_gives_one_clear_error() {
    let w = world().await;
    let missing = SecretBox::from_key_env("LEORA_INTEGRATIONS_TEST_KEYS_NEVER_SET").unwrap_err();
    assert!(matches!(missing, KeyError::Missing { .. }));
    assert!(
        missing
            .to_string()
            .starts_with("LEORA_INTEGRATIONS_TEST_KEYS_NEVER_SET is not set"),
        "{missing}"
    );
    let short = SecretBox::parse(&format!("k1:{}", STANDARD.encode([1_u8; 16]))).unwrap_err();
    assert_eq!(
        short.to_string(),
        "LEORA_ENCRYPTION_KEYS: entry 1 (id \"k1\") decodes to 16 bytes; AES-256 needs exactly 32 \
         (expected `id:base64key`, ids of letters, digits, `_` or `-`)"
    );

    // Nothing encrypted yet: any key passes.
    assert!(
        verify_encryption_keys(&w.db, &w.secrets)
            .await
            .unwrap()
            .is_empty()
    );

    w.subscribe(w.a, "http://127.0.0.1:9/hook", &[EventType::OrderPlaced])
        .await;
    let input = tokens::NewToken {
        provider: "vinosmith".into(),
        token: "vs_0123456789abcdef".into(),
        scopes: vec![],
        expires_at: None,
    };
    w.run(w.b, async |tx| {
        tokens::store_token(tx, w.b, &w.secrets, input).await
    })
    .await
    .unwrap();
    assert_eq!(
        verify_encryption_keys(&w.db, &w.secrets).await.unwrap(),
        [KEY_ID]
    );

    let check = async |spec: String| {
        let secrets = SecretBox::parse(&spec).unwrap();
        verify_encryption_keys(&w.db, &secrets).await
    };
    let wrong = check(key_spec(KEY_ID, 8)).await.unwrap_err();
    assert!(matches!(wrong, KeyCheckError::Key { .. }));
    assert!(
        wrong.to_string().starts_with("LEORA_ENCRYPTION_KEYS cannot decrypt the stored")
            && wrong.to_string().contains(
                "encrypted under key id \"t1\" does not decrypt: LEORA_ENCRYPTION_KEYS holds a different key under that id"
            ),
        "{wrong}"
    );
    let dropped = check(key_spec("t2", 8)).await.unwrap_err();
    assert!(
        dropped
            .to_string()
            .contains("encrypted under key id \"t1\", which LEORA_ENCRYPTION_KEYS does not list"),
        "{dropped}"
    );
    // Rotation: a new key first, the old one kept, passes.
    let rotated = format!("{},{}", key_spec("t2", 8), key_spec(KEY_ID, 7));
    assert_eq!(check(rotated).await.unwrap(), [KEY_ID]);
}

// ───────────────────────────── isolation ─────────────────────────────

#[tokio::test]
async fn another_tenants_subscriptions_and_deliveries_are_invisible() {
    let w = world().await;
    let receiver = Receiver::start(Behaviour::default()).await;
    let mine = w
        .subscribe(w.a, &receiver.url, &[EventType::OrderPlaced])
        .await;
    let theirs = w
        .subscribe(w.b, &receiver.url, &[EventType::OrderPlaced])
        .await;
    w.record(w.a, EventType::OrderPlaced, 2).await;
    w.record(w.b, EventType::OrderPlaced, 3).await;
    let worker = Worker::new(w.db.clone(), w.config()).unwrap();
    assert_eq!(worker.run_once().await.unwrap(), 5);
    let their_delivery = scalar_uuid(
        &w.owner,
        "SELECT id FROM webhook_deliveries WHERE tenant_id = $1 LIMIT 1",
        [w.b.into()],
    )
    .await;

    // Each tenant's deliveries were signed with its own secret.
    for hit in receiver.hits() {
        let tenant: Uuid = hit.json()["tenantId"].as_str().unwrap().parse().unwrap();
        let secret = if tenant == w.a {
            &mine.secret
        } else {
            &theirs.secret
        };
        assert_eq!(
            hit.header(signature::SIGNATURE_HEADER),
            expected_signature(secret, &hit)
        );
    }

    // Raw SQL, no filter: only tenant A's rows come back.
    let seen = w
        .run(w.a, async |tx| {
            let mut seen = Vec::new();
            for table in [
                "webhook_subscriptions",
                "webhook_events",
                "webhook_deliveries",
            ] {
                let rows = tx
                    .query_all_raw(Statement::from_string(
                        DbBackend::Postgres,
                        format!("SELECT tenant_id FROM {table}"),
                    ))
                    .await?;
                let tenants: Vec<Uuid> = rows
                    .iter()
                    .map(|row| row.try_get_by_index(0).unwrap())
                    .collect();
                seen.push((table, tenants));
            }
            Ok(seen)
        })
        .await
        .unwrap();
    for (table, tenants) in seen {
        let expected = if table == "webhook_subscriptions" {
            1
        } else {
            2
        };
        assert_eq!(tenants.len(), expected, "{table}");
        assert!(
            tenants.iter().all(|t| *t == w.a),
            "{table} leaked another tenant's row"
        );
    }

    // The services cannot reach B's rows by id either.
    let outcomes = w
        .run(w.a, async |tx| {
            Ok((
                subscriptions::find_subscription(tx, theirs.subscription.id)
                    .await
                    .map(drop),
                subscriptions::pause_subscription(tx, theirs.subscription.id)
                    .await
                    .map(drop),
                subscriptions::update_subscription(
                    tx,
                    UrlPolicy::DEVELOPMENT,
                    theirs.subscription.id,
                    SubscriptionChanges {
                        url: Some("http://127.0.0.1:1/stolen".into()),
                        ..Default::default()
                    },
                )
                .await
                .map(drop),
                deliveries::redeliver(tx, their_delivery).await.map(drop),
            ))
        })
        .await
        .unwrap();
    for outcome in [outcomes.0, outcomes.1, outcomes.2, outcomes.3] {
        let error = outcome.unwrap_err();
        assert_eq!(error.code(), ErrorCode::NotFound, "{error}");
    }
    assert_eq!(
        w.text(
            "SELECT url FROM webhook_subscriptions WHERE id = $1",
            [theirs.subscription.id.into()]
        )
        .await,
        receiver.url
    );
}

// ───────────────────────────── API ─────────────────────────────

type IntegrationsSchema = Schema<IntegrationsQuery, IntegrationsMutation, EmptySubscription>;

struct Api<'w> {
    world: &'w World,
    schema: IntegrationsSchema,
    settings: Arc<IntegrationsSettings>,
}

impl<'w> Api<'w> {
    fn new(world: &'w World) -> Self {
        Self {
            world,
            schema: Schema::new(IntegrationsQuery, IntegrationsMutation, EmptySubscription),
            settings: Arc::new(
                IntegrationsSettings::new(Arc::clone(&world.secrets), UrlPolicy::DEVELOPMENT)
                    .unwrap(),
            ),
        }
    }

    /// Runs one operation as a user of `tenant` holding `permissions`, in one transaction that
    /// commits when the operation reported no error, as the gateway does.
    async fn call(
        &self,
        tenant: Uuid,
        permissions: &[&str],
        query: &str,
        variables: Value,
    ) -> Value {
        let context = TenantContext::user(tenant, Uuid::now_v7());
        let tx = Arc::new(self.world.db.begin(&context).await.unwrap());
        let session = Session::new(
            context,
            Uuid::now_v7(),
            vec!["admin".into()],
            PermissionSet::from_keys(permissions.iter().copied()),
            Arc::clone(&tx),
        );
        let batching = session.batching();
        let request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(Arc::new(RequestScope::Authenticated(session)))
            .data(Arc::clone(&self.settings));
        let response = batching.run(self.schema.execute(request)).await;
        let ok = response.errors.is_empty();
        let tx = Arc::try_unwrap(tx).expect("the request holds no handle on its transaction");
        if ok {
            tx.commit().await.unwrap();
        } else {
            tx.rollback().await.unwrap();
        }
        serde_json::to_value(&response).unwrap()
    }

    async fn admin(&self, query: &str, variables: Value) -> Value {
        let reply = self
            .call(self.world.a, &["integrations.manage"], query, variables)
            .await;
        assert!(reply.get("errors").is_none(), "{reply}");
        reply["data"].clone()
    }
}

fn error_code(reply: &Value) -> (&str, Option<&str>) {
    let extensions = &reply["errors"][0]["extensions"];
    (
        extensions["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error in {reply}")),
        extensions["field"].as_str(),
    )
}

#[tokio::test]
async fn the_api_manages_subscriptions_and_shows_a_secret_only_once() {
    let w = world().await;
    let api = Api::new(&w);
    let receiver = Receiver::start(Behaviour::default()).await;

    let data = api.admin("{ webhookEventTypes }", json!({})).await;
    assert!(
        data["webhookEventTypes"]
            .as_array()
            .unwrap()
            .contains(&json!("order.placed"))
    );

    let create = "mutation($input: CreateWebhookSubscriptionInput!) {
        createWebhookSubscription(input: $input) { secret subscription { id url status eventTypes description } } }";
    let created = api
        .admin(
            create,
            json!({ "input": { "url": receiver.url, "eventTypes": ["order.placed", "invoice.paid"], "description": "ERP" } }),
        )
        .await;
    let created = &created["createWebhookSubscription"];
    let secret = created["secret"].as_str().unwrap().to_owned();
    let id = created["subscription"]["id"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(created["subscription"]["status"], json!("ACTIVE"));
    assert_eq!(
        created["subscription"]["eventTypes"],
        json!(["order.placed", "invoice.paid"])
    );

    // No field reads the secret back.
    let sdl = api.schema.sdl();
    let subscription_type = sdl
        .split("type WebhookSubscription {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .unwrap();
    assert!(
        !subscription_type.to_lowercase().contains("secret"),
        "{subscription_type}"
    );
    let listed = api
        .admin(
            "{ webhookSubscriptions { totalCount edges { node { id url } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["webhookSubscriptions"]["totalCount"], json!(1));
    assert!(!listed.to_string().contains(&secret));

    let bad = api
        .call(
            w.a,
            &["integrations.manage"],
            create,
            json!({ "input": { "url": receiver.url, "eventTypes": ["order.eaten"] } }),
        )
        .await;
    assert_eq!(error_code(&bad), ("BAD_USER_INPUT", Some("eventTypes")));

    // A test webhook arrives signed with the secret shown at creation.
    let test = "mutation($id: ID!) { sendTestWebhook(subscriptionId: $id) {
        succeeded statusCode error durationMs delivery { status attempts event { eventType } } } }";
    let tested = api.admin(test, json!({ "id": id })).await;
    let tested = &tested["sendTestWebhook"];
    assert_eq!(tested["succeeded"], json!(true), "{tested}");
    assert_eq!(tested["statusCode"], json!(200));
    assert_eq!(tested["delivery"]["status"], json!("SUCCEEDED"));
    assert_eq!(
        tested["delivery"]["event"]["eventType"],
        json!("webhook.test")
    );
    let hit = receiver.hits().pop().unwrap();
    assert_eq!(hit.header(signature::EVENT_TYPE_HEADER), "webhook.test");
    assert_eq!(
        hit.header(signature::SIGNATURE_HEADER),
        expected_signature(&secret, &hit)
    );

    // Rotation: the new secret signs from now on, the old one no longer does.
    let rotated = api
        .admin(
            "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }",
            json!({ "id": id }),
        )
        .await;
    let new_secret = rotated["rotateWebhookSecret"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_secret, secret);
    api.admin(test, json!({ "id": id })).await;
    let hit = receiver.hits().pop().unwrap();
    assert_eq!(
        hit.header(signature::SIGNATURE_HEADER),
        expected_signature(&new_secret, &hit)
    );
    assert_ne!(
        hit.header(signature::SIGNATURE_HEADER),
        expected_signature(&secret, &hit)
    );

    // Pause, resume, update.
    let status = "mutation($id: ID!) { pauseWebhookSubscription(id: $id) { status } }";
    assert_eq!(
        api.admin(status, json!({ "id": id })).await["pauseWebhookSubscription"]["status"],
        json!("PAUSED")
    );
    let resume = "mutation($id: ID!) { resumeWebhookSubscription(id: $id) { status } }";
    assert_eq!(
        api.admin(resume, json!({ "id": id })).await["resumeWebhookSubscription"]["status"],
        json!("ACTIVE")
    );
    let updated = api
        .admin(
            "mutation($id: ID!) { updateWebhookSubscription(id: $id, input: { eventTypes: [\"order.placed\"], description: null }) { eventTypes description } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        updated["updateWebhookSubscription"],
        json!({ "eventTypes": ["order.placed"], "description": null })
    );

    // Deliveries by status, with their event and subscription, and a redelivery.
    let deliveries = api
        .admin(
            "{ webhookDeliveries(filter: { status: SUCCEEDED }) { totalCount edges { node {
                 id attempts lastStatusCode nextAttemptAt subscription { url } event { eventType } } } } }",
            json!({}),
        )
        .await;
    let deliveries = &deliveries["webhookDeliveries"];
    assert_eq!(deliveries["totalCount"], json!(2));
    let first = &deliveries["edges"][0]["node"];
    assert_eq!(first["subscription"]["url"], json!(receiver.url));
    assert_eq!(first["nextAttemptAt"], Value::Null);
    let dead = api
        .admin(
            "{ webhookDeliveries(filter: { status: DEAD }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(dead["webhookDeliveries"]["totalCount"], json!(0));
    let redelivered = api
        .admin(
            "mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status attempts } }",
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(
        redelivered["redeliverWebhook"],
        json!({ "status": "PENDING", "attempts": 0 })
    );
    let events = api
        .admin(
            "{ webhookEvents { totalCount edges { node { eventType deliveries { status } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(events["webhookEvents"]["totalCount"], json!(2));

    // Another tenant's subscription is not there; without the permission nothing is.
    let theirs = w
        .subscribe(w.b, &receiver.url, &[EventType::OrderPlaced])
        .await;
    let reply = api
        .call(
            w.a,
            &["integrations.manage"],
            "query($id: ID!) { webhookSubscription(id: $id) { id } }",
            json!({ "id": theirs.subscription.id.to_string() }),
        )
        .await;
    assert_eq!(error_code(&reply).0, "NOT_FOUND");
    for query in [
        "{ webhookSubscriptions { totalCount } }",
        "{ integrationTokens { totalCount } }",
        "{ webhookDeliveries { totalCount } }",
    ] {
        let reply = api.call(w.a, &["orders.view"], query, json!({})).await;
        assert_eq!(error_code(&reply).0, "FORBIDDEN", "{query}");
    }

    let deleted = api
        .admin(
            "mutation($id: ID!) { deleteWebhookSubscription(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(deleted["deleteWebhookSubscription"], json!(true));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM webhook_subscriptions WHERE tenant_id = $1",
            [w.a.into()]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_api_shows_tokens_only_by_their_last_four_characters() {
    let w = world().await;
    let api = Api::new(&w);
    let token = "sk_live_51HxYzAbCdEf9876";
    let stored = api
        .admin(
            "mutation($input: StoreIntegrationTokenInput!) { storeIntegrationToken(input: $input) {
                 id provider scopes lastFour status expiresAt lastUsedAt } }",
            json!({ "input": { "provider": "Stripe", "token": token, "scopes": ["charges", "charges"], "expiresAt": "2999-01-01T00:00:00Z" } }),
        )
        .await;
    let stored = &stored["storeIntegrationToken"];
    assert!(!stored.to_string().contains(token));
    assert_eq!(stored["provider"], json!("stripe"));
    assert_eq!(stored["scopes"], json!(["charges"]));
    assert_eq!(stored["lastFour"], json!("9876"));
    assert_eq!(stored["status"], json!("ACTIVE"));
    assert_eq!(stored["lastUsedAt"], Value::Null);

    let short = api
        .call(
            w.a,
            &["integrations.manage"],
            "mutation { storeIntegrationToken(input: { provider: \"stripe\", token: \"abc\" }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&short), ("BAD_USER_INPUT", Some("token")));

    let listed = api
        .admin(
            "{ integrationTokens { totalCount edges { node { lastFour } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["integrationTokens"]["totalCount"], json!(1));
    assert!(!listed.to_string().contains(token));

    let revoked = api
        .admin(
            "mutation($id: ID!) { revokeIntegrationToken(id: $id) { status revokedAt } }",
            json!({ "id": stored["id"] }),
        )
        .await;
    assert_eq!(
        revoked["revokeIntegrationToken"]["status"],
        json!("REVOKED")
    );
    let active = api
        .admin("{ integrationTokens { totalCount } }", json!({}))
        .await;
    assert_eq!(active["integrationTokens"]["totalCount"], json!(0));
    let all = api
        .admin(
            "{ integrationTokens(filter: { includeRevoked: true }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(all["integrationTokens"]["totalCount"], json!(1));
}
