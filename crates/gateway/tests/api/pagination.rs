//! Lists over HTTP: keyset pages are stable while rows are inserted between them, page backward
//! exactly as forward, sort nullable keys with their nulls last both ways, and refuse a cursor of
//! another order; filters take lists of ids and ranges of money and dates.

use crate::support::*;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// `n` orders of the test customer, created a minute apart (the first is the oldest), with totals
/// that repeat so a sort on them has ties; returns their numbers, newest first.
async fn orders(app: &TestApp, from: usize, n: usize) -> Vec<String> {
    app.scalar(&format!(
        "WITH placed AS (
           INSERT INTO orders (tenant_id, order_number, customer_id, status, subtotal, tax_total,
                               total, created_at)
           SELECT c.tenant_id, 'SO-P-' || lpad(i::text, 3, '0'), c.id, 'submitted', 10 * (i % 3),
                  0, 10 * (i % 3), now() - interval '1 day' + i * interval '1 minute'
             FROM customers c, generate_series({from}, {}) AS i
            WHERE c.id = '{}'
           RETURNING 1)
         SELECT count(*) FROM placed",
        from + n - 1,
        app.customer
    ))
    .await;
    (from..from + n)
        .rev()
        .map(|i| format!("SO-P-{i:03}"))
        .collect()
}

const PAGE: &str =
    "query($first: Int, $after: String, $last: Int, $before: String, $order: OrderOrder) {
  orders(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    edges { cursor node { orderNumber } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

struct Fetched {
    numbers: Vec<String>,
    page_info: Value,
}

async fn page(app: &TestApp, token: &str, variables: Value) -> Fetched {
    let reply = app.graphql(Some(token), PAGE, variables).await;
    assert!(reply.body["errors"].is_null(), "{}", reply.body);
    let orders = reply.data("orders");
    Fetched {
        numbers: orders["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|edge| edge["node"]["orderNumber"].as_str().unwrap().to_owned())
            .collect(),
        page_info: orders["pageInfo"].clone(),
    }
}

#[tokio::test]
async fn paging_forward_while_orders_are_placed_shows_each_earlier_order_once() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let existing = orders(&app, 1, 10).await;
    let mut seen = Vec::new();
    let mut after = Value::Null;
    for round in 0.. {
        let fetched = page(&app, &admin, json!({ "first": 3, "after": after })).await;
        seen.extend(fetched.numbers);
        if fetched.page_info["hasNextPage"] == false {
            break;
        }
        after = fetched.page_info["endCursor"].clone();
        // Newer orders arrive while the user reads: with offsets, each would push one already
        // seen onto the next page.
        orders(&app, 100 + round * 2, 2).await;
    }
    assert_eq!(
        seen, existing,
        "each order that existed is listed once, in order"
    );
}

#[tokio::test]
async fn paging_backward_from_the_end_lists_what_paging_forward_does() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    orders(&app, 1, 8).await;
    let by_total = json!({ "field": "TOTAL", "direction": "DESC" });
    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let fetched = page(
            &app,
            &admin,
            json!({ "first": 3, "after": after, "order": by_total }),
        )
        .await;
        forward.extend(fetched.numbers);
        if fetched.page_info["hasNextPage"] == false {
            break;
        }
        after = fetched.page_info["endCursor"].clone();
    }
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let fetched = page(
            &app,
            &admin,
            json!({ "last": 3, "before": before, "order": by_total }),
        )
        .await;
        backward.splice(0..0, fetched.numbers);
        if fetched.page_info["hasPreviousPage"] == false {
            break;
        }
        before = fetched.page_info["startCursor"].clone();
    }
    assert_eq!(forward.len(), 8);
    assert_eq!(backward, forward);
    // Ties on the total are broken by id, the same way in both directions.
    let expected: Vec<String> = app
        .scalar_text(
            "SELECT string_agg(order_number, ',' ORDER BY total DESC, id DESC) FROM orders",
        )
        .await
        .split(',')
        .map(str::to_owned)
        .collect();
    assert_eq!(forward, expected);
}

