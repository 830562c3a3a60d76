//! `GET /metrics`: the server's figures in the Prometheus text format, for dashboards, alerts and
//! benchmarks (`docs/operations.md` has the queries and alerts worth setting).
//!
//! * `leora_sql_statements_total` — statements the serving pool executed (queries and the tenant
//!   `set_config`; BEGIN and COMMIT are not statements SeaORM reports, so they are not counted).
//!   Zero unless the pool was instrumented with [`Metrics::count_sql_statements`], which the
//!   server does at start-up.
//! * `leora_http_requests_total{route}` — requests received, by matched route.
//! * `leora_graphql_request_duration_seconds{operation,outcome}` — a histogram of GraphQL requests
//!   by operation name and outcome (`ok`, or the first error's code).
//! * `leora_tenant_requests_total{tenant}` — signed-in requests by tenant id.
//! * `leora_db_pool_connections{state}` and `leora_db_pool_max_connections` — the serving pool.
//! * `leora_webhook_deliveries_waiting`, `leora_webhook_oldest_waiting_seconds`,
//!   `leora_outbox_undispatched_events`, `leora_outbox_lag_seconds` — the webhook queue and the
//!   outbox, across tenants (read at scrape time through `webhook_queue_stats()`).
//!
//! Label values a client chooses are bounded: an operation name must look like one and only the
//! first [`MAX_LABELS`] distinct names (and tenants) get a series of their own; the rest are
//! `other`. Nothing here reveals a tenant's data: tenant ids and counts only.

use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::DatabaseConnection;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Distinct operation names, and distinct tenants, with series of their own.
pub const MAX_LABELS: usize = 500;
/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const OTHER: &str = "other";

/// The operation a GraphQL request named, as a metric label (set on the response by the handler).
#[derive(Debug, Clone)]
pub struct OperationName(String);

impl OperationName {
    /// `name` when it looks like a GraphQL name of at most 64 characters; `anonymous` without
    /// one; `other` for anything else (a label must not carry what a client makes up).
    pub fn of(name: Option<&str>) -> Self {
        let label = match name {
            None => "anonymous",
            Some(name)
                if name.len() <= 64
                    && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                name
            }
            Some(_) => OTHER,
        };
        Self(label.to_owned())
    }

    /// The operation a request runs: its `operationName`, else the name its document gives its
    /// (first) operation.
    pub fn of_request(request: &async_graphql::Request) -> Self {
        Self::of(
            request
                .operation_name
                .as_deref()
                .or_else(|| named_operation(&request.query)),
        )
    }

    pub fn batch() -> Self {
        Self("batch".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name of a document's first operation when it opens with one (`query Products { … }`).
fn named_operation(document: &str) -> Option<&str> {
    let document = document.trim_start();
    ["query", "mutation", "subscription"]
        .iter()
        .find_map(|keyword| document.strip_prefix(keyword))
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .map(|rest| {
            let rest = rest.trim_start();
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| !name.is_empty())
}

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bucket, bound) in self.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Debug, Default)]
pub struct Metrics {
    sql_statements: Arc<AtomicU64>,
    http_requests: Mutex<BTreeMap<String, u64>>,
    graphql_requests: Mutex<BTreeMap<(String, String), Histogram>>,
    tenant_requests: Mutex<BTreeMap<String, u64>>,
}

