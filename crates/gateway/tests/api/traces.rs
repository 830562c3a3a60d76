//! Traces over OTLP: the real `leora` binary, with `OTEL_EXPORTER_OTLP_ENDPOINT` pointing at a
//! collector stand-in on this machine, exports each request as a trace (its request span, a span
//! per GraphQL operation, a span per SQL statement) and sends what is still queued when it
//! stops; a collector that never answers delays neither requests nor the stop for long.

use crate::shutdown::{post, serve_with, sign_in};
use crate::support::*;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post as route_post;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_proto::tonic::trace::v1::span::SpanKind;
use prost::Message;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

type Received = Arc<Mutex<Vec<ExportTraceServiceRequest>>>;

/// An OTLP/HTTP collector stand-in: takes `POST /v1/traces` in protobuf, as a collector does,
/// and keeps what it decoded.
struct Collector {
    port: u16,
    received: Received,
}

async fn collector() -> Collector {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Received::default();
    let app = Router::new()
        .route("/v1/traces", route_post(receive))
        .with_state(Arc::clone(&received));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Collector { port, received }
}

async fn receive(State(received): State<Received>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()) != Some(b"application/x-protobuf") {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE;
    }
    match ExportTraceServiceRequest::decode(body) {
        Ok(request) => {
            received.lock().unwrap().push(request);
            StatusCode::OK
        }
        Err(_) => StatusCode::BAD_REQUEST,
    }
}

impl Collector {
    /// Every span received, with its resource's `service.name`.
    fn spans(&self) -> Vec<(String, Span)> {
        let received = self.received.lock().unwrap();
        let mut spans = Vec::new();
        for request in received.iter() {
            for resource in &request.resource_spans {
                let service = resource
                    .resource
                    .as_ref()
                    .and_then(|r| value_of(&r.attributes, "service.name"))
                    .unwrap_or_default();
                for scope in &resource.scope_spans {
                    spans.extend(scope.spans.iter().map(|s| (service.clone(), s.clone())));
                }
            }
        }
        spans
    }
}

fn value_of(
    attributes: &[opentelemetry_proto::tonic::common::v1::KeyValue],
    key: &str,
) -> Option<String> {
    let value = attributes
        .iter()
        .find(|attribute| attribute.key == key)?
        .value
        .as_ref()?
        .value
        .as_ref()?;
    Some(match value {
        AnyValue::StringValue(text) => text.clone(),
        AnyValue::IntValue(number) => number.to_string(),
        AnyValue::BoolValue(flag) => flag.to_string(),
        other => format!("{other:?}"),
    })
}

fn attribute(span: &Span, key: &str) -> Option<String> {
    value_of(&span.attributes, key)
}

/// Sends SIGTERM and waits for a clean exit, at most `within`.
async fn stop(server: &mut Child, within: Duration) -> Duration {
    let pid = server.id().unwrap().to_string();
    let started = Instant::now();
    let signalled = Command::new("kill").args(["-TERM", &pid]).status().await;
    assert!(signalled.unwrap().success());
    let exited = tokio::time::timeout(within, server.wait())
        .await
        .expect("leora exits once drained")
        .unwrap();
    assert!(exited.success(), "{exited}");
    started.elapsed()
}

const CUSTOMERS: &str =
    "query TracedCustomers { customers(first: 5) { edges { node { id name } } } }";

