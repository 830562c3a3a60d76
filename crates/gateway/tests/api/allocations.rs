//! Allocations over HTTP: who may set them, what an order beyond one answers, and what each
//! principal reads of them.

use crate::orders::{CAB, order_input, seed_stock};
use crate::support::*;
use serde_json::{Value, json};

const MARK: &str =
    "mutation($sku: ID!) { setSkuAllocated(skuId: $sku, allocated: true) { code allocated } }";
const SET: &str = "mutation($input: SetAllocationInput!) {
  setAllocation(input: $input) { id quantity used remaining periodStart periodEnd sku { code } customer { name } }
}";
const LIST: &str = "{ allocations(filter: { activeOn: \"2000-01-01\" }) { edges { node { id } } } current: allocations { edges { node { quantity used remaining customerId } } } }";
const CREATE: &str =
    "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }";

/// A period of five days around the database's date, so it holds the tenant's today in any zone.
async fn around_today(app: &TestApp) -> (String, String) {
    (
        app.scalar_text("SELECT (current_date - 2)::text").await,
        app.scalar_text("SELECT (current_date + 2)::text").await,
    )
}

async fn set_input(app: &TestApp, quantity: i32) -> Value {
    let (start, end) = around_today(app).await;
    json!({ "input": {
        "customerId": app.customer, "skuId": CAB,
        "periodStart": start, "periodEnd": end, "quantity": quantity
    } })
}

#[tokio::test]
async fn only_allocation_managers_mark_skus_and_set_allocations() {
    let app = app().await;
    seed_stock(&app).await;
    let rep = app.token("rep@acme.test").await;
    let buyer = app.portal_token().await;
    for token in [&rep, &buyer] {
        let marked = app.graphql(Some(token), MARK, json!({ "sku": CAB })).await;
        assert_eq!(marked.code(), "FORBIDDEN", "{}", marked.body);
        let set = app
            .graphql(Some(token), SET, set_input(&app, 5).await)
            .await;
        assert_eq!(set.code(), "FORBIDDEN", "{}", set.body);
    }
    assert_eq!(app.scalar("SELECT count(*) FROM allocations").await, 0);
    assert_eq!(
        app.scalar("SELECT count(*) FROM skus WHERE allocated")
            .await,
        0
    );
}

#[tokio::test]
async fn an_order_beyond_the_allocation_is_refused_with_what_is_left_and_the_rest_is_read_back() {
    let app = app().await;
    seed_stock(&app).await;
    let admin = app.token("admin@acme.test").await;
    let marked = app.graphql(Some(&admin), MARK, json!({ "sku": CAB })).await;
    assert_eq!(
        marked.data("setSkuAllocated"),
        &json!({ "code": "CAB-750", "allocated": true }),
        "{}",
        marked.body
    );
    let set = app
        .graphql(Some(&admin), SET, set_input(&app, 3).await)
        .await;
    assert_eq!(
        (
            &set.data("setAllocation")["quantity"],
            &set.data("setAllocation")["remaining"],
            &set.data("setAllocation")["sku"]["code"],
        ),
        (&json!(3), &json!(3), &json!("CAB-750")),
        "{}",
        set.body
    );
    let rep = app.token("rep@acme.test").await;
    let placed = app
        .graphql(
            Some(&rep),
            CREATE,
            order_input(&app, json!([{ "skuId": CAB, "quantity": 2 }]), true),
        )
        .await;
    assert_eq!(
        placed.data("createOrder")["status"],
        "SUBMITTED",
        "{}",
        placed.body
    );
    let refused = app
        .graphql(
            Some(&rep),
            CREATE,
            order_input(&app, json!([{ "skuId": CAB, "quantity": 2 }]), true),
        )
        .await;
    assert_eq!(refused.code(), "ALLOCATION_EXCEEDED", "{}", refused.body);
    let extensions = &refused.body["errors"][0]["extensions"];
    assert_eq!(extensions["field"], "lines[0].quantity");
    assert_eq!(
        (
            &extensions["allocated"],
            &extensions["remaining"],
            &extensions["requested"],
            &extensions["skuCode"]
        ),
        (&json!(3), &json!(1), &json!(2), &json!("CAB-750")),
        "{}",
        refused.body
    );
    assert_eq!(app.scalar("SELECT count(*) FROM orders").await, 1);

    let expected = json!([{ "quantity": 3, "used": 2, "remaining": 1, "customerId": app.customer.to_string() }]);
    for token in [&admin, &rep, &app.portal_token().await] {
        let listed = app.ask(token, LIST).await;
        assert_eq!(
            listed.data("allocations")["edges"],
            json!([]),
            "{}",
            listed.body
        );
        assert_eq!(
            listed.data("current")["edges"].as_array().map(|edges| edges
                .iter()
                .map(|edge| edge["node"].clone())
                .collect::<Vec<_>>()),
            expected.as_array().cloned(),
            "{}",
            listed.body
        );
    }
}
