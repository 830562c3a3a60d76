//! Low stock: a SKU's threshold, and `inventory.low` recorded once each time its availability
//! falls below it — on every path that changes stock, exactly at the edges, under contention, and
//! when the threshold itself moves.

use crate::support::*;
use leora_catalog::error::CatalogError;
use leora_catalog::service::inventory::{
    MAIN_LOCATION, adjust, consume, low_stock_thresholds, release, reserve, set_low_stock_threshold,
};
use leora_catalog::service::skus::{NewSku, SkuChanges, create_sku, update_sku};
use leora_tenancy::{ErrorCode, TenantContext, with_tenant};
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::sql::stmt;
use sea_orm::ConnectionTrait;
use serde_json::{Value as Json, json};
use std::sync::Arc;
use uuid::Uuid;

/// One stock change of the world's stocked SKU (10 on hand at the main location).
#[derive(Clone, Copy)]
enum Change {
    Reserve(i32),
    Release(i32),
    Consume(i32),
    Adjust(&'static str, i32),
}

impl World {
    async fn change(&self, sku: Uuid, change: Change) {
        self.run(self.a, async |tx| {
            match change {
                Change::Reserve(quantity) => reserve(tx, sku, quantity).await?,
                Change::Release(quantity) => release(tx, sku, quantity).await?,
                Change::Consume(quantity) => consume(tx, sku, quantity).await?,
                Change::Adjust(location, delta) => {
                    adjust(tx, sku, location, delta, "count").await?
                }
            };
            Ok(())
        })
        .await
        .unwrap();
    }

    async fn set_threshold(&self, sku: Uuid, threshold: i32) {
        self.run(self.a, async |tx| {
            set_low_stock_threshold(tx, sku, threshold).await
        })
        .await
        .unwrap();
    }

    async fn threshold_of(&self, sku: Uuid) -> i32 {
        self.run(self.a, async |tx| low_stock_thresholds(tx, &[sku]).await)
            .await
            .unwrap()[&sku]
    }

    /// The payloads of tenant a's `inventory.low` events, oldest first, as the owner sees them.
    async fn low_events(&self) -> Vec<Json> {
        self.pools
            .owner
            .query_all_raw(stmt(
                "SELECT payload FROM webhook_events WHERE tenant_id = $1 AND event_type = 'inventory.low'
                  ORDER BY occurred_at, id",
                [self.a.id.into()],
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index::<Json>(0).unwrap())
            .collect()
    }
}

fn low(sku: Uuid, code: &str, available: i64, threshold: i32) -> Json {
    json!({ "skuId": sku, "skuCode": code, "available": available, "lowStockThreshold": threshold })
}

#[tokio::test]
async fn stock_falling_exactly_to_its_threshold_is_not_low() {
    let world = world().await;
    let sku = world.a.sku;
    world.set_threshold(sku, 5).await;

    world.change(sku, Change::Reserve(5)).await;

    assert_eq!(world.low_events().await, Vec::<Json>::new());
}

#[tokio::test]
async fn stock_falling_below_its_threshold_emits_inventory_low_once() {
    let world = world().await;
    let sku = world.a.sku;
    world.set_threshold(sku, 5).await;
    world.change(sku, Change::Reserve(5)).await;

    world.change(sku, Change::Reserve(1)).await;

    assert_eq!(world.low_events().await, [low(sku, "CAB-750", 4, 5)]);
}

#[tokio::test]
async fn stock_staying_below_its_threshold_emits_no_second_event() {
    let world = world().await;
    let sku = world.a.sku;
    world.set_threshold(sku, 5).await;
    world.change(sku, Change::Reserve(7)).await;

    world.change(sku, Change::Reserve(1)).await;
    world.change(sku, Change::Adjust(MAIN_LOCATION, -1)).await;
    world.change(sku, Change::Release(1)).await;
    world.change(sku, Change::Reserve(1)).await;

    assert_eq!(world.low_events().await, [low(sku, "CAB-750", 3, 5)]);
}

#[tokio::test]
async fn stock_back_at_its_threshold_then_below_again_emits_a_second_event() {
    let world = world().await;
    let sku = world.a.sku;
    world.set_threshold(sku, 5).await;
    world.change(sku, Change::Reserve(6)).await;

    // A cancelled order gives back one unit: exactly at the threshold, no longer low.
    world.change(sku, Change::Release(1)).await;
    world.change(sku, Change::Reserve(1)).await;
    // A delivery lifts it well above; a count correction takes it below once more.
    world.change(sku, Change::Adjust(MAIN_LOCATION, 20)).await;
    world.change(sku, Change::Adjust(MAIN_LOCATION, -22)).await;

    assert_eq!(
        world.low_events().await,
        [
            low(sku, "CAB-750", 4, 5),
            low(sku, "CAB-750", 4, 5),
            low(sku, "CAB-750", 2, 5),
        ]
    );
}

#[tokio::test]
async fn a_threshold_of_zero_is_never_low() {
    let world = world().await;
    let sku = world.a.sku;
    world.set_threshold(sku, 0).await;

    world.change(sku, Change::Reserve(10)).await;
    world.change(sku, Change::Consume(10)).await;

    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((0, 0)));
    assert_eq!(world.low_events().await, Vec::<Json>::new());
}

#[tokio::test]
async fn fulfilment_and_rises_never_emit_inventory_low() {
    let world = world().await;
    let sku = world.a.sku;
    world.set_threshold(sku, 5).await;
    world.change(sku, Change::Reserve(5)).await;

    // Shipping reserved units leaves what is available as it was: 5, exactly at the threshold.
    world.change(sku, Change::Consume(5)).await;
    world.change(sku, Change::Adjust("cellar", 3)).await;
    world.change(sku, Change::Adjust(MAIN_LOCATION, 3)).await;

    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((8, 0)));
    assert_eq!(world.low_events().await, Vec::<Json>::new());
}