/// `key`'s own entry while fewer than [`MAX_LABELS`] keys have one, else `other`'s.
fn bounded_entry<K: Ord + Clone, V: Default>(
    map: &mut BTreeMap<K, V>,
    key: K,
    other: impl FnOnce() -> K,
) -> &mut V {
    if map.contains_key(&key) || map.len() < MAX_LABELS {
        map.entry(key).or_default()
    } else {
        map.entry(other()).or_default()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The code of the first error in a GraphQL answer, or `ok` without one.
fn outcome(body: &[u8]) -> String {
    let find = |haystack: &[u8], needle: &[u8]| {
        haystack
            .windows(needle.len())
            .position(|window| window == needle)
    };
    let Some(errors) = find(body, b"\"errors\":[") else {
        return "ok".to_owned();
    };
    let rest = &body[errors..];
    find(rest, b"\"code\":\"")
        .map(|at| &rest[at + 8..])
        .and_then(|code| {
            let end = code.iter().position(|b| *b == b'"')?;
            let code = std::str::from_utf8(&code[..end]).ok()?;
            code.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_')
                .then(|| code.to_owned())
        })
        .unwrap_or_else(|| "ERROR".to_owned())
}

impl Metrics {
    /// Counts every statement `pool` (and every transaction begun from it afterwards) executes.
    /// Replaces any metric callback the pool had.
    pub fn count_sql_statements(&self, pool: &mut DatabaseConnection) {
        let counter = Arc::clone(&self.sql_statements);
        pool.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
    }

    pub fn sql_statements(&self) -> u64 {
        self.sql_statements.load(Ordering::Relaxed)
    }

    /// Records a GraphQL answer's latency under its operation and outcome, and hands it on.
    pub async fn observe_graphql(
        &self,
        response: Response,
        elapsed: std::time::Duration,
    ) -> Response {
        let operation = response
            .extensions()
            .get::<OperationName>()
            .map_or_else(|| OTHER.to_owned(), |name| name.0.clone());
        let (parts, body) = response.into_parts();
        // Every answer is built whole before it is sent, so this reads memory, not a stream.
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let outcome = outcome(&bytes);
        {
            let mut requests = lock(&self.graphql_requests);
            bounded_entry(&mut requests, (operation, outcome.clone()), || {
                (OTHER.to_owned(), outcome)
            })
            .observe(elapsed.as_secs_f64());
        }
        Response::from_parts(parts, axum::body::Body::from(bytes))
    }

    /// Counts one signed-in request of `tenant`.
    pub fn count_tenant_request(&self, tenant: uuid::Uuid) {
        let mut tenants = lock(&self.tenant_requests);
        *bounded_entry(&mut tenants, tenant.to_string(), || OTHER.to_owned()) += 1;
    }

    fn count_request(&self, route: &str) {
        let mut requests = self
            .http_requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match requests.get_mut(route) {
            Some(count) => *count += 1,
            None => {
                requests.insert(route.to_owned(), 1);
            }
        }
    }

    /// The Prometheus text exposition of every counter.
    pub fn render(&self) -> String {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "# HELP leora_sql_statements_total SQL statements executed by the server's pool (BEGIN/COMMIT not included).\n\
             # TYPE leora_sql_statements_total counter\n\
             leora_sql_statements_total {}",
            self.sql_statements()
        );
        let _ = writeln!(
            text,
            "# HELP leora_http_requests_total HTTP requests received, by route.\n\
             # TYPE leora_http_requests_total counter"
        );
        let requests = self
            .http_requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for (route, count) in requests.iter() {
            let _ = writeln!(
                text,
                "leora_http_requests_total{{route=\"{}\"}} {count}",
                route.replace('\\', "\\\\").replace('"', "\\\"")
            );
        }
        self.render_graphql(&mut text);
        text
    }

    fn render_graphql(&self, text: &mut String) {
        let _ = writeln!(
            text,
            "# HELP leora_graphql_request_duration_seconds GraphQL requests by operation name and outcome (ok, or the first error's code).\n\
             # TYPE leora_graphql_request_duration_seconds histogram"
        );
        for ((operation, outcome), histogram) in lock(&self.graphql_requests).iter() {
            let labels = format!("operation=\"{operation}\",outcome=\"{outcome}\"");
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                let _ = writeln!(
                    text,
                    "leora_graphql_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                text,
                "leora_graphql_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}\n\
                 leora_graphql_request_duration_seconds_sum{{{labels}}} {sum}\n\
                 leora_graphql_request_duration_seconds_count{{{labels}}} {count}",
                count = histogram.count,
                sum = histogram.sum,
            );
        }
        let _ = writeln!(
            text,
            "# HELP leora_tenant_requests_total Signed-in requests, by tenant id.\n\
             # TYPE leora_tenant_requests_total counter"
        );
        for (tenant, count) in lock(&self.tenant_requests).iter() {
            let _ = writeln!(
                text,
                "leora_tenant_requests_total{{tenant=\"{tenant}\"}} {count}"
            );
        }
    }
}

/// The pool's and the webhook queue's gauges, read at scrape time.
async fn render_gauges(state: &AppState, text: &mut String) {
    let pool = state.pool.get_postgres_connection_pool();
    let (size, idle) = (
        pool.size(),
        u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
    );
    let _ = writeln!(
        text,
        "# HELP leora_db_pool_connections Connections of the serving pool, in use or idle.\n\
         # TYPE leora_db_pool_connections gauge\n\
         leora_db_pool_connections{{state=\"in_use\"}} {}\n\
         leora_db_pool_connections{{state=\"idle\"}} {idle}\n\
         # HELP leora_db_pool_max_connections The serving pool's size limit (DATABASE_POOL_MAX).\n\
         # TYPE leora_db_pool_max_connections gauge\n\
         leora_db_pool_max_connections {}",
        size.saturating_sub(idle),
        pool.options().get_max_connections(),
    );
    match leora_integrations::service::queue::queue_stats(&state.db).await {
        Ok(queue) => {
            let _ = writeln!(
                text,
                "# HELP leora_webhook_deliveries_waiting Deliveries waiting for an attempt (pending, or failed and due for a retry).\n\
                 # TYPE leora_webhook_deliveries_waiting gauge\n\
                 leora_webhook_deliveries_waiting {}\n\
                 # HELP leora_webhook_oldest_waiting_seconds How long the oldest waiting delivery has waited.\n\
                 # TYPE leora_webhook_oldest_waiting_seconds gauge\n\
                 leora_webhook_oldest_waiting_seconds {}\n\
                 # HELP leora_outbox_undispatched_events Events not yet fanned out into deliveries.\n\
                 # TYPE leora_outbox_undispatched_events gauge\n\
                 leora_outbox_undispatched_events {}\n\
                 # HELP leora_outbox_lag_seconds The age of the oldest event not yet fanned out.\n\
                 # TYPE leora_outbox_lag_seconds gauge\n\
                 leora_outbox_lag_seconds {}",
                queue.waiting_deliveries,
                queue.oldest_waiting_seconds,
                queue.undispatched_events,
                queue.oldest_undispatched_seconds,
            );
        }
        Err(error) => tracing::warn!(%error, "metrics: the webhook queue could not be read"),
    }
}

/// Counts each request under its matched route (`unmatched` for 404s, so paths never become
/// labels). With traces exported, the route also names the request's span (`POST /graphql`).
pub async fn count_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    state.metrics.count_request(route);
    if state.traces {
        let span = tracing::Span::current();
        span.record("http.route", route);
        span.record("otel.name", format!("{} {route}", request.method()));
    }
    next.run(request).await
}

/// Served only to a bearer of `METRICS_TOKEN` when one is set, and in development when none is;
/// a production server without one does not serve it (the router leaves the route out).
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(token) = &state.metrics_token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        let matches = presented.is_some_and(|presented| {
            use subtle::ConstantTimeEq;
            bool::from(presented.as_bytes().ct_eq(token.as_bytes()))
        });
        if !matches {
            return (
                axum::http::StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
                "send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`\n",
            )
                .into_response();
        }
    }
    let mut text = state.metrics.render();
    render_gauges(&state, &mut text).await;
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROMETHEUS_TEXT),
        )],
        text,
    )
        .into_response()
}