#[tokio::test]
async fn products_sorted_by_vintage_page_both_ways_with_the_undated_last() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    app.scalar(
        "WITH p AS (INSERT INTO products (tenant_id, name, category, vintage)
                    SELECT t.id, 'Wine ' || i, 'wine', CASE WHEN i % 3 = 0 THEN NULL ELSE 2010 + i % 4 END
                      FROM tenants t, generate_series(1, 9) AS i RETURNING 1)
         SELECT count(*) FROM p",
    )
    .await;
    let query = "query($first: Int, $after: String, $last: Int, $before: String, $direction: SortDirection!) {
      products(first: $first, after: $after, last: $last, before: $before, orderBy: { field: VINTAGE, direction: $direction }) {
        edges { node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }";
    for direction in ["ASC", "DESC"] {
        let expected = app
            .scalar_text(&format!(
                "SELECT string_agg(name, ',' ORDER BY vintage IS NULL, vintage {direction}, id {direction}) FROM products"
            ))
            .await;
        let (forward, backward) = both_ways(
            &app,
            &admin,
            query,
            "products",
            "name",
            json!({ "direction": direction }),
        )
        .await;
        assert_eq!(forward.join(","), expected, "{direction}, forward");
        assert_eq!(backward.join(","), expected, "{direction}, backward");
    }
}

/// Every page of `list` two at a time, forward from the start and backward from the end, as
/// the `field` of each node; `variables` carry the order.
async fn both_ways(
    app: &TestApp,
    token: &str,
    query: &str,
    list: &str,
    field: &str,
    variables: Value,
) -> (Vec<String>, Vec<String>) {
    let fetch = |cursor: Value, forward: bool| {
        let mut variables = variables.clone();
        let (size, at) = if forward {
            ("first", "after")
        } else {
            ("last", "before")
        };
        variables[size] = json!(2);
        variables[at] = cursor;
        async move {
            let reply = app.graphql(Some(token), query, variables).await;
            assert!(reply.body["errors"].is_null(), "{}", reply.body);
            let connection = reply.data(list).clone();
            let values: Vec<String> = connection["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|edge| edge["node"][field].as_str().unwrap().to_owned())
                .collect();
            (values, connection["pageInfo"].clone())
        }
    };
    let (mut forward, mut after) = (Vec::new(), Value::Null);
    loop {
        let (values, info) = fetch(after, true).await;
        forward.extend(values);
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].clone();
    }
    let (mut backward, mut before) = (Vec::new(), Value::Null);
    loop {
        let (values, info) = fetch(before, false).await;
        backward.splice(0..0, values);
        if info["hasPreviousPage"] == false {
            break;
        }
        before = info["startCursor"].clone();
    }
    (forward, backward)
}

