//! Another tenant's catalog rows, through every service: not found, and left as they were.

use crate::support::*;
use leora_catalog::service::customers::deactivate_customer;
use leora_catalog::service::inventory::{
    Availability, MAIN_LOCATION, adjust, availability, reserve,
};
use leora_catalog::service::price_lists::upsert_price_list_entry;
use leora_catalog::service::products::{
    NewProduct, ProductChanges, create_product, update_product,
};
use leora_catalog::service::skus::{SkuChanges, create_sku, update_sku};
use leora_catalog::service::suppliers::deactivate_supplier;
use leora_test_db::sql::insert;

#[tokio::test]
async fn another_tenants_rows_are_not_found_and_stay_untouched() {
    let world = world().await;
    let (a, b) = (world.a, world.b);
    let b_supplier = insert(
        &world.pools.owner,
        "INSERT INTO suppliers (tenant_id, name) VALUES ($1, 'B only') RETURNING id",
        [b.id.into()],
    )
    .await;
    let before = world.row_counts().await;

    assert_not_found(
        world
            .run(a, async |tx| {
                create_sku(tx, new_sku(b.product, "STOLEN")).await
            })
            .await,
        "product",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                let input = NewProduct {
                    supplier_id: Some(b_supplier),
                    ..new_product("X")
                };
                create_product(tx, input).await
            })
            .await,
        "supplier",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                upsert_price_list_entry(tx, tier_entry(b.sku, "wholesale", "1.00", 1)).await
            })
            .await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                upsert_price_list_entry(tx, customer_entry(a.sku, b.customer, "1.00")).await
            })
            .await,
        "customer",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                let changes = SkuChanges {
                    base_price: Some(dec("0.01")),
                    ..Default::default()
                };
                update_sku(tx, b.sku, changes).await
            })
            .await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| deactivate_customer(tx, b.customer).await)
            .await,
        "customer",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                update_product(tx, b.product, ProductChanges::default()).await
            })
            .await,
        "product",
    );
    assert_not_found(
        world
            .run(a, async |tx| deactivate_supplier(tx, b_supplier).await)
            .await,
        "supplier",
    );
    assert_not_found(
        world.run(a, async |tx| reserve(tx, b.sku, 1).await).await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                adjust(tx, b.sku, MAIN_LOCATION, 5, "theft").await
            })
            .await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                adjust(tx, b.sku, MAIN_LOCATION, -5, "theft").await
            })
            .await,
        "sku",
    );
    let seen = world
        .run(a, async |tx| availability(tx, &[b.sku]).await)
        .await
        .unwrap();
    assert_eq!(seen[&b.sku], Availability::default());

    assert_eq!(world.row_counts().await, before);
    assert_eq!(world.stock(b.sku, MAIN_LOCATION).await, Some((10, 0)));
}
