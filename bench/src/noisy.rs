//! `--noisy-neighbour`: one tenant floods the server, another keeps working. Tenant B's portal
//! buyers load catalog pages at c=4, first alone, then while tenant A's buyers request their
//! orders with lines at the highest `--concurrency`; then A's buyers send the amplification query
//! (orders with lines, aliased many times) while the server's memory is sampled. Reports B's
//! latencies alone and under the flood, what A got, the errors by code, and the peak RSS.
//! Targets (docs/performance.md): B's p99 under the flood at most 3× alone, peak RSS under the
//! amplification query below 300 MB, no `INTERNAL` error.

use crate::gateway::{Principal, ServerHandle, buyer_email, sign_in};
use crate::load::{Measured, drive, with_rss_sampling};
use crate::mix::Query;
use crate::server::Server;
use crate::{Options, Result};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const VICTIM_CONCURRENCY: usize = 4;
const ORDERS_WITH_LINES: &str =
    "orders(first: 100) { edges { node { id lines { id quantity unitPrice lineTotal } } } }";

/// The amplification query: `aliases` copies of a buyer's 100 orders with their lines.
fn amplification(aliases: usize) -> String {
    let fields: Vec<String> = (0..aliases)
        .map(|i| format!("a{i}: {ORDERS_WITH_LINES}"))
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

/// Errors by `extensions.code` (or the HTTP status when there is none).
#[derive(Default)]
struct Codes(Mutex<BTreeMap<String, u64>>);

impl Codes {
    fn count(&self, error: &str) {
        let code = error
            .split("\"code\":\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map_or_else(
                || error.split(':').next().unwrap_or("?").to_owned(),
                str::to_owned,
            );
        let mut codes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *codes.entry(code).or_default() += 1;
    }

    fn summary(&self) -> String {
        let codes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if codes.is_empty() {
            return "none".to_owned();
        }
        codes
            .iter()
            .map(|(code, n)| format!("{code} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn internal(&self) -> u64 {
        let codes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        codes.get("INTERNAL").copied().unwrap_or(0)
    }
}

/// How long each load runs: unmeasured warm-up, then the measured window.
#[derive(Clone, Copy)]
struct Timing {
    warmup: Duration,
    window: Duration,
}

/// `clients` closed-loop clients sending `query` as `principals` in turn.
async fn load(
    server: Arc<ServerHandle>,
    principals: &[Principal],
    query: String,
    clients: usize,
    timing: Timing,
    codes: Arc<Codes>,
) -> Measured {
    let principals = Arc::new(principals.to_vec());
    let query = Arc::new(query);
    drive(clients, timing.warmup, timing.window, move |client, _| {
        let (principals, query, server, codes) = (
            Arc::clone(&principals),
            Arc::clone(&query),
            Arc::clone(&server),
            Arc::clone(&codes),
        );
        async move {
            let principal = &principals[client % principals.len()];
            let outcome = server.post(&principal.token, &query, &json!({})).await;
            if let Err(error) = &outcome {
                codes.count(error);
            }
            outcome
        }
    })
    .await
}

/// Tenant B's catalog load, driven from a thread and runtime of its own with its own
/// connections: B's clients are other machines than A's, so B's latencies must not include
/// waiting behind A's clients in the load generator's scheduler (the two still share the
/// machine's cores with the server and PostgreSQL).
async fn victim_load(
    server: &Server,
    buyers: &[Principal],
    timing: Timing,
    codes: Arc<Codes>,
) -> Result<Measured> {
    let handle = ServerHandle::detached(server)?;
    let buyers = buyers.to_vec();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("victim-load".to_owned())
        .spawn(move || {
            let measured = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|runtime| {
                    runtime.block_on(load(
                        handle,
                        &buyers,
                        Query::Catalog.text().to_owned(),
                        VICTIM_CONCURRENCY,
                        timing,
                        codes,
                    ))
                });
            let _ = sender.send(measured);
        })?;
    Ok(receiver
        .await
        .map_err(|_| "the victim's load thread ended without a result")??)
}

async fn buyers(server: &Server, slug: &str, count: usize) -> Result<Vec<Principal>> {
    let mut signed_in = Vec::with_capacity(count);
    for customer in 1..=count {
        signed_in.push(sign_in(server, true, slug, &buyer_email(slug, customer)).await?);
    }
    Ok(signed_in)
}

pub struct Outcome {
    pub report: String,
    pub passed: bool,
}

pub async fn run(server: &Server, slugs: &[String], options: &Options) -> Result<Outcome> {
    let [flooder, victim, ..] = slugs else {
        return Err("the noisy-neighbour run needs two synthetic tenants".into());
    };
    let flood = options.concurrency.iter().copied().max().unwrap_or(64);
    let a = buyers(
        server,
        flooder,
        flood.min(options.customers as usize / 2).max(1),
    )
    .await?;
    let b = buyers(server, victim, VICTIM_CONCURRENCY).await?;
    let orders = Query::Orders.text().to_owned();
    let timing = Timing {
        warmup: options.warmup(),
        window: options.duration(),
    };
    let shared = ServerHandle::of(server);

    let alone_codes = Arc::new(Codes::default());
    let alone = victim_load(server, &b, timing, Arc::clone(&alone_codes)).await?;

    let (flood_codes, victim_codes) = (Arc::new(Codes::default()), Arc::new(Codes::default()));
    let (flooded, flooding) = tokio::join!(
        victim_load(server, &b, timing, Arc::clone(&victim_codes)),
        load(
            Arc::clone(&shared),
            &a,
            orders,
            flood,
            timing,
            Arc::clone(&flood_codes)
        ),
    );
    let flooded = flooded?;

    let attack_codes = Arc::new(Codes::default());
    let rss_before = server.memory().map_or(0.0, |(rss, _)| rss);
    let attack = async {
        let (hundred, ten) = tokio::join!(
            load(
                Arc::clone(&shared),
                &a,
                amplification(100),
                4,
                timing,
                Arc::clone(&attack_codes)
            ),
            load(
                Arc::clone(&shared),
                &a,
                amplification(10),
                4,
                timing,
                Arc::clone(&attack_codes)
            ),
        );
        hundred.errors + ten.errors
    };
    let (refused, rss_peak, _) = with_rss_sampling(server.pid, attack).await;

    let ratio = flooded.percentile_ms(99.0) / alone.percentile_ms(99.0).max(0.001);
    let internal = alone_codes.internal()
        + victim_codes.internal()
        + flood_codes.internal()
        + attack_codes.internal();
    let passed = ratio <= 3.0 && rss_peak < 300.0 && internal == 0;
    let mut report = String::new();
    let row = |label: &str, m: &Measured, codes: &Codes| {
        format!(
            "| {label} | {:.0} | {:.1} | {:.1} | {} |\n",
            m.per_second(),
            m.percentile_ms(50.0),
            m.percentile_ms(99.0),
            codes.summary()
        )
    };
    writeln!(report, "| load | req/s | p50 ms | p99 ms | errors |")?;
    writeln!(report, "|---|---:|---:|---:|---|")?;
    report.push_str(&row(
        &format!("B catalog, c={VICTIM_CONCURRENCY}, alone"),
        &alone,
        &alone_codes,
    ));
    report.push_str(&row(
        &format!("B catalog, c={VICTIM_CONCURRENCY}, under A's flood"),
        &flooded,
        &victim_codes,
    ));
    report.push_str(&row(
        &format!("A orders with lines, c={flood} (the flood)"),
        &flooding,
        &flood_codes,
    ));
    writeln!(report)?;
    writeln!(
        report,
        "B's p99 under the flood: {ratio:.2}× alone (target ≤ 3×). Amplification query (100 and 10 \
         aliases of 100 orders with lines, c=4 each): {refused} requests, answered {}; server RSS \
         {rss_before:.0} MB before, peak {rss_peak:.0} MB (target < 300 MB). INTERNAL errors: \
         {internal} (target 0).",
        attack_codes.summary()
    )?;
    Ok(Outcome { report, passed })
}
