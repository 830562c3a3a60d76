//! Where the server's `tracing` output goes: log lines (pretty or JSON, filtered by `RUST_LOG`),
//! and, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, OpenTelemetry traces over OTLP/HTTP
//! (protobuf). `docs/operations.md`, "Traces", has what a trace holds and what it costs.
//!
//! A trace is one HTTP request: its `request` span (`crate::http::router`), a span per GraphQL
//! operation (`crate::http::graphql`), and a span per SQL statement, BEGIN and COMMIT (SeaORM's
//! `tracing-spans` feature, `sea_orm::database` targets). Only the trace layer takes the
//! statement spans, and only inside a request: the webhook worker's and the live-event
//! listener's polling would otherwise start a trace of its own every few seconds. Without an
//! endpoint nothing takes them at all, so each statement pays for one disabled span.
//!
//! Spans are batched and sent from a thread of the OpenTelemetry SDK: a request only queues its
//! spans (at most `OTEL_BSP_MAX_QUEUE_SIZE`, 2,048; more are dropped, never waited for), and a
//! collector that is down or slow costs exports, never requests. Shutdown sends what is queued.

use crate::config::{Config, Environment, LogFormat, TraceSampler, TracesConfig};
use opentelemetry::KeyValue;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response, ResponseBodyTooLarge};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use std::time::Duration;
use tracing::subscriber::Interest;
use tracing::{Level, Metadata};
use tracing_subscriber::filter::{self, FilterExt, LevelFilter};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// The target of spans kept out of traces (health checks and metric scrapes) but not out of the
/// log: the statements run inside them are not exported either.
pub const UNTRACED: &str = "leora_gateway::http::untraced";
/// The log filter when `RUST_LOG` is unset.
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn";
/// How long one export may wait for the collector, retries included.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for the last spans to reach the collector.
const SHUTDOWN_FLUSH: Duration = Duration::from_secs(5);
/// The largest collector answer read (an answer is a few bytes of partial-success counts).
const MAX_COLLECTOR_ANSWER: usize = 64 * 1024;

/// The installed output; [`Telemetry::shutdown`] sends the spans still queued.
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot set up trace export to {url}: {reason}")]
pub struct TelemetryError {
    url: String,
    reason: String,
}

/// Installs the process's `tracing` subscriber: log lines, plus the trace exporter when
/// `config.traces` names a collector. Runs inside the Tokio runtime, which sends the exports.
pub fn init(config: &Config) -> Result<Telemetry, TelemetryError> {
    let provider = match &config.traces {
        Some(traces) => Some(provider(traces, config.environment)?),
        None => None,
    };
    subscriber(config.log_format, provider.as_ref()).init();
    if let Some(traces) = &config.traces {
        tracing::info!(
            url = %shown(&traces.traces_url),
            service = %traces.service_name,
            ratio = traces.sampler.ratio,
            "exporting traces over OTLP/HTTP"
        );
    }
    Ok(Telemetry { traces: provider })
}

/// The log layer (`RUST_LOG`, [`DEFAULT_LOG_FILTER`] when unset), and the trace layer when
/// spans are exported through `provider`.
fn subscriber(format: LogFormat, provider: Option<&SdkTracerProvider>) -> tracing::Dispatch {
    let log_filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG_FILTER))
        // Statement spans carry no message: they are for traces, never part of a log line.
        .and(filter::filter_fn(|metadata| !is_statement(metadata)));
    let logs = match format {
        LogFormat::Pretty => tracing_subscriber::fmt::layer()
            .with_filter(log_filter)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_filter(log_filter)
            .boxed(),
    };
    let Some(provider) = provider else {
        // Not an `Option` layer: a `None` one would enable every callsite the log filter
        // disables, statements included.
        return tracing::Dispatch::new(tracing_subscriber::registry().with(logs));
    };
    let export = tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("leora"))
        // What a span says of itself is its fields; where in the code, on which thread, and
        // how long it was polled are left out of every span sent.
        .with_location(false)
        .with_threads(false)
        .with_target(false)
        .with_tracked_inactivity(false)
        .with_context_activation(false)
        .with_filter(
            filter::dynamic_filter_fn(|metadata, cx| {
                exported(metadata) && (!is_statement(metadata) || cx.lookup_current().is_some())
            })
            .with_callsite_filter(|metadata| match exported(metadata) {
                false => Interest::never(),
                true if is_statement(metadata) => Interest::sometimes(),
                true => Interest::always(),
            })
            .with_max_level_hint(LevelFilter::INFO),
        );
    tracing::Dispatch::new(tracing_subscriber::registry().with(logs).with(export))
}

impl Telemetry {
    /// Sends the spans still queued (waiting at most five seconds for the collector) and stops
    /// the exporter. Call it once the server has drained.
    pub async fn shutdown(self) {
        let Some(provider) = self.traces else {
            return;
        };
        // The SDK's thread sends the last batch through this runtime, so shutdown must not hold
        // one of its workers while it waits.
        let flushed =
            tokio::task::spawn_blocking(move || provider.shutdown_with_timeout(SHUTDOWN_FLUSH))
                .await;
        match flushed {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "the last spans may not have been exported"),
            Err(error) => tracing::warn!(%error, "the trace exporter did not shut down"),
        }
    }
}

