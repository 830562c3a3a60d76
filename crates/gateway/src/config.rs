//! The server's configuration: one typed struct read from the environment (and `.env` in
//! development), validated as a whole so start-up reports every bad value at once.

use leora_tenancy::AppRole;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// What stands between the serving pool and PostgreSQL (`DATABASE_POOLER`; see
/// `docs/database/README.md`, "Behind PgBouncer").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DatabasePooler {
    /// `DATABASE_URL` reaches PostgreSQL directly, through a session-mode pooler, or through a
    /// transaction-mode pooler that tracks prepared statements itself (PgBouncer 1.21 or newer
    /// with `max_prepared_statements` above 0): each connection keeps a cache of prepared
    /// statements.
    #[default]
    None,
    /// `DATABASE_URL` goes through a transaction-mode pooler that does not track prepared
    /// statements (PgBouncer before 1.21, such as Debian 12's 1.18): no prepared statement is
    /// used twice, so none has to outlive the transaction it was prepared in (the pooler clears
    /// them with `server_reset_query = DEALLOCATE ALL`), and `DIRECT_URL` is required, because
    /// subscriptions' `LISTEN` needs a session of its own.
    Transaction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    /// `None` in development means "find or start a local PostgreSQL".
    pub database_url: Option<String>,
    /// Migrations connect here when set (a direct connection, not through a pooler).
    pub direct_url: Option<String>,
    pub app_role: AppRole,
    pub database_pool_max: u32,
    /// What `DATABASE_URL` goes through.
    pub database_pooler: DatabasePooler,
    pub listen_addr: SocketAddr,
    pub log_format: LogFormat,
    pub local_postgres_dir: PathBuf,
    pub auth: AuthConfig,
    pub graphql: GraphqlConfig,
    pub resources: ResourceConfig,
    /// The bearer token `GET /metrics` requires. Unset: open in development, not served in
    /// production.
    pub metrics_token: Option<String>,
    pub cors: CorsConfig,
    /// How many proxies in front of the server append to `X-Forwarded-For`; the client is the
    /// entry that many places from the right. 0: the client is the connection's peer and the
    /// header is ignored.
    pub trusted_proxy_hops: usize,
    pub integrations: IntegrationsConfig,
    /// The operations the deployment's clients may name by id, and whether only those run
    /// (`GRAPHQL_TRUSTED_DOCUMENTS`, `GRAPHQL_TRUSTED_DOCUMENTS_ONLY`).
    pub trusted_documents: std::sync::Arc<crate::http::TrustedDocuments>,
    pub live: LiveConfig,
    /// Where traces go over OTLP (`crate::telemetry`); `None` (no endpoint configured): no trace
    /// leaves the process and no span is kept for it.
    pub traces: Option<TracesConfig>,
}

/// OpenTelemetry trace export over OTLP/HTTP (`docs/operations.md`, "Traces").
#[derive(Debug, Clone, PartialEq)]
pub struct TracesConfig {
    /// Where spans are sent: `OTEL_EXPORTER_OTLP_ENDPOINT` followed by `/v1/traces`, as the
    /// OTLP/HTTP convention has it (`http://collector:4318` sends to
    /// `http://collector:4318/v1/traces`).
    pub traces_url: String,
    /// The `service.name` every span carries (`OTEL_SERVICE_NAME`, `leora` by default).
    pub service_name: String,
    pub sampler: TraceSampler,
}

/// Which traces are kept (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, with the standard
/// OpenTelemetry names and meanings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceSampler {
    /// The share of new traces kept, from 0 to 1, decided by trace id.
    pub ratio: f64,
    /// Whether a span whose parent came with a sampling decision follows it instead. Leora
    /// starts every trace itself, so this matters only to what its own spans inherit.
    pub parent_based: bool,
}

/// The samplers `OTEL_TRACES_SAMPLER` may name.
const TRACE_SAMPLERS: &str = "always_on, always_off, traceidratio, parentbased_always_on, \
     parentbased_always_off or parentbased_traceidratio";

