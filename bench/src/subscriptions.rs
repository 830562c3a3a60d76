//! `--subscriptions`: what GraphQL subscriptions over WebSocket (graphql-transport-ws on
//! `GET /graphql`) cost the server, in two parts.
//!
//! 1. Idle cost: [`IDLE_SUBSCRIPTIONS`] connections, each acknowledged and holding one
//!    `orderUpdated` subscription, spread over the synthetic tenants' portal buyers; the server's
//!    RSS before they open and once they have sat through a session check. Target: the growth
//!    stays under [`IDLE_TARGET_MB`].
//! 2. Latency: [`SUBSCRIBERS`] buyers each subscribed to `orderUpdated` (their customer's orders),
//!    each placing a draft order for its customer once a second (`createOrder` with
//!    `submit: false` records `order.placed` without reserving stock: the cheapest mutation that
//!    announces an order event) for `--duration-secs`; the time from each mutation's HTTP
//!    response (its transaction has committed) to its subscriber's receipt of the order. Target:
//!    p99 under [`LATENCY_TARGET_MS`]. The drafts are deleted afterwards, so the dataset other
//!    runs measure stays as it was.

use crate::gateway::{Principal, buyer_email, sign_in, skus_of};
use crate::server::{Server, cpu_ms_of};
use crate::{Options, Result};
use futures_util::{SinkExt, StreamExt, stream};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const IDLE_SUBSCRIPTIONS: usize = 2_000;
const IDLE_TARGET_MB: f64 = 60.0;
const SUBSCRIBERS: usize = 100;
/// Each subscriber's buyer places one order a second: [`SUBSCRIBERS`] events a second in all.
const EVENT_INTERVAL: Duration = Duration::from_secs(1);
const LATENCY_TARGET_MS: f64 = 100.0;
/// Portal buyers signed in per tenant; the idle connections share their tokens (a buyer with
/// several tabs open), which spares the server 2,000 argon2 verifications before it is measured.
const BUYERS_PER_TENANT: usize = 10;
/// Connections opened at once: enough to open 2,000 in seconds, few enough not to time out.
const OPENING_AT_ONCE: usize = 32;
/// How long the idle connections sit before the RSS is read again: past the server's default
/// session check (5 s), so each connection has run one.
const IDLE_SETTLE: Duration = Duration::from_secs(7);
/// How long a receipt may take after the last order before it counts as lost.
const DRAIN: Duration = Duration::from_secs(5);
/// The server's default `SUBSCRIPTIONS_MAX_PER_TENANT` (`.env.example`).
const DEFAULT_MAX_PER_TENANT: usize = 1_000;

const ORDER_UPDATED: &str = "subscription { orderUpdated { id status } }";
const CREATE: &str =
    "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }";
const DELETE: &str = "mutation($id: ID!) { deleteDraftOrder(id: $id) }";

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Outcome {
    pub report: String,
    pub passed: bool,
}

/// The synthetic tenants the run spreads over (as many as `--tenants`, like the load run).
fn tenants<'a>(slugs: &'a [String], options: &Options) -> &'a [String] {
    &slugs[..(options.tenants as usize).min(slugs.len())]
}

/// Raises the server's per-tenant subscription limit when the idle connections would otherwise
/// exceed it (fewer than three tenants); `--server-env SUBSCRIPTIONS_MAX_PER_TENANT=…` wins.
pub fn configure(options: &mut Options, slugs: &[String]) {
    let tenants = tenants(slugs, options).len().max(1);
    let per_tenant = IDLE_SUBSCRIPTIONS.div_ceil(tenants);
    let given = options
        .server_env
        .iter()
        .any(|pair| pair.starts_with("SUBSCRIPTIONS_MAX_PER_TENANT="));
    if per_tenant > DEFAULT_MAX_PER_TENANT && !given {
        options
            .server_env
            .push(format!("SUBSCRIPTIONS_MAX_PER_TENANT={per_tenant}"));
    }
}

/// What each open connection's reader saw.
#[derive(Default)]
struct Tally {
    /// `next` messages carrying an order.
    orders: AtomicU64,
    /// `error` messages, `next` messages carrying errors, and closes the bench did not ask for.
    failures: AtomicU64,
}

