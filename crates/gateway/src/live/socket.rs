//! GraphQL subscriptions over WebSocket: the `graphql-transport-ws` protocol
//! (<https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>), what the `graphql-ws`
//! client and GraphiQL speak, on `GET /graphql` with `Upgrade: websocket`.
//!
//! The gateway drives the protocol itself and leaves execution to async-graphql
//! (`Schema::execute_stream`): async-graphql's own `WebSocket` closes a refused `connection_init`
//! with 1002 where graphql-ws clients expect 4403, and has no place for per-connection limits,
//! re-checking a session, or closing a connection whose client reads too slowly.
//!
//! A connection authenticates once, in `connection_init` (`{ "authorization": "Bearer …" }`),
//! exactly as an HTTP request does; holds no transaction between events; and is closed when its
//! session ends (checked every `SUBSCRIPTION_SESSION_CHECK_MS` and at each event), when its
//! access token expires, and when its client falls behind what the server holds for it.

use super::hub::{LiveHub, TenantSubscription};
use crate::http::{AppState, FairShare};
use async_graphql::futures_util::{SinkExt, StreamExt};
use async_graphql::http::ClientMessage;
use async_graphql::parser::types::OperationType;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use leora_identity::service::sessions;
use leora_identity::service::tokens::{AccessClaims, PrincipalKind};
use leora_tenancy::graphql::live::{EventScope, EventSession, LiveEvent, LiveFeed, Subscriber};
use leora_tenancy::graphql::permission::PermissionSet;
use leora_tenancy::graphql::{ApiResult, RequestScope, ResolverError, Session};
use leora_tenancy::portal::PortalFeatures;
use leora_tenancy::{ApiError, AuthFailure, ErrorCode, TenantContext, TenantDb};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast, mpsc};
use tokio::task::JoinHandle;

pub const PROTOCOL: &str = "graphql-transport-ws";

/// How long a connection waits for the hub to listen before it is acknowledged.
const LISTEN_WAIT: Duration = Duration::from_secs(10);

/// How long a closing connection waits for its last messages to be written.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

/// A WebSocket close: code and reason (at most 123 bytes).
type Close = (u16, String);

fn close(code: u16, reason: &str) -> Close {
    (code, reason.to_owned())
}

/// Buffers of an idle connection: graphql-transport-ws messages from a client are a few hundred
/// bytes, so the library's 128 KiB default read buffer per connection only cost memory
/// (2,000 idle subscriptions held 254 MB with it, 12 MB with this; docs/performance.md).
const SOCKET_BUFFER_BYTES: usize = 4 * 1024;

pub fn upgrade(state: AppState, upgrade: WebSocketUpgrade) -> Response {
    // A client's message is a subscribe at most as large as a GraphQL request body may be, not
    // the library's 64 MiB.
    let largest = state.limits.max_body_bytes;
    let upgrade = upgrade
        .read_buffer_size(SOCKET_BUFFER_BYTES)
        .write_buffer_size(SOCKET_BUFFER_BYTES)
        .max_message_size(largest)
        .max_frame_size(largest)
        .protocols([PROTOCOL]);
    let agreed = upgrade.selected_protocol().is_some();
    upgrade.on_upgrade(move |socket| connection(state, socket, agreed))
}

async fn connection(state: AppState, socket: WebSocket, agreed: bool) {
    let (sink, mut incoming) = socket.split();
    let (out, queued) = mpsc::channel(state.live.config.send_buffer);
    let (closing, closed) = tokio::sync::oneshot::channel();
    let writer = tokio::spawn(write(sink, queued, closed));
    let reason = if agreed {
        serve(&state, &mut incoming, out).await
    } else {
        close(4406, "Subprotocol not acceptable: use graphql-transport-ws")
    };
    let _ = closing.send(reason);
    // A client that reads nothing may never take the close frame: it is dropped with the socket.
    let _ = tokio::time::timeout(CLOSE_WAIT, writer).await;
}