/// GraphQL subscriptions over WebSocket (see `docs/architecture.md`, "Live events").
#[derive(Debug, Clone, Copy)]
pub struct LiveConfig {
    /// Subscriptions one connection may hold at once.
    pub max_per_connection: usize,
    /// Subscriptions one tenant may hold at once on this instance, over all its connections.
    pub max_per_tenant: usize,
    /// How often each connection's session is checked again between events.
    pub session_check: std::time::Duration,
    /// How often the server pings an idle connection.
    pub keepalive: std::time::Duration,
    /// How long a new connection may take to send `connection_init`.
    pub init_timeout: std::time::Duration,
    /// Events an instance holds for its slowest subscription before that one is ended.
    pub event_buffer: usize,
    /// Messages a connection holds for a client that reads slowly before it is closed.
    pub send_buffer: usize,
}

/// What browsers on other origins may do (the CORS response headers).
#[derive(Clone, Debug)]
pub struct CorsConfig {
    /// Origins allowed to call the API from a browser; empty means any origin in development and
    /// none (same-origin only) in production.
    pub allowed_origins: Vec<String>,
    /// Request headers a browser may send: what Leora reads, and what common GraphQL clients and
    /// tracing add (Apollo's client name and version, W3C trace context).
    pub allowed_headers: Vec<String>,
    /// How long a browser may cache a preflight's answer.
    pub max_age: std::time::Duration,
}

/// [`CorsConfig::allowed_headers`] unless `CORS_ALLOWED_HEADERS` says otherwise.
pub const DEFAULT_CORS_HEADERS: &str = "authorization, content-type, accept, x-tenant-slug, \
     x-request-id, apollographql-client-name, apollographql-client-version, \
     apollo-require-preflight, traceparent, tracestate, baggage";

fn comma_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

#[derive(Clone)]
pub struct IntegrationsConfig {
    /// Encrypts webhook secrets and integration tokens; the development key when unset in
    /// development, required in production.
    pub secrets: std::sync::Arc<leora_integrations::SecretBox>,
    /// Whether the server also runs a webhook delivery worker (`leora worker` runs one alone).
    pub worker_enabled: bool,
    /// How many webhook subscriptions one tenant may hold.
    pub max_subscriptions: usize,
}

impl std::fmt::Debug for IntegrationsConfig {
    /// Keys never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntegrationsConfig")
            .field("active_key_id", &self.secrets.active_key_id())
            .field("worker_enabled", &self.worker_enabled)
            .field("max_subscriptions", &self.max_subscriptions)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub jwt_secret: String,
    pub access_token_ttl_seconds: i64,
    pub refresh_token_ttl_seconds: i64,
    /// How long a session family may be refreshed, from its sign-in.
    pub session_lifetime_seconds: i64,
    /// Wrong passwords one client address may send one account per lockout window.
    pub max_failed_logins: i32,
    pub lockout_seconds: i64,
    /// Wrong passwords in a row, from any addresses, that lock an account for everyone.
    pub account_failure_ceiling: i32,
    /// Sign-in attempts one client address may make per minute, across accounts.
    pub sign_in_attempts_per_minute: u32,
    pub default_tenant_slug: String,
    /// Development only: `portalLogin` as the demo buyer with this password provisions it.
    pub demo_portal_password: Option<String>,
}

/// How long and how much of the server one request, tenant or principal may take (see
/// `docs/architecture.md`, "Deadlines" and "Fair shares").
#[derive(Debug, Clone, Copy)]
pub struct ResourceConfig {
    /// Statement and idle-in-transaction deadlines of every request transaction.
    pub deadlines: leora_tenancy::Deadlines,
    /// The whole request, from verifying its token to its last resolver (the commit is never
    /// cut short).
    pub request_timeout: std::time::Duration,
    pub fair_share: crate::http::FairShareConfig,
}

#[derive(Debug, Clone, Copy)]
pub struct GraphqlConfig {
    pub max_depth: usize,
    /// What one request's operations may cost together (rows they may produce; see
    /// `crate::cost`).
    pub max_cost: usize,
    /// Root fields (aliases included) one operation may select.
    pub max_root_fields: usize,
    pub max_batch: usize,
    pub max_body_bytes: usize,
    /// The largest response body; a larger one is replaced by an error and rolled back.
    pub max_response_bytes: usize,
    /// Bytes of query text whose parsed documents are kept.
    pub document_cache_bytes: usize,
    pub introspection: bool,
    pub graphiql: bool,
}

/// Signs development tokens when JWT_SECRET is unset; production refuses to start without one.
const DEVELOPMENT_JWT_SECRET: &str = "leora-development-only-secret-never-use-in-production";
const MIN_JWT_SECRET_BYTES: usize = 32;

/// Every problem found in the environment, one line each.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  - {}", .0.join("\n  - "))]
pub struct ConfigError(pub Vec<String>);