/// An order a subscriber received, and when.
struct Receipt {
    subscriber: usize,
    order_id: String,
    at: Instant,
}

/// Opens a connection for `token`, waits for `connection_ack`, subscribes to `orderUpdated` and
/// hands the socket to a reader task (which holds it open until aborted).
async fn subscribe(
    address: &str,
    token: &str,
    subscriber: usize,
    tally: Arc<Tally>,
    receipts: Option<mpsc::UnboundedSender<Receipt>>,
) -> Result<JoinHandle<()>> {
    let mut request = format!("ws://{address}/graphql").into_client_request()?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await?;
    if response
        .headers()
        .get("sec-websocket-protocol")
        .is_none_or(|protocol| protocol != "graphql-transport-ws")
    {
        return Err("the server did not agree to graphql-transport-ws".into());
    }
    let init = json!({ "type": "connection_init",
        "payload": { "authorization": format!("Bearer {token}") } });
    socket.send(Message::text(init.to_string())).await?;
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .map_err(|_| "no connection_ack within 30 s")?;
        match message {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(text.as_str())?;
                match value["type"].as_str() {
                    Some("connection_ack") => break,
                    Some("ping") => {}
                    _ => return Err(format!("expected connection_ack, got {value}").into()),
                }
            }
            Some(Ok(Message::Close(frame))) => {
                return Err(format!("closed before connection_ack: {frame:?}").into());
            }
            Some(Ok(_)) => {}
            Some(Err(error)) => return Err(error.into()),
            None => return Err("the connection ended before connection_ack".into()),
        }
    }
    let subscribe = json!({ "id": "orders", "type": "subscribe",
        "payload": { "query": ORDER_UPDATED } });
    socket.send(Message::text(subscribe.to_string())).await?;
    Ok(tokio::spawn(read(socket, subscriber, tally, receipts)))
}

