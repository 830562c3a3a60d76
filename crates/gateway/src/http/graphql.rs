//! GraphQL over HTTP: `POST /graphql` (JSON) and `GET /graphql` (queries only), following the
//! GraphQL-over-HTTP specification (<https://graphql.github.io/graphql-over-http/draft/>) —
//! `application/graphql-response+json` when the client accepts it (with 4xx for requests that
//! never reach execution), `application/json` otherwise.
//!
//! Each HTTP request is one unit of work: the access token is verified, one tenant transaction is
//! opened for the principal, every operation of the request runs in it (each top-level mutation
//! field in a savepoint of its own, `crate::savepoints`), and what succeeded is committed. Before
//! that, the request is priced (`crate::cost`) and the
//! principal admitted to its tenant's share (`super::fair_share`); the whole of it runs under a
//! deadline. Sign-in mutations open transactions of their own, so a request of nothing else runs
//! without the bearer's transaction: holding one connection while waiting for a second could
//! drain the pool.

use super::AppState;
use super::fair_share::Busy;
use crate::cost::{RequestBudget, selected_operation};
use crate::errors::{code_of, coded};
use crate::http::fair_share::TenantTurn;
use crate::http::metrics::OperationName;
use crate::http::trusted::{self, Untrusted};
use crate::results::Sent;
use async_graphql::http::parse_query_string;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, ServerError};
use axum::Extension;
use axum::body::Body;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leora_identity::IdentityError;
use leora_identity::graphql::TenantHint;
use leora_identity::service::sessions::{self, ClientInfo};
use leora_identity::service::tokens::{AccessClaims, PrincipalKind};
use leora_tenancy::graphql::error::RETRY_AFTER_UNAVAILABLE_SECONDS;
use leora_tenancy::graphql::permission::PermissionSet;
use leora_tenancy::graphql::{Batching, RequestScope, Session};
use leora_tenancy::sql::{database_cause, is_database_unavailable};
use leora_tenancy::{ApiError, AuthFailure, ErrorCode};
use leora_tenancy::{TenancyError, TenantContext, TenantTx};
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";
const TENANT_HEADER: &str = "x-tenant-slug";

#[derive(Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    /// `application/graphql-response+json` when the client lists it; legacy JSON otherwise.
    fn negotiate(headers: &HeaderMap) -> Self {
        let accepts = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accepts.contains(GRAPHQL_RESPONSE) {
            Self::GraphqlResponse
        } else {
            Self::Json
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }
}

/// A request that never reached execution.
fn request_error(status: StatusCode, media: MediaType, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": ErrorCode::BadUserInput.as_str() } }] });
    (
        status,
        [(header::CONTENT_TYPE, media.content_type())],
        body.to_string(),
    )
        .into_response()
}

fn error_response(
    status: StatusCode,
    media: MediaType,
    code: ErrorCode,
    message: &str,
) -> Response {
    let body =
        json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] });
    (
        status,
        [(header::CONTENT_TYPE, media.content_type())],
        body.to_string(),
    )
        .into_response()
}

/// The connection's peer, present when the server runs with connect info (the tests' in-process
/// router has none).
type Peer = Option<Extension<ConnectInfo<SocketAddr>>>;

pub async fn post(
    State(state): State<AppState>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = std::time::Instant::now();
    let response = private(answer_post(&state, peer, &headers, body).await);
    state
        .metrics
        .observe_graphql(response, started.elapsed())
        .await
}

/// `GET /graphql`: a query in the query string, or, with `Upgrade: websocket`, a connection for
/// subscriptions (`crate::live::socket`).
pub async fn get(State(state): State<AppState>, peer: Peer, request: Request) -> Response {
    let started = std::time::Instant::now();
    let (mut parts, _) = request.into_parts();
    let upgrade = parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if upgrade {
        return match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
            Ok(upgrade) => crate::live::socket::upgrade(state, upgrade),
            Err(rejection) => rejection.into_response(),
        };
    }
    let query = parts.uri.query().map(str::to_owned);
    let response = private(answer_get(&state, peer, &parts.headers, query).await);
    state
        .metrics
        .observe_graphql(response, started.elapsed())
        .await
}

