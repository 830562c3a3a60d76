//! `GET /metrics`: the SQL statement and HTTP request counters, in the Prometheus text format.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leora_gateway::http::metrics::Metrics;
use leora_gateway::{AppState, router};
use leora_test_db::TestDatabase;
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
