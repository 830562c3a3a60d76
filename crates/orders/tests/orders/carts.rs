//! Carts: items merge by SKU, only portal users have one, and checkout converts it atomically
//! unless it has expired.

use crate::support::*;
use leora_orders::entities::carts::CartStatus;
use leora_orders::entities::orders::OrderStatus;
use leora_orders::error::OrdersError;
use leora_orders::service::batch::items_of_carts;
use leora_orders::service::carts::{active_cart, remove_from_cart, update_cart_item};
use leora_tenancy::ErrorCode;
use leora_test_db::errors::assert_code;
use leora_test_db::sql::scalar;
use leora_test_db::sql::{exec, stmt};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

#[tokio::test]
async fn cart_items_merge_by_sku_and_only_portal_users_have_carts() {
    let world = world().await;
    let portal = world.portal;
    let cart = world
        .run(portal, async |tx| active_cart(tx).await)
        .await
        .unwrap();
    assert_eq!(cart.status, CartStatus::Active);
    assert_eq!(cart.portal_user_id, world.portal_user);
    let again = world
        .run(portal, async |tx| active_cart(tx).await)
        .await
        .unwrap();
    assert_eq!(again.id, cart.id, "one active cart per portal user");
    let ttl = cart.expires_at - cart.created_at;
    assert_eq!(ttl, chrono::Duration::hours(168));

    assert_eq!(world.add(portal, world.cab, 2).await.unwrap(), cart.id);
    world.add(portal, world.cab, 3).await.unwrap();
    world.add(portal, world.gin, 1).await.unwrap();
    let items = world
        .run(portal, async |tx| items_of_carts(tx, &[cart.id]).await)
        .await
        .unwrap()
        .remove(&cart.id)
        .unwrap();
    let quantities: Vec<_> = items.iter().map(|i| (i.sku_id, i.quantity)).collect();
    assert_eq!(quantities, vec![(world.cab, 5), (world.gin, 1)]);

    world
        .run(portal, async |tx| update_cart_item(tx, world.cab, 7).await)
        .await
        .unwrap();
    world
        .run(portal, async |tx| update_cart_item(tx, world.gin, 0).await)
        .await
        .unwrap();
    let items = world
        .run(portal, async |tx| items_of_carts(tx, &[cart.id]).await)
        .await
        .unwrap()
        .remove(&cart.id)
        .unwrap();
    let quantities: Vec<_> = items.iter().map(|i| (i.sku_id, i.quantity)).collect();
    assert_eq!(quantities, vec![(world.cab, 7)]);

    let (code, field) = code_and_field(
        world
            .run(portal, async |tx| remove_from_cart(tx, world.gin).await)
            .await,
    );
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::NotFound, Some("skuId"))
    );
    for (sku, quantity, code, field) in [
        (world.cab, 0, ErrorCode::BadUserInput, "quantity"),
        (world.retired, 1, ErrorCode::BadUserInput, "skuId"),
        (Uuid::now_v7(), 1, ErrorCode::NotFound, "skuId"),
        (world.cab, 100_000, ErrorCode::BadUserInput, "quantity"),
    ] {
        let outcome = world.add(portal, sku, quantity).await;
        assert_eq!(code_and_field(outcome), (code, Some(field.to_owned())));
    }
    assert_code(
        world
            .run(portal, async |tx| update_cart_item(tx, world.cab, -1).await)
            .await,
        ErrorCode::BadUserInput,
    );

    let staff = world.staff;
    assert_code(
        world.run(staff, async |tx| active_cart(tx).await).await,
        ErrorCode::Forbidden,
    );
    assert_code(world.add(staff, world.cab, 1).await, ErrorCode::Forbidden);
    assert_code(world.checkout(staff, None).await, ErrorCode::Forbidden);
}

