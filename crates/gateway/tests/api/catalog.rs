//! The catalog over HTTP: browsing at the customer's price, what portal users may not see,
//! filters and pages, and administration with its validation.

use crate::support::*;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Three wines; the Pinot has a wholesale tier price and a customer price for six or more.
async fn seed_wines(app: &TestApp) {
    app.owner
        .execute_unprepared(&format!(
            "UPDATE customers SET price_tier = 'wholesale' WHERE id = '{customer}';
             INSERT INTO products (id, tenant_id, name, brand, category, varietal, vintage)
             SELECT v.id::uuid, t.id, v.name, v.brand, 'wine', v.varietal, 2021
               FROM tenants t, (VALUES
                 ('01936b2e-0000-7000-8000-000000000001', 'Cabernet Sauvignon', 'Oak Ridge', 'Cabernet'),
                 ('01936b2e-0000-7000-8000-000000000002', 'Chardonnay', 'Coastal', 'Chardonnay'),
                 ('01936b2e-0000-7000-8000-000000000003', 'Pinot Noir', 'Willamette', 'Pinot Noir')) v(id, name, brand, varietal);
             INSERT INTO skus (id, tenant_id, product_id, code, size_ml, base_price, unit_cost)
             SELECT ('01936b2e-0000-7000-8000-00000000001' || right(p.id::text, 1))::uuid, p.tenant_id, p.id,
                    'SKU-' || right(p.id::text, 1), 750, 20.00, 9.50 FROM products p;
             INSERT INTO inventory (tenant_id, sku_id, on_hand, reserved) SELECT tenant_id, id, 100, 4 FROM skus;
             INSERT INTO price_list_entries (tenant_id, sku_id, price_tier, unit_price)
             SELECT tenant_id, id, 'wholesale', 18.00 FROM skus WHERE code = 'SKU-3';
             INSERT INTO price_list_entries (tenant_id, sku_id, customer_id, unit_price, min_quantity)
             SELECT tenant_id, id, '{customer}', 17.00, 6 FROM skus WHERE code = 'SKU-3';",
            customer = app.customer
        ))
        .await
        .unwrap();
}

const PINOT_PRICES: &str = "query($q: Int!) {
  products(filter: {search: \"pinot\"}) {
    totalCount
    edges { node { name skus { code inventory { available } price(quantity: $q) { unitPrice source } } } }
  }
}";

#[tokio::test]
async fn portal_user_browses_the_catalog_at_its_own_prices() {
    let app = app().await;
    seed_wines(&app).await;
    let portal = app.portal_token().await;
    let single = app
        .graphql(Some(&portal), PINOT_PRICES, json!({ "q": 1 }))
        .await;
    let sku = &single.data("products")["edges"][0]["node"]["skus"][0];
    assert_eq!(single.data("products")["totalCount"], 1, "{}", single.body);
    assert_eq!(
        sku["inventory"],
        json!({ "available": 96 }),
        "100 on hand, 4 reserved"
    );
    assert_eq!(
        sku["price"],
        json!({ "unitPrice": "18.00", "source": "PRICE_TIER" })
    );
    let case = app
        .graphql(Some(&portal), PINOT_PRICES, json!({ "q": 6 }))
        .await;
    let sku = &case.data("products")["edges"][0]["node"]["skus"][0];
    assert_eq!(
        sku["price"],
        json!({ "unitPrice": "17.00", "source": "CUSTOMER_PRICE" })
    );

    let rep = app.token("rep@acme.test").await;
    let base = app
        .graphql(Some(&rep), PINOT_PRICES, json!({ "q": 6 }))
        .await;
    let sku = &base.data("products")["edges"][0]["node"]["skus"][0];
    assert_eq!(
        sku["price"],
        json!({ "unitPrice": "20.00", "source": "BASE_PRICE" }),
        "staff without a customer see the list price"
    );
}

