//! Where production lets a webhook go: not over plain HTTP, not to an internal address.

use crate::receiver::*;
use crate::support::*;
use leora_integrations::events::EventType;
use leora_integrations::service::subscriptions::{self, NewSubscription};
use leora_integrations::{UrlPolicy, Worker};
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
            subscriptions::create_subscription(tx, &w.secrets, UrlPolicy::PRODUCTION, input).await
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
