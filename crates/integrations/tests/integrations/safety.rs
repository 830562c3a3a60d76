//! Where production lets a webhook go: not over plain HTTP, not to an internal address.

use crate::receiver::*;
use crate::support::*;
use leora_integrations::safety::INTERNAL;
use leora_integrations::service::subscriptions::{self, NewSubscription};
use leora_integrations::{UrlPolicy, Worker};
use leora_tenancy::events::EventType;
use leora_tenancy::{ApiError, ErrorCode};

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
            subscriptions::create_subscription(tx, &w.secrets, UrlPolicy::PRODUCTION, 20, input)
                .await
        })
        .await
    };
    for (url, problem) in [
        ("http://hooks.example.com/x", "must use https"),
        ("https://127.0.0.1:9/x", INTERNAL),
        ("https://[::1]/x", INTERNAL),
        ("https://192.168.1.20/x", INTERNAL),
        ("https://169.254.169.254/latest/meta-data", INTERNAL),
        ("https://localhost/x", INTERNAL),
        ("https://[2002:a9fe:a9fe::1]/x", INTERNAL),
        ("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x", INTERNAL),
    ] {
        let error = create(url).await.unwrap_err();
        assert_eq!(
            (error.code(), error.field()),
            (ErrorCode::BadUserInput, Some("url"))
        );
        assert_eq!(
            error.to_string(),
            format!("url: {problem}"),
            "{url}: the answer names no address"
        );
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
    Worker::new(w.pools.db.clone(), config)
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