/// The benchmark's catalog page (query (a) of docs/performance.md): set_config, the session check,
/// the page, its SKUs, their stock, the customer and its price-list entries, whatever the page
/// size. Pricing reuses the SKUs the page has read instead of reading them again.
#[tokio::test]
async fn a_catalog_page_with_stock_and_prices_takes_seven_statements_whatever_its_size() {
    let app = app().await;
    seed_wines(&app).await;
    let portal = app.portal_token().await;
    let page = "query($n: Int!) { products(first: $n, orderBy: {field: NAME, direction: DESC}) {
      edges { node { name skus { code inventory { available } price(quantity: 1) { unitPrice source } } } }
    } }";
    let (one, small) = app.statements_for(&portal, page, json!({ "n": 1 })).await;
    let (three, large) = app.statements_for(&portal, page, json!({ "n": 3 })).await;
    let edges = |reply: &Reply| reply.data("products")["edges"].as_array().map(Vec::len);
    assert_eq!(edges(&small), Some(1), "{}", small.body);
    assert_eq!(edges(&large), Some(3), "{}", large.body);
    let pinot = &large.data("products")["edges"][0]["node"];
    assert_eq!(pinot["name"], "Pinot Noir");
    assert_eq!(pinot["skus"][0]["price"]["unitPrice"], "18.00");
    assert_eq!(pinot["skus"][0]["price"]["source"], "PRICE_TIER");
    assert_eq!((one, three), (7, 7));
}

#[tokio::test]
async fn portal_user_never_sees_cost_fields_or_other_customers() {
    let app = app().await;
    seed_wines(&app).await;
    let portal = app.portal_token().await;
    let cost = app
        .ask(
            &portal,
            "{ products { edges { node { skus { code unitCost } } } } }",
        )
        .await;
    assert_eq!(cost.code(), "FORBIDDEN");
    let rep = app.token("rep@acme.test").await;
    let staff = app
        .ask(
            &rep,
            "{ products(first: 1) { edges { node { skus { unitCost } } } } }",
        )
        .await;
    assert_eq!(
        staff.data("products")["edges"][0]["node"]["skus"][0]["unitCost"],
        "9.50"
    );

    let (_, other_customer) = {
        let other = uuid::Uuid::now_v7();
        app.owner
            .execute_unprepared(&format!(
                "INSERT INTO customers (id, tenant_id, account_number, name, state) SELECT '{other}', id, 'C-2', 'Downtown Wine', 'NY' FROM tenants"
            ))
            .await
            .unwrap();
        ((), other)
    };
    let customers = app
        .ask(
            &portal,
            "{ customers { totalCount edges { node { name } } } }",
        )
        .await;
    assert_eq!(
        customers.data("customers")["totalCount"],
        1,
        "{}",
        customers.body
    );
    let theirs = app
        .graphql(
            Some(&portal),
            "query($id: ID!) { customer(id: $id) { name } }",
            json!({ "id": other_customer }),
        )
        .await;
    assert_eq!(theirs.code(), "NOT_FOUND");
    let their_price = app
        .graphql(
            Some(&portal),
            "query($c: ID!) { products { edges { node { skus { price(customerId: $c) { unitPrice } } } } } }",
            json!({ "c": other_customer }),
        )
        .await;
    assert_eq!(their_price.code(), "FORBIDDEN");
}