/// Every answer is for its bearer alone and about data that changes: no cache, shared or not,
/// may keep it (a GET is no exception).
fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Authorization, X-Tenant-Slug"),
    );
    response
}

async fn answer_post(state: &AppState, peer: Peer, headers: &HeaderMap, body: Body) -> Response {
    let media = MediaType::negotiate(headers);
    // Read here, not by a layer, so that a body past the limit is answered as a GraphQL error;
    // reading stops at the limit, whatever Content-Length claims.
    let limit = state.limits.max_body_bytes;
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        return request_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            media,
            &format!("the request body must be at most {limit} bytes"),
        );
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with(JSON) {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "send the request as application/json",
        );
    }
    let (mut batch, trusted) = match read_batch(state, &body) {
        Ok(read) => read,
        Err(Unread::NotGraphql(error)) => {
            let message = format!("the request body is not a GraphQL request: {error}");
            return request_error(StatusCode::BAD_REQUEST, media, &message);
        }
        Err(Unread::Untrusted(Untrusted(message))) => return untrusted(media, &message),
    };
    let operations = match &batch {
        BatchRequest::Single(_) => None,
        BatchRequest::Batch(requests) => Some(requests.len()),
    };
    if operations.is_some_and(|size| size == 0 || size > state.limits.max_batch) {
        let message = format!("a batch holds 1 to {} operations", state.limits.max_batch);
        return request_error(StatusCode::BAD_REQUEST, media, &message);
    }
    let operation = match &batch {
        BatchRequest::Single(request) => OperationName::of_request(request),
        BatchRequest::Batch(_) => OperationName::batch(),
    };
    let response = if batch.iter().any(persisted_only) {
        persisted_query_not_supported(media)
    } else {
        for (position, request) in batch.iter_mut().enumerate() {
            match trusted.get(position).cloned().flatten() {
                Some(document) => trusted::use_trusted(request, &document),
                None => state.documents.prepare(request),
            }
        }
        execute(state, peer, headers, batch, media).await
    };
    let mut response = match operations {
        Some(operations) => one_answer_per_operation(response, operations, media).await,
        None => response,
    };
    response.extensions_mut().insert(operation);
    response
}

/// Why a request body could not be read as operations to run.
enum Unread {
    NotGraphql(serde_json::Error),
    Untrusted(Untrusted),
}

/// The body's operations, with the parsed trusted document of each that is one. With a trusted
/// documents manifest, an operation may name its document by id, and with
/// `GRAPHQL_TRUSTED_DOCUMENTS_ONLY` must (see [`super::trusted`]).
type Read = (BatchRequest, Vec<Option<Arc<ExecutableDocument>>>);

fn read_batch(state: &AppState, body: &[u8]) -> Result<Read, Unread> {
    if !state.trusted.configured() {
        let batch = serde_json::from_slice(body).map_err(Unread::NotGraphql)?;
        return Ok((batch, Vec::new()));
    }
    let mut body: serde_json::Value = serde_json::from_slice(body).map_err(Unread::NotGraphql)?;
    let trusted = state
        .trusted
        .resolve(&mut body)
        .map_err(Unread::Untrusted)?;
    let batch = serde_json::from_value(body).map_err(Unread::NotGraphql)?;
    Ok((batch, trusted))
}

fn untrusted(media: MediaType, message: &str) -> Response {
    error_response(
        StatusCode::BAD_REQUEST,
        media,
        ErrorCode::DocumentNotTrusted,
        message,
    )
}

/// A batch is answered with one result per operation, in order: batching clients (Apollo's
/// `BatchHttpLink`) match results to operations by position, and fail every operation of a batch
/// answered with a single object. A refusal of the whole request (a token that cannot be used,
/// `RATE_LIMITED`, a request past its deadline) is each operation's answer; status and headers
/// stay the refusal's.
async fn one_answer_per_operation(
    response: Response,
    operations: usize,
    media: MediaType,
) -> Response {
    let (mut parts, body) = response.into_parts();
    // The body is already in memory (every answer is built whole), so this copies no more than
    // the answer itself.
    let Ok(answer) = axum::body::to_bytes(body, usize::MAX).await else {
        return internal_error(media);
    };
    if answer.first() == Some(&b'[') {
        return Response::from_parts(parts, Body::from(answer));
    }
    let mut answers = Vec::with_capacity((answer.len() + 1) * operations + 1);
    answers.push(b'[');
    for position in 0..operations {
        if position > 0 {
            answers.push(b',');
        }
        answers.extend_from_slice(&answer);
    }
    answers.push(b']');
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(answers))
}

