//! Webhook delivery: signed, retried with backoff, given up on, sent exactly once by concurrent
//! workers, and never for a change that was rolled back.

use crate::receiver::*;
use crate::support::*;
use leora_integrations::service::subscriptions;
use leora_integrations::signature;
use leora_integrations::{IntegrationsError, SecretBox, Worker};
use leora_tenancy::Refusal;
use leora_tenancy::events::{self, EventType};
use leora_test_db::sql::stmt;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

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
    let admin_one = add_user(&w.pools.owner, w.a, "one@alpha.test", "admin").await;
    let admin_two = add_user(&w.pools.owner, w.a, "two@alpha.test", "admin").await;
    add_user(&w.pools.owner, w.a, "rep@alpha.test", "sales_rep").await;
    add_user(&w.pools.owner, w.b, "admin@beta.test", "admin").await;
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
        .pools
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

/// A receiver answering after `delay`, tenant A subscribed to `event` there, and `count` such
/// events recorded (their ids).
async fn slow_receiver_with_events(
    w: &World,
    delay: Duration,
    event: EventType,
    count: usize,
) -> (Receiver, HashSet<Uuid>) {
    let receiver = Receiver::start(Behaviour {
        delay,
        ..Behaviour::default()
    })
    .await;
    w.subscribe(w.a, &receiver.url, &[event]).await;
    let recorded = w.record(w.a, event, count).await.into_iter().collect();
    (receiver, recorded)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_over_200_deliveries_send_each_exactly_once() {
    let w = world().await;
    let (receiver, recorded) = slow_receiver_with_events(
        &w,
        Duration::from_millis(2),
        EventType::OrderStatusChanged,
        200,
    )
    .await;

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
    let (receiver, recorded) =
        slow_receiver_with_events(&w, Duration::from_millis(25), EventType::InvoicePaid, 60).await;
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
    let worker = Worker::new(w.pools.db.clone(), w.config()).unwrap();

    let failed: Result<(), IntegrationsError> = w
        .run(w.a, async |tx| {
            events::record(tx, w.a, EventType::OrderPlaced, json!({ "orderId": "o-1" })).await?;
            Err(IntegrationsError::Refused(Refusal::NotFound {
                entity: "customer",
            }))
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
    let misconfigured = Worker::new(w.pools.db.clone(), wrong_keys).unwrap();
    for _ in 0..3 {
        assert_eq!(misconfigured.run_once().await.unwrap(), 0);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(receiver.hits().is_empty());
    let attempts = "SELECT count(*) FROM webhook_deliveries WHERE attempts = 0";
    assert_eq!(w.count(attempts, []).await, 1, "no attempt was used");

    let fixed = Worker::new(w.pools.db.clone(), w.config()).unwrap();
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

#[tokio::test]
async fn a_suspended_tenants_webhooks_wait_and_go_out_once_it_is_active_again() {
    let w = world().await;
    let receiver = Receiver::start(Behaviour::default()).await;
    w.subscribe(w.a, &receiver.url, &[EventType::OrderPlaced])
        .await;
    w.subscribe(w.b, &receiver.url, &[EventType::OrderPlaced])
        .await;
    let set_status = async |status: &str| {
        w.pools
            .owner
            .execute_raw(stmt(
                "UPDATE tenants SET status = $2 WHERE id = $1",
                [w.a.into(), status.into()],
            ))
            .await
            .unwrap();
    };
    set_status("suspended").await;
    let waiting = w.record(w.a, EventType::OrderPlaced, 1).await[0];
    let other = w.record(w.b, EventType::OrderPlaced, 1).await[0];

    let worker = w.spawn_worker(w.config());
    // The other tenant's delivery shows the worker has been round while A was suspended.
    w.wait_for_count(
        "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'",
        1,
    )
    .await;
    let sent: Vec<Uuid> = receiver.hits().iter().map(|hit| hit.event_id()).collect();
    assert_eq!(
        sent,
        vec![other],
        "nothing of the suspended tenant went out"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM webhook_events WHERE id = $1 AND dispatched_at IS NULL",
            [waiting.into()],
        )
        .await,
        1,
        "its event waits, not dropped"
    );

    set_status("active").await;
    w.wait_for_count(
        "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'",
        2,
    )
    .await;
    worker.stop().await;
    assert!(receiver.hits().iter().any(|hit| hit.event_id() == waiting));
}
