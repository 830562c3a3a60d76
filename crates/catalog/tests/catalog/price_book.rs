//! The price book: listed with filters, and imported in bulk, all or nothing.

use crate::support::*;
use chrono::{Duration, Utc};
use leora_catalog::error::CatalogError;
use leora_catalog::service::price_lists::{
    ImportedEntry, MAX_IMPORT_ENTRIES, PriceListFilter, SkuRef, entries, import_price_list,
    upsert_price_list_entry,
};
use leora_catalog::service::pricing::{PriceSource, quote};
use leora_tenancy::{ApiError, ErrorCode};
use leora_test_db::fixtures::create_customer;
use leora_test_db::sql::scalar;
use uuid::Uuid;

fn by_code(code: &str, tier: &str, price: &str, min_quantity: i32) -> ImportedEntry {
    ImportedEntry {
        sku: SkuRef::Code(code.to_owned()),
        price_tier: Some(tier.to_owned()),
        customer_id: None,
        unit_price: dec(price),
        min_quantity,
        valid_from: None,
        valid_until: None,
    }
}

async fn entry_count(world: &World) -> i64 {
    scalar(
        &world.pools.owner,
        "SELECT count(*) FROM price_list_entries",
        [],
    )
    .await
}

/// The code and field of a refusal.
fn refusal<T: std::fmt::Debug>(outcome: Result<T, CatalogError>) -> (ErrorCode, String) {
    let error = outcome.unwrap_err();
    (error.code(), error.field().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn an_import_adds_every_entry_by_code_or_id_and_pricing_uses_them() {
    let world = world().await;
    let t = world.a;
    let imported = world
        .run(t, async |tx| {
            import_price_list(
                tx,
                vec![
                    by_code("CAB-750", "wholesale", "18.00", 1),
                    by_code(" CAB-750 ", "wholesale", "15.50", 12),
                    ImportedEntry {
                        sku: SkuRef::Id(t.sku),
                        price_tier: None,
                        customer_id: Some(t.customer),
                        ..by_code("", "", "17.25", 1)
                    },
                ],
            )
            .await
        })
        .await
        .unwrap();
    assert_eq!(imported, 3);
    assert_eq!(entry_count(&world).await, 3);
    let tier_customer =
        create_customer(&world.pools.owner, t.id, "ACCT-9", Some("wholesale")).await;
    let priced = |customer, quantity| {
        world.run(t, async move |tx| {
            quote(
                tx,
                customer,
                t.sku,
                quantity,
                Utc::now() + Duration::seconds(1),
            )
            .await
        })
    };
    let own = priced(t.customer, 12).await.unwrap();
    assert_eq!(
        (own.unit_price, own.rule),
        (dec("17.25"), PriceSource::CustomerPrice)
    );
    let one = priced(tier_customer, 1).await.unwrap();
    assert_eq!(
        (one.unit_price, one.rule),
        (dec("18.00"), PriceSource::PriceTier)
    );
    let twelve = priced(tier_customer, 12).await.unwrap();
    assert_eq!(
        (twelve.unit_price, twelve.rule),
        (dec("15.50"), PriceSource::PriceTier)
    );
}

#[tokio::test]
async fn a_bad_entry_is_answered_at_its_path_and_nothing_is_written() {
    let world = world().await;
    let t = world.a;
    let good = || by_code("CAB-750", "wholesale", "18.00", 1);
    let mut long = vec![good(); 500];
    long[412].unit_price = dec("-1.00");
    let other_tenants_sku = world.b.sku;
    let cases: Vec<(Vec<ImportedEntry>, &str)> = vec![
        (long, "entries.412.unitPrice"),
        (
            vec![
                good(),
                good(),
                good(),
                by_code("NOPE-750", "wholesale", "1.00", 1),
            ],
            "entries.3.skuCode",
        ),
        (
            vec![
                good(),
                ImportedEntry {
                    sku: SkuRef::Id(other_tenants_sku),
                    ..good()
                },
            ],
            "entries.1.skuId",
        ),
        (
            vec![ImportedEntry {
                customer_id: Some(t.customer),
                ..good()
            }],
            "entries.0.priceTier",
        ),
        (
            vec![ImportedEntry {
                price_tier: None,
                customer_id: Some(world.b.customer),
                ..good()
            }],
            "entries.0.customerId",
        ),
        (
            vec![
                good(),
                good(),
                ImportedEntry {
                    min_quantity: 0,
                    ..good()
                },
            ],
            "entries.2.minQuantity",
        ),
        (
            vec![ImportedEntry {
                valid_from: Some(Utc::now()),
                valid_until: Some(Utc::now() - Duration::days(1)),
                ..good()
            }],
            "entries.0.validUntil",
        ),
        (vec![], "entries"),
        (vec![good(); MAX_IMPORT_ENTRIES + 1], "entries"),
    ];
    for (entries, field) in cases {
        let outcome = world
            .run(t, async |tx| import_price_list(tx, entries).await)
            .await;
        assert_eq!(
            refusal(outcome),
            (ErrorCode::BadUserInput, field.to_owned())
        );
    }
    assert_eq!(entry_count(&world).await, 0, "nothing was written");
}

#[tokio::test]
async fn the_largest_import_is_taken_whole() {
    let world = world().await;
    let imported = world
        .run(world.a, async |tx| {
            import_price_list(
                tx,
                vec![by_code("CAB-750", "wholesale", "18.00", 1); MAX_IMPORT_ENTRIES],
            )
            .await
        })
        .await
        .unwrap();
    assert_eq!(imported, MAX_IMPORT_ENTRIES);
    assert_eq!(entry_count(&world).await, 5_000);
}

#[tokio::test]
async fn the_price_book_is_listed_by_sku_tier_customer_and_the_instant_in_force() {
    let world = world().await;
    let t = world.a;
    let now = Utc::now();
    let ids = world
        .run(t, async |tx| {
            let mut ids = Vec::new();
            for input in [
                tier_entry(t.sku, "wholesale", "18.00", 1),
                tier_entry(t.bare_sku, "retail", "30.00", 1),
                customer_entry(t.sku, t.customer, "17.00"),
                leora_catalog::service::price_lists::PriceListEntryInput {
                    valid_from: Some(now - Duration::days(30)),
                    valid_until: Some(now - Duration::days(1)),
                    ..tier_entry(t.sku, "wholesale", "12.00", 1)
                },
            ] {
                ids.push(upsert_price_list_entry(tx, input).await?.id);
            }
            Ok(ids)
        })
        .await
        .unwrap();
    let listed = |filter: PriceListFilter| {
        world.run(t, async move |tx| {
            let rows = entries(&filter).all(tx).await?;
            Ok(rows.into_iter().map(|row| row.id).collect::<Vec<Uuid>>())
        })
    };
    let sorted = |mut ids: Vec<Uuid>| {
        ids.sort();
        ids
    };
    assert_eq!(
        sorted(listed(PriceListFilter::default()).await.unwrap()),
        sorted(ids.clone())
    );
    assert_eq!(
        sorted(
            listed(PriceListFilter {
                sku_id: Some(t.sku),
                price_tier: Some("Wholesale".into()),
                ..Default::default()
            })
            .await
            .unwrap()
        ),
        sorted(vec![ids[0], ids[3]])
    );
    assert_eq!(
        listed(PriceListFilter {
            customer_id: Some(t.customer),
            ..Default::default()
        })
        .await
        .unwrap(),
        vec![ids[2]]
    );
    assert_eq!(
        sorted(
            listed(PriceListFilter {
                sku_id: Some(t.sku),
                active_at: Some(now + Duration::seconds(1)),
                ..Default::default()
            })
            .await
            .unwrap()
        ),
        sorted(vec![ids[0], ids[2]]),
        "the expired entry is not in force"
    );
}
