//! Low stock over HTTP: a SKU's `lowStockThreshold` set by `createSku`/`updateSku` and read by
//! staff only, and the `inventory.low` event an order's reservation records in the outbox.

use crate::orders::{CAB, order_input, seed_stock};
use crate::support::*;
use serde_json::{Value, json};

const CABERNET_PRODUCT: &str = "01936b2e-0000-7000-8000-000000000001";

const CREATE_SKU: &str = "mutation($input: CreateSkuInput!) {
  createSku(input: $input) { id code lowStockThreshold inventory { available } }
}";
const UPDATE_SKU: &str = "mutation($id: ID!, $input: UpdateSkuInput!) {
  updateSku(id: $id, input: $input) { id lowStockThreshold }
}";

impl TestApp {
    /// The payloads of the `inventory.low` rows in the outbox, oldest first.
    async fn low_stock_events(&self) -> Vec<Value> {
        let text = self
            .scalar_text(
                "SELECT coalesce(json_agg(payload ORDER BY occurred_at, id), '[]')::text
                   FROM webhook_events WHERE event_type = 'inventory.low'",
            )
            .await;
        serde_json::from_str::<Vec<Value>>(&text).unwrap()
    }

    async fn set_threshold(&self, token: &str, sku: &str, threshold: i32) -> Reply {
        let input = json!({ "id": sku, "input": { "lowStockThreshold": threshold } });
        self.graphql(Some(token), UPDATE_SKU, input).await
    }
}

