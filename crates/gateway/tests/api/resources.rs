//! Resource isolation: what one request may cost, how long it may run, and each tenant's and
//! principal's share of the server.

use crate::orders::{CAB, seed_stock};
use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const ORDERS_WITH_LINES: &str =
    "orders(first: 100) { edges { node { id lines { id quantity unitPrice lineTotal } } } }";

fn aliases(count: usize) -> String {
    let fields: Vec<String> = (0..count)
        .map(|i| format!("a{i}: {ORDERS_WITH_LINES}"))
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

#[tokio::test]
async fn the_amplification_query_is_refused_before_execution_with_its_cost_and_limit() {
    let app = app().await;
    let portal = app.portal_token().await;
    let (_, one) = app.statements_for(&portal, &aliases(1), json!({})).await;
    assert_eq!(one.code(), "QUERY_TOO_EXPENSIVE", "{}", one.body);
    assert_eq!(one.status, StatusCode::BAD_REQUEST);
    assert_eq!(one.body["data"], Value::Null);
    let extensions = &one.body["errors"][0]["extensions"];
    assert_eq!(extensions["limit"], 150_000);
    assert_eq!(
        extensions["cost"], 200_401,
        "100 orders × (edges, node, id and 500 lines × 4 fields): nested lists multiply"
    );

    let hundred = app.ask(&portal, &aliases(100)).await;
    assert_eq!(hundred.code(), "QUERY_TOO_EXPENSIVE", "{}", hundred.body);
    assert_eq!(hundred.body["errors"][0]["extensions"]["limit"], 20);
}

#[tokio::test]
async fn a_page_the_default_limit_affords_runs() {
    let app = app().await;
    let portal = app.portal_token().await;
    let reply = app
        .ask(&portal, "{ orders(first: 20) { edges { node { id orderNumber status total createdAt
                 lines { lineNumber quantity unitPrice lineTotal sku { id code product { id name } } } } } } }")
        .await;
    assert!(reply.body["errors"].is_null(), "{}", reply.body);
    assert!(reply.data("orders")["edges"].is_array());
}

#[tokio::test]
async fn the_operations_of_a_batch_share_one_budget() {
    let app = app_with(&[("GRAPHQL_MAX_COST", "300")]).await;
    let admin = app.token("admin@acme.test").await;
    let operation = json!({ "query": "{ customers(first: 50) { edges { node { id name } } } }" });
    let one = app.send(batch_request(&admin, &json!([operation]))).await;
    assert!(one.body[0]["errors"].is_null(), "{}", one.body);
    let two = app
        .send(batch_request(&admin, &json!([operation, operation])))
        .await;
    assert!(two.body[0]["errors"].is_null(), "{}", two.body);
    assert_eq!(
        two.body[1]["errors"][0]["extensions"]["code"], "QUERY_TOO_EXPENSIVE",
        "{}",
        two.body
    );
}

