//! Order lists are owned by their portal user and pour into the cart.

use crate::support::*;
use leora_orders::entities::lists::ListKind;
use leora_orders::service::batch::{items_of_carts, items_of_lists};
use leora_orders::service::lists::{
    NewList, NewListItem, add_list_item, add_list_to_cart, create_list, remove_list_item,
};
use leora_tenancy::{ErrorCode, TenantContext};
use leora_test_db::errors::assert_code;

#[tokio::test]
async fn lists_are_owned_and_pour_into_the_cart() {
    let world = world().await;
    let portal = world.portal;
    let list = world
        .run(portal, async |tx| {
            create_list(
                tx,
                NewList {
                    customer_id: world.customer,
                    name: "  Weekly reds ".into(),
                    kind: Some(ListKind::Template),
                    description: None,
                },
            )
            .await
        })
        .await
        .unwrap();
    assert_eq!(list.name, "Weekly reds");
    assert_eq!(list.owner_portal_user_id, Some(world.portal_user));
    assert_eq!(list.owner_user_id, None);

    let item = |sku_id, quantity| NewListItem {
        sku_id,
        default_quantity: Some(quantity),
        note: None,
    };
    for (sku, quantity) in [(world.cab, 6), (world.gin, 2), (world.cab, 12)] {
        world
            .run(portal, async |tx| {
                add_list_item(tx, list.id, item(sku, quantity)).await
            })
            .await
            .unwrap();
    }
    let items = world
        .run(portal, async |tx| items_of_lists(tx, &[list.id]).await)
        .await
        .unwrap()
        .remove(&list.id)
        .unwrap();
    // Re-adding a SKU sets its quantity in place.
    let listed: Vec<_> = items
        .iter()
        .map(|i| (i.sku_id, i.default_quantity, i.position))
        .collect();
    assert_eq!(listed, vec![(world.cab, 12, 0), (world.gin, 2, 1)]);

    world.add(portal, world.cab, 1).await.unwrap();
    let cart = world
        .run(portal, async |tx| add_list_to_cart(tx, list.id).await)
        .await
        .unwrap();
    let in_cart = world
        .run(portal, async |tx| items_of_carts(tx, &[cart.id]).await)
        .await
        .unwrap()
        .remove(&cart.id)
        .unwrap();
    let quantities: Vec<_> = in_cart.iter().map(|i| (i.sku_id, i.quantity)).collect();
    assert_eq!(quantities, vec![(world.cab, 13), (world.gin, 2)]);

    world
        .run(portal, async |tx| {
            remove_list_item(tx, list.id, world.gin).await
        })
        .await
        .unwrap();
    assert_code(
        world
            .run(portal, async |tx| {
                remove_list_item(tx, list.id, world.gin).await
            })
            .await,
        ErrorCode::NotFound,
    );
    for (input, field) in [
        (item(world.cab, 0), "defaultQuantity"),
        (item(world.retired, 1), "skuId"),
    ] {
        let outcome = world
            .run(portal, async |tx| add_list_item(tx, list.id, input).await)
            .await;
        assert_eq!(code_and_field(outcome).1.as_deref(), Some(field));
    }

    // A colleague may use the list but not change it; staff may change it.
    let colleague = insert_portal_user(
        &world.owner,
        world.tenant,
        world.customer,
        "colleague@c1.test",
    )
    .await;
    let colleague = TenantContext::portal_user(world.tenant, colleague, world.customer);
    world
        .run(colleague, async |tx| add_list_to_cart(tx, list.id).await)
        .await
        .unwrap();
    assert_code(
        world
            .run(colleague, async |tx| {
                add_list_item(tx, list.id, item(world.gin, 1)).await
            })
            .await,
        ErrorCode::Forbidden,
    );
    let staff = world.staff;
    world
        .run(staff, async |tx| {
            add_list_item(tx, list.id, item(world.gin, 1)).await
        })
        .await
        .unwrap();

    // Lists are per customer: a portal user can neither create one for another customer nor see
    // one of theirs.
    let staff_list = world
        .run(staff, async |tx| {
            create_list(
                tx,
                NewList {
                    customer_id: world.other_customer,
                    name: "Rep picks".into(),
                    kind: None,
                    description: Some("for the spring menu".into()),
                },
            )
            .await
        })
        .await
        .unwrap();
    assert_eq!(staff_list.kind, ListKind::Custom);
    assert_eq!(staff_list.owner_user_id, world.staff_user_id());
    assert_code(
        world
            .run(portal, async |tx| {
                create_list(
                    tx,
                    NewList {
                        customer_id: world.other_customer,
                        name: "Theirs".into(),
                        kind: None,
                        description: None,
                    },
                )
                .await
            })
            .await,
        ErrorCode::Forbidden,
    );
    assert_code(
        world
            .run(portal, async |tx| add_list_to_cart(tx, staff_list.id).await)
            .await,
        ErrorCode::NotFound,
    );
    let (code, field) = code_and_field(
        world
            .run(staff, async |tx| {
                create_list(
                    tx,
                    NewList {
                        customer_id: world.customer,
                        name: "   ".into(),
                        kind: None,
                        description: None,
                    },
                )
                .await
            })
            .await,
    );
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::BadUserInput, Some("name"))
    );
}