#[tokio::test]
async fn staff_set_a_skus_low_stock_threshold_with_create_sku_and_update_sku_and_read_it() {
    let app = app().await;
    seed_stock(&app).await;
    let admin = app.token("admin@acme.test").await;

    let created = app
        .graphql(
            Some(&admin),
            CREATE_SKU,
            json!({ "input": { "productId": CABERNET_PRODUCT, "code": "CAB-375", "sizeMl": 375, "basePrice": "13.00", "lowStockThreshold": 6 } }),
        )
        .await;
    let sku = created.data("createSku");
    assert_eq!(
        (&sku["lowStockThreshold"], &sku["inventory"]),
        (&json!(6), &json!({ "available": 0 })),
        "{}",
        created.body
    );
    let id = sku["id"].as_str().unwrap().to_owned();
    // A new SKU has no stock: with a threshold above 0 it is low from the start.
    assert_eq!(
        app.low_stock_events().await,
        [json!({ "skuId": id, "skuCode": "CAB-375", "available": 0, "lowStockThreshold": 6 })]
    );

    let updated = app.set_threshold(&admin, &id, 0).await;
    assert_eq!(
        updated.data("updateSku"),
        &json!({ "id": id, "lowStockThreshold": 0 }),
        "{}",
        updated.body
    );
    let rep = app.token("rep@acme.test").await;
    let read = app
        .ask(
            &rep,
            "{ products { edges { node { skus { code lowStockThreshold } } } } }",
        )
        .await;
    let mut skus: Vec<Value> = read.data("products")["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|edge| edge["node"]["skus"].as_array().unwrap().clone())
        .collect();
    skus.sort_by_key(|sku| sku["code"].as_str().unwrap().to_owned());
    assert_eq!(
        skus,
        [
            json!({ "code": "CAB-375", "lowStockThreshold": 0 }),
            json!({ "code": "CAB-750", "lowStockThreshold": 0 }),
            json!({ "code": "CHA-750", "lowStockThreshold": 0 }),
        ],
        "{}",
        read.body
    );
}

#[tokio::test]
async fn a_negative_low_stock_threshold_is_refused_naming_the_field_and_changes_nothing() {
    let app = app().await;
    seed_stock(&app).await;
    let admin = app.token("admin@acme.test").await;
    app.set_threshold(&admin, CAB, 4).await;
    let skus = app.scalar("SELECT count(*) FROM skus").await;
    let rows = app.scalar("SELECT count(*) FROM inventory").await;

    let created = app
        .graphql(
            Some(&admin),
            CREATE_SKU,
            json!({ "input": { "productId": CABERNET_PRODUCT, "code": "CAB-375", "sizeMl": 375, "basePrice": "13.00", "lowStockThreshold": -1 } }),
        )
        .await;
    let updated = app.set_threshold(&admin, CAB, -1).await;

    for reply in [&created, &updated] {
        assert_eq!(reply.code(), "BAD_USER_INPUT", "{}", reply.body);
        assert_eq!(
            reply.body["errors"][0]["extensions"]["field"], "lowStockThreshold",
            "{}",
            reply.body
        );
    }
    assert_eq!(app.scalar("SELECT count(*) FROM skus").await, skus);
    assert_eq!(app.scalar("SELECT count(*) FROM inventory").await, rows);
    assert_eq!(
        app.scalar(&format!(
            "SELECT low_stock_threshold::bigint FROM inventory WHERE sku_id = '{CAB}'"
        ))
        .await,
        4
    );
}

#[tokio::test]
async fn portal_users_are_forbidden_a_skus_low_stock_threshold() {
    let app = app().await;
    seed_stock(&app).await;
    let portal = app.portal_token().await;

    let reply = app
        .ask(
            &portal,
            "{ products(first: 1) { edges { node { skus { code lowStockThreshold inventory { available } } } } } }",
        )
        .await;

    assert_eq!(reply.code(), "FORBIDDEN", "{}", reply.body);
    let sku = &reply.data("products")["edges"][0]["node"]["skus"][0];
    assert_eq!(sku["lowStockThreshold"], Value::Null, "{}", reply.body);
    assert!(sku["inventory"]["available"].is_i64(), "{}", reply.body);
}

#[tokio::test]
async fn an_order_submission_crossing_the_threshold_records_exactly_one_inventory_low_event() {
    let app = app().await;
    seed_stock(&app).await;
    let admin = app.token("admin@acme.test").await;
    let set = app.set_threshold(&admin, CAB, 5).await;
    assert_eq!(
        set.data("updateSku")["lowStockThreshold"],
        5,
        "{}",
        set.body
    );
    assert_eq!(app.low_stock_events().await, Vec::<Value>::new(), "10 of 5");
    let create = "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }";
    let order = |quantity: i32| {
        let lines = json!([{ "skuId": CAB, "quantity": quantity }, { "skuId": "01936b2e-0000-7000-8000-0000000000a2", "quantity": 1 }]);
        order_input(&app, lines, true)
    };

    let first = app.graphql(Some(&admin), create, order(6)).await;
    assert_eq!(
        first.data("createOrder")["status"],
        "SUBMITTED",
        "{}",
        first.body
    );
    let once =
        [json!({ "skuId": CAB, "skuCode": "CAB-750", "available": 4, "lowStockThreshold": 5 })];
    assert_eq!(app.low_stock_events().await, once);

    // Still below: a second order records nothing more.
    let second = app.graphql(Some(&admin), create, order(1)).await;
    assert_eq!(
        second.data("createOrder")["status"],
        "SUBMITTED",
        "{}",
        second.body
    );
    assert_eq!(app.low_stock_events().await, once);

    // Cancelling the first gives its six back (9 available); a portal checkout of five takes the
    // SKU below again, and that is the second event.
    let cancel = "mutation($id: ID!) { cancelOrder(id: $id) { status } }";
    let id = first.data("createOrder")["id"].clone();
    let cancelled = app.graphql(Some(&admin), cancel, json!({ "id": id })).await;
    assert_eq!(
        cancelled.data("cancelOrder")["status"],
        "CANCELLED",
        "{}",
        cancelled.body
    );
    let portal = app.portal_token().await;
    let add = "mutation($sku: ID!) { addToCart(skuId: $sku, quantity: 5) { id } }";
    app.graphql(Some(&portal), add, json!({ "sku": CAB })).await;
    let checkout = app
        .ask(&portal, "mutation { checkoutCart { order { status } } }")
        .await;
    assert_eq!(
        checkout.data("checkoutCart")["order"]["status"],
        "SUBMITTED",
        "{}",
        checkout.body
    );

    let again =
        json!({ "skuId": CAB, "skuCode": "CAB-750", "available": 4, "lowStockThreshold": 5 });
    assert_eq!(app.low_stock_events().await, [once[0].clone(), again]);
}