/// Reads variables through `lookup` so tests can validate a configuration without touching the
/// process environment.
pub struct EnvReader<F: Fn(&str) -> Option<String>> {
    lookup: F,
    problems: Vec<String>,
}

impl<F: Fn(&str) -> Option<String>> EnvReader<F> {
    fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.trim().is_empty())
    }

    fn parsed<T: FromStr>(&mut self, name: &str, default: T, expected: &str) -> T {
        match self.optional(name) {
            None => default,
            Some(raw) => raw.trim().parse().unwrap_or_else(|_| {
                self.problems
                    .push(format!("{name}={raw:?} is not {expected}"));
                default
            }),
        }
    }

    fn positive<T: FromStr + PartialOrd + Default + Copy>(&mut self, name: &str, default: T) -> T {
        let value = self.parsed(name, default, "a positive whole number");
        if value <= T::default() {
            self.problems
                .push(format!("{name} must be greater than zero"));
        }
        value
    }

    fn database_url(&mut self, name: &str) -> Option<String> {
        let url = self.optional(name)?;
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(url)
        } else {
            self.problems.push(format!(
                "{name} must be a PostgreSQL URL (postgres://user:password@host:port/database)"
            ));
            None
        }
    }
}

/// The host a PostgreSQL URL names when it is not this machine (a name other than `localhost`, an
/// address other than a loopback one); `None` for local hosts and Unix sockets.
fn remote_database_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match host_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let local = host.is_empty()
        || host.eq_ignore_ascii_case("localhost")
        || host.starts_with('%')
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback());
    (!local).then(|| host.to_owned())
}