fn batch_request(token: &str, body: &Value) -> Request<Body> {
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn a_response_larger_than_its_budget_is_refused_and_its_writes_rolled_back() {
    // Room for the sign-in's tokens, not for twenty copies of the cart.
    let app = app_with(&[("GRAPHQL_MAX_RESPONSE_BYTES", "700")]).await;
    seed_stock(&app).await;
    let portal = app.portal_token().await;
    let copies: Vec<String> = (0..20)
        .map(|i| format!("c{i}: items {{ quantity sku {{ id code }} }}"))
        .collect();
    let mutation = format!(
        "mutation($sku: ID!) {{ addToCart(skuId: $sku, quantity: 1) {{ {} }} }}",
        copies.join(" ")
    );
    let reply = app
        .graphql(Some(&portal), &mutation, json!({ "sku": CAB }))
        .await;
    assert_eq!(reply.code(), "QUERY_TOO_EXPENSIVE", "{}", reply.body);
    assert_eq!(reply.body["errors"][0]["extensions"]["limit"], 700);
    assert_eq!(app.scalar("SELECT count(*) FROM cart_items").await, 0);
}

#[tokio::test]
async fn a_statement_past_its_deadline_ends_with_timeout_and_the_pool_serves_the_next_request() {
    let reply = rename_a_locked_customer(&[("DB_STATEMENT_TIMEOUT_MS", "200")]).await;
    assert_eq!(reply.code(), "TIMEOUT", "{}", reply.body);
}

#[tokio::test]
async fn a_request_past_its_deadline_ends_with_timeout_and_is_rolled_back() {
    let reply = rename_a_locked_customer(&[
        ("REQUEST_TIMEOUT_MS", "300"),
        ("DB_STATEMENT_TIMEOUT_MS", "60000"),
    ])
    .await;
    assert_eq!(reply.code(), "TIMEOUT", "{}", reply.body);
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
}

/// Renames the customer while its row is locked from outside, on a pool of one connection with
/// the given deadlines; then, with the lock gone, checks that the rename left nothing and that
/// the pool serves the next request. Returns the rename's reply.
async fn rename_a_locked_customer(deadlines: &[(&str, &str)]) -> Reply {
    let mut settings = vec![("DATABASE_POOL_MAX", "1")];
    settings.extend_from_slice(deadlines);
    let app = app_with(&settings).await;
    let admin = app.token("admin@acme.test").await;
    let lock = lock_customer(&app).await;
    let reply = app
        .graphql(Some(&admin), RENAME, json!({ "id": app.customer }))
        .await;
    lock.rollback().await.unwrap();
    let after = app.ask(&admin, "{ me { user { email } } }").await;
    assert_eq!(
        after.data("me")["user"]["email"],
        "admin@acme.test",
        "{}",
        after.body
    );
    let renamed = app
        .scalar("SELECT count(*) FROM customers WHERE name = 'Renamed'")
        .await;
    assert_eq!(renamed, 0);
    reply
}

#[tokio::test]
async fn a_pool_of_two_serves_eight_concurrent_signed_in_refreshes() {
    let app = app_with(&[("DATABASE_POOL_MAX", "2")]).await;
    let mut sessions = Vec::new();
    for _ in 0..8 {
        let login = app.login("rep@acme.test", PASSWORD).await;
        let payload = login.data("login");
        sessions.push((
            payload["accessToken"].as_str().unwrap().to_owned(),
            payload["refreshToken"].as_str().unwrap().to_owned(),
        ));
    }
    let refreshes = sessions.iter().map(|(access, refresh)| {
        app.graphql(
            Some(access),
            "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }",
            json!({ "t": refresh }),
        )
    });
    for reply in async_graphql::futures_util::future::join_all(refreshes).await {
        assert!(
            reply.data("refreshSession")["accessToken"].is_string(),
            "{}",
            reply.body
        );
    }
}

#[tokio::test]
async fn sign_in_mutations_mixed_with_other_fields_under_a_bearer_are_refused() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let reply = app
        .graphql(
            Some(&admin),
            "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } logout }",
            json!({ "t": "anything" }),
        )
        .await;
    assert_eq!(reply.code(), "BAD_USER_INPUT", "{}", reply.body);
}

#[tokio::test]
async fn a_tenant_over_its_concurrency_cap_is_rate_limited_while_another_tenant_is_served() {
    let app = app_with(&[
        ("TENANT_MAX_CONCURRENT_REQUESTS", "1"),
        ("TENANT_QUEUE_WAIT_MS", "100"),
        ("DB_STATEMENT_TIMEOUT_MS", "60000"),
    ])
    .await;
    let admin = app.token("admin@acme.test").await;
    let other_tenant = app.token_in_second_tenant().await;
    let lock = lock_customer(&app).await;
    let blocked = app.graphql(Some(&admin), RENAME, json!({ "id": app.customer }));
    let later = async {
        wait_until_a_request_waits_for_a_lock(&app).await;
        let refused = app.ask(&admin, "{ me { user { email } } }").await;
        let served = app.ask(&other_tenant, "{ me { user { email } } }").await;
        lock.rollback().await.unwrap();
        (refused, served)
    };
    let (blocked, (refused, served)) = tokio::join!(blocked, later);
    assert_eq!(refused.code(), "RATE_LIMITED", "{}", refused.body);
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64() >= Some(1));
    assert_eq!(
        served.data("me")["user"]["email"],
        "admin@beta.test",
        "{}",
        served.body
    );
    assert_eq!(
        blocked.data("updateCustomer")["name"],
        "Renamed",
        "{}",
        blocked.body
    );
}

#[tokio::test]
async fn a_principal_past_its_request_rate_is_rate_limited() {
    let app = app_with(&[
        ("PRINCIPAL_REQUESTS_PER_SECOND", "0.01"),
        ("PRINCIPAL_REQUEST_BURST", "2"),
    ])
    .await;
    let admin = app.token("admin@acme.test").await;
    let rep = app.token("rep@acme.test").await;
    for _ in 0..2 {
        let reply = app.ask(&admin, "{ me { user { email } } }").await;
        assert!(reply.body["errors"].is_null(), "{}", reply.body);
    }
    let refused = app.ask(&admin, "{ me { user { email } } }").await;
    assert_eq!(refused.code(), "RATE_LIMITED", "{}", refused.body);
    let other = app.ask(&rep, "{ me { user { email } } }").await;
    assert_eq!(
        other.data("me")["user"]["email"],
        "rep@acme.test",
        "{}",
        other.body
    );
}