/// Reads a connection until it ends, counting what arrives and timing each order.
async fn read(
    mut socket: Socket,
    subscriber: usize,
    tally: Arc<Tally>,
    receipts: Option<mpsc::UnboundedSender<Receipt>>,
) {
    while let Some(message) = socket.next().await {
        // Taken before parsing: the receipt is when the bytes reached the client.
        let at = Instant::now();
        let text = match message {
            Ok(Message::Text(text)) => text,
            Ok(Message::Close(_)) | Err(_) => break,
            Ok(_) => continue,
        };
        let Ok(value) = serde_json::from_str::<Value>(text.as_str()) else {
            tally.failures.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        let order_id = value["payload"]["data"]["orderUpdated"]["id"].as_str();
        match (value["type"].as_str(), order_id) {
            (Some("next"), Some(order_id)) if value["payload"]["errors"].is_null() => {
                tally.orders.fetch_add(1, Ordering::Relaxed);
                if let Some(receipts) = &receipts {
                    let _ = receipts.send(Receipt {
                        subscriber,
                        order_id: order_id.to_owned(),
                        at,
                    });
                }
            }
            (Some("ping" | "pong"), _) => {}
            _ => {
                tally.failures.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    // The bench ends its connections by aborting this task; reaching here means the server
    // (or the network) ended it.
    tally.failures.fetch_add(1, Ordering::Relaxed);
}

/// Opens one subscribed connection per entry of `tokens`, [`OPENING_AT_ONCE`] at a time.
async fn open_all(
    address: &str,
    tokens: &[&str],
    tally: &Arc<Tally>,
    receipts: Option<&mpsc::UnboundedSender<Receipt>>,
) -> Result<Vec<JoinHandle<()>>> {
    let opened: Vec<Result<JoinHandle<()>>> = stream::iter(tokens.iter().enumerate())
        .map(|(subscriber, token)| {
            subscribe(
                address,
                token,
                subscriber,
                Arc::clone(tally),
                receipts.cloned(),
            )
        })
        .buffer_unordered(OPENING_AT_ONCE)
        .collect()
        .await;
    let mut readers = Vec::with_capacity(opened.len());
    let mut first_error = None;
    for result in opened {
        match result {
            Ok(reader) => readers.push(reader),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    if let Some(error) = first_error {
        let failed = tokens.len() - readers.len();
        close_all(readers);
        return Err(format!(
            "{failed} of {} connections failed to open; the first: {error}",
            tokens.len()
        )
        .into());
    }
    Ok(readers)
}

fn close_all(readers: Vec<JoinHandle<()>>) {
    // Aborting a reader drops its socket, which closes the TCP connection.
    for reader in readers {
        reader.abort();
    }
}

/// Portal buyers of `tenants`, interleaved (tenant 1's first, tenant 2's first, …) so that any
/// prefix is spread over the tenants.
async fn buyers(server: &Server, tenants: &[String], per_tenant: usize) -> Result<Vec<Principal>> {
    let wanted: Vec<(String, String)> = (1..=per_tenant)
        .flat_map(|customer| {
            tenants
                .iter()
                .map(move |slug| (slug.clone(), buyer_email(slug, customer)))
        })
        .collect();
    stream::iter(wanted)
        .map(|(slug, email)| async move { sign_in(server, true, &slug, &email).await })
        // A few at a time: each verification is an argon2 hash on the server's two cores.
        .buffered(4)
        .collect::<Vec<Result<Principal>>>()
        .await
        .into_iter()
        .collect()
}

fn mb(bytes_mb: Option<(f64, f64)>) -> f64 {
    bytes_mb.map_or(0.0, |(rss, _)| rss)
}

struct Idle {
    rss_before: f64,
    rss_open: f64,
    rss_settled: f64,
    open_secs: f64,
    settle_cpu_ms: f64,
    failures: u64,
}

async fn idle(server: &Server, address: &str, buyers: &[Principal]) -> Result<Idle> {
    let tokens: Vec<&str> = (0..IDLE_SUBSCRIPTIONS)
        .map(|i| buyers[i % buyers.len()].token.as_str())
        .collect();
    let tally = Arc::new(Tally::default());
    let rss_before = mb(server.memory());
    let started = Instant::now();
    let readers = open_all(address, &tokens, &tally, None).await?;
    let open_secs = started.elapsed().as_secs_f64();
    // The server starts a subscription when it reads the message; give the last ones a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_open = mb(server.memory());
    let cpu_before = cpu_ms_of(server.pid).unwrap_or(0.0);
    tokio::time::sleep(IDLE_SETTLE).await;
    let settle_cpu_ms = cpu_ms_of(server.pid).unwrap_or(0.0) - cpu_before;
    let rss_settled = mb(server.memory());
    let failures = tally.failures.load(Ordering::Relaxed);
    println!(
        "idle: {} subscriptions open in {open_secs:.1} s; server RSS {rss_before:.1} MB before, \
         {rss_open:.1} MB open, {rss_settled:.1} MB after {} s idle; {failures} failures",
        readers.len(),
        IDLE_SETTLE.as_secs()
    );
    close_all(readers);
    Ok(Idle {
        rss_before,
        rss_open,
        rss_settled,
        open_secs,
        settle_cpu_ms,
        failures,
    })
}

/// Percentile `p` of sorted `values` (nearest rank), 0 when empty.
fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

struct Latency {
    subscribers: usize,
    placed: usize,
    window_secs: f64,
    /// Commit (HTTP response) to receipt, ms, sorted; a receipt before the response counts 0.
    commit_to_client_ms: Vec<f64>,
    /// Receipts that arrived before the mutation's response did.
    before_response: usize,
    /// The mutations' own latencies, ms, sorted.
    mutation_ms: Vec<f64>,
    lost: usize,
    mutation_errors: u64,
    first_mutation_error: Option<String>,
    failures: u64,
    server_cpu_percent: f64,
}

/// One subscriber's buyer and what it places its orders with.
struct Placer {
    token: String,
    customer_id: String,
    sku: String,
}

/// A placed order: whose, and when its mutation was answered.
struct Placed {
    subscriber: usize,
    order_id: String,
    sent: Instant,
    answered: Instant,
}

async fn place(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Result<Value, String> {
    let response = client
        .post(url)
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let body: Value = response.json().await.map_err(|e| e.to_string())?;
    if !status.is_success() || !body["errors"].is_null() {
        return Err(format!("HTTP {status}: {body}"));
    }
    Ok(body["data"].clone())
}

async fn latency(
    server: &Server,
    address: &str,
    buyers: &[Principal],
    options: &Options,
) -> Result<Latency> {
    let subscribers = &buyers[..SUBSCRIBERS.min(buyers.len())];
    let mut placers = Vec::with_capacity(subscribers.len());
    for buyer in subscribers {
        let customer_id = buyer
            .customer_id
            .ok_or("a portal buyer's token carries no customer")?
            .to_string();
        let sku = skus_of(server, buyer)
            .await?
            .into_iter()
            .next()
            .ok_or("the buyer's catalog has no SKU")?;
        placers.push(Arc::new(Placer {
            token: buyer.token.clone(),
            customer_id,
            sku,
        }));
    }
    let tally = Arc::new(Tally::default());
    let (receipts_to, mut receipts) = mpsc::unbounded_channel();
    let tokens: Vec<&str> = subscribers.iter().map(|b| b.token.as_str()).collect();
    let readers = open_all(address, &tokens, &tally, Some(&receipts_to)).await?;
    drop(receipts_to);
    tokio::time::sleep(Duration::from_millis(500)).await;

    let url = format!("{}/graphql", server.base);
    let window = options.duration();
    let errors = Arc::new(AtomicU64::new(0));
    let cpu_before = cpu_ms_of(server.pid).unwrap_or(0.0);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(placers.len());
    for (subscriber, placer) in placers.iter().enumerate() {
        let (client, url, placer, errors) = (
            server.client.clone(),
            url.clone(),
            Arc::clone(placer),
            Arc::clone(&errors),
        );
        // Staggered over the interval, so the orders arrive evenly rather than in bursts.
        let offset = EVENT_INTERVAL.mul_f64(subscriber as f64 / placers.len() as f64);
        tasks.push(tokio::spawn(async move {
            let mut placed = Vec::new();
            let mut first_error = None;
            let mut ticks = tokio::time::interval_at(
                tokio::time::Instant::from_std(started + offset),
                EVENT_INTERVAL,
            );
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if started.elapsed() >= window {
                    break;
                }
                let input = json!({ "input": { "customerId": placer.customer_id, "submit": false,
                    "lines": [{ "skuId": placer.sku, "quantity": 1 }] } });
                let sent = Instant::now();
                match place(&client, &url, &placer.token, CREATE, input).await {
                    Ok(data) => {
                        let answered = Instant::now();
                        match data["createOrder"]["id"].as_str() {
                            Some(id) => placed.push(Placed {
                                subscriber,
                                order_id: id.to_owned(),
                                sent,
                                answered,
                            }),
                            None => {
                                errors.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                    Err(error) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        first_error.get_or_insert(error);
                    }
                }
            }
            (placed, first_error)
        }));
    }
    let mut placed = Vec::new();
    let mut first_mutation_error = None;
    for task in tasks {
        let (mine, error) = task.await?;
        placed.extend(mine);
        if first_mutation_error.is_none() {
            first_mutation_error = error;
        }
    }
    let window_secs = started.elapsed().as_secs_f64();
    let server_cpu_percent =
        (cpu_ms_of(server.pid).unwrap_or(0.0) - cpu_before) / (window_secs * 10.0);

    // Receipts keyed by (subscriber, order); wait until every placed order has arrived.
    let mut arrived: HashMap<(usize, String), Instant> = HashMap::new();
    let deadline = tokio::time::Instant::now() + DRAIN;
    while arrived.len() < placed.len() {
        match tokio::time::timeout_at(deadline, receipts.recv()).await {
            Ok(Some(receipt)) => {
                arrived
                    .entry((receipt.subscriber, receipt.order_id))
                    .or_insert(receipt.at);
            }
            Ok(None) | Err(_) => break,
        }
    }
    let failures = tally.failures.load(Ordering::Relaxed);
    close_all(readers);

    let mut commit_to_client_ms = Vec::with_capacity(placed.len());
    let mut mutation_ms = Vec::with_capacity(placed.len());
    let (mut lost, mut before_response) = (0, 0);
    for order in &placed {
        mutation_ms.push(order.answered.duration_since(order.sent).as_secs_f64() * 1000.0);
        match arrived.get(&(order.subscriber, order.order_id.clone())) {
            Some(at) => {
                if *at < order.answered {
                    before_response += 1;
                }
                commit_to_client_ms
                    .push(at.saturating_duration_since(order.answered).as_secs_f64() * 1000.0);
            }
            None => lost += 1,
        }
    }
    commit_to_client_ms.sort_by(f64::total_cmp);
    mutation_ms.sort_by(f64::total_cmp);
    delete_drafts(server, &placers, &placed).await;
    Ok(Latency {
        subscribers: subscribers.len(),
        placed: placed.len(),
        window_secs,
        commit_to_client_ms,
        before_response,
        mutation_ms,
        lost,
        mutation_errors: errors.load(Ordering::Relaxed),
        first_mutation_error,
        failures,
        server_cpu_percent,
    })
}

/// Deletes the drafts the run placed, so later runs measure the same dataset. A failure is only
/// reported: the measurement stands either way.
async fn delete_drafts(server: &Server, placers: &[Arc<Placer>], placed: &[Placed]) {
    let url = format!("{}/graphql", server.base);
    let failed: usize = stream::iter(placed)
        .map(|order| {
            let (url, token) = (&url, &placers[order.subscriber].token);
            async move {
                place(
                    &server.client,
                    url,
                    token,
                    DELETE,
                    json!({ "id": order.order_id }),
                )
                .await
                .is_err()
            }
        })
        .buffer_unordered(8)
        .map(usize::from)
        .fold(0, |sum, failed| async move { sum + failed })
        .await;
    if failed > 0 {
        eprintln!(
            "leora-bench: {failed} of the run's {} draft orders could not be deleted",
            placed.len()
        );
    }
}

pub async fn run(server: &Server, slugs: &[String], options: &Options) -> Result<Outcome> {
    let tenants = tenants(slugs, options);
    if tenants.is_empty() {
        return Err("the subscriptions run needs a synthetic tenant".into());
    }
    let per_tenant = BUYERS_PER_TENANT
        .max(SUBSCRIBERS.div_ceil(tenants.len()))
        .min(options.customers as usize)
        .max(1);
    let signing_in = Instant::now();
    let buyers = buyers(server, tenants, per_tenant).await?;
    println!(
        "signed in {} portal buyers across {} tenants in {:.1} s",
        buyers.len(),
        tenants.len(),
        signing_in.elapsed().as_secs_f64()
    );
    let address = server
        .base
        .strip_prefix("http://")
        .ok_or("the server's address is not http://")?
        .to_owned();
    let max_per_tenant = options
        .server_env
        .iter()
        .find_map(|pair| pair.strip_prefix("SUBSCRIPTIONS_MAX_PER_TENANT="))
        .map_or_else(|| DEFAULT_MAX_PER_TENANT.to_string(), str::to_owned);

    let idle = idle(server, &address, &buyers).await?;
    // Let the server notice the closed connections before the latency run starts.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let latency = latency(server, &address, &buyers, options).await?;

    let growth = idle.rss_settled - idle.rss_before;
    let per_subscription = growth * 1024.0 * 1024.0 / IDLE_SUBSCRIPTIONS as f64;
    let idle_passed = growth < IDLE_TARGET_MB && idle.failures == 0;
    let p50 = percentile(&latency.commit_to_client_ms, 50.0);
    let p99 = percentile(&latency.commit_to_client_ms, 99.0);
    let rate = latency.placed as f64 / latency.window_secs;
    let latency_passed = p99 < LATENCY_TARGET_MS
        && latency.lost == 0
        && latency.placed > 0
        && latency.mutation_errors == 0
        && latency.failures == 0;
    let verdict = |passed: bool| if passed { "met" } else { "**missed**" };

    let mut report = String::new();
    writeln!(
        report,
        "Server limits in effect: SUBSCRIPTIONS_MAX_PER_CONNECTION 20 (one subscription per \
         connection here), SUBSCRIPTIONS_MAX_PER_TENANT {max_per_tenant} ({} connections per \
         tenant over {} tenants); other server settings as `leora-bench` starts it (`--server-env` \
         adds to them).\n",
        IDLE_SUBSCRIPTIONS.div_ceil(tenants.len()),
        tenants.len()
    )?;
    writeln!(report, "### Idle subscriptions\n")?;
    writeln!(report, "| | value |\n|---|---:|")?;
    writeln!(
        report,
        "| connections, each acknowledged with one `orderUpdated` | {IDLE_SUBSCRIPTIONS} (over {} \
         portal buyers' tokens) |",
        buyers.len()
    )?;
    writeln!(report, "| opened in | {:.1} s |", idle.open_secs)?;
    writeln!(report, "| server RSS before | {:.1} MB |", idle.rss_before)?;
    writeln!(report, "| server RSS all open | {:.1} MB |", idle.rss_open)?;
    writeln!(
        report,
        "| server RSS after {} s idle | {:.1} MB |",
        IDLE_SETTLE.as_secs(),
        idle.rss_settled
    )?;
    writeln!(report, "| RSS growth | {growth:.1} MB |")?;
    writeln!(
        report,
        "| per subscription (connection) | {:.1} KB |",
        per_subscription / 1024.0
    )?;
    writeln!(
        report,
        "| server CPU while idle (session checks, pings) | {:.0} ms/s ({:.1} % of a core) |",
        idle.settle_cpu_ms / IDLE_SETTLE.as_secs_f64(),
        idle.settle_cpu_ms / IDLE_SETTLE.as_secs_f64() / 10.0
    )?;
    writeln!(
        report,
        "| errors or unexpected closes | {} |",
        idle.failures
    )?;
    writeln!(
        report,
        "\nRSS growth for {IDLE_SUBSCRIPTIONS} idle subscriptions: {growth:.1} MB (target < \
         {IDLE_TARGET_MB:.0} MB): {}.\n",
        verdict(idle_passed)
    )?;
    writeln!(report, "### Commit to client\n")?;
    writeln!(report, "| | value |\n|---|---:|")?;
    writeln!(
        report,
        "| subscribers (portal buyers, `orderUpdated` for their customer) | {} |",
        latency.subscribers
    )?;
    writeln!(
        report,
        "| events (draft `createOrder`, `order.placed`) | {} in {:.1} s = {rate:.0}/s |",
        latency.placed, latency.window_secs
    )?;
    writeln!(
        report,
        "| mutation p50 / p99 | {:.1} / {:.1} ms |",
        percentile(&latency.mutation_ms, 50.0),
        percentile(&latency.mutation_ms, 99.0)
    )?;
    writeln!(
        report,
        "| commit (HTTP response) to client p50 / p99 / max | {p50:.1} / {p99:.1} / {:.1} ms |",
        latency.commit_to_client_ms.last().copied().unwrap_or(0.0)
    )?;
    writeln!(
        report,
        "| received before the mutation's response (counted 0 ms) | {} |",
        latency.before_response
    )?;
    writeln!(
        report,
        "| lost (not received within {} s) | {} |",
        DRAIN.as_secs(),
        latency.lost
    )?;
    writeln!(
        report,
        "| mutation errors | {}{} |",
        latency.mutation_errors,
        latency
            .first_mutation_error
            .as_deref()
            .map(|e| format!(" (first: {})", e.chars().take(200).collect::<String>()))
            .unwrap_or_default()
    )?;
    writeln!(
        report,
        "| subscription errors or unexpected closes | {} |",
        latency.failures
    )?;
    writeln!(
        report,
        "| server CPU during the window | {:.0} % of a core |",
        latency.server_cpu_percent
    )?;
    writeln!(
        report,
        "\nCommit-to-client p99 at {rate:.0} events/s: {p99:.1} ms (target < \
         {LATENCY_TARGET_MS:.0} ms, nothing lost): {}.",
        verdict(latency_passed)
    )?;
    Ok(Outcome {
        report,
        passed: idle_passed && latency_passed,
    })
}
