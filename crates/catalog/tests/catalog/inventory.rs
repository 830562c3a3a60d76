//! Stock: reservations under contention, adjustments per location, and what is available.

use crate::support::*;
use leora_catalog::error::CatalogError;
use leora_catalog::service::inventory::{
    Availability, MAIN_LOCATION, adjust, availability, consume, release, reserve,
};
use leora_tenancy::{ErrorCode, TenantContext, with_tenant};
use leora_test_db::errors::assert_code_and_field;
use std::sync::Arc;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_orders_for_ten_units_reserve_exactly_ten() {
    let world = world().await;
    let db = world.contention_pool().await;
    let ctx = TenantContext::system(world.a.id);
    let sku = world.a.sku;
    let start = Arc::new(tokio::sync::Barrier::new(50));

    let mut orders = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (db, start) = (db.clone(), start.clone());
        orders.spawn(async move {
            start.wait().await;
            with_tenant(&db, &ctx, async |tx| reserve(tx, sku, 1).await).await
        });
    }
    let (mut reserved, mut refused) = (0, 0);
    while let Some(outcome) = orders.join_next().await {
        match outcome.unwrap() {
            Ok(_) => reserved += 1,
            Err(CatalogError::InsufficientInventory {
                sku_id,
                requested,
                available,
                ..
            }) => {
                assert_eq!((sku_id, requested, available), (sku, 1, 0));
                refused += 1;
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    }

    assert_eq!((reserved, refused), (10, 40));
    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((10, 10)));
}

#[tokio::test]
async fn reserve_release_and_consume_move_stock_exactly() {
    let world = world().await;
    let (t, sku) = (world.a, world.a.sku);
    let step = async |work: &str, quantity: i32| {
        world
            .run(t, async |tx| match work {
                "reserve" => reserve(tx, sku, quantity).await,
                "release" => release(tx, sku, quantity).await,
                _ => consume(tx, sku, quantity).await,
            })
            .await
            .map(|row| (row.on_hand, row.reserved))
    };

    assert_eq!(step("reserve", 3).await.unwrap(), (10, 3));
    assert_eq!(step("reserve", 7).await.unwrap(), (10, 10));
    let error = assert_code_and_field(
        step("reserve", 1).await,
        ErrorCode::InsufficientInventory,
        None,
    );
    assert_eq!(
        error.to_string(),
        "insufficient inventory for sku CAB-750: 1 requested, 0 available"
    );
    assert_eq!(step("release", 2).await.unwrap(), (10, 8));
    assert_eq!(step("consume", 5).await.unwrap(), (5, 3));
    assert_code_and_field(
        step("release", 4).await,
        ErrorCode::Conflict,
        Some("quantity"),
    );
    assert_code_and_field(
        step("consume", 4).await,
        ErrorCode::Conflict,
        Some("quantity"),
    );
    assert_code_and_field(
        step("reserve", 0).await,
        ErrorCode::BadUserInput,
        Some("quantity"),
    );
    assert_eq!(step("reserve", 2).await.unwrap(), (5, 5));
    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((5, 5)));

    // A SKU without any stock row has nothing available; an unknown SKU is not found.
    let bare = world
        .run(t, async |tx| reserve(tx, world.a.bare_sku, 1).await)
        .await;
    match bare {
        Err(CatalogError::InsufficientInventory {
            sku_code,
            available,
            ..
        }) => assert_eq!((sku_code.as_str(), available), ("CAB-1500", 0)),
        other => panic!("expected insufficient inventory, got {other:?}"),
    }
    assert_not_found(
        world
            .run(t, async |tx| reserve(tx, Uuid::now_v7(), 1).await)
            .await,
        "sku",
    );
}

#[tokio::test]
async fn an_adjustment_below_reserved_is_refused_and_changes_nothing() {
    let world = world().await;
    let (t, sku) = (world.a, world.a.sku);
    world
        .run(t, async |tx| reserve(tx, sku, 6).await)
        .await
        .unwrap();

    let refused = world
        .run(t, async |tx| {
            adjust(tx, sku, MAIN_LOCATION, -5, "breakage").await
        })
        .await;
    let error = assert_code_and_field(refused, ErrorCode::BadUserInput, Some("delta"));
    assert!(error.to_string().contains("at most 4"), "{error}");
    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((10, 6)));

    let row = world
        .run(t, async |tx| {
            adjust(tx, sku, MAIN_LOCATION, -4, "breakage").await
        })
        .await
        .unwrap();
    assert_eq!((row.on_hand, row.reserved), (6, 6));
}

#[tokio::test]
async fn adjustments_create_locations_and_availability_sums_them() {
    let world = world().await;
    let (t, sku) = (world.a, world.a.sku);
    let row = world
        .run(t, async |tx| {
            adjust(tx, sku, " cellar ", 5, "delivery").await
        })
        .await
        .unwrap();
    assert_eq!(
        (row.location.as_str(), row.on_hand, row.reserved),
        ("cellar", 5, 0)
    );
    world
        .run(t, async |tx| adjust(tx, sku, "cellar", 2, "count").await)
        .await
        .unwrap();
    world
        .run(t, async |tx| reserve(tx, sku, 4).await)
        .await
        .unwrap();

    for (location, delta, reason, field) in [
        ("cellar", 1, "  ", "reason"),
        ("cellar", 0, "count", "delta"),
        ("", 1, "count", "location"),
        // No stock there to take away.
        ("annex", -1, "count", "delta"),
    ] {
        let outcome = world
            .run(t, async |tx| adjust(tx, sku, location, delta, reason).await)
            .await;
        assert_code_and_field(outcome, ErrorCode::BadUserInput, Some(field));
    }
    assert_eq!(world.stock(sku, "annex").await, None);

    let unknown = Uuid::now_v7();
    let found = world
        .run(t, async |tx| {
            availability(tx, &[sku, world.a.bare_sku, unknown]).await
        })
        .await
        .unwrap();
    assert_eq!(
        found[&sku],
        Availability {
            on_hand: 17,
            reserved: 4,
            available: 13
        }
    );
    assert_eq!(found[&world.a.bare_sku], Availability::default());
    assert_eq!(found[&unknown], Availability::default());
}
