//! The HTTP surface: routes, and the layers every request passes (request id, tracing, CORS). The
//! body limit is applied where the body is read (`graphql::post`), so that it is answered as a
//! GraphQL error.

mod documents;
mod fair_share;
mod graphiql;
mod graphql;
mod health;
pub mod metrics;
mod trusted;

use crate::config::{AuthConfig, Config, CorsConfig, Environment, GraphqlConfig};
use crate::results::ResultTypes;
use crate::schema::{LeoraSchema, build_schema, build_trusted_schema, result_types};
use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use axum::routing::get;
use documents::DocumentCache;
pub use fair_share::{FairShare, FairShareConfig};
use leora_identity::graphql::AuthSettings;
use leora_identity::service::sessions::AuthPolicy;
use leora_identity::service::sign_in_failures::FailedSignIns;
use leora_identity::service::sign_in_limit::SignInLimiter;
use leora_identity::service::tokens::JwtKeys;
use leora_integrations::{IntegrationsSettings, UrlPolicy};
use leora_tenancy::TenantDb;
use metrics::Metrics;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
pub use trusted::TrustedDocuments;

const REQUEST_ID: &str = "x-request-id";

/// What every request handler can reach; built once at start-up.
#[derive(Clone)]
pub struct AppState {
    pub db: TenantDb,
    /// The raw pool, for health checks only; tenant data is reached through `db`.
    pub pool: DatabaseConnection,
    pub schema: LeoraSchema,
    /// The same schema for trusted documents, validated once when the manifest loaded.
    pub trusted_schema: LeoraSchema,
    /// Where the schema's results may hold `null`, to complete each response.
    pub result_types: Arc<ResultTypes>,
    /// Parsed documents by query text, shared by every request.
    pub documents: Arc<DocumentCache>,
    /// The documents clients may name by id (see [`trusted`]).
    pub trusted: Arc<TrustedDocuments>,
    pub auth: Arc<AuthSettings>,
    pub limits: GraphqlConfig,
    pub environment: Environment,
    pub cors: CorsConfig,
    pub trusted_proxy_hops: usize,
    pub integrations: Arc<IntegrationsSettings>,
    /// The counters `GET /metrics` reports.
    pub metrics: Arc<Metrics>,
    /// Each tenant's share of the server, each principal's request rate.
    pub fair_share: Arc<FairShare>,
    /// How long one request may take, start to last resolver.
    pub request_timeout: std::time::Duration,
    /// What `GET /metrics` requires (see [`metrics::metrics`]).
    pub metrics_token: Option<String>,
    /// Live events for subscriptions: the instance's listener and its subscribers' limits.
    pub live: Arc<crate::live::LiveHub>,
    /// Whether traces are exported (`crate::telemetry`): requests then carry the fields a trace
    /// needs, and each GraphQL operation a span of its own. Off, spans and log lines are as they
    /// always were.
    pub traces: bool,
}

impl AppState {
    pub fn new(config: &Config, pool: DatabaseConnection) -> Self {
        Self::with_metrics(config, pool, Arc::new(Metrics::default()))
    }

    /// As [`AppState::new`], reporting `metrics` (whose SQL counter the caller has attached to
    /// `pool` with [`Metrics::count_sql_statements`]) at `GET /metrics`.
    pub fn with_metrics(config: &Config, pool: DatabaseConnection, metrics: Arc<Metrics>) -> Self {
        let production = config.environment == Environment::Production;
        let integrations = IntegrationsSettings::new(
            Arc::clone(&config.integrations.secrets),
            UrlPolicy::for_environment(production),
            config.integrations.max_subscriptions,
        );
        let db = TenantDb::new(pool.clone(), config.app_role.clone())
            .with_deadlines(config.resources.deadlines);
        let live = crate::live::LiveHub::new(
            db.clone(),
            pool.clone(),
            config.direct_url.clone(),
            config.live,
        );
        Self {
            db,
            live: Arc::new(live),
            pool,
            schema: build_schema(&config.graphql),
            trusted_schema: build_trusted_schema(&config.graphql),
            result_types: Arc::new(result_types()),
            documents: Arc::new(DocumentCache::new(config.graphql.document_cache_bytes)),
            trusted: Arc::clone(&config.trusted_documents),
            auth: Arc::new(auth_settings(&config.auth, config.environment)),
            limits: config.graphql,
            environment: config.environment,
            cors: config.cors.clone(),
            trusted_proxy_hops: config.trusted_proxy_hops,
            integrations: Arc::new(integrations),
            metrics,
            fair_share: Arc::new(FairShare::new(config.resources.fair_share)),
            request_timeout: config.resources.request_timeout,
            metrics_token: config.metrics_token.clone(),
            traces: config.traces.is_some(),
        }
    }
}