#[tokio::test]
async fn activities_tasks_and_notifications_sort_by_the_field_asked_and_page_both_ways() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    // Logged in the opposite order to when they happened, so the two sorts disagree; due dates
    // and read marks leave some rows without, which sort last.
    app.scalar(&format!(
        "WITH me AS (SELECT id, tenant_id FROM users WHERE email = 'admin@acme.test'),
              a AS (INSERT INTO activities (tenant_id, user_id, customer_id, kind, occurred_at, notes, created_at)
                    SELECT me.tenant_id, me.id, '{customer}', 'call', now() - i * interval '1 hour', 'A' || i,
                           now() - (10 - i) * interval '1 hour'
                      FROM me, generate_series(1, 5) AS i RETURNING 1),
              t AS (INSERT INTO tasks (tenant_id, assignee_user_id, title, due_at, created_at, updated_at)
                    SELECT me.tenant_id, me.id, 'T' || i,
                           CASE WHEN i % 2 = 0 THEN NULL ELSE now() + i * interval '1 day' END,
                           now() - i * interval '1 hour', now() - (10 - i) * interval '1 hour'
                      FROM me, generate_series(1, 5) AS i RETURNING 1),
              n AS (INSERT INTO notifications (tenant_id, recipient_user_id, kind, title, read_at, created_at)
                    SELECT me.tenant_id, me.id, 'test.sorted', 'N' || i,
                           CASE WHEN i % 2 = 0 THEN NULL ELSE now() - (10 - i) * interval '1 hour' END,
                           now() - i * interval '1 hour'
                      FROM me, generate_series(1, 5) AS i RETURNING 1)
         SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM t) + (SELECT count(*) FROM n)",
        customer = app.customer
    ))
    .await;
    let lists = [
        (
            "activities",
            "ActivityOrder",
            "notes",
            "activities",
            ["OCCURRED_AT", "CREATED_AT"].as_slice(),
            "notes LIKE 'A%'",
        ),
        (
            "tasks",
            "TaskOrder",
            "title",
            "tasks",
            ["DUE_AT", "CREATED_AT", "UPDATED_AT"].as_slice(),
            "title LIKE 'T%'",
        ),
        (
            "notifications",
            "NotificationOrder",
            "title",
            "notifications",
            ["CREATED_AT", "READ_AT"].as_slice(),
            "kind = 'test.sorted'",
        ),
    ];
    for (list, input, field, table, sorts, mine) in lists {
        let query = format!(
            "query($first: Int, $after: String, $last: Int, $before: String, $order: {input}) {{
              {list}(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {{
                edges {{ node {{ {field} }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
              }}
            }}"
        );
        for sort in sorts {
            let column = sort.to_lowercase();
            for direction in ["ASC", "DESC"] {
                let expected = app
                    .scalar_text(&format!(
                        "SELECT string_agg({field}, ',' ORDER BY {column} IS NULL, {column} {direction}, id {direction})
                           FROM {table} WHERE {mine}"
                    ))
                    .await;
                let order = json!({ "order": { "field": sort, "direction": direction } });
                let (forward, backward) = both_ways(&app, &admin, &query, list, field, order).await;
                let label = format!("{list} by {sort} {direction}");
                assert_eq!(forward.join(","), expected, "{label}, forward");
                assert_eq!(backward.join(","), expected, "{label}, backward");
            }
        }
    }
}

#[tokio::test]
async fn a_cursor_of_another_order_or_list_is_refused_with_the_argument_named() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    orders(&app, 1, 4).await;
    let newest = page(&app, &admin, json!({ "first": 2 })).await;
    let cursor = newest.page_info["endCursor"].clone();
    let by_total = json!({ "field": "TOTAL", "direction": "DESC" });
    let refused = app
        .graphql(
            Some(&admin),
            PAGE,
            json!({ "first": 2, "after": cursor, "order": by_total }),
        )
        .await;
    assert_eq!(refused.code(), "BAD_USER_INPUT", "{}", refused.body);
    assert_eq!(refused.body["errors"][0]["extensions"]["field"], "after");
    let invoices = app
        .graphql(
            Some(&admin),
            "query($after: String) { invoices(first: 2, after: $after) { edges { cursor } } }",
            json!({ "after": cursor }),
        )
        .await;
    assert_eq!(invoices.code(), "BAD_USER_INPUT", "{}", invoices.body);
    let both = app
        .graphql(Some(&admin), PAGE, json!({ "first": 2, "last": 2 }))
        .await;
    assert_eq!(both.code(), "BAD_USER_INPUT", "{}", both.body);
}