#[tokio::test]
async fn a_request_is_exported_as_a_trace_of_its_operation_and_its_sql_statements() {
    let app = app().await;
    let collector = collector().await;
    let endpoint = format!("http://127.0.0.1:{}", collector.port);
    let (mut server, port) = serve_with(
        &app,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint),
            ("OTEL_SERVICE_NAME", "leora-under-test"),
        ],
    )
    .await;
    let staff = sign_in(port).await;
    let (_, portal) = post(
        port,
        None,
        "mutation { portalLogin(input: {tenantSlug: \"acme\", email: \"buyer@harborview.test\", password: \"correct horse battery\"}) { accessToken } }",
        json!({}),
    )
    .await;
    let portal = portal["data"]["portalLogin"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{portal}"))
        .to_owned();
    let (status, customers) = post(port, Some(&staff), CUSTOMERS, json!({})).await;
    assert_eq!(status, 200, "{customers}");
    assert!(customers["errors"].is_null(), "{customers}");
    let (status, me) = post(
        port,
        Some(&portal),
        "query WhoAmI { me { kind } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    // Spans leave in batches every few seconds; stopping sends the ones still queued.
    stop(&mut server, Duration::from_secs(30)).await;

    let tenant = app
        .scalar_text("SELECT id::text FROM tenants WHERE slug = 'acme'")
        .await;
    let spans = collector.spans();
    assert!(!spans.is_empty(), "the collector received nothing");
    assert!(
        spans
            .iter()
            .all(|(service, _)| service == "leora-under-test"),
        "service.name is OTEL_SERVICE_NAME"
    );
    let spans: Vec<Span> = spans.into_iter().map(|(_, span)| span).collect();
    let named = |name: &str| -> Vec<&Span> { spans.iter().filter(|s| s.name == name).collect() };
    let operation = match named("query TracedCustomers").as_slice() {
        [operation] => *operation,
        other => panic!("{} spans named `query TracedCustomers`", other.len()),
    };
    for (key, value) in [
        ("graphql.operation.name", "TracedCustomers"),
        ("graphql.operation.type", "query"),
        ("leora.tenant_id", tenant.as_str()),
        ("leora.principal_kind", "staff"),
        ("leora.outcome", "ok"),
    ] {
        assert_eq!(
            attribute(operation, key).as_deref(),
            Some(value),
            "{key}: {operation:?}"
        );
    }

    // Its parent is the request's span, the root of the trace.
    let request = spans
        .iter()
        .find(|s| s.span_id == operation.parent_span_id)
        .unwrap_or_else(|| panic!("the operation's parent was not exported: {operation:?}"));
    assert_eq!(request.name, "POST /graphql");
    assert_eq!(request.kind, SpanKind::Server as i32);
    assert!(request.parent_span_id.is_empty(), "{request:?}");
    assert_eq!(request.trace_id, operation.trace_id);
    assert_eq!(
        attribute(request, "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_eq!(
        attribute(request, "http.route").as_deref(),
        Some("/graphql")
    );

    // The operation's statements are its children; the transaction's BEGIN, run before the
    // operation (and on a task of its own), is the request's.
    let statements: Vec<&Span> = spans
        .iter()
        .filter(|s| s.parent_span_id == operation.span_id)
        .filter(|s| attribute(s, "db.system").as_deref() == Some("postgresql"))
        .collect();
    assert!(
        statements
            .iter()
            .any(|s| attribute(s, "db.statement")
                .is_some_and(|sql| sql.contains("FROM \"customers\""))),
        "no statement reading customers under the operation: {statements:#?}"
    );
    assert!(
        spans.iter().any(|s| s.name == "sea_orm.begin"
            && s.parent_span_id == request.span_id
            && s.trace_id == request.trace_id),
        "the request's BEGIN is not part of its trace"
    );

    // The portal buyer's operation, and the anonymous sign-in with no tenant known yet.
    let who_am_i = named("query WhoAmI");
    assert_eq!(who_am_i.len(), 1);
    assert_eq!(
        attribute(who_am_i[0], "leora.principal_kind").as_deref(),
        Some("portal")
    );
    assert_eq!(
        attribute(who_am_i[0], "leora.tenant_id").as_deref(),
        Some(tenant.as_str())
    );
    let logins = named("mutation anonymous");
    assert_eq!(logins.len(), 2, "the staff and the portal sign-in");
    assert!(logins.iter().all(|login| {
        attribute(login, "leora.principal_kind").as_deref() == Some("anonymous")
            && attribute(login, "leora.tenant_id").is_none()
    }));

    // The readiness checks the test (like an orchestrator) polled with are not traced.
    assert!(
        spans
            .iter()
            .all(|s| attribute(s, "path").as_deref() != Some("/readyz")),
        "a health check was traced"
    );

    // Statements carry their text with placeholders, never their values, and only those run
    // for a traced request are exported (the webhook worker's polling starts no trace).
    let sql: Vec<&Span> = spans
        .iter()
        .filter(|s| attribute(s, "db.system").is_some())
        .collect();
    assert!(sql.iter().all(|s| !s.parent_span_id.is_empty()), "{sql:#?}");
    assert!(
        sql.iter().all(|s| attribute(s, "db.statement")
            .is_none_or(|text| !text.contains(&tenant) && !text.contains("correct horse"))),
        "a statement's values were exported"
    );
}

#[tokio::test]
async fn a_collector_that_never_answers_delays_no_request_and_the_stop_only_briefly() {
    let app = app().await;
    // Accepts connections and never answers: every export waits for its timeout.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://127.0.0.1:{}", silent.local_addr().unwrap().port());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((connection, _)) = silent.accept().await {
            held.push(connection);
        }
    });
    let (mut server, port) = serve_with(&app, &[("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint)]).await;
    let token = sign_in(port).await;
    for _ in 0..3 {
        let started = Instant::now();
        let (status, body) = post(port, Some(&token), CUSTOMERS, json!({})).await;
        assert_eq!(status, 200, "{body}");
        // An export waits up to 10 s for the collector; a request never waits for one.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
    // Shutdown gives the last export 5 s, then exits cleanly all the same.
    let stopping = stop(&mut server, Duration::from_secs(30)).await;
    assert!(
        stopping < Duration::from_secs(15),
        "stopping took {stopping:?}"
    );
}