async fn answer_get(
    state: &AppState,
    peer: Peer,
    headers: &HeaderMap,
    query: Option<String>,
) -> Response {
    let media = MediaType::negotiate(headers);
    let mut request = match parse_query_string(query.as_deref().unwrap_or("")) {
        Ok(request) if state.trusted.configured() => match trusted_get(state, request) {
            Ok(request) => request,
            Err(Untrusted(message)) => return untrusted(media, &message),
        },
        Ok(request) if persisted_only(&request) => return persisted_query_not_supported(media),
        Ok(request) if !request.query.trim().is_empty() => request,
        Ok(_) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "the `query` parameter is missing",
            );
        }
        Err(error) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                &format!("malformed query string: {error}"),
            );
        }
    };
    if !trusted::is_trusted(&request) {
        state.documents.prepare(&mut request);
    }
    if is_mutation(&mut request) {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            "mutations must be sent with POST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let operation = OperationName::of_request(&request);
    let mut response = execute(state, peer, headers, BatchRequest::Single(request), media).await;
    response.extensions_mut().insert(operation);
    response
}

/// A GET's operation through the trusted documents (it may name one by Apollo's
/// `extensions.persistedQuery.sha256Hash`), parsed already when it is one.
fn trusted_get(
    state: &AppState,
    request: async_graphql::Request,
) -> Result<async_graphql::Request, Untrusted> {
    let mut value = serde_json::to_value(&request)
        .map_err(|error| Untrusted(format!("the request cannot be read: {error}")))?;
    let document = state.trusted.resolve(&mut value)?.pop().flatten();
    let mut request: async_graphql::Request = serde_json::from_value(value)
        .map_err(|error| Untrusted(format!("the request cannot be read: {error}")))?;
    if let Some(document) = document {
        trusted::use_trusted(&mut request, &document);
    }
    Ok(request)
}

/// A request naming a persisted query by its hash, without the text (Apollo's automatic persisted
/// queries).
fn persisted_only(request: &async_graphql::Request) -> bool {
    request.query.trim().is_empty() && request.extensions.contains_key("persistedQuery")
}

/// The server keeps no persisted queries: this answer (Apollo's own words for it) tells Apollo
/// Client to stop sending hashes and send the text.
fn persisted_query_not_supported(media: MediaType) -> Response {
    error_response(
        StatusCode::OK,
        media,
        ErrorCode::PersistedQueryNotSupported,
        "PersistedQueryNotSupported: send the query text",
    )
}

/// Whether the operation a request would run is a subscription. Unparsable documents are left
/// for execution to report.
fn is_subscription(request: &mut async_graphql::Request) -> bool {
    let operation_name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    selected_operation(document, operation_name.as_deref())
        .is_some_and(|op| op.node.ty == OperationType::Subscription)
}

/// Whether the operation a GET would run is a mutation. Unparsable documents are left for
/// execution to report.
fn is_mutation(request: &mut async_graphql::Request) -> bool {
    let operation_name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    selected_operation(document, operation_name.as_deref())
        .is_some_and(|op| op.node.ty == OperationType::Mutation)
}

/// Who the request acts as, the transaction it runs in when signed in, and its tenant's turn
/// to run.
struct Identified {
    scope: RequestScope,
    claims: Option<AccessClaims>,
    turn: Option<TenantTurn>,
}

impl Identified {
    fn anonymous() -> Self {
        Self {
            scope: RequestScope::Anonymous,
            claims: None,
            turn: None,
        }
    }
}

enum Refusal {
    /// The access token sent cannot be used.
    Unauthenticated(AuthFailure, String),
    Busy(Busy),
    /// PostgreSQL could not be reached (or went away) before the request could run.
    DatabaseUnavailable,
    Internal,
}

