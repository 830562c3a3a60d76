//! The depletion report over HTTP: its figures and formats, account scope, who may ask, input
//! errors naming their field, and its declared cost.

use crate::support::*;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Ridge wine in 12- and 6-bottle cases and an unbranded wine in 12s. Harborview (C-1, the
/// rep's) and Second Cellar (C-2, in NY, nobody's) order in January and February 2026; a
/// cancelled order in March counts for nothing. The tenant has no settings row: its calendar
/// is UTC's.
const SALES: &str = "
DO $$
DECLARE
  t uuid := (SELECT id FROM tenants WHERE slug = 'acme');
  c1 uuid := (SELECT id FROM customers WHERE account_number = 'C-1');
  c2 uuid := uuid_generate_v7();
  ridge uuid := uuid_generate_v7();
  plain uuid := uuid_generate_v7();
  r12 uuid := uuid_generate_v7();
  r6 uuid := uuid_generate_v7();
  p12 uuid := uuid_generate_v7();
  o uuid;
BEGIN
  INSERT INTO customers (id, tenant_id, account_number, name, state)
    VALUES (c2, t, 'C-2', 'Second Cellar', 'NY');
  INSERT INTO products (id, tenant_id, name, brand, category) VALUES
    (ridge, t, 'Ridge Zinfandel', 'Ridge', 'wine'), (plain, t, 'House Red', NULL, 'wine');
  INSERT INTO skus (id, tenant_id, product_id, code, size_ml, units_per_case, base_price) VALUES
    (r12, t, ridge, 'ZIN-12', 750, 12, 10.00), (r6, t, ridge, 'ZIN-6', 750, 6, 10.00),
    (p12, t, plain, 'RED-12', 750, 12, 10.00);
  o := uuid_generate_v7();
  INSERT INTO orders (id, tenant_id, order_number, customer_id, status, fulfilled_at)
    VALUES (o, t, 'SO-D-1', c1, 'fulfilled', '2026-01-15T12:00Z');
  INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity,
                           unit_price, line_total, pricing_rule, is_sample) VALUES
    (t, c1, o, 1, r12, 18, 10.00, 180.00, 'base_price', false),
    (t, c1, o, 2, r6, 3, 0, 0, 'sample', true);
  o := uuid_generate_v7();
  INSERT INTO orders (id, tenant_id, order_number, customer_id, status, fulfilled_at)
    VALUES (o, t, 'SO-D-2', c2, 'delivered', '2026-01-20T12:00Z');
  INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity,
                           unit_price, line_total, pricing_rule)
    VALUES (t, c2, o, 1, r6, 9, 10.00, 90.00, 'base_price');
  o := uuid_generate_v7();
  INSERT INTO orders (id, tenant_id, order_number, customer_id, status, fulfilled_at)
    VALUES (o, t, 'SO-D-3', c1, 'delivered', '2026-02-03T12:00Z');
  INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity,
                           unit_price, line_total, pricing_rule)
    VALUES (t, c1, o, 1, p12, 12, 10.00, 120.00, 'base_price');
  o := uuid_generate_v7();
  INSERT INTO orders (id, tenant_id, order_number, customer_id, status, fulfilled_at)
    VALUES (o, t, 'SO-D-4', c1, 'cancelled', '2026-03-01T12:00Z');
  INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity,
                           unit_price, line_total, pricing_rule)
    VALUES (t, c1, o, 1, r12, 100, 10.00, 1000.00, 'base_price');
END $$;
";

const BY_BRAND_AND_MONTH: &str = r#"{
  depletions(filter: { from: "2026-01-01", to: "2026-03-31" }, groupBy: [BRAND], period: MONTH) {
    brand skuId customerId periodStart units cases revenue orderCount
  }
}"#;

const BY_CUSTOMER: &str = r#"query($filter: DepletionFilter!) {
  depletions(filter: $filter, groupBy: [CUSTOMER, STATE]) { customerId state units cases revenue orderCount }
}"#;

async fn sales() -> TestApp {
    let app = app().await;
    app.owner.execute_unprepared(SALES).await.unwrap();
    app
}

fn first_quarter() -> Value {
    json!({ "filter": { "from": "2026-01-01", "to": "2026-03-31" } })
}