#[tokio::test]
async fn an_expired_cart_cannot_be_checked_out() {
    let world = world().await;
    let portal = world.portal;
    let cart = world.add(portal, world.cab, 2).await.unwrap();
    exec(
        &world.owner,
        "UPDATE carts SET expires_at = now() - interval '1 minute' WHERE id = $1",
        [cart.into()],
    )
    .await;

    let error = assert_code(
        world.checkout(portal, Some("late")).await,
        ErrorCode::Conflict,
    );
    assert!(matches!(error, OrdersError::CartExpired));
    assert!(matches!(
        world
            .run(portal, async |tx| update_cart_item(tx, world.cab, 1).await)
            .await,
        Err(OrdersError::CartExpired)
    ));
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 0);
    assert_eq!(world.stock(world.cab).await, (100, 0));

    // Reading shows the expired cart as it is; adding retires it and starts afresh.
    let read = world
        .run(portal, async |tx| active_cart(tx).await)
        .await
        .unwrap();
    assert_eq!(read.id, cart);
    let fresh = world.add(portal, world.gin, 1).await.unwrap();
    assert_ne!(fresh, cart);
    let status: String = scalar(
        &world.owner,
        "SELECT status FROM carts WHERE id = $1",
        [cart.into()],
    )
    .await;
    assert_eq!(status, "expired");
    let placed = world.checkout(portal, None).await.unwrap();
    assert_eq!(placed.lines.len(), 1);
    assert_eq!(placed.lines[0].sku_id, world.gin);
}

#[tokio::test]
async fn checkout_converts_the_cart_atomically() {
    let world = world().await;
    let portal = world.portal;
    assert_code(world.checkout(portal, None).await, ErrorCode::Conflict);

    // A checkout that fails (short stock) leaves the cart as it was and nothing else behind.
    let cart = world.add(portal, world.cab, 2).await.unwrap();
    world.add(portal, world.scarce, 11).await.unwrap();
    let (code, _) = code_and_field(world.checkout(portal, Some("try-1")).await);
    assert_eq!(code, ErrorCode::InsufficientInventory);
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 0);
    let status: String = scalar(
        &world.owner,
        "SELECT status FROM carts WHERE id = $1",
        [cart.into()],
    )
    .await;
    assert_eq!(status, "active");
    assert_eq!(world.stock(world.cab).await, (100, 0));

    world
        .run(portal, async |tx| {
            update_cart_item(tx, world.scarce, 4).await
        })
        .await
        .unwrap();
    world.add(portal, world.cab, 3).await.unwrap();
    let placed = world.checkout(portal, Some("try-2")).await.unwrap();
    let order = &placed.order;
    assert_eq!(order.status, OrderStatus::Submitted);
    assert_eq!(order.placed_by_portal_user_id, Some(world.portal_user));
    assert_eq!(order.idempotency_key.as_deref(), Some("try-2"));
    let lines: Vec<_> = placed
        .lines
        .iter()
        .map(|l| (l.sku_id, l.quantity))
        .collect();
    assert_eq!(lines, vec![(world.cab, 5), (world.scarce, 4)]);
    assert_eq!(world.stock(world.cab).await, (100, 5));
    assert_eq!(world.stock(world.scarce).await, (10, 4));

    let row = world
        .owner
        .query_one_raw(stmt(
            "SELECT status, converted_order_id, converted_at IS NOT NULL FROM carts WHERE id = $1",
            [cart.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "converted");
    assert_eq!(
        row.try_get_by_index::<Option<Uuid>>(1).unwrap(),
        Some(order.id)
    );
    assert!(row.try_get_by_index::<bool>(2).unwrap());

    // A retry returns the same order; the next cart is a new one.
    let retry = world.checkout(portal, Some("try-2")).await.unwrap();
    assert_eq!(retry, placed);
    assert_eq!(world.stock(world.cab).await, (100, 5));
    let next = world
        .run(portal, async |tx| active_cart(tx).await)
        .await
        .unwrap();
    assert_ne!(next.id, cart);
    assert_code(
        world.checkout(portal, Some("try-3")).await,
        ErrorCode::Conflict,
    );
}