impl Refusal {
    /// `DatabaseUnavailable` when PostgreSQL is behind `error`'s failure, else `Internal`.
    fn from_failure(error: &(dyn std::error::Error + 'static), what: &str) -> Self {
        if database_cause(error).is_some_and(is_database_unavailable) {
            tracing::warn!(%error, "{what}: the database is unavailable");
            return Self::DatabaseUnavailable;
        }
        tracing::error!(%error, "{what}");
        Self::Internal
    }
}

impl Refusal {
    fn respond(self, media: MediaType) -> Response {
        match self {
            Self::Unauthenticated(failure, message) => {
                let body = json!({ "errors": [{ "message": message, "extensions": {
                    "code": ErrorCode::Unauthenticated.as_str(),
                    "reason": failure.as_str(),
                } }] });
                let mut response = body_response(
                    StatusCode::UNAUTHORIZED,
                    media,
                    body.to_string().into_bytes(),
                );
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
                response
            }
            Self::Busy(busy) => retry_later(
                media,
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                busy.reason,
                busy.retry_after.as_secs().max(1),
            ),
            Self::DatabaseUnavailable => retry_later(
                media,
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::DatabaseUnavailable,
                "the database is unavailable: nothing of this request was kept; retry shortly",
                RETRY_AFTER_UNAVAILABLE_SECONDS,
            ),
            Self::Internal => internal_error(media),
        }
    }
}

/// A refusal the client may send again after `seconds`: the code and `retryAfterSeconds` in the
/// error, and `Retry-After`.
fn retry_later(
    media: MediaType,
    status: StatusCode,
    code: ErrorCode,
    message: &str,
    seconds: u64,
) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": {
        "code": code.as_str(),
        "retryAfterSeconds": seconds,
    } }] });
    let mut response = body_response(status, media, body.to_string().into_bytes());
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// A token refused for what `error` says of it.
fn refused_token(error: &IdentityError) -> Refusal {
    let failure = error.auth_failure().unwrap_or(AuthFailure::TokenInvalid);
    Refusal::Unauthenticated(failure, error.to_string())
}

async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Identified, Refusal> {
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return Ok(Identified::anonymous());
    };
    let Some(token) = authorization
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return Err(Refusal::Unauthenticated(
            AuthFailure::TokenInvalid,
            "the Authorization header must be `Bearer <access token>`".to_owned(),
        ));
    };
    let claims = state
        .auth
        .keys
        .verify(token.trim())
        .map_err(|error| refused_token(&error))?;
    if let Some(slug) = headers.get(TENANT_HEADER).and_then(|v| v.to_str().ok()) {
        match state.db.tenant_id_for_slug(slug).await {
            Ok(tenant) if tenant == claims.tid => {}
            Ok(_) | Err(TenancyError::TenantNotFound { .. }) => {
                return Err(Refusal::Unauthenticated(
                    AuthFailure::TokenInvalid,
                    "the access token belongs to another tenant than X-Tenant-Slug names"
                        .to_owned(),
                ));
            }
            Err(error) => return Err(Refusal::from_failure(&error, "tenant lookup failed")),
        }
    }
    let context = match (claims.kind, claims.cid) {
        (PrincipalKind::User, _) => TenantContext::user(claims.tid, claims.sub),
        (PrincipalKind::PortalUser, Some(customer)) => {
            TenantContext::portal_user(claims.tid, claims.sub, customer)
        }
        (PrincipalKind::PortalUser, None) => {
            return Err(refused_token(&IdentityError::InvalidToken));
        }
    };
    state.metrics.count_tenant_request(claims.tid);
    let turn = state
        .fair_share
        .admit(claims.tid, claims.sub)
        .await
        .map_err(Refusal::Busy)?;
    let tx =
        state.db.begin(&context).await.map_err(|error| {
            Refusal::from_failure(&error, "cannot open the request transaction")
        })?;
    match sessions::authenticate(&tx, &claims, chrono::Utc::now()).await {
        Ok(principal) => {
            let permissions =
                PermissionSet::from_keys(principal.permissions.iter().map(String::as_str));
            let session = Session::new(claims.sid, principal.roles, permissions, Arc::new(tx))
                .with_portal_features(principal.portal_features);
            Ok(Identified {
                scope: RequestScope::Authenticated(session),
                claims: Some(claims),
                turn: Some(turn),
            })
        }
        Err(error) => {
            if let Err(rollback) = leora_tenancy::db::rollback(tx).await {
                tracing::warn!(%rollback, "rollback after failed authentication");
            }
            if error.code() == ErrorCode::Internal {
                return Err(Refusal::from_failure(&error, "authentication failed"));
            }
            Err(refused_token(&error))
        }
    }
}

