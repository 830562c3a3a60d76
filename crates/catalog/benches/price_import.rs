//! `cargo bench -p leora-catalog --bench price_import`: how long `importPriceList`'s service takes
//! for the largest import (5,000 entries) on a fresh database of the local PostgreSQL, from the
//! first check to the committed rows. Prints the figures docs/performance.md quotes.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)] // a benchmark's report

use std::time::{Duration, Instant};

use leora_catalog::service::price_lists::{
    ImportedEntry, MAX_IMPORT_ENTRIES, SkuRef, import_price_list,
};
use leora_tenancy::{TenantContext, with_tenant};
use leora_test_db::Pools;
use leora_test_db::fixtures::{create_customer, create_product, create_sku, create_tenant};
use rust_decimal::Decimal;

const SKUS: usize = 200;
const RUNS: usize = 15;

#[tokio::main]
async fn main() {
    let pools = Pools::new().await;
    let tenant = create_tenant(&pools.owner, "bench").await;
    let product = create_product(&pools.owner, tenant, "Cabernet", "wine").await;
    let mut codes = Vec::with_capacity(SKUS);
    for n in 0..SKUS {
        let code = format!("CAB-{n:04}");
        create_sku(&pools.owner, tenant, product, &code).await;
        codes.push(code);
    }
    let customer = create_customer(&pools.owner, tenant, "ACCT-1", Some("wholesale")).await;
    // A season's book: tier prices by code, a customer price every tenth row.
    let entries: Vec<ImportedEntry> = (0..MAX_IMPORT_ENTRIES)
        .map(|n| ImportedEntry {
            sku: SkuRef::Code(codes[n % SKUS].clone()),
            price_tier: (n % 10 != 0)
                .then(|| ["wholesale", "retail", "on_premise"][n % 3].to_owned()),
            customer_id: (n % 10 == 0).then_some(customer),
            unit_price: Decimal::new(1_000 + (n as i64 % 5_000), 2),
            min_quantity: 1 + (n as i32 % 24),
            valid_from: None,
            valid_until: None,
        })
        .collect();
    let ctx = TenantContext::system(tenant);
    let mut timings: Vec<Duration> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let batch = entries.clone();
        let started = Instant::now();
        let imported = with_tenant(&pools.db, &ctx, async |tx| {
            import_price_list(tx, batch).await
        })
        .await
        .expect("the import succeeds");
        timings.push(started.elapsed());
        assert_eq!(imported, MAX_IMPORT_ENTRIES);
    }
    timings.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "importPriceList service, {MAX_IMPORT_ENTRIES} entries over {SKUS} SKUs, {RUNS} runs \
         (each committed): min {:.1} ms, median {:.1} ms, max {:.1} ms",
        ms(timings[0]),
        ms(timings[RUNS / 2]),
        ms(timings[RUNS - 1]),
    );
}
