//! Quotes, and the price list entries behind them.

use crate::support::*;
use chrono::{DateTime, Duration, Utc};
use leora_catalog::error::CatalogError;
use leora_catalog::service::price_lists::{
    PriceListEntryInput, delete_price_list_entry, upsert_price_list_entry,
};
use leora_catalog::service::pricing::{PriceSource, quote, quote_many};
use leora_tenancy::{ErrorCode, TenantContext, TenantDb, with_tenant};
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::fixtures::create_customer;
use leora_test_db::sql::{exec, insert};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

#[tokio::test]
async fn quotes_prefer_the_customer_entry_then_the_tier_then_the_base_price() {
    let world = world().await;
    let t = world.a;
    let sku = t.sku;
    let own_customer = t.customer;
    let tier_customer =
        create_customer(&world.pools.owner, t.id, "ACCT-2", Some("wholesale")).await;
    let no_tier = create_customer(&world.pools.owner, t.id, "ACCT-3", None).await;
    let (tier_1, tier_12, own) = world
        .run(t, async |tx| {
            let add =
                async |input| Ok::<_, CatalogError>(upsert_price_list_entry(tx, input).await?.id);
            let tier_1 = add(tier_entry(sku, "wholesale", "18.00", 1)).await?;
            let tier_12 = add(tier_entry(sku, "wholesale", "16.00", 12)).await?;
            let own = add(customer_entry(sku, own_customer, "17.00")).await?;
            // Cheaper, but another tier's, or expired.
            add(tier_entry(sku, "retail", "9.00", 1)).await?;
            add(PriceListEntryInput {
                valid_from: Some(Utc::now() - Duration::days(30)),
                valid_until: Some(Utc::now() - Duration::days(1)),
                ..customer_entry(sku, no_tier, "5.00")
            })
            .await?;
            Ok((tier_1, tier_12, own))
        })
        .await
        .unwrap();

    let price = async |customer: Uuid, quantity: i32| {
        let quote = world
            .run(t, async |tx| {
                quote(tx, customer, sku, quantity, Utc::now()).await
            })
            .await
            .unwrap();
        (quote.unit_price, quote.rule, quote.entry_id)
    };
    use PriceSource::{BasePrice, CustomerPrice, PriceTier};
    assert_eq!(
        price(own_customer, 1).await,
        (dec("17.00"), CustomerPrice, Some(own))
    );
    assert_eq!(
        price(own_customer, 12).await,
        (dec("17.00"), CustomerPrice, Some(own)),
        "the customer's own price stands even where the tier breaks lower"
    );
    assert_eq!(
        price(tier_customer, 11).await,
        (dec("18.00"), PriceTier, Some(tier_1))
    );
    assert_eq!(
        price(tier_customer, 12).await,
        (dec("16.00"), PriceTier, Some(tier_12))
    );
    assert_eq!(price(no_tier, 1).await, (dec("20.00"), BasePrice, None));
}

#[tokio::test]
async fn quote_many_prices_any_number_of_skus_in_three_statements() {
    let world = world().await;
    let t = world.a;
    let statements = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut pool = world.pools.database.connect().await;
    let log = statements.clone();
    pool.set_metric_callback(move |info| log.lock().unwrap().push(info.statement.sql.clone()));
    let db = TenantDb::new(pool, app_role());

    let mut skus = vec![t.sku, t.bare_sku];
    for n in 0..6 {
        skus.push(
            insert(
                &world.pools.owner,
                "INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price)
                 VALUES ($1, $2, $3, 750, 30.00) RETURNING id",
                [t.id.into(), t.product.into(), format!("EXTRA-{n}").into()],
            )
            .await,
        );
        exec(
            &world.pools.owner,
            "INSERT INTO price_list_entries (tenant_id, sku_id, price_tier, unit_price)
             VALUES ($1, $2, 'wholesale', 25.00)",
            [t.id.into(), skus[skus.len() - 1].into()],
        )
        .await;
    }

    let mut counts = Vec::new();
    for size in [1, skus.len()] {
        let items: Vec<(Uuid, i32)> = skus[..size].iter().map(|sku| (*sku, 6)).collect();
        let quotes = with_tenant(&db, &TenantContext::system(t.id), async |tx| {
            statements.lock().unwrap().clear();
            let quotes = quote_many(tx, t.customer, &items, Utc::now()).await?;
            counts.push(statements.lock().unwrap().len());
            Ok::<_, CatalogError>(quotes)
        })
        .await
        .unwrap();
        assert_eq!(quotes.len(), size);
        if size > 2 {
            assert_eq!(quotes[&t.bare_sku].rule, PriceSource::BasePrice);
            assert_eq!(quotes[&skus[2]].unit_price, dec("25.00"));
        }
    }
    assert_eq!(counts, [3, 3], "customer, skus, entries");
}

#[tokio::test]
async fn quotes_refuse_unknown_rows_bad_quantities_and_repeated_skus() {
    let world = world().await;
    let (a, b) = (world.a, world.b);
    let now = Utc::now();
    assert_not_found(
        world
            .run(a, async |tx| quote(tx, a.customer, b.sku, 1, now).await)
            .await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| quote(tx, b.customer, a.sku, 1, now).await)
            .await,
        "customer",
    );
    assert_code_and_field(
        world
            .run(a, async |tx| quote(tx, a.customer, a.sku, 0, now).await)
            .await,
        ErrorCode::BadUserInput,
        Some("quantity"),
    );
    assert_code_and_field(
        world
            .run(a, async |tx| {
                quote_many(tx, a.customer, &[(a.sku, 1), (a.sku, 2)], now).await
            })
            .await,
        ErrorCode::BadUserInput,
        Some("items"),
    );
}

#[tokio::test]
async fn a_price_list_entry_is_added_replaced_and_deleted() {
    let world = world().await;
    let t = world.a;
    let from = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let entry = world
        .run(t, async |tx| {
            let input = PriceListEntryInput {
                valid_from: Some(from),
                ..tier_entry(t.sku, " Wholesale ", "18.00", 6)
            };
            upsert_price_list_entry(tx, input).await
        })
        .await
        .unwrap();
    assert_eq!(entry.price_tier.as_deref(), Some("wholesale"));

    let replaced = world
        .run(t, async |tx| {
            let input = PriceListEntryInput {
                id: Some(entry.id),
                ..customer_entry(t.sku, t.customer, "17.50")
            };
            upsert_price_list_entry(tx, input).await
        })
        .await
        .unwrap();
    assert_eq!(replaced.id, entry.id);
    assert_eq!(
        (
            replaced.price_tier,
            replaced.customer_id,
            replaced.unit_price
        ),
        (None, Some(t.customer), dec("17.50"))
    );
    assert_eq!(replaced.valid_from, from, "an omitted start is kept");
    assert_eq!(replaced.min_quantity, 1);

    world
        .run(t, async |tx| delete_price_list_entry(tx, entry.id).await)
        .await
        .unwrap();
    assert_not_found(
        world
            .run(t, async |tx| delete_price_list_entry(tx, entry.id).await)
            .await,
        "price list entry",
    );
}