#[tokio::test]
async fn orders_and_invoices_filter_by_lists_of_customers_and_ranges_of_money_and_dates() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    app.owner
        .execute_unprepared(&format!(
            "DO $$
             DECLARE c uuid; n integer := 0; o uuid;
             BEGIN
               INSERT INTO customers (tenant_id, account_number, name, state)
                 SELECT tenant_id, 'C-' || i, 'Account ' || i, 'CA'
                   FROM customers, generate_series(2, 3) AS i WHERE id = '{customer}';
               FOR c IN SELECT id FROM customers ORDER BY account_number LOOP
                 n := n + 1; o := uuid_generate_v7();
                 INSERT INTO orders (id, tenant_id, order_number, customer_id, status, subtotal,
                                     tax_total, total)
                   SELECT o, tenant_id, 'SO-F-' || n, c, 'delivered', 100 * n, 0, 100 * n
                     FROM customers WHERE id = c;
                 INSERT INTO invoices (tenant_id, customer_id, order_id, invoice_number, due_date,
                                       subtotal, tax_total, total, amount_paid, balance)
                   SELECT tenant_id, c, o, 'INV-F-' || n, DATE '2026-12-01' + 10 * n,
                          100 * n, 0, 100 * n, 0, 100 * n
                     FROM customers WHERE id = c;
               END LOOP;
             END $$;",
            customer = app.customer
        ))
        .await
        .unwrap();
    let ids: Vec<String> = app
        .scalar_text("SELECT string_agg(id::text, ',' ORDER BY account_number) FROM customers")
        .await
        .split(',')
        .map(str::to_owned)
        .collect();
    let numbers = |reply: &Reply, list: &str, key: &str| -> Vec<String> {
        assert!(reply.body["errors"].is_null(), "{}", reply.body);
        reply.data(list)["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|edge| edge["node"][key].as_str().unwrap().to_owned())
            .collect()
    };
    let orders = app
        .graphql(
            Some(&admin),
            "query($ids: [ID!]) { orders(filter: { customerIds: $ids, totalFrom: \"150\", totalTo: \"300.00\" }, orderBy: { field: TOTAL, direction: ASC }) { edges { node { orderNumber } } } }",
            json!({ "ids": [ids[0], ids[1]] }),
        )
        .await;
    assert_eq!(numbers(&orders, "orders", "orderNumber"), ["SO-F-2"]);
    let invoices = app
        .graphql(
            Some(&admin),
            "{ invoices(filter: { dueFrom: \"2026-12-11\", dueTo: \"2026-12-31\", balanceFrom: \"200\" }, orderBy: { field: BALANCE, direction: DESC }) { edges { node { invoiceNumber } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        numbers(&invoices, "invoices", "invoiceNumber"),
        ["INV-F-3", "INV-F-2"]
    );
    let bad = app
        .graphql(
            Some(&admin),
            "query($ids: [ID!]) { orders(filter: { customerIds: $ids }) { edges { node { id } } } }",
            json!({ "ids": [ids[0], "not-an-id"] }),
        )
        .await;
    assert_eq!(bad.code(), "BAD_USER_INPUT");
    assert_eq!(
        bad.body["errors"][0]["extensions"]["field"],
        "filter.customerIds.1"
    );
    let too_many: Vec<String> = (0..101).map(|_| ids[0].clone()).collect();
    let refused = app
        .graphql(
            Some(&admin),
            "query($ids: [ID!]) { invoices(filter: { customerIds: $ids }) { edges { node { id } } } }",
            json!({ "ids": too_many }),
        )
        .await;
    assert_eq!(refused.code(), "BAD_USER_INPUT", "{}", refused.body);
}

#[tokio::test]
async fn skus_and_call_plans_page_both_ways_in_their_order() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    // Codes inserted out of their order, call plans scheduled out of theirs.
    app.scalar(&format!(
        "WITH me AS (SELECT id, tenant_id FROM users WHERE email = 'admin@acme.test'),
              p AS (INSERT INTO products (tenant_id, name, category)
                    SELECT tenant_id, 'Paged Red', 'wine' FROM me RETURNING id, tenant_id),
              s AS (INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price)
                    SELECT p.tenant_id, p.id, 'PG-' || (7 * i % 9), 750, 10 FROM p, generate_series(1, 8) AS i
                    RETURNING 1),
              c AS (INSERT INTO call_plans (tenant_id, user_id, customer_id, scheduled_for, objective)
                    SELECT me.tenant_id, me.id, '{customer}', now() + (5 * i % 7) * interval '1 hour', 'C' || i
                      FROM me, generate_series(1, 6) AS i RETURNING 1)
         SELECT (SELECT count(*) FROM s) + (SELECT count(*) FROM c)",
        customer = app.customer
    ))
    .await;
    let lists = [
        (
            "skus",
            "SkuFilter",
            "code",
            "SELECT string_agg(code, ',' ORDER BY code, id) FROM skus",
        ),
        (
            "callPlans",
            "CallPlanFilter",
            "objective",
            "SELECT string_agg(objective, ',' ORDER BY scheduled_for, id) FROM call_plans",
        ),
    ];
    for (list, filter, field, expected) in lists {
        let query = format!(
            "query($first: Int, $after: String, $last: Int, $before: String, $filter: {filter}) {{
              {list}(first: $first, after: $after, last: $last, before: $before, filter: $filter) {{
                edges {{ node {{ {field} }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
              }}
            }}"
        );
        let expected = app.scalar_text(expected).await;
        let (forward, backward) = both_ways(&app, &admin, &query, list, field, json!({})).await;
        assert_eq!(forward.join(","), expected, "{list}, forward");
        assert_eq!(backward.join(","), expected, "{list}, backward");
    }
}