/// Writes what the connection queues, then its close frame.
async fn write(
    mut sink: async_graphql::futures_util::stream::SplitSink<WebSocket, Message>,
    mut queued: mpsc::Receiver<Message>,
    mut closed: tokio::sync::oneshot::Receiver<Close>,
) {
    loop {
        tokio::select! {
            biased;
            reason = &mut closed => {
                if let Ok((code, reason)) = reason {
                    let frame = CloseFrame { code, reason: reason.into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                }
                return;
            }
            message = queued.recv() => match message {
                Some(message) => {
                    if sink.send(message).await.is_err() {
                        return;
                    }
                }
                // Every sender is gone: only the close frame is left to write.
                None => {
                    if let Ok((code, reason)) = closed.await {
                        let frame = CloseFrame { code, reason: reason.into() };
                        let _ = sink.send(Message::Close(Some(frame))).await;
                    }
                    return;
                }
            },
        }
    }
}

/// What the connection sends; past the buffer the client is too slow and the connection closes.
#[derive(Clone)]
struct Outbox {
    queue: mpsc::Sender<Message>,
    slow: Arc<Notify>,
}

impl Outbox {
    fn send(&self, message: &Value) -> bool {
        match self.queue.try_send(Message::text(message.to_string())) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.slow.notify_one();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

async fn next_message(
    incoming: &mut async_graphql::futures_util::stream::SplitStream<WebSocket>,
) -> Option<Result<ClientMessage, Close>> {
    loop {
        return match incoming.next().await? {
            Ok(Message::Text(text)) => Some(
                serde_json::from_str(text.as_str())
                    .map_err(|_| close(4400, "Invalid message received")),
            ),
            Ok(Message::Binary(_)) => Some(Err(close(4400, "Invalid message received"))),
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            Ok(Message::Close(_)) | Err(_) => None,
        };
    }
}

async fn serve(
    state: &AppState,
    incoming: &mut async_graphql::futures_util::stream::SplitStream<WebSocket>,
    queue: mpsc::Sender<Message>,
) -> Close {
    let hub = &state.live;
    let outbox = Outbox {
        queue,
        slow: Arc::new(Notify::new()),
    };
    let init = match tokio::time::timeout(hub.config.init_timeout, next_message(incoming)).await {
        Err(_) => return close(4408, "Connection initialisation timeout"),
        Ok(None) => return close(1000, ""),
        Ok(Some(Err(reason))) => return reason,
        Ok(Some(Ok(ClientMessage::ConnectionInit { payload }))) => payload,
        Ok(Some(Ok(_))) => return close(4401, "Unauthorized: send connection_init first"),
    };
    let feed = match ConnectionFeed::sign_in(state, init.as_ref()).await {
        Ok(feed) => Arc::new(feed),
        Err(reason) => return reason,
    };
    let grants = match feed.check().await {
        Ok(grants) => grants,
        Err(error) => return refused(&error),
    };
    if !hub.listening(LISTEN_WAIT).await {
        return close(1013, "Try again later: live events are not available");
    }
    let scope = Arc::new(RequestScope::Subscribed(Subscriber::new(
        feed.context,
        grants.permissions,
        grants.portal_features,
        Arc::clone(&feed) as Arc<dyn LiveFeed>,
    )));
    if !outbox.send(&json!({ "type": "connection_ack" })) {
        return close(1013, "Try again later: too slow");
    }
    let mut connection = Connection {
        state,
        outbox,
        scope,
        subscriptions: HashMap::new(),
    };
    let reason = connection.run(incoming, &feed).await;
    for (_, subscription) in connection.subscriptions.drain() {
        subscription.abort();
    }
    reason
}

/// A refusal of the connection's token or session, as graphql-ws clients expect it: 4403, whose
/// reason names what to do (`TOKEN_EXPIRED`: refresh and reconnect; otherwise sign in again).
fn refused(error: &ResolverError) -> Close {
    if error.code() == ErrorCode::Unauthenticated {
        let reason = error.auth_failure().unwrap_or(AuthFailure::TokenInvalid);
        return close(4403, &format!("Forbidden: {}", reason.as_str()));
    }
    close(4500, "Internal server error")
}

struct Connection<'a> {
    state: &'a AppState,
    outbox: Outbox,
    scope: Arc<RequestScope>,
    subscriptions: HashMap<String, JoinHandle<()>>,
}

impl Connection<'_> {
    async fn run(
        &mut self,
        incoming: &mut async_graphql::futures_util::stream::SplitStream<WebSocket>,
        feed: &ConnectionFeed,
    ) -> Close {
        let config = self.state.live.config;
        let mut session_check = tokio::time::interval(config.session_check);
        session_check.reset();
        let mut keepalive = tokio::time::interval(config.keepalive);
        keepalive.reset();
        let closing = self.state.live.closed();
        tokio::pin!(closing);
        let slow = Arc::clone(&self.outbox.slow);
        loop {
            tokio::select! {
                message = next_message(incoming) => match message {
                    None => return close(1000, ""),
                    Some(Err(reason)) => return reason,
                    Some(Ok(message)) => {
                        if let Some(reason) = self.receive(message) {
                            return reason;
                        }
                    }
                },
                _ = session_check.tick() => match feed.check().await {
                    Ok(_) => {}
                    Err(error) if error.code() == ErrorCode::Unauthenticated => {
                        return refused(&error);
                    }
                    // The database being unreachable for a moment ends no session.
                    Err(_) => {}
                },
                _ = keepalive.tick() => {
                    if !self.outbox.send(&json!({ "type": "ping" })) {
                        return close(1013, "Try again later: too slow");
                    }
                }
                () = slow.notified() => {
                    return close(1013, "Try again later: too slow reading the server's messages");
                }
                () = &mut closing => {
                    return close(1001, "Going away: the server is shutting down");
                }
            }
        }
    }

    /// Handles one client message; `Some` closes the connection.
    fn receive(&mut self, message: ClientMessage) -> Option<Close> {
        match message {
            ClientMessage::ConnectionInit { .. } => {
                Some(close(4429, "Too many initialisation requests"))
            }
            ClientMessage::Start { id, payload } => self.subscribe(id, payload),
            ClientMessage::Stop { id } => {
                if let Some(subscription) = self.subscriptions.remove(&id) {
                    subscription.abort();
                }
                None
            }
            ClientMessage::Ping { payload } => {
                let pong = match payload {
                    Some(payload) => json!({ "type": "pong", "payload": payload }),
                    None => json!({ "type": "pong" }),
                };
                (!self.outbox.send(&pong)).then(|| close(1013, "Try again later: too slow"))
            }
            ClientMessage::Pong { .. } => None,
            ClientMessage::ConnectionTerminate => Some(close(1000, "")),
        }
    }

    fn subscribe(&mut self, id: String, mut request: async_graphql::Request) -> Option<Close> {
        self.subscriptions
            .retain(|_, subscription| !subscription.is_finished());
        if self.subscriptions.contains_key(&id) {
            return Some(close(4409, &format!("Subscriber for {id} already exists")));
        }
        let refusal = |code: ErrorCode, message: String| {
            json!({ "type": "error", "id": id, "payload": [
                { "message": message, "extensions": { "code": code.as_str() } }
            ] })
        };
        let max = self.state.live.config.max_per_connection;
        if self.subscriptions.len() >= max {
            let error = refusal(
                ErrorCode::RateLimited,
                format!("a connection holds at most {max} subscriptions: complete one first"),
            );
            return (!self.outbox.send(&error)).then(|| close(1013, "Try again later: too slow"));
        }
        if let Err(message) = one_subscription_field(&mut request) {
            let error = refusal(ErrorCode::BadUserInput, message);
            return (!self.outbox.send(&error)).then(|| close(1013, "Try again later: too slow"));
        }
        let tenant = match self.scope.as_ref() {
            RequestScope::Subscribed(subscriber) => subscriber.context().tenant_id(),
            _ => return Some(close(4500, "Internal server error")),
        };
        let Some(counted) = self.state.live.admit(tenant) else {
            let error = refusal(
                ErrorCode::RateLimited,
                "the tenant holds as many subscriptions as it may on this server: try again later"
                    .to_owned(),
            );
            return (!self.outbox.send(&error)).then(|| close(1013, "Try again later: too slow"));
        };
        let request = request
            .data(Arc::clone(&self.scope))
            .data(Arc::new(EventScope::default()))
            .data(self.state.db.clone())
            .data(Arc::clone(&self.state.auth))
            .data(Arc::clone(&self.state.integrations));
        let stream = self.state.schema.execute_stream(request);
        let task = tokio::spawn(forward(id.clone(), stream, self.outbox.clone(), counted));
        self.subscriptions.insert(id, task);
        None
    }
}

/// A subscription operation selects exactly one root field (as the GraphQL specification
/// requires); queries and mutations go over HTTP.
fn one_subscription_field(request: &mut async_graphql::Request) -> Result<(), String> {
    let operation_name = request.operation_name.clone();
    // A document that does not parse is left for execution to report.
    let Ok(document) = request.parsed_query() else {
        return Ok(());
    };
    let Some(operation) = crate::cost::selected_operation(document, operation_name.as_deref())
    else {
        return Ok(());
    };
    if operation.node.ty != OperationType::Subscription {
        return Err(
            "only subscriptions are served over WebSocket: send queries and mutations \
                    over HTTP"
                .to_owned(),
        );
    }
    match crate::cost::root_fields(document, operation_name.as_deref()) {
        Some(fields) if fields.len() != 1 => {
            Err("a subscription selects exactly one root field".to_owned())
        }
        _ => Ok(()),
    }
}

/// Sends a subscription's results as `next` messages, then `complete`. A result that failed
/// before execution (unparsable, invalid) is an `error` message instead, as the protocol says.
async fn forward(
    id: String,
    mut stream: async_graphql::futures_util::stream::BoxStream<'static, async_graphql::Response>,
    outbox: Outbox,
    _counted: TenantSubscription,
) {
    let mut first = true;
    while let Some(response) = stream.next().await {
        let before_execution = first
            && response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|error| error.path.is_empty());
        let message = if before_execution {
            json!({ "type": "error", "id": id, "payload": response.errors })
        } else {
            json!({ "type": "next", "id": id, "payload": response })
        };
        if !outbox.send(&message) || before_execution {
            return;
        }
        first = false;
    }
    outbox.send(&json!({ "type": "complete", "id": id }));
}