/// Behind `hops` trusted proxies, each appending the address it was connected from to
/// `X-Forwarded-For`, the client is the entry `hops` places from the right: entries further left
/// came from the client itself, which could write anything there to pick its own sign-in
/// allowance. Without trusted proxies, or when the header does not hold that many addresses, the
/// client is the connection's peer.
fn client_address(headers: &HeaderMap, peer: Peer, hops: usize) -> Option<IpAddr> {
    let peer = peer.map(|Extension(ConnectInfo(address))| address.ip());
    if hops == 0 {
        if headers.contains_key(FORWARDED_FOR) {
            warn_once_of_an_untrusted_proxy();
        }
        return peer;
    }
    headers
        .get_all(FORWARDED_FOR)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .rev()
        .nth(hops - 1)
        .and_then(|address| address.trim().parse().ok())
        .or(peer)
}

const FORWARDED_FOR: &str = "x-forwarded-for";

/// Requests that arrive through a proxy while no proxy is trusted all look as if they came from
/// the proxy, so every client shares one sign-in allowance: the operator is told, once per
/// process, at the first such request.
fn warn_once_of_an_untrusted_proxy() {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            "requests arrive with X-Forwarded-For but TRUSTED_PROXY_HOPS is 0: every client \
             behind the proxy shares one sign-in allowance; set TRUSTED_PROXY_HOPS to the number \
             of proxies in front of the server"
        );
    }
}

fn client_info(headers: &HeaderMap, peer: Peer, trusted_proxy_hops: usize) -> ClientInfo {
    let ip_address = client_address(headers, peer, trusted_proxy_hops);
    ClientInfo {
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        ip_address,
    }
}

/// Root fields that open a transaction of their own (sign-in, refresh, and setting a password
/// with a reset token, whose tenant the token names).
const OWN_TRANSACTION: [&str; 4] = ["login", "portalLogin", "refreshSession", "resetPassword"];

/// Root fields whose work is heavy enough (recomputing every account's health, queueing a test
/// webhook, password hashes) that repeating them through aliases or a batch would only multiply
/// it.
const ONCE_PER_REQUEST: [&str; 4] = [
    "refreshAccountHealth",
    "sendTestWebhook",
    "changePassword",
    "resetPassword",
];

/// What the request's operations select at their roots, checked before anything runs.
struct Shape {
    /// Every root field opens its own transaction (or is `__typename`).
    own_transactions_only: bool,
    /// Some root field opens its own transaction.
    any_own_transaction: bool,
    /// A root field of [`ONCE_PER_REQUEST`] stands more than once.
    repeated: Option<&'static str>,
}

fn shape(batch: &mut BatchRequest, max_root_fields: usize) -> Result<Shape, String> {
    let mut shape = Shape {
        own_transactions_only: true,
        any_own_transaction: false,
        repeated: None,
    };
    let mut once = [0_usize; ONCE_PER_REQUEST.len()];
    for request in batch.iter_mut() {
        let operation_name = request.operation_name.clone();
        let Ok(document) = request.parsed_query() else {
            shape.own_transactions_only = false;
            continue;
        };
        let Some(names) = crate::cost::root_fields(document, operation_name.as_deref()) else {
            shape.own_transactions_only = false;
            continue;
        };
        if names.len() > max_root_fields {
            return Err(format!(
                "an operation selects at most {max_root_fields} root fields (aliases included); \
                 this one selects {}",
                names.len()
            ));
        }
        for name in names {
            if let Some(index) = ONCE_PER_REQUEST.iter().position(|once| *once == name) {
                once[index] += 1;
                if once[index] > 1 {
                    shape.repeated = Some(ONCE_PER_REQUEST[index]);
                }
            }
            let own = OWN_TRANSACTION.contains(&name);
            shape.any_own_transaction |= own;
            shape.own_transactions_only &= own || name == "__typename";
        }
    }
    Ok(shape)
}

