//! What a response promises: each top-level mutation field and each operation of a batch
//! succeeds or fails on its own; what a response reports as done is committed, and what failed
//! left nothing behind.

use crate::orders::{CAB, order_input, seed_stock};
use crate::support::*;
use axum::body::Body;
use axum::http::{Request, header};
use serde_json::json;

const ADD: &str =
    "mutation($sku: ID!, $q: Int!) { addToCart(skuId: $sku, quantity: $q) { items { quantity } } }";

/// A test app with stock, and its portal buyer's token.
async fn stocked_app_and_buyer() -> (TestApp, String) {
    let app = app().await;
    seed_stock(&app).await;
    let buyer = app.portal_token().await;
    (app, buyer)
}

/// Sends `mutation`, which takes the Cabernet as `$sku`, as `token`.
async fn with_cabernet(app: &TestApp, token: &str, mutation: &str) -> Reply {
    app.graphql(Some(token), mutation, json!({ "sku": CAB }))
        .await
}

async fn bottles_in_carts(app: &TestApp) -> i64 {
    app.scalar("SELECT coalesce(sum(quantity), 0)::bigint FROM cart_items")
        .await
}

#[tokio::test]
async fn a_mutation_field_that_fails_does_not_undo_the_one_before_it() {
    let (app, portal) = stocked_app_and_buyer().await;
    let reply = with_cabernet(
        &app,
        &portal,
        "mutation($sku: ID!) {
           a: addToCart(skuId: $sku, quantity: 3) { items { quantity } }
           b: addToCart(skuId: \"01936b2e-0000-7000-8000-00000000ffff\", quantity: 1) { id }
         }",
    )
    .await;
    assert_eq!(reply.data("a")["items"][0]["quantity"], 3, "{}", reply.body);
    assert!(
        reply.body["data"].get("b").is_some_and(|b| b.is_null()),
        "the failed field is null beside the one that succeeded: {}",
        reply.body
    );
    assert_eq!(reply.body["errors"][0]["path"], serde_json::json!(["b"]));
    assert_eq!(
        bottles_in_carts(&app).await,
        3,
        "what the response reports as done is kept"
    );
}

#[tokio::test]
async fn a_mutation_that_fails_after_writing_leaves_nothing_while_its_predecessor_stays() {
    let app = app().await;
    seed_stock(&app).await;
    let rep = app.token("rep@acme.test").await;
    let draft = order_input(&app, json!([{ "skuId": CAB, "quantity": 1 }]), false);
    let beyond_stock = order_input(&app, json!([{ "skuId": CAB, "quantity": 11 }]), true);
    let reply = app
        .graphql(
            Some(&rep),
            "mutation($kept: CreateOrderInput!, $refused: CreateOrderInput!) {
               kept: createOrder(input: $kept) { id }
               refused: createOrder(input: $refused) { id }
             }",
            json!({ "kept": draft["input"], "refused": beyond_stock["input"] }),
        )
        .await;
    assert!(reply.data("kept")["id"].is_string(), "{}", reply.body);
    assert_eq!(reply.code(), "INSUFFICIENT_INVENTORY", "{}", reply.body);
    assert_eq!(app.scalar("SELECT count(*) FROM orders").await, 1);
    assert_eq!(app.scalar("SELECT count(*) FROM order_lines").await, 1);
    let reserved = format!("SELECT reserved::bigint FROM inventory WHERE sku_id = '{CAB}'");
    assert_eq!(app.scalar(&reserved).await, 0);
}

#[tokio::test]
async fn an_error_reading_a_nullable_field_of_a_result_does_not_undo_the_write() {
    let (app, portal) = stocked_app_and_buyer().await;
    let reply = with_cabernet(
        &app,
        &portal,
        "mutation($sku: ID!) { addToCart(skuId: $sku, quantity: 2) { items { quantity sku { unitCost } } } }",
    )
    .await;
    assert_eq!(reply.code(), "FORBIDDEN", "{}", reply.body);
    assert_eq!(
        reply.data("addToCart")["items"][0]["quantity"],
        2,
        "{}",
        reply.body
    );
    assert_eq!(bottles_in_carts(&app).await, 2);
}

#[tokio::test]
async fn each_operation_of_a_batch_succeeds_or_fails_on_its_own() {
    let (app, portal) = stocked_app_and_buyer().await;
    let batch = json!([
        { "query": ADD, "variables": { "sku": CAB, "q": 5 } },
        { "query": ADD, "variables": { "sku": CAB, "q": 0 } },
        { "query": ADD, "variables": { "sku": CAB, "q": 1 } },
    ]);
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {portal}"))
        .body(Body::from(batch.to_string()))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(
        reply.body[0]["data"]["addToCart"]["items"][0]["quantity"], 5,
        "{}",
        reply.body
    );
    assert_eq!(
        reply.body[1]["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    assert_eq!(
        reply.body[2]["data"]["addToCart"]["items"][0]["quantity"],
        6
    );
    assert_eq!(bottles_in_carts(&app).await, 6);
}