/// `products` products of `skus_each` active SKUs (codes `P<p>-S<s>`), straight into the tenant.
async fn seed_catalog(app: &TestApp, products: i32, skus_each: i32) {
    app.owner
        .execute_unprepared(&format!(
            "INSERT INTO products (tenant_id, name, category)
             SELECT t.id, 'Bulk ' || p, 'wine' FROM tenants t, generate_series(1, {products}) p;
             INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price)
             SELECT pr.tenant_id, pr.id, 'P' || substr(pr.name, 6) || '-S' || s, 750, 10.00
               FROM products pr, generate_series(1, {skus_each}) s WHERE pr.name LIKE 'Bulk %';"
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_product_takes_at_most_fifty_skus() {
    let app = app().await;
    seed_catalog(&app, 1, 50).await;
    let admin = app.token("admin@acme.test").await;
    let product = app
        .scalar_text("SELECT id::text FROM products WHERE name = 'Bulk 1'")
        .await;
    let reply = app
        .graphql(
            Some(&admin),
            "mutation($p: ID!) { createSku(input: { productId: $p, code: \"ONE-MORE\", sizeMl: 750, basePrice: \"9.00\" }) { id } }",
            json!({ "p": product }),
        )
        .await;
    assert_eq!(reply.code(), "BAD_USER_INPUT", "{}", reply.body);
    assert_eq!(reply.body["errors"][0]["extensions"]["field"], "productId");
    assert_eq!(app.scalar("SELECT count(*) FROM skus").await, 50);
}

#[tokio::test]
async fn a_saved_list_holds_at_most_five_hundred_skus_and_a_cart_as_many() {
    let app = app().await;
    seed_catalog(&app, 11, 50).await;
    let portal = app.portal_token().await;
    let list = app
        .ask(
            &portal,
            "mutation { createList(input: { name: \"Everything\" }) { id } }",
        )
        .await;
    let list_id = list.data("createList")["id"].as_str().unwrap().to_owned();
    app.owner
        .execute_unprepared(&format!(
            "INSERT INTO list_items (tenant_id, customer_id, list_id, sku_id, default_quantity, position)
             SELECT l.tenant_id, l.customer_id, l.id, s.id, 1, row_number() OVER (ORDER BY s.code)
               FROM lists l, (SELECT id, code FROM skus ORDER BY code LIMIT 501) s
              WHERE l.id = '{list_id}'"
        ))
        .await
        .unwrap();
    let to_cart = app
        .graphql(
            Some(&portal),
            "mutation($l: ID!) { addListToCart(listId: $l) { id } }",
            json!({ "l": list_id }),
        )
        .await;
    assert_eq!(to_cart.code(), "BAD_USER_INPUT", "{}", to_cart.body);
    assert_eq!(app.scalar("SELECT count(*) FROM cart_items").await, 0);

    app.owner
        .execute_unprepared(&format!(
            "DELETE FROM list_items WHERE list_id = '{list_id}'
               AND sku_id = (SELECT sku_id FROM list_items WHERE list_id = '{list_id}' LIMIT 1)"
        ))
        .await
        .unwrap();
    let sku = app
        .scalar_text(&format!(
            "SELECT id::text FROM skus WHERE id NOT IN (SELECT sku_id FROM list_items WHERE list_id = '{list_id}') LIMIT 1"
        ))
        .await;
    let add = app
        .graphql(
            Some(&portal),
            "mutation($l: ID!, $s: ID!) { addListItem(listId: $l, input: { skuId: $s }) { id } }",
            json!({ "l": list_id, "s": sku }),
        )
        .await;
    assert_eq!(add.code(), "BAD_USER_INPUT", "{}", add.body);
    assert_eq!(add.body["errors"][0]["extensions"]["field"], "skuId");
    assert_eq!(app.scalar("SELECT count(*) FROM list_items").await, 500);
}

#[tokio::test]
async fn heavy_mutations_stand_once_per_request_whatever_the_aliases() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let twice = app
        .ask(
            &admin,
            "mutation { a: refreshAccountHealth { snapshots } b: refreshAccountHealth { snapshots } }",
        )
        .await;
    assert_eq!(twice.code(), "BAD_USER_INPUT", "{}", twice.body);
    let once = app
        .ask(&admin, "mutation { refreshAccountHealth { snapshots } }")
        .await;
    assert!(once.body["errors"].is_null(), "{}", once.body);
}