async fn execute(
    state: &AppState,
    peer: Peer,
    headers: &HeaderMap,
    mut batch: BatchRequest,
    media: MediaType,
) -> Response {
    if batch.iter_mut().any(is_subscription) {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            "subscriptions are served over a WebSocket on /graphql (graphql-transport-ws), not \
             over HTTP",
        );
    }
    let shape = match shape(&mut batch, state.limits.max_root_fields) {
        Ok(shape) => shape,
        Err(message) => {
            let body = json!({ "errors": [{ "message": message, "extensions": {
                "code": ErrorCode::QueryTooExpensive.as_str(),
                "limit": state.limits.max_root_fields,
            } }] });
            return body_response(
                StatusCode::BAD_REQUEST,
                media,
                body.to_string().into_bytes(),
            );
        }
    };
    if let Some(field) = shape.repeated {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            &format!("{field} may stand once in a request (aliases and batches included)"),
        );
    }
    let signed_in = headers.contains_key(header::AUTHORIZATION) && !shape.own_transactions_only;
    if signed_in && shape.any_own_transaction {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            "login, portalLogin, refreshSession and resetPassword open a transaction of their \
             own: send them in a request without other fields",
        );
    }
    let budget = Arc::new(RequestBudget::default());
    let run = async {
        let identified = if signed_in {
            identify(state, headers).await?
        } else {
            Identified::anonymous()
        };
        let (tx, batching) = match &identified.scope {
            RequestScope::Authenticated(session) => (Some(session.shared_tx()), session.batching()),
            _ => (None, Batching::default()),
        };
        let actor = Actor::of(identified.claims.as_ref());
        let mut batch = batch
            .data(Arc::new(identified.scope))
            .data(Arc::clone(&budget))
            .data(state.db.clone())
            .data(Arc::clone(&state.auth))
            .data(Arc::clone(&state.integrations))
            .data(client_info(headers, peer, state.trusted_proxy_hops))
            .data(TenantHint(
                headers
                    .get(TENANT_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            ));
        if let Some(claims) = identified.claims {
            batch = batch.data(claims);
        }
        let response = batching.run(execute_in_turn(state, batch, actor)).await;
        Ok::<_, Refusal>((identified.turn, tx, response))
    };
    // The deadline covers the request up to its last resolver; dropping the work there drops
    // its transaction, which rolls back. The commit itself is never cut short: a response must
    // not call work undone that was done.
    let (turn, tx, response) = match tokio::time::timeout(state.request_timeout, run).await {
        Ok(Ok(done)) => done,
        Ok(Err(refusal)) => return refusal.respond(media),
        Err(_) => {
            tracing::warn!(timeout = ?state.request_timeout, "request ran past its deadline");
            return error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                media,
                ErrorCode::Timeout,
                "the request ran past its deadline and was rolled back: ask for less, or retry later",
            );
        }
    };
    let status = status_of(media, &response);
    let body = match serde_json::to_vec(&Sent(&response)) {
        Ok(body) if body.len() <= state.limits.max_response_bytes => body,
        Ok(body) => {
            if let Some(tx) = tx {
                abandon(tx).await;
            }
            let message = format!(
                "the response would be {} bytes, more than the {} one response may hold: ask for \
                 smaller pages or fewer fields",
                body.len(),
                state.limits.max_response_bytes
            );
            let error =
                crate::cost::too_expensive(message, body.len(), state.limits.max_response_bytes);
            let response = BatchResponse::Single(async_graphql::Response::from_errors(vec![error]));
            return respond(media, &response);
        }
        Err(error) => {
            tracing::error!(%error, "cannot serialize the response");
            if let Some(tx) = tx {
                abandon(tx).await;
            }
            return internal_error(media);
        }
    };
    let finished = match tx {
        Some(tx) => finish_transaction(tx, !response.is_ok()).await,
        None => Finished::Committed,
    };
    drop(turn);
    match finished {
        Finished::Committed => body_response(status, media, body),
        Finished::RolledBack => respond(media, &internal_error_response()),
        Finished::DatabaseLost => Refusal::DatabaseUnavailable.respond(media),
        Finished::LostWhileCommitting => error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            media,
            ErrorCode::DatabaseUnavailable,
            "the database went away while this request was committing: whether it was kept \
             cannot be known; read it back before sending it again",
        ),
    }
}

