//! `GET /metrics`: the SQL statement and HTTP request counters, in the Prometheus text format.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leora_gateway::http::metrics::Metrics;
use leora_gateway::{AppState, router};
use leora_test_db::TestDatabase;
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::sync::Arc;
use tower::ServiceExt;

fn counter(text: &str, series: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
}

#[tokio::test]
async fn metrics_count_sql_statements_and_requests_by_route() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    create_tenant(&owner, "acme").await;
    let config = config(&[]);
    let metrics = Arc::new(Metrics::default());
    let mut pool = database.connect().await;
    metrics.count_sql_statements(&mut pool);
    let app = router(AppState::with_metrics(&config, pool, Arc::clone(&metrics)));

    // A failed sign-in still looks the tenant and the user up.
    let body = json!({
        "query": "mutation { login(input: {email: \"nobody@acme.test\", password: \"not the password\"}) { accessToken } }"
    });
    let login = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    assert_eq!(
        app.clone().oneshot(login).await.unwrap().status(),
        StatusCode::OK
    );
    let statements = metrics.sql_statements();
    assert!(statements > 0, "the sign-in ran no counted statement");

    let response = app
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.contains("# TYPE leora_sql_statements_total counter"),
        "{text}"
    );
    assert_eq!(counter(&text, "leora_sql_statements_total "), statements);
    assert_eq!(
        counter(&text, "leora_http_requests_total{route=\"/graphql\"} "),
        1
    );
    assert_eq!(
        counter(&text, "leora_http_requests_total{route=\"/metrics\"} "),
        1
    );
}

async fn get_metrics(app: &TestApp, token: Option<&str>) -> StatusCode {
    let mut request = Request::get("/metrics");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.router()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn metrics_answer_only_the_bearer_of_the_metrics_token_when_one_is_set() {
    let app = app_with(&[("METRICS_TOKEN", "metrics-secret")]).await;
    assert_eq!(get_metrics(&app, None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get_metrics(&app, Some("wrong")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get_metrics(&app, Some("metrics-secret")).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_production_server_without_a_metrics_token_does_not_serve_metrics() {
    let app = app_with(&[
        ("LEORA_ENV", "production"),
        ("DATABASE_URL", "postgres://leora@127.0.0.1/leora"),
        (
            "LEORA_ENCRYPTION_KEYS",
            "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        ),
    ])
    .await;
    assert_eq!(get_metrics(&app, None).await, StatusCode::NOT_FOUND);
}

async fn scrape(app: &TestApp) -> String {
    let response = app
        .router()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn metrics_show_latency_by_operation_and_outcome_tenants_the_pool_and_the_webhook_queue() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let buyer = app.portal_token().await;
    let products = "query Products { products(first: 5) { edges { node { name } } } }";
    app.ask(&admin, products).await;
    app.ask(&admin, products).await;
    let forbidden = app
        .ask(
            &buyer,
            "query Suppliers { suppliers { edges { node { name } } } }",
        )
        .await;
    assert_eq!(forbidden.code(), "FORBIDDEN");
    app.owner
        .execute_unprepared(
            "INSERT INTO webhook_events (tenant_id, event_type, payload, occurred_at)
             SELECT id, 'inventory.adjusted', '{}', now() - interval '90 seconds' FROM tenants",
        )
        .await
        .unwrap();

    let text = scrape(&app).await;
    let series = |name: &str| counter(&text, name);
    assert_eq!(
        series(
            "leora_graphql_request_duration_seconds_count{operation=\"Products\",outcome=\"ok\"}"
        ),
        2
    );
    assert_eq!(
        series(
            "leora_graphql_request_duration_seconds_bucket{operation=\"Products\",outcome=\"ok\",le=\"+Inf\"}"
        ),
        2
    );
    assert_eq!(
        series(
            "leora_graphql_request_duration_seconds_count{operation=\"Suppliers\",outcome=\"FORBIDDEN\"}"
        ),
        1
    );
    let tenant = app.scalar_text("SELECT id::text FROM tenants").await;
    assert!(
        series(&format!(
            "leora_tenant_requests_total{{tenant=\"{tenant}\"}}"
        )) >= 3
    );
    assert!(series("leora_db_pool_max_connections") > 0);
    assert!(
        text.contains("leora_db_pool_connections{state=\"in_use\"}"),
        "{text}"
    );
    assert_eq!(series("leora_outbox_undispatched_events"), 1);
    let lag: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("leora_outbox_lag_seconds ")?.parse().ok())
        .unwrap();
    assert!(lag >= 90.0, "{lag}");
}

#[test]
fn operation_names_a_client_makes_up_are_not_labels() {
    use leora_gateway::http::metrics::OperationName;
    let label = |name: Option<&str>| format!("{:?}", OperationName::of(name));
    assert!(label(Some("Products")).contains("\"Products\""));
    assert!(label(None).contains("anonymous"));
    assert!(label(Some("x\" } evil{")).contains("other"));
    assert!(label(Some(&"a".repeat(65))).contains("other"));
    let named = async_graphql::Request::new(
        "  query Products($n: Int) { products(first: $n) { totalCount } }",
    );
    assert!(format!("{:?}", OperationName::of_request(&named)).contains("\"Products\""));
    let anonymous = async_graphql::Request::new("{ products { totalCount } }");
    assert!(format!("{:?}", OperationName::of_request(&anonymous)).contains("anonymous"));
}