impl Config {
    /// Whether serving seeds the demo tenant (with the README's published passwords): only the
    /// zero-config local run, whose database Leora found or started itself, fills it on first
    /// start (later runs find it there). A database named by `DATABASE_URL` gets it only from an
    /// explicit `leora seed`.
    pub fn seeds_demo_tenant(&self) -> bool {
        self.environment == Environment::Development && self.database_url.is_none()
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut env = EnvReader {
            lookup,
            problems: Vec::new(),
        };
        let chosen_environment = env.optional("LEORA_ENV");
        let environment = match chosen_environment.as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                env.problems.push(format!(
                    "LEORA_ENV={other:?} must be development or production"
                ));
                Environment::Development
            }
        };
        let database_url = env.database_url("DATABASE_URL");
        if database_url.is_none() && environment == Environment::Production {
            env.problems
                .push("DATABASE_URL is required in production".to_owned());
        }
        let direct_url = env.database_url("DIRECT_URL");
        let app_role = match env
            .optional("APP_DB_ROLE")
            .map(|name| AppRole::parse(&name))
        {
            None => AppRole::default(),
            Some(Ok(role)) => role,
            Some(Err(invalid)) => {
                env.problems.push(invalid.to_string());
                AppRole::default()
            }
        };
        let database_pool_max: u32 = env.parsed("DATABASE_POOL_MAX", 10, "a whole number");
        if database_pool_max == 0 {
            env.problems
                .push("DATABASE_POOL_MAX must be at least 1".to_owned());
        }
        let database_pooler = match env.optional("DATABASE_POOLER").as_deref().map(str::trim) {
            None | Some("none") => DatabasePooler::None,
            Some("transaction") => DatabasePooler::Transaction,
            Some(other) => {
                env.problems.push(format!(
                    "DATABASE_POOLER={other:?} must be none or transaction"
                ));
                DatabasePooler::None
            }
        };
        if database_pooler == DatabasePooler::Transaction {
            if database_url.is_none() {
                env.problems.push(
                    "DATABASE_POOLER=transaction describes DATABASE_URL, which is not set"
                        .to_owned(),
                );
            } else if direct_url.is_none() {
                env.problems.push(
                    "DATABASE_POOLER=transaction needs DIRECT_URL, a direct connection to the same \
                     database: a transaction-mode pooler keeps no session for migrations or for \
                     the subscriptions' LISTEN"
                        .to_owned(),
                );
            }
        }
        let listen_addr = env.parsed(
            "LEORA_LISTEN_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            "an address such as 127.0.0.1:8080",
        );
        let default_log_format = match environment {
            Environment::Development => LogFormat::Pretty,
            Environment::Production => LogFormat::Json,
        };
        let log_format = match env.optional("LOG_FORMAT").as_deref() {
            None => default_log_format,
            Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                env.problems
                    .push(format!("LOG_FORMAT={other:?} must be pretty or json"));
                default_log_format
            }
        };
        let production = environment == Environment::Production;
        let jwt_secret = match env.optional("JWT_SECRET") {
            Some(secret) if secret.len() >= MIN_JWT_SECRET_BYTES => secret,
            Some(_) => {
                env.problems.push(format!(
                    "JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes"
                ));
                String::new()
            }
            None if production => {
                env.problems
                    .push("JWT_SECRET is required in production".to_owned());
                String::new()
            }
            None => DEVELOPMENT_JWT_SECRET.to_owned(),
        };
        let auth = AuthConfig {
            jwt_secret,
            access_token_ttl_seconds: env.positive("ACCESS_TOKEN_TTL_SECONDS", 900),
            refresh_token_ttl_seconds: env.positive("REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600),
            session_lifetime_seconds: env.positive("SESSION_MAX_LIFETIME_SECONDS", 90 * 24 * 3600),
            max_failed_logins: env.positive("LOGIN_MAX_FAILED_ATTEMPTS", 5),
            lockout_seconds: env.positive("LOGIN_LOCKOUT_SECONDS", 900),
            account_failure_ceiling: env.positive("LOGIN_ACCOUNT_FAILURE_CEILING", 50),
            sign_in_attempts_per_minute: env.positive("LOGIN_ATTEMPTS_PER_MINUTE_PER_ADDRESS", 60),
            default_tenant_slug: env
                .optional("DEFAULT_TENANT_SLUG")
                .unwrap_or_else(|| "well-crafted".to_owned()),
            demo_portal_password: env.optional("DEV_DEMO_PORTAL_PASSWORD"),
        };
        if production && auth.demo_portal_password.is_some() {
            env.problems.push("DEV_DEMO_PORTAL_PASSWORD provisions a demo portal user and is refused in production".to_owned());
        }
        let graphql = GraphqlConfig {
            max_depth: env.positive("GRAPHQL_MAX_DEPTH", 16),
            max_cost: env.positive("GRAPHQL_MAX_COST", 150_000),
            max_root_fields: env.positive("GRAPHQL_MAX_ROOT_FIELDS", 20),
            max_batch: env.positive("GRAPHQL_MAX_BATCH", 10),
            max_body_bytes: env.positive("GRAPHQL_MAX_BODY_BYTES", 1 << 20),
            max_response_bytes: env.positive("GRAPHQL_MAX_RESPONSE_BYTES", 16 << 20),
            document_cache_bytes: env
                .positive("GRAPHQL_DOCUMENT_CACHE_KIB", 256usize)
                .saturating_mul(1024),
            introspection: env.parsed("GRAPHQL_INTROSPECTION", !production, "true or false"),
            graphiql: env.parsed("GRAPHIQL_ENABLED", !production, "true or false"),
        };
        let millis = |ms: u64| std::time::Duration::from_millis(ms);
        let principal_rate: f64 = env.parsed(
            "PRINCIPAL_REQUESTS_PER_SECOND",
            if production { 50.0 } else { 0.0 },
            "a number of requests per second (0: no limit)",
        );
        if !(principal_rate >= 0.0 && principal_rate.is_finite()) {
            env.problems
                .push("PRINCIPAL_REQUESTS_PER_SECOND must be 0 or more".to_owned());
        }
        let resources = ResourceConfig {
            deadlines: leora_tenancy::Deadlines {
                statement: Some(millis(env.positive("DB_STATEMENT_TIMEOUT_MS", 5_000))),
                idle_in_transaction: Some(millis(
                    env.positive("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 10_000),
                )),
            },
            request_timeout: millis(env.positive("REQUEST_TIMEOUT_MS", 15_000)),
            fair_share: crate::http::FairShareConfig {
                // Half the pool, and no more than the CPUs: a tenant's requests are CPU-bound
                // once the database answers, so more of them at once only take the cores from
                // the other tenants (docs/performance.md, "A noisy neighbour").
                tenant_concurrency: env.positive(
                    "TENANT_MAX_CONCURRENT_REQUESTS",
                    usize::try_from(database_pool_max.div_ceil(2))
                        .unwrap_or(1)
                        .min(std::thread::available_parallelism().map_or(1, usize::from))
                        .max(1),
                ),
                tenant_wait: millis(env.positive("TENANT_QUEUE_WAIT_MS", 2_000)),
                principal_rate: (principal_rate > 0.0).then_some(principal_rate),
                principal_burst: env.positive("PRINCIPAL_REQUEST_BURST", 100.0),
            },
        };
        let allowed_headers = comma_list(
            &env.optional("CORS_ALLOWED_HEADERS")
                .unwrap_or_else(|| DEFAULT_CORS_HEADERS.to_owned()),
        );
        for header in &allowed_headers {
            if axum::http::HeaderName::try_from(header.as_str()).is_err() {
                env.problems.push(format!(
                    "CORS_ALLOWED_HEADERS names {header:?}, which is not an HTTP header name"
                ));
            }
        }
        let cors = CorsConfig {
            allowed_origins: env
                .optional("CORS_ALLOWED_ORIGINS")
                .map(|origins| comma_list(&origins))
                .unwrap_or_default(),
            allowed_headers,
            max_age: std::time::Duration::from_secs(env.parsed(
                "CORS_MAX_AGE_SECONDS",
                600,
                "a whole number of seconds",
            )),
        };
        let trusted_proxy_hops = env.parsed(
            "TRUSTED_PROXY_HOPS",
            0,
            "a whole number of proxies (0 when clients connect directly)",
        );
        let secrets = match env.optional(leora_integrations::ENCRYPTION_KEYS_ENV) {
            Some(spec) => leora_integrations::SecretBox::parse(&spec).unwrap_or_else(|error| {
                env.problems.push(error.to_string());
                leora_integrations::SecretBox::development()
            }),
            None if production => {
                env.problems.push(format!(
                    "{} is required in production (key-id:base64 32-byte key, e.g. k1:$(openssl rand -base64 32))",
                    leora_integrations::ENCRYPTION_KEYS_ENV
                ));
                leora_integrations::SecretBox::development()
            }
            None => leora_integrations::SecretBox::development(),
        };
        let integrations = IntegrationsConfig {
            secrets: std::sync::Arc::new(secrets),
            worker_enabled: env.parsed("WEBHOOK_WORKER_ENABLED", true, "true or false"),
            max_subscriptions: env.positive("WEBHOOK_MAX_SUBSCRIPTIONS_PER_TENANT", 20),
        };
        let live = LiveConfig {
            max_per_connection: env.positive("SUBSCRIPTIONS_MAX_PER_CONNECTION", 20),
            max_per_tenant: env.positive("SUBSCRIPTIONS_MAX_PER_TENANT", 1_000),
            session_check: millis(env.positive("SUBSCRIPTION_SESSION_CHECK_MS", 5_000)),
            keepalive: millis(env.positive("SUBSCRIPTION_KEEPALIVE_MS", 15_000)),
            init_timeout: millis(env.positive("SUBSCRIPTION_INIT_TIMEOUT_MS", 10_000)),
            event_buffer: env.positive("SUBSCRIPTION_EVENT_BUFFER", 1_024),
            send_buffer: env.positive("SUBSCRIPTION_SEND_BUFFER", 64),
        };
        if chosen_environment.is_none() {
            let elsewhere = (!listen_addr.ip().is_loopback())
                .then(|| format!("listens on {listen_addr}"))
                .or_else(|| {
                    database_url
                        .as_deref()
                        .and_then(remote_database_host)
                        .map(|host| format!("uses the database at {host}"))
                });
            if let Some(elsewhere) = elsewhere {
                env.problems.push(format!(
                    "LEORA_ENV is not set, so Leora would run in development mode (public development \
                     secrets, GraphiQL, permissive CORS) although it {elsewhere}, which is not this \
                     machine: set LEORA_ENV=production, or LEORA_ENV=development to run development \
                     mode there on purpose"
                ));
            }
        }
        let trusted_only = env.parsed("GRAPHQL_TRUSTED_DOCUMENTS_ONLY", false, "true or false");
        let trusted_documents = match env.optional("GRAPHQL_TRUSTED_DOCUMENTS") {
            Some(path) => crate::http::TrustedDocuments::load(path.trim().as_ref(), trusted_only)
                .unwrap_or_else(|problem| {
                    env.problems
                        .push(format!("GRAPHQL_TRUSTED_DOCUMENTS: {problem}"));
                    crate::http::TrustedDocuments::default()
                }),
            None if trusted_only => {
                env.problems.push(
                    "GRAPHQL_TRUSTED_DOCUMENTS_ONLY=true needs GRAPHQL_TRUSTED_DOCUMENTS, the path \
                     of the trusted documents manifest"
                        .to_owned(),
                );
                crate::http::TrustedDocuments::default()
            }
            None => crate::http::TrustedDocuments::default(),
        };
        let metrics_token = env.optional("METRICS_TOKEN");
        let traces = traces_config(&mut env);
        let local_postgres_dir = env
            .optional("LEORA_LOCAL_PG_DIR")
            .map_or_else(|| PathBuf::from(".leora/postgres"), PathBuf::from);

        if !env.problems.is_empty() {
            return Err(ConfigError(env.problems));
        }
        Ok(Self {
            environment,
            database_url,
            direct_url,
            app_role,
            database_pool_max,
            database_pooler,
            listen_addr,
            log_format,
            local_postgres_dir,
            auth,
            graphql,
            resources,
            metrics_token,
            cors,
            trusted_proxy_hops,
            integrations,
            trusted_documents: std::sync::Arc::new(trusted_documents),
            live,
            traces,
        })
    }
}