/// Runs the operations of a batch one after another, as a single one runs. They share the
/// request's one transaction: run at once (as `Schema::execute_batch` does), one operation's
/// savepoint could close over another's statements, and a failing one roll back its neighbour's
/// work (`crate::savepoints`).
async fn execute_in_turn(state: &AppState, batch: BatchRequest, actor: Actor) -> BatchResponse {
    match batch {
        BatchRequest::Single(request) => {
            BatchResponse::Single(execute_one(state, request, actor).await)
        }
        BatchRequest::Batch(requests) => {
            let mut responses = Vec::with_capacity(requests.len());
            for request in requests {
                responses.push(execute_one(state, request, actor).await);
            }
            BatchResponse::Batch(responses)
        }
    }
}

/// Who a request's operations run for, as their trace spans name them.
#[derive(Clone, Copy)]
struct Actor {
    /// Unknown before sign-in (a `login` names its tenant in its arguments).
    tenant: Option<uuid::Uuid>,
    /// `staff`, `portal` or `anonymous`.
    kind: &'static str,
}

impl Actor {
    fn of(claims: Option<&AccessClaims>) -> Self {
        match claims {
            None => Self {
                tenant: None,
                kind: "anonymous",
            },
            Some(claims) => Self {
                tenant: Some(claims.tid),
                kind: match claims.kind {
                    PrincipalKind::User => "staff",
                    PrincipalKind::PortalUser => "portal",
                },
            },
        }
    }
}

/// Runs one operation and completes its response (`crate::results`). With traces exported it
/// runs in a span of its own (`query Products`): the operation's name and type, the tenant and
/// the kind of principal, and its outcome (`ok` or the first error's code, as
/// `leora_graphql_request_duration_seconds` counts it); its statements are its children.
async fn execute_one(
    state: &AppState,
    mut request: async_graphql::Request,
    actor: Actor,
) -> async_graphql::Response {
    let query = request.query.clone();
    let operation_name = request.operation_name.clone();
    let schema = if trusted::is_trusted(&request) {
        &state.trusted_schema
    } else {
        &state.schema
    };
    let span = if state.traces {
        operation_span(&mut request, actor)
    } else {
        tracing::Span::none()
    };
    let mut response = {
        use tracing::Instrument;
        schema.execute(request).instrument(span.clone()).await
    };
    state
        .result_types
        .complete(&mut response, &query, operation_name.as_deref());
    if !span.is_none() {
        let outcome = response
            .errors
            .first()
            .map_or("ok", |error| code_of(error).unwrap_or("ERROR"));
        span.record("leora.outcome", outcome);
        if outcome != "ok" {
            span.record("otel.status_code", "ERROR");
        }
    }
    response
}

fn operation_span(request: &mut async_graphql::Request, actor: Actor) -> tracing::Span {
    let name = OperationName::of_request(request);
    let operation_name = request.operation_name.clone();
    let kind = request
        .parsed_query()
        .ok()
        .and_then(|document| selected_operation(document, operation_name.as_deref()))
        .map_or("operation", |operation| match operation.node.ty {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        });
    tracing::info_span!(
        "graphql.operation",
        otel.name = %format_args!("{kind} {}", name.as_str()),
        graphql.operation.name = name.as_str(),
        graphql.operation.type = kind,
        leora.tenant_id = actor.tenant.map(tracing::field::display),
        leora.principal_kind = actor.kind,
        leora.outcome = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    )
}

/// Commits what the request did: a top-level mutation field that failed has already been rolled
/// back to its savepoint (`crate::savepoints`), and everything the response reports as done is
/// kept. A response with errors first checks that the transaction is still usable: a statement
/// that failed outside any savepoint (a read cut off by its deadline, say) aborts the whole
/// transaction, PostgreSQL would answer COMMIT by rolling back, and the response must then not
/// report anything as done. False when nothing was kept. The request data, its loaders (which run
/// inside the request's task) and with them every other handle on the transaction are gone by now.
/// How a request's transaction ended.
enum Finished {
    Committed,
    /// Rolled back: nothing of the request was kept.
    RolledBack,
    /// PostgreSQL went away before the commit: nothing was kept, and the request may be retried.
    DatabaseLost,
    /// PostgreSQL went away during the commit: whether it was kept cannot be known.
    LostWhileCommitting,
}