/// Who the connection acts as, and the one way its subscriptions read: a short transaction as
/// that principal, its session checked again each time.
pub struct ConnectionFeed {
    hub: Arc<LiveHub>,
    fair_share: Arc<FairShare>,
    db: TenantDb,
    claims: AccessClaims,
    context: TenantContext,
}

/// What the principal may do, as a check of its session found.
struct Grants {
    permissions: PermissionSet,
    portal_features: PortalFeatures,
}

impl ConnectionFeed {
    /// Verifies the token `connection_init` carries, exactly as an HTTP request's.
    async fn sign_in(state: &AppState, payload: Option<&Value>) -> Result<Self, Close> {
        // GraphiQL sends its Headers editor as the payload, where `Authorization` is as usual
        // as `authorization`: the key is read as an HTTP header's name would be.
        let authorization = payload
            .and_then(Value::as_object)
            .and_then(|payload| {
                payload
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case("authorization"))
            })
            .and_then(|(_, value)| value.as_str());
        let Some(authorization) = authorization else {
            return Err(close(
                4401,
                "Unauthorized: connection_init needs { authorization: \"Bearer <token>\" }",
            ));
        };
        let Some(token) = authorization.strip_prefix("Bearer ") else {
            return Err(close(4403, "Forbidden: TOKEN_INVALID"));
        };
        let claims = state.auth.keys.verify(token.trim()).map_err(|error| {
            let failure = error.auth_failure().unwrap_or(AuthFailure::TokenInvalid);
            close(4403, &format!("Forbidden: {}", failure.as_str()))
        })?;
        let context = match (claims.kind, claims.cid) {
            (PrincipalKind::User, _) => TenantContext::user(claims.tid, claims.sub),
            (PrincipalKind::PortalUser, Some(customer)) => {
                TenantContext::portal_user(claims.tid, claims.sub, customer)
            }
            (PrincipalKind::PortalUser, None) => {
                return Err(close(4403, "Forbidden: TOKEN_INVALID"));
            }
        };
        Ok(Self {
            hub: Arc::clone(&state.live),
            fair_share: Arc::clone(&state.fair_share),
            db: state.db.clone(),
            claims,
            context,
        })
    }

    /// Opens a transaction as the principal, during one of its tenant's turns, and checks in it
    /// that the token has not expired and the session, account and tenant are still live.
    async fn authenticate(&self) -> ApiResult<(EventSession, Grants)> {
        if self.claims.exp <= chrono::Utc::now().timestamp() {
            return Err(ResolverError::auth(
                AuthFailure::TokenExpired,
                "the access token has expired: refresh the session and reconnect",
            ));
        }
        let turn = self
            .fair_share
            .turn_for_event(self.context.tenant_id())
            .await;
        let tx = self.db.begin(&self.context).await?;
        match sessions::authenticate(&tx, &self.claims, chrono::Utc::now()).await {
            Ok(principal) => {
                let permissions =
                    PermissionSet::from_keys(principal.permissions.iter().map(String::as_str));
                let grants = Grants {
                    permissions: permissions.clone(),
                    portal_features: principal.portal_features,
                };
                let session =
                    Session::new(self.claims.sid, principal.roles, permissions, Arc::new(tx))
                        .with_portal_features(principal.portal_features);
                Ok((EventSession::new(session, turn), grants))
            }
            Err(error) => {
                if let Err(rollback) = leora_tenancy::db::rollback(tx).await {
                    tracing::warn!(%rollback, "rollback after a failed session check");
                }
                Err(error.into())
            }
        }
    }

    /// Checks the session, holding nothing afterwards.
    async fn check(&self) -> ApiResult<Grants> {
        let (session, grants) = self.authenticate().await?;
        session.end().await;
        Ok(grants)
    }
}

#[async_graphql::async_trait::async_trait]
impl LiveFeed for ConnectionFeed {
    fn events(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.hub.events()
    }

    async fn open(&self) -> ApiResult<EventSession> {
        Ok(self.authenticate().await?.0)
    }
}