/// The trace export `OTEL_EXPORTER_OTLP_ENDPOINT` and its companions ask for; `None` without an
/// endpoint, whatever the others say.
fn traces_config<F: Fn(&str) -> Option<String>>(env: &mut EnvReader<F>) -> Option<TracesConfig> {
    let endpoint = env.optional("OTEL_EXPORTER_OTLP_ENDPOINT")?;
    let endpoint = endpoint.trim().trim_end_matches('/');
    let usable = axum::http::Uri::try_from(endpoint).is_ok_and(|uri| {
        matches!(uri.scheme_str(), Some("http" | "https"))
            && uri.authority().is_some()
            && uri.query().is_none()
    });
    if !usable {
        env.problems.push(format!(
            "OTEL_EXPORTER_OTLP_ENDPOINT={endpoint:?} must be the http:// or https:// URL of an \
             OTLP/HTTP collector, such as http://127.0.0.1:4318 (spans go to its /v1/traces)"
        ));
    }
    let service_name = env
        .optional("OTEL_SERVICE_NAME")
        .map_or_else(|| "leora".to_owned(), |name| name.trim().to_owned());
    let sampler_name = env.optional("OTEL_TRACES_SAMPLER");
    let (ratio_sampler, parent_based) = match sampler_name.as_deref().map(str::trim) {
        None | Some("parentbased_always_on") => (None, true),
        Some("always_on") => (None, false),
        Some("always_off") => (Some(false), false),
        Some("parentbased_always_off") => (Some(false), true),
        Some("traceidratio") => (Some(true), false),
        Some("parentbased_traceidratio") => (Some(true), true),
        Some(other) => {
            env.problems.push(format!(
                "OTEL_TRACES_SAMPLER={other:?} must be one of {TRACE_SAMPLERS}"
            ));
            (None, true)
        }
    };
    let ratio = match ratio_sampler {
        None => 1.0,
        Some(false) => 0.0,
        Some(true) => {
            let ratio: f64 = env.parsed(
                "OTEL_TRACES_SAMPLER_ARG",
                1.0,
                "a ratio from 0 to 1 (the share of traces kept)",
            );
            if !(0.0..=1.0).contains(&ratio) {
                env.problems.push(format!(
                    "OTEL_TRACES_SAMPLER_ARG={ratio} must be from 0 to 1 (the share of traces kept)"
                ));
            }
            ratio
        }
    };
    Some(TracesConfig {
        traces_url: format!("{endpoint}/v1/traces"),
        service_name,
        sampler: TraceSampler {
            ratio,
            parent_based,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TEST_KEYS: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn development_mode_is_refused_when_it_is_not_clearly_local_and_not_chosen() {
        let public = config(&[("LEORA_LISTEN_ADDR", "0.0.0.0:8080")]).unwrap_err();
        assert!(public.to_string().contains("set LEORA_ENV"), "{public}");
        let remote =
            config(&[("DATABASE_URL", "postgres://leora@db.internal:5432/leora")]).unwrap_err();
        assert!(remote.to_string().contains("db.internal"), "{remote}");
        assert!(config(&[("DATABASE_URL", "postgres://leora@127.0.0.1:5432/leora")]).is_ok());
        assert!(config(&[("DATABASE_URL", "postgres://leora@[::1]/leora")]).is_ok());
        assert!(config(&[("DATABASE_URL", "postgresql:///leora?host=/run/postgresql")]).is_ok());
        let chosen = config(&[
            ("LEORA_ENV", "development"),
            ("LEORA_LISTEN_ADDR", "0.0.0.0:8080"),
        ]);
        assert!(chosen.is_ok(), "development on purpose is allowed");
    }

    #[test]
    fn the_example_environment_turns_on_no_graphiql_or_introspection_in_production() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let example = std::fs::read_to_string(root.join(".env.example")).unwrap();
        let mut vars: HashMap<String, String> = example
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .filter_map(|line| line.split_once('='))
            .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
            .collect();
        vars.extend([
            ("LEORA_ENV".to_owned(), "production".to_owned()),
            (
                "DATABASE_URL".to_owned(),
                "postgres://leora@db.internal/leora".to_owned(),
            ),
            ("JWT_SECRET".to_owned(), "x".repeat(48)),
            ("LEORA_ENCRYPTION_KEYS".to_owned(), TEST_KEYS.to_owned()),
        ]);
        let config = Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
        assert!(!config.graphql.introspection);
        assert!(!config.graphql.graphiql);
    }

    #[test]
    fn only_the_zero_config_local_run_seeds_the_demo_tenant() {
        assert!(config(&[]).unwrap().seeds_demo_tenant());
        let named = config(&[("DATABASE_URL", "postgres://leora@127.0.0.1/leora")]).unwrap();
        assert!(!named.seeds_demo_tenant());
    }

    #[test]
    fn development_needs_no_variables() {
        let config = config(&[]).unwrap();
        assert_eq!(config.environment, Environment::Development);
        assert_eq!(config.database_url, None);
        assert_eq!(config.app_role.as_str(), "leora_app");
        assert_eq!(config.log_format, LogFormat::Pretty);
    }

    #[test]
    fn production_requires_a_database_url() {
        let error = config(&[
            ("LEORA_ENV", "production"),
            ("JWT_SECRET", &"s".repeat(32)),
            ("LEORA_ENCRYPTION_KEYS", TEST_KEYS),
        ])
        .unwrap_err();
        assert_eq!(error.0, vec!["DATABASE_URL is required in production"]);
    }

    #[test]
    fn production_refuses_demo_provisioning_and_missing_secrets() {
        let error = config(&[
            ("LEORA_ENV", "production"),
            ("DATABASE_URL", "postgres://leora@db/leora"),
            ("DEV_DEMO_PORTAL_PASSWORD", "demo-password"),
        ])
        .unwrap_err();
        assert_eq!(error.0.len(), 3, "{error}");
        assert!(
            error
                .to_string()
                .contains("JWT_SECRET is required in production")
        );
        assert!(
            error
                .to_string()
                .contains("LEORA_ENCRYPTION_KEYS is required in production")
        );
        assert!(error.to_string().contains("refused in production"));
    }

    #[test]
    fn production_turns_off_graphiql_and_introspection_by_default() {
        let config = config(&[
            ("LEORA_ENV", "production"),
            ("DATABASE_URL", "postgres://leora@db/leora"),
            ("JWT_SECRET", "0123456789abcdef0123456789abcdef"),
            (
                "LEORA_ENCRYPTION_KEYS",
                "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            ),
        ])
        .unwrap();
        assert!(!config.graphql.graphiql && !config.graphql.introspection);
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        let error = config(&[
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_POOL_MAX", "many"),
            ("APP_DB_ROLE", "Robert'); DROP TABLE users;--"),
            ("LEORA_LISTEN_ADDR", "nowhere"),
        ])
        .unwrap_err();
        assert_eq!(error.0.len(), 4, "{error}");
        assert!(
            error
                .to_string()
                .contains("DATABASE_URL must be a PostgreSQL URL")
        );
    }

    #[test]
    fn traces_are_off_without_an_endpoint_and_go_to_its_v1_traces_with_one() {
        let off = config(&[("OTEL_TRACES_SAMPLER", "always_on")]).unwrap();
        assert_eq!(off.traces, None);
        let on = config(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")]).unwrap();
        assert_eq!(
            on.traces,
            Some(TracesConfig {
                traces_url: "http://collector:4318/v1/traces".to_owned(),
                service_name: "leora".to_owned(),
                sampler: TraceSampler {
                    ratio: 1.0,
                    parent_based: true,
                },
            })
        );
        let sampled = config(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel.internal/base"),
            ("OTEL_SERVICE_NAME", "leora-eu"),
            ("OTEL_TRACES_SAMPLER", "traceidratio"),
            ("OTEL_TRACES_SAMPLER_ARG", "0.25"),
        ])
        .unwrap()
        .traces
        .unwrap();
        assert_eq!(sampled.traces_url, "https://otel.internal/base/v1/traces");
        assert_eq!(sampled.service_name, "leora-eu");
        assert_eq!(
            sampled.sampler,
            TraceSampler {
                ratio: 0.25,
                parent_based: false,
            }
        );
    }

    #[test]
    fn bad_trace_settings_are_each_named() {
        let error = config(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317"),
            ("OTEL_TRACES_SAMPLER", "sometimes"),
        ])
        .unwrap_err();
        assert_eq!(error.0.len(), 2, "{error}");
        assert!(error.0[0].starts_with("OTEL_EXPORTER_OTLP_ENDPOINT=\"collector:4317\" must be"));
        assert!(error.0[1].starts_with("OTEL_TRACES_SAMPLER=\"sometimes\" must be one of"));
        let error = config(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
            ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
            ("OTEL_TRACES_SAMPLER_ARG", "1.5"),
        ])
        .unwrap_err();
        assert_eq!(
            error.0,
            ["OTEL_TRACES_SAMPLER_ARG=1.5 must be from 0 to 1 (the share of traces kept)"]
        );
    }

    #[test]
    fn a_transaction_pooler_needs_a_direct_url() {
        let pooled = "postgres://leora@127.0.0.1:6432/leora";
        let direct = "postgres://leora@127.0.0.1:5432/leora";
        assert_eq!(config(&[]).unwrap().database_pooler, DatabasePooler::None);
        let without_direct =
            config(&[("DATABASE_URL", pooled), ("DATABASE_POOLER", "transaction")]).unwrap_err();
        assert!(
            without_direct.to_string().contains("needs DIRECT_URL"),
            "{without_direct}"
        );
        let without_url = config(&[("DATABASE_POOLER", "transaction")]).unwrap_err();
        assert!(
            without_url
                .to_string()
                .contains("DATABASE_URL, which is not set"),
            "{without_url}"
        );
        let unknown = config(&[("DATABASE_POOLER", "session")]).unwrap_err();
        assert!(
            unknown.to_string().contains("must be none or transaction"),
            "{unknown}"
        );
        let pooled = config(&[
            ("DATABASE_URL", pooled),
            ("DIRECT_URL", direct),
            ("DATABASE_POOLER", "transaction"),
        ])
        .unwrap();
        assert_eq!(pooled.database_pooler, DatabasePooler::Transaction);
    }

    /// Names passed to the environment readers anywhere in the workspace's sources.
    fn variables_read_by(source: &str) -> Vec<String> {
        const READERS: [&str; 7] = [
            "optional(",
            "parsed(",
            "positive(",
            "database_url(",
            "env::var(",
            "_ENV: &str =",
            "env_var(",
        ];
        let mut names = Vec::new();
        for reader in READERS {
            for (at, _) in source.match_indices(reader) {
                let rest = source[at + reader.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                    .collect();
                if !name.is_empty() && rest[name.len()..].starts_with('"') {
                    names.push(name);
                }
            }
        }
        names
    }

    fn rust_sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir()
                && path
                    .file_name()
                    .is_some_and(|n| n != "target" && n != "tests")
            {
                rust_sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    #[test]
    fn every_variable_the_code_reads_is_documented_in_env_example() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let example = std::fs::read_to_string(root.join(".env.example")).unwrap();
        let documented = |name: &str| {
            example.lines().any(|line| {
                line.trim_start_matches(['#', ' '])
                    .starts_with(&format!("{name}="))
            })
        };
        let mut sources = Vec::new();
        for dir in ["crates", "migration", "seed"] {
            rust_sources(&root.join(dir), &mut sources);
        }
        let mut read: Vec<String> = sources
            .iter()
            .flat_map(|path| variables_read_by(&std::fs::read_to_string(path).unwrap()))
            .collect();
        read.sort();
        read.dedup();
        assert!(
            read.contains(&"JWT_SECRET".to_owned())
                && read.contains(&"LEORA_LISTEN_ADDR".to_owned()),
            "{read:?}"
        );
        let missing: Vec<&String> = read.iter().filter(|name| !documented(name)).collect();
        assert!(missing.is_empty(), ".env.example does not list {missing:?}");
    }
}
