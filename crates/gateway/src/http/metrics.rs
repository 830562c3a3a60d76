//! `GET /metrics`: a few counters in the Prometheus text format, for benchmarks and dashboards.
//!
//! * `leora_sql_statements_total` — statements the serving pool executed (queries and the tenant
//!   `set_config`; BEGIN and COMMIT are not statements SeaORM reports, so they are not counted).
//!   Zero unless the pool was instrumented with [`Metrics::count_sql_statements`], which the
//!   server does at start-up.
//! * `leora_http_requests_total{route}` — requests received, by matched route.
//!
//! The counters are only counts: they reveal nothing about tenants or data.

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

#[derive(Debug, Default)]
pub struct Metrics {
    sql_statements: Arc<AtomicU64>,
    http_requests: Mutex<BTreeMap<String, u64>>,
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
        text
    }
}

/// Counts each request under its matched route (`unmatched` for 404s, so paths never become
/// labels).
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
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROMETHEUS_TEXT),
        )],
        state.metrics.render(),
    )
        .into_response()
}