/// Spans and events sent as traces: Leora's own (but [`UNTRACED`]) and SeaORM's statements, at
/// `info` and above; never the HTTP client's, the driver's or the exporter's own, which would
/// trace the exports.
fn exported(metadata: &Metadata<'_>) -> bool {
    let target = metadata.target();
    *metadata.level() <= Level::INFO
        && ((target.starts_with("leora") && target != UNTRACED) || is_statement(metadata))
}

/// SeaORM's span around one statement (`sea_orm.execute`, `sea_orm.query_all`, …, `sea_orm.begin`,
/// `sea_orm.commit`).
fn is_statement(metadata: &Metadata<'_>) -> bool {
    metadata.is_span() && metadata.target().starts_with("sea_orm::database")
}

fn provider(
    traces: &TracesConfig,
    environment: Environment,
) -> Result<SdkTracerProvider, TelemetryError> {
    let failed = |reason: String| TelemetryError {
        url: shown(&traces.traces_url),
        reason,
    };
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|error| failed(format!("no Tokio runtime: {error}")))?;
    let client = reqwest::Client::builder()
        .timeout(EXPORT_TIMEOUT)
        .build()
        .map_err(|error| failed(error.to_string()))?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(traces.traces_url.clone())
        .with_protocol(Protocol::HttpBinary)
        .with_timeout(EXPORT_TIMEOUT)
        .with_http_client(OnRuntime { client, runtime })
        .build()
        .map_err(|error| failed(error.to_string()))?;
    let environment = match environment {
        Environment::Development => "development",
        Environment::Production => "production",
    };
    // Also `OTEL_RESOURCE_ATTRIBUTES`, read by the SDK's resource detectors.
    let resource = Resource::builder()
        .with_service_name(traces.service_name.clone())
        .with_attribute(KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
        .with_attribute(KeyValue::new("deployment.environment.name", environment))
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_sampler(sampler(traces.sampler))
        .with_resource(resource)
        .build())
}

/// `url` as the log may show it: without the user and password it may carry.
fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}{path}")
}

fn sampler(choice: TraceSampler) -> Sampler {
    let root = if choice.ratio >= 1.0 {
        Sampler::AlwaysOn
    } else if choice.ratio <= 0.0 {
        Sampler::AlwaysOff
    } else {
        Sampler::TraceIdRatioBased(choice.ratio)
    };
    if choice.parent_based {
        Sampler::ParentBased(Box::new(root))
    } else {
        root
    }
}

/// Sends the exporter's requests with the workspace's HTTP client (reqwest, rustls) on the
/// server's runtime: the SDK exports from a thread of its own, outside the runtime, and waits
/// there for the answer.
#[derive(Debug)]
struct OnRuntime {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

#[async_trait::async_trait]
impl HttpClient for OnRuntime {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let client = self.client.clone();
        let sent = self.runtime.spawn(async move {
            let mut response = client.execute(reqwest::Request::try_from(request)?).await?;
            let mut answer = Response::builder().status(response.status());
            if let Some(headers) = answer.headers_mut() {
                *headers = response.headers().clone();
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if body.len() + chunk.len() > MAX_COLLECTOR_ANSWER {
                    return Err(HttpError::from(ResponseBodyTooLarge::new()));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(answer.body(Bytes::from(body))?)
        });
        sent.await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A span where SeaORM puts its statement spans.
    fn statement() -> tracing::Span {
        tracing::info_span!(target: "sea_orm::database::transaction", "sea_orm.query_all")
    }

    #[test]
    fn the_log_shows_the_collector_without_credentials() {
        assert_eq!(
            shown("https://leora:s3cret@otel.internal:4318/v1/traces"),
            "https://otel.internal:4318/v1/traces"
        );
        assert_eq!(
            shown("http://127.0.0.1:4318/v1/traces"),
            "http://127.0.0.1:4318/v1/traces"
        );
    }

    /// Keeps the names of the spans exported.
    #[derive(Debug, Clone, Default)]
    struct Kept(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

    impl opentelemetry_sdk::trace::SpanExporter for Kept {
        async fn export(
            &self,
            batch: Vec<opentelemetry_sdk::trace::SpanData>,
        ) -> opentelemetry_sdk::error::OTelSdkResult {
            let mut kept = self.0.lock().unwrap();
            kept.extend(batch.into_iter().map(|span| span.name.into_owned()));
            Ok(())
        }
    }

    /// One test, not two: whether a callsite is enabled is cached for the whole process, so
    /// two tests installing their subscribers at once would each see the other's answer.
    #[test]
    fn statements_are_disabled_without_an_exporter_and_exported_only_inside_a_traced_span_with_one()
    {
        tracing::dispatcher::with_default(&subscriber(LogFormat::Json, None), || {
            let request = tracing::info_span!("request");
            let _entered = request.enter();
            assert!(!request.is_disabled(), "the log sees requests");
            assert!(statement().is_disabled());
        });

        let kept = Kept::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(kept.clone())
            .build();
        tracing::dispatcher::with_default(&subscriber(LogFormat::Json, Some(&provider)), || {
            statement().in_scope(|| {});
            let probe = tracing::info_span!(target: UNTRACED, "probe");
            probe.in_scope(|| statement().in_scope(|| {}));
            drop(probe);
            let request = tracing::info_span!("request");
            request.in_scope(|| statement().in_scope(|| {}));
        });
        assert_eq!(*kept.0.lock().unwrap(), ["sea_orm.query_all", "request"]);
    }
}