#[tokio::test]
async fn availability_is_judged_over_every_location_of_the_sku() {
    let world = world().await;
    let sku = world.a.sku;
    world.change(sku, Change::Adjust("cellar", 4)).await;
    world.set_threshold(sku, 12).await;

    // 10 at main and 4 in the cellar: reserving 2 leaves 12, breakage in the cellar 11.
    world.change(sku, Change::Reserve(2)).await;
    assert_eq!(world.low_events().await, Vec::<Json>::new());
    world.change(sku, Change::Adjust("cellar", -1)).await;

    assert_eq!(world.low_events().await, [low(sku, "CAB-750", 11, 12)]);
}

#[tokio::test]
async fn the_event_is_rolled_back_with_the_change_that_caused_it() {
    let world = world().await;
    let sku = world.a.sku;
    world.set_threshold(sku, 5).await;

    let failed = world
        .run(world.a, async |tx| {
            reserve(tx, sku, 6).await?;
            reserve(tx, sku, 100).await
        })
        .await;

    assert_code_and_field(failed, ErrorCode::InsufficientInventory, None);
    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((10, 0)));
    assert_eq!(world.low_events().await, Vec::<Json>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_falls_across_the_threshold_emit_inventory_low_exactly_once() {
    let world = world().await;
    let sku = world.a.sku;
    world.change(sku, Change::Adjust("cellar", 10)).await;
    world.set_threshold(sku, 15).await;
    let db = world.contention_pool().await;
    let ctx = TenantContext::system(world.a.id);
    let start = Arc::new(tokio::sync::Barrier::new(15));

    // 20 available; ten one-unit orders at main and five breakages in the cellar take it to 5,
    // through the threshold of 15 exactly once whatever the interleaving.
    let mut changes = tokio::task::JoinSet::new();
    for n in 0..15 {
        let (db, start) = (db.clone(), start.clone());
        changes.spawn(async move {
            start.wait().await;
            with_tenant(&db, &ctx, async |tx| {
                if n < 10 {
                    reserve(tx, sku, 1).await?;
                } else {
                    adjust(tx, sku, "cellar", -1, "breakage").await?;
                }
                Ok::<_, CatalogError>(())
            })
            .await
        });
    }
    while let Some(outcome) = changes.join_next().await {
        outcome.unwrap().unwrap();
    }

    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((10, 10)));
    assert_eq!(world.stock(sku, "cellar").await, Some((5, 0)));
    let events = world.low_events().await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["available"], 14);
}