#[tokio::test]
async fn depletions_report_units_cases_and_revenue_by_brand_and_month() {
    let app = sales().await;
    let admin = app.token("admin@acme.test").await;
    let reply = app.ask(&admin, BY_BRAND_AND_MONTH).await;
    assert!(reply.body["errors"].is_null(), "{}", reply.body);
    // January's Ridge: 18 of a 12-pack, 3 sample bottles and 9 of a 6-pack are 1.5 + 0.5 + 1.5
    // cases; the samples are bottles but not revenue. February's unbranded wine has a null brand.
    assert_eq!(
        reply.data("depletions"),
        &json!([
            { "brand": "Ridge", "skuId": null, "customerId": null, "periodStart": "2026-01-01",
              "units": 30, "cases": "3.5000", "revenue": "270.00", "orderCount": 2 },
            { "brand": null, "skuId": null, "customerId": null, "periodStart": "2026-02-01",
              "units": 12, "cases": "1.0000", "revenue": "120.00", "orderCount": 1 },
        ])
    );

    // The admin sees both accounts; the rep only Harborview, with no filter of the report's own.
    let harborview = app
        .scalar_text("SELECT id::text FROM customers WHERE account_number = 'C-1'")
        .await;
    let second = app
        .scalar_text("SELECT id::text FROM customers WHERE account_number = 'C-2'")
        .await;
    let customers = async |token: &str| -> Value {
        let reply = app.graphql(Some(token), BY_CUSTOMER, first_quarter()).await;
        assert!(reply.body["errors"].is_null(), "{}", reply.body);
        reply.data("depletions").clone()
    };
    let harborview_row = json!({ "customerId": harborview, "state": "CA", "units": 33,
        "cases": "3.0000", "revenue": "300.00", "orderCount": 2 });
    let second_row = json!({ "customerId": second, "state": "NY", "units": 9,
        "cases": "1.5000", "revenue": "90.00", "orderCount": 1 });
    assert_eq!(
        customers(&admin).await,
        json!([harborview_row.clone(), second_row])
    );
    let rep = app.token("rep@acme.test").await;
    assert_eq!(customers(&rep).await, json!([harborview_row]));
}

#[tokio::test]
async fn depletions_refuse_portal_users_and_name_the_field_of_bad_input() {
    let app = sales().await;
    let portal = app.portal_token().await;
    let reply = app.ask(&portal, BY_BRAND_AND_MONTH).await;
    assert_eq!(reply.code(), "FORBIDDEN", "{}", reply.body);
    assert!(reply.data("depletions").is_null());

    let admin = app.token("admin@acme.test").await;
    let refused = async |filter: Value, group_by: &str, field: &str| {
        let query = format!(
            "query($filter: DepletionFilter!) {{ depletions(filter: $filter, groupBy: {group_by}) {{ units }} }}"
        );
        let reply = app
            .graphql(Some(&admin), &query, json!({ "filter": filter }))
            .await;
        assert_eq!(reply.code(), "BAD_USER_INPUT", "{}", reply.body);
        assert_eq!(
            reply.body["errors"][0]["extensions"]["field"], field,
            "{}",
            reply.body
        );
    };
    let range = |from: &str, to: &str| json!({ "from": from, "to": to });
    refused(range("2026-03-01", "2026-02-28"), "[]", "filter.to").await;
    refused(range("2025-01-01", "2026-01-03"), "[]", "filter.to").await;
    refused(
        range("2026-01-01", "2026-01-31"),
        "[SKU, BRAND, REP, STATE]",
        "groupBy",
    )
    .await;
    refused(range("2026-01-01", "2026-01-31"), "[SKU, SKU]", "groupBy").await;
    refused(
        json!({ "from": "2026-01-01", "to": "2026-01-31", "skuIds": ["not-an-id"] }),
        "[]",
        "filter.skuIds",
    )
    .await;
}

#[tokio::test]
async fn a_depletion_report_is_priced_by_the_rows_it_may_answer() {
    let app = sales().await;
    let admin = app.token("admin@acme.test").await;
    // 5,000 rows of eight fields cost 40,001: three in one request fit the 150,000 budget, four
    // do not.
    let field = r#"depletions(filter: { from: "2026-01-01", to: "2026-03-31" }, groupBy: [SKU]) {
        skuId brand periodStart units cases revenue orderCount customerId }"#;
    let reply = app
        .ask(&admin, &format!("{{ a: {field} b: {field} c: {field} }}"))
        .await;
    assert!(reply.body["errors"].is_null(), "{}", reply.body);
    let reply = app
        .ask(
            &admin,
            &format!("{{ a: {field} b: {field} c: {field} d: {field} }}"),
        )
        .await;
    assert_eq!(reply.code(), "QUERY_TOO_EXPENSIVE", "{}", reply.body);
}