#[tokio::test]
async fn products_filter_sort_and_page() {
    let app = app().await;
    seed_wines(&app).await;
    let rep = app.token("rep@acme.test").await;
    let query = "query($after: String) {
      products(first: 2, after: $after, orderBy: {field: NAME, direction: DESC}) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { name } }
      }
    }";
    let first = app
        .graphql(Some(&rep), query, json!({ "after": null }))
        .await;
    let page = first.data("products");
    let names: Vec<&str> = page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Pinot Noir", "Chardonnay"]);
    assert_eq!(
        (
            page["totalCount"].as_i64(),
            page["pageInfo"]["hasNextPage"].as_bool()
        ),
        (Some(3), Some(true))
    );
    let second = app
        .graphql(
            Some(&rep),
            query,
            json!({ "after": page["pageInfo"]["endCursor"] }),
        )
        .await;
    let page = second.data("products");
    assert_eq!(page["edges"][0]["node"]["name"], "Cabernet Sauvignon");
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], true);

    let search = app
        .ask(
            &rep,
            "{ products(filter: {search: \"OAK\"}) { totalCount } }",
        )
        .await;
    assert_eq!(
        search.data("products")["totalCount"],
        1,
        "search is case-insensitive over brand too"
    );
    let bad_cursor = app
        .ask(&rep, "{ products(after: \"nope\") { totalCount } }")
        .await;
    assert_eq!(bad_cursor.code(), "BAD_USER_INPUT");
    assert_eq!(bad_cursor.body["errors"][0]["extensions"]["field"], "after");
}

#[tokio::test]
async fn bad_catalog_input_names_the_field_and_changes_nothing() {
    let app = app().await;
    seed_wines(&app).await;
    let admin = app.token("admin@acme.test").await;
    let before = app.scalar("SELECT count(*) FROM skus").await;
    let product = "01936b2e-0000-7000-8000-000000000001";
    let create = "mutation($input: CreateSkuInput!) { createSku(input: $input) { id } }";
    let cases: [(Value, &str, &str); 4] = [
        (
            json!({ "productId": product, "code": "X", "sizeMl": 750, "basePrice": "1.234" }),
            "BAD_USER_INPUT",
            "basePrice",
        ),
        (
            json!({ "productId": product, "code": "X", "sizeMl": 0, "basePrice": "1.00" }),
            "BAD_USER_INPUT",
            "sizeMl",
        ),
        (
            json!({ "productId": product, "code": "SKU-1", "sizeMl": 750, "basePrice": "1.00" }),
            "CONFLICT",
            "code",
        ),
        (
            json!({ "productId": uuid::Uuid::now_v7(), "code": "Y", "sizeMl": 750, "basePrice": "1.00" }),
            "NOT_FOUND",
            "",
        ),
    ];
    for (input, code, field) in cases {
        let reply = app
            .graphql(Some(&admin), create, json!({ "input": input }))
            .await;
        assert_eq!(reply.code(), code, "{}", reply.body);
        if !field.is_empty() {
            assert_eq!(
                reply.body["errors"][0]["extensions"]["field"], field,
                "{}",
                reply.body
            );
        }
    }
    assert_eq!(app.scalar("SELECT count(*) FROM skus").await, before);
    let rep = app.token("rep@acme.test").await;
    let forbidden = app
        .graphql(Some(&rep), create, json!({ "input": { "productId": product, "code": "Z", "sizeMl": 750, "basePrice": "1.00" } }))
        .await;
    assert_eq!(forbidden.code(), "FORBIDDEN");
}

#[tokio::test]
async fn adjusting_inventory_keeps_the_reason() {
    let app = app().await;
    seed_wines(&app).await;
    let admin = app.token("admin@acme.test").await;
    let adjust = "mutation($reason: String!, $delta: Int!) {
      adjustInventory(skuId: \"01936b2e-0000-7000-8000-000000000011\", delta: $delta, reason: $reason) { onHand available }
    }";
    let reply = app
        .graphql(
            Some(&admin),
            adjust,
            json!({ "delta": -10, "reason": "breakage" }),
        )
        .await;
    assert_eq!(
        reply.data("adjustInventory"),
        &json!({ "onHand": 90, "available": 86 }),
        "{}",
        reply.body
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM webhook_events WHERE event_type = 'inventory.adjusted' AND payload->>'reason' = 'breakage'").await,
        1
    );
    let below_reserved = app
        .graphql(
            Some(&admin),
            adjust,
            json!({ "delta": -88, "reason": "count" }),
        )
        .await;
    assert_eq!(below_reserved.code(), "BAD_USER_INPUT");
    assert_eq!(
        app.scalar("SELECT sum(on_hand)::bigint FROM inventory")
            .await,
        290
    );
}
