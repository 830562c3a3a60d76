//! `--deep-pages`: what a deep page costs next to the first. A tenant admin pages through the
//! tenant's orders ten at a time, newest first (the first synthetic tenant holds 10,000 orders, so
//! page 1,000 is the last), once to reach page 1,000's cursor; then page 1 and page 1,000 are each
//! requested for the measured window at c=1. Target (docs/performance.md): page 1,000 costs at
//! most 2× page 1, which keyset cursors give (an index range from the cursor) and offsets did not.

use crate::gateway::{ServerHandle, post, sign_in};
use crate::load::{Measured, drive};
use crate::server::Server;
use crate::{Options, Result};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::sync::Arc;

const PAGE_SIZE: usize = 10;
const DEEP_PAGE: usize = 1_000;
const PAGE: &str = "query($after: String) { orders(first: 10, after: $after) { \
                    edges { node { id orderNumber status total createdAt } } \
                    pageInfo { endCursor hasNextPage } } }";

pub struct Outcome {
    pub report: String,
    pub passed: bool,
}

pub async fn run(server: &Server, slugs: &[String], options: &Options) -> Result<Outcome> {
    let slug = slugs
        .first()
        .ok_or("the deep-pages run needs a synthetic tenant")?;
    let admin = sign_in(server, false, slug, &format!("admin@{slug}.example")).await?;
    let mut after = Value::Null;
    for page in 1..DEEP_PAGE {
        let body = post(server, Some(&admin.token), PAGE, &json!({ "after": after })).await?;
        let reply: Value = serde_json::from_slice(&body)?;
        let info = &reply["data"]["orders"]["pageInfo"];
        if info["hasNextPage"] != true {
            return Err(format!(
                "{slug} has no page {DEEP_PAGE} of {PAGE_SIZE} orders (it ended at page {page})"
            )
            .into());
        }
        after = info["endCursor"].clone();
    }
    let first = measure(server, &admin.token, Value::Null, options).await;
    let deep = measure(server, &admin.token, after, options).await;
    let ratio = |p: f64| deep.percentile_ms(p) / first.percentile_ms(p).max(0.001);
    let mut report = String::from(
        "| page (10 orders, newest first) | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---|\n",
    );
    for (name, measured) in [("1", &first), ("1,000", &deep)] {
        let _ = writeln!(
            report,
            "| {name} | {:.0} | {:.1} | {:.1} | {} |",
            measured.per_second(),
            measured.percentile_ms(50.0),
            measured.percentile_ms(99.0),
            measured.first_error.as_deref().unwrap_or("none"),
        );
    }
    let passed = ratio(50.0) <= 2.0 && first.errors == 0 && deep.errors == 0;
    let _ = writeln!(
        report,
        "\nPage 1,000 against page 1 ({slug}, c=1): p50 {:.2}×, p99 {:.2}× (target: at most 2×).",
        ratio(50.0),
        ratio(99.0)
    );
    Ok(Outcome { report, passed })
}

async fn measure(server: &Server, token: &str, after: Value, options: &Options) -> Measured {
    let server = ServerHandle::of(server);
    let (token, variables) = (
        Arc::new(token.to_owned()),
        Arc::new(json!({ "after": after })),
    );
    drive(1, options.warmup(), options.duration(), move |_, _| {
        let (server, token, variables) = (
            Arc::clone(&server),
            Arc::clone(&token),
            Arc::clone(&variables),
        );
        async move { server.post(&token, PAGE, &variables).await }
    })
    .await
}
