//! Another tenant's subscriptions and deliveries are invisible.

use crate::receiver::*;
use crate::support::*;
use leora_integrations::service::deliveries;
use leora_integrations::service::subscriptions::{self, SubscriptionChanges};
use leora_integrations::signature;
use leora_integrations::{UrlPolicy, Worker};
use leora_tenancy::events::EventType;
use leora_tenancy::{ApiError, ErrorCode};
use leora_test_db::sql::scalar;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

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
    let worker = Worker::new(w.pools.db.clone(), w.config()).unwrap();
    assert_eq!(worker.run_once().await.unwrap(), 5);
    let their_delivery: Uuid = scalar(
        &w.pools.owner,
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