async fn finish_transaction(tx: Arc<TenantTx>, had_errors: bool) -> Finished {
    let Ok(tx) = Arc::try_unwrap(tx) else {
        tracing::error!("request transaction still shared after the request; rolled back");
        return Finished::RolledBack;
    };
    if had_errors && let Err(error) = tx.execute_unprepared("SELECT 1").await {
        abandon(Arc::new(tx)).await;
        if is_database_unavailable(&error) {
            tracing::warn!(%error, "the database went away during the request; rolled back");
            return Finished::DatabaseLost;
        }
        tracing::warn!("the request's transaction was aborted by a failed statement; rolled back");
        return Finished::RolledBack;
    }
    match leora_tenancy::db::commit(tx).await {
        Ok(()) => Finished::Committed,
        Err(error) if database_cause(&error).is_some_and(is_database_unavailable) => {
            tracing::error!(%error, "the database went away during the commit");
            Finished::LostWhileCommitting
        }
        Err(error) => {
            tracing::error!(%error, "commit failed");
            Finished::RolledBack
        }
    }
}

/// Rolls back a request whose response is not sent as executed.
async fn abandon(tx: Arc<TenantTx>) {
    if let Ok(tx) = Arc::try_unwrap(tx)
        && let Err(error) = leora_tenancy::db::rollback(tx).await
    {
        tracing::warn!(%error, "rollback failed");
    }
}

fn internal_error(media: MediaType) -> Response {
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        media,
        ErrorCode::Internal,
        "internal error",
    )
}

fn body_response(status: StatusCode, media: MediaType, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, media.content_type())], body).into_response()
}

/// What a request whose work could not be kept answers: none of it is reported as done.
fn internal_error_response() -> BatchResponse {
    let error = coded(
        ErrorCode::Internal,
        "internal error: the request failed part-way and nothing of it was kept",
    );
    BatchResponse::Single(async_graphql::Response::from_errors(vec![error]))
}

/// Under `application/graphql-response+json`, a single operation that failed before execution
/// (unparsable, invalid, unknown operation, too expensive: errors without a path and no data) is
/// a 400.
fn status_of(media: MediaType, response: &BatchResponse) -> StatusCode {
    match (media, response) {
        (MediaType::GraphqlResponse, BatchResponse::Single(single))
            if single.data == async_graphql::Value::Null
                && !single.errors.is_empty()
                && single
                    .errors
                    .iter()
                    .all(|e| e.path.is_empty() && !is_internal(e)) =>
        {
            StatusCode::BAD_REQUEST
        }
        _ => StatusCode::OK,
    }
}

fn respond(media: MediaType, response: &BatchResponse) -> Response {
    match serde_json::to_vec(&Sent(response)) {
        Ok(body) => body_response(status_of(media, response), media, body),
        Err(error) => {
            tracing::error!(%error, "cannot serialize the response");
            internal_error(media)
        }
    }
}

fn is_internal(error: &ServerError) -> bool {
    code_of(error) == Some(ErrorCode::Internal.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Everything logged, as text.
    #[derive(Clone, Default)]
    struct Logged(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Logged {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_forwarded_request_without_trusted_proxies_warns_the_operator_once() {
        let logged = Logged::default();
        let writer = logged.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let mut forwarded = HeaderMap::new();
        forwarded.insert(FORWARDED_FOR, HeaderValue::from_static("203.0.113.7"));
        tracing::subscriber::with_default(subscriber, || {
            assert_eq!(client_address(&HeaderMap::new(), None, 0), None);
            assert_eq!(
                client_address(&forwarded, None, 0),
                None,
                "the header is not believed"
            );
            client_address(&forwarded, None, 0);
        });
        let text = String::from_utf8(logged.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.matches("TRUSTED_PROXY_HOPS is 0").count(), 1, "{text}");
    }
}