#[tokio::test]
async fn raising_the_threshold_above_what_is_available_emits_inventory_low_once_at_once() {
    let world = world().await;
    let sku = world.a.sku;
    world.set_threshold(sku, 10).await;
    assert_eq!(world.low_events().await, Vec::<Json>::new(), "10 of 10");

    world.set_threshold(sku, 11).await;
    world.set_threshold(sku, 12).await;
    assert_eq!(world.low_events().await, [low(sku, "CAB-750", 10, 11)]);

    // Lowered, the SKU is no longer low; raised again, it becomes low again.
    world.set_threshold(sku, 4).await;
    world.set_threshold(sku, 11).await;
    world.set_threshold(sku, 0).await;
    assert_eq!(
        world.low_events().await,
        [low(sku, "CAB-750", 10, 11), low(sku, "CAB-750", 10, 11)]
    );
    assert_eq!(world.threshold_of(sku).await, 0);
}

#[tokio::test]
async fn a_sku_created_with_a_threshold_is_low_until_it_is_stocked() {
    let world = world().await;
    let t = world.a;
    let sku = world
        .run(t, async |tx| {
            let input = NewSku {
                low_stock_threshold: Some(6),
                ..new_sku(t.product, "CAB-375")
            };
            Ok(create_sku(tx, input).await?.id)
        })
        .await
        .unwrap();
    assert_eq!(world.threshold_of(sku).await, 6);
    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((0, 0)));
    assert_eq!(world.low_events().await, [low(sku, "CAB-375", 0, 6)]);

    world.change(sku, Change::Adjust(MAIN_LOCATION, 8)).await;
    world.change(sku, Change::Reserve(3)).await;

    assert_eq!(
        world.low_events().await,
        [low(sku, "CAB-375", 0, 6), low(sku, "CAB-375", 5, 6)]
    );
}

#[tokio::test]
async fn update_sku_sets_the_threshold_and_a_sku_without_one_is_never_low() {
    let world = world().await;
    let (t, bare) = (world.a, world.a.bare_sku);
    assert_eq!(world.threshold_of(bare).await, 0);
    world
        .run(t, async |tx| {
            let created = create_sku(tx, new_sku(t.product, "CAB-3000")).await?;
            update_sku(tx, created.id, SkuChanges::default()).await
        })
        .await
        .unwrap();
    assert_eq!(world.low_events().await, Vec::<Json>::new());

    world
        .run(t, async |tx| {
            let changes = SkuChanges {
                low_stock_threshold: Some(3),
                ..Default::default()
            };
            update_sku(tx, t.sku, changes).await
        })
        .await
        .unwrap();

    assert_eq!(world.threshold_of(t.sku).await, 3);
    assert_eq!(world.low_events().await, Vec::<Json>::new(), "10 of 3");
}

#[tokio::test]
async fn a_negative_threshold_is_refused_naming_the_field_and_changes_nothing() {
    let world = world().await;
    let t = world.a;
    world.set_threshold(t.sku, 5).await;
    let before = world.row_counts().await;

    let created = world
        .run(t, async |tx| {
            let input = NewSku {
                low_stock_threshold: Some(-1),
                ..new_sku(t.product, "CAB-375")
            };
            create_sku(tx, input).await
        })
        .await;
    assert_code_and_field(created, ErrorCode::BadUserInput, Some("lowStockThreshold"));
    let updated = world
        .run(t, async |tx| {
            let changes = SkuChanges {
                code: Some("CAB-750-B".into()),
                low_stock_threshold: Some(-1),
                ..Default::default()
            };
            update_sku(tx, t.sku, changes).await
        })
        .await;
    assert_code_and_field(updated, ErrorCode::BadUserInput, Some("lowStockThreshold"));
    let set = world
        .run(t, async |tx| set_low_stock_threshold(tx, t.sku, -1).await)
        .await;
    assert_code_and_field(set, ErrorCode::BadUserInput, Some("lowStockThreshold"));

    assert_eq!(world.row_counts().await, before);
    assert_eq!(world.threshold_of(t.sku).await, 5);
    let code: String = leora_test_db::sql::scalar(
        &world.pools.owner,
        "SELECT code FROM skus WHERE id = $1",
        [t.sku.into()],
    )
    .await;
    assert_eq!(code, "CAB-750");
}

#[tokio::test]
async fn another_tenants_sku_has_no_threshold_to_set() {
    let world = world().await;
    let b = world.b;

    let set = world
        .run(world.a, async |tx| {
            set_low_stock_threshold(tx, b.sku, 50).await
        })
        .await;

    assert_not_found(set, "sku");
    let threshold: i32 = leora_test_db::sql::scalar(
        &world.pools.owner,
        "SELECT low_stock_threshold FROM inventory WHERE sku_id = $1",
        [b.sku.into()],
    )
    .await;
    assert_eq!(threshold, 0);
}