fn auth_settings(auth: &AuthConfig, environment: Environment) -> AuthSettings {
    AuthSettings {
        keys: JwtKeys::new(auth.jwt_secret.as_bytes()),
        policy: AuthPolicy {
            access_ttl: chrono::Duration::seconds(auth.access_token_ttl_seconds),
            refresh_ttl: chrono::Duration::seconds(auth.refresh_token_ttl_seconds),
            session_lifetime: chrono::Duration::seconds(auth.session_lifetime_seconds),
            max_failed_logins: auth.max_failed_logins,
            lockout: chrono::Duration::seconds(auth.lockout_seconds),
            account_failure_ceiling: auth.account_failure_ceiling,
        },
        default_tenant_slug: auth.default_tenant_slug.clone(),
        demo_portal_password: auth.demo_portal_password.clone(),
        production: environment == Environment::Production,
        sign_in_limit: SignInLimiter::new(auth.sign_in_attempts_per_minute),
        failed_sign_ins: FailedSignIns::default(),
    }
}

fn cors(state: &AppState) -> CorsLayer {
    let origins: Vec<HeaderValue> = state
        .cors
        .allowed_origins
        .iter()
        .filter_map(|o| o.parse().ok())
        .collect();
    let allow_origin = match (origins.is_empty(), state.environment) {
        (true, Environment::Development) => AllowOrigin::any(),
        _ => AllowOrigin::list(origins),
    };
    let headers: Vec<HeaderName> = state
        .cors
        .allowed_headers
        .iter()
        .filter_map(|h| HeaderName::try_from(h.as_str()).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(headers)
        .expose_headers([
            HeaderName::from_static(REQUEST_ID),
            axum::http::header::RETRY_AFTER,
        ])
        .max_age(state.cors.max_age)
}

/// Routes that orchestrators and Prometheus call every few seconds: with traces exported their
/// spans go under [`crate::telemetry::UNTRACED`], which logs see and traces do not.
const PROBES: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

/// The span every request runs in. With traces exported it is the trace's root, a server span
/// named by method (and, once routed, route: `metrics::count_requests`) whose status code is
/// recorded with the response.
fn request_span(traces: bool) -> impl Fn(&Request<axum::body::Body>) -> tracing::Span + Clone {
    move |request: &Request<_>| {
        let id = request
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        let (method, path) = (request.method(), request.uri().path());
        if traces && PROBES.contains(&path) {
            tracing::info_span!(target: crate::telemetry::UNTRACED, "request", request_id = %id, method = %method, path = %path)
        } else if traces {
            tracing::info_span!(
                "request",
                request_id = %id,
                method = %method,
                path = %path,
                otel.name = %method,
                otel.kind = "server",
                http.route = tracing::field::Empty,
                http.response.status_code = tracing::field::Empty,
                otel.status_code = tracing::field::Empty,
            )
        } else {
            tracing::info_span!("request", request_id = %id, method = %method, path = %path)
        }
    }
}

/// Records the response's status on the request span (a 5xx marks it failed), then logs as
/// `TraceLayer` does by default.
fn record_status(
    response: &axum::http::Response<axum::body::Body>,
    latency: std::time::Duration,
    span: &tracing::Span,
) {
    use tower_http::trace::OnResponse;
    span.record("http.response.status_code", response.status().as_u16());
    if response.status().is_server_error() {
        span.record("otel.status_code", "ERROR");
    }
    tower_http::trace::DefaultOnResponse::default().on_response(response, latency, span);
}

pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static(REQUEST_ID);
    let mut router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz));
    if state.metrics_token.is_some() || state.environment == Environment::Development {
        router = router.route("/metrics", get(metrics::metrics));
    }
    if state.limits.graphiql {
        router = router
            .route("/graphiql", get(graphiql::page))
            .route("/graphiql/assets/{name}", get(graphiql::assets));
    }
    router
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::count_requests,
        ))
        .layer(cors(&state))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span(state.traces))
                .on_response(record_status),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}
