//! Account scope over GraphQL: every listing shows a rep their accounts, a manager their team's,
//! an admin every account and a portal buyer its own customer's, and nothing of an account out of
//! reach can be read or ordered for.

use crate::support::*;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Harborview (C-1, the rep's) and Second Cellar (C-2, rep2's) each get an order, an invoice with
/// a payment, a saved list, a visit and a customer price. The rep reports to the manager; rep2 to
/// nobody. Everyone signs in with [`PASSWORD`].
const ORGANISATION: &str = "
DO $$
DECLARE
  t uuid := (SELECT id FROM tenants WHERE slug = 'acme');
  rep uuid := (SELECT id FROM users WHERE email = 'rep@acme.test');
  manager uuid := uuid_generate_v7();
  rep2 uuid := uuid_generate_v7();
  c1 uuid := (SELECT id FROM customers WHERE account_number = 'C-1');
  c2 uuid := uuid_generate_v7();
  product uuid := uuid_generate_v7();
  sku uuid := uuid_generate_v7();
  c uuid; owner uuid; o uuid; inv uuid; n integer := 0;
BEGIN
  INSERT INTO users (id, tenant_id, email, password_hash, full_name)
    SELECT manager, t, 'manager@acme.test', password_hash, 'Manager' FROM users WHERE id = rep;
  INSERT INTO users (id, tenant_id, email, password_hash, full_name)
    SELECT rep2, t, 'rep2@acme.test', password_hash, 'Rep Two' FROM users WHERE id = rep;
  INSERT INTO user_roles (tenant_id, user_id, role_id)
    SELECT t, manager, id FROM roles WHERE tenant_id IS NULL AND name = 'sales_manager'
    UNION ALL SELECT t, rep2, id FROM roles WHERE tenant_id IS NULL AND name = 'sales_rep';
  UPDATE users SET manager_id = manager WHERE id = rep;
  INSERT INTO customers (id, tenant_id, account_number, name, state, assigned_rep_id,
                         license_number, license_state, license_expires_on)
    VALUES (c2, t, 'C-2', 'Second Cellar', 'CA', rep2, 'CA-C-2', 'CA', current_date + 365);
  INSERT INTO products (id, tenant_id, name, category) VALUES (product, t, 'Scoped Syrah', 'wine');
  INSERT INTO skus (id, tenant_id, product_id, code, size_ml, base_price)
    VALUES (sku, t, product, 'SYR-750', 750, 20.00);
  FOREACH c IN ARRAY ARRAY[c1, c2] LOOP
    n := n + 1; o := uuid_generate_v7(); inv := uuid_generate_v7();
    owner := CASE WHEN c = c1 THEN rep ELSE rep2 END;
    INSERT INTO orders (id, tenant_id, order_number, customer_id, placed_by_user_id, status,
                        subtotal, tax_total, total)
      VALUES (o, t, 'SO-SCOPE-' || n, c, owner, 'fulfilled', 40.00, 0, 40.00);
    INSERT INTO invoices (id, tenant_id, customer_id, order_id, invoice_number, due_date,
                          subtotal, tax_total, total, amount_paid, balance)
      VALUES (inv, t, c, o, 'INV-SCOPE-' || n, current_date + 30, 40.00, 0, 40.00, 10.00, 30.00);
    INSERT INTO payments (tenant_id, customer_id, invoice_id, amount, method)
      VALUES (t, c, inv, 10.00, 'ach');
    INSERT INTO lists (tenant_id, customer_id, owner_user_id, name, kind)
      VALUES (t, c, owner, 'Reorder ' || n, 'template');
    INSERT INTO activities (tenant_id, user_id, customer_id, kind, occurred_at)
      VALUES (t, owner, c, 'visit', now());
    INSERT INTO price_list_entries (tenant_id, sku_id, customer_id, unit_price)
      VALUES (t, sku, c, 15.00 + n);
  END LOOP;
END $$;
";

const CUSTOMERS: &str = "{ customers(first: 50) { edges { node { id } } } }";
const ORDERS: &str = "{ orders(first: 50) { edges { node { customerId } } } }";
const INVOICES: &str =
    "{ invoices(first: 50) { edges { node { customer { id } payments { amount } } } } }";
const LISTS: &str = "{ lists(first: 50) { edges { node { customerId } } } }";
const ACTIVITIES: &str = "{ activities(first: 50) { edges { node { customerId } } } }";

struct Scoped {
    app: TestApp,
    harborview: String,
    second: String,
}

async fn organisation() -> Scoped {
    let app = app().await;
    app.owner.execute_unprepared(ORGANISATION).await.unwrap();
    let harborview = app
        .scalar_text("SELECT id::text FROM customers WHERE account_number = 'C-1'")
        .await;
    let second = app
        .scalar_text("SELECT id::text FROM customers WHERE account_number = 'C-2'")
        .await;
    Scoped {
        app,
        harborview,
        second,
    }
}

/// Every customer id a listing's reply names, wherever it names one.
fn customer_ids(value: &Value, ids: &mut BTreeSet<String>) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields {
                match (name.as_str(), field) {
                    ("customerId", Value::String(id)) => {
                        ids.insert(id.clone());
                    }
                    ("customer", Value::Object(customer)) => {
                        if let Some(Value::String(id)) = customer.get("id") {
                            ids.insert(id.clone());
                        }
                    }
                    _ => customer_ids(field, ids),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| customer_ids(item, ids)),
        _ => {}
    }
}

/// The customers a listing shows `token`: from the listed customers themselves, or from the
/// customer each listed row belongs to.
async fn listed(app: &TestApp, token: &str, query: &str) -> BTreeSet<String> {
    let reply = app.ask(token, query).await;
    assert!(reply.body["errors"].is_null(), "{query}: {}", reply.body);
    let mut ids = BTreeSet::new();
    if query == CUSTOMERS {
        for edge in reply.data("customers")["edges"].as_array().unwrap() {
            ids.insert(edge["node"]["id"].as_str().unwrap().to_owned());
        }
    } else {
        customer_ids(&reply.body["data"], &mut ids);
    }
    ids
}

#[tokio::test]
async fn rep_manager_admin_and_portal_user_each_see_exactly_their_accounts_in_every_listing() {
    let s = organisation().await;
    let app = &s.app;
    let only =
        |ids: &[&String]| -> BTreeSet<String> { ids.iter().map(|id| (*id).clone()).collect() };
    let both = only(&[&s.harborview, &s.second]);
    let staff_listings = [CUSTOMERS, ORDERS, INVOICES, LISTS, ACTIVITIES];
    for (email, expected) in [
        ("rep@acme.test", only(&[&s.harborview])),
        ("manager@acme.test", only(&[&s.harborview])),
        ("rep2@acme.test", only(&[&s.second])),
        ("admin@acme.test", both.clone()),
    ] {
        let token = app.token(email).await;
        for query in staff_listings {
            assert_eq!(
                listed(app, &token, query).await,
                expected,
                "{email}: {query}"
            );
        }
    }
    let buyer = app.portal_token().await;
    for query in [CUSTOMERS, ORDERS, INVOICES] {
        assert_eq!(
            listed(app, &buyer, query).await,
            only(&[&s.harborview]),
            "the buyer: {query}"
        );
    }
    assert_eq!(app.ask(&buyer, ACTIVITIES).await.code(), "FORBIDDEN");
}

#[tokio::test]
async fn a_rep_cannot_read_price_or_order_for_an_account_out_of_reach() {
    let s = organisation().await;
    let app = &s.app;
    let rep = app.token("rep@acme.test").await;
    let customer = app
        .graphql(
            Some(&rep),
            "query($id: ID!) { customer(id: $id) { id } }",
            json!({ "id": s.second }),
        )
        .await;
    assert_eq!(customer.code(), "NOT_FOUND", "{}", customer.body);
    let price = "query($c: ID!) { products(filter: { search: \"Scoped\" }) { edges { node { skus { price(customerId: $c) { unitPrice source } } } } } }";
    let theirs = app
        .graphql(Some(&rep), price, json!({ "c": s.second }))
        .await;
    assert_eq!(theirs.code(), "NOT_FOUND", "{}", theirs.body);
    let own = app
        .graphql(Some(&rep), price, json!({ "c": s.harborview }))
        .await;
    assert_eq!(
        own.data("products")["edges"][0]["node"]["skus"][0]["price"],
        json!({ "unitPrice": "16.00", "source": "CUSTOMER_PRICE" }),
        "{}",
        own.body
    );
    let sku = app
        .scalar_text("SELECT id::text FROM skus WHERE code = 'SYR-750'")
        .await;
    let orders_before = app.scalar("SELECT count(*) FROM orders").await;
    let order = app
        .graphql(
            Some(&rep),
            "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
            json!({ "input": { "customerId": s.second, "lines": [{ "skuId": sku, "quantity": 1 }] } }),
        )
        .await;
    assert_eq!(order.code(), "NOT_FOUND", "{}", order.body);
    assert_eq!(
        app.scalar("SELECT count(*) FROM orders").await,
        orders_before
    );
    // The admin may.
    let admin = app.token("admin@acme.test").await;
    let theirs = app
        .graphql(Some(&admin), price, json!({ "c": s.second }))
        .await;
    assert_eq!(
        theirs.data("products")["edges"][0]["node"]["skus"][0]["price"]["unitPrice"],
        "17.00",
        "{}",
        theirs.body
    );
}

#[tokio::test]
async fn a_manager_creates_accounts_for_the_team_and_may_not_hand_one_outside_it() {
    let s = organisation().await;
    let app = &s.app;
    let manager = app.token("manager@acme.test").await;
    let create = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id assignedRepId } }";
    let created = app
        .graphql(
            Some(&manager),
            create,
            json!({ "input": { "accountNumber": "C-3", "name": "Third", "state": "CA" } }),
        )
        .await;
    let manager_id = app
        .scalar_text("SELECT id::text FROM users WHERE email = 'manager@acme.test'")
        .await;
    assert_eq!(
        created.data("createCustomer")["assignedRepId"],
        manager_id.as_str(),
        "an account created without a rep is the creator's: {}",
        created.body
    );
    let rep2 = app
        .scalar_text("SELECT id::text FROM users WHERE email = 'rep2@acme.test'")
        .await;
    let outside = app
        .graphql(
            Some(&manager),
            create,
            json!({ "input": { "accountNumber": "C-4", "name": "Fourth", "state": "CA", "assignedRepId": rep2 } }),
        )
        .await;
    assert_eq!(outside.code(), "FORBIDDEN", "{}", outside.body);
    let handed = app
        .graphql(
            Some(&manager),
            "mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }",
            json!({ "id": s.harborview, "input": { "assignedRepId": rep2 } }),
        )
        .await;
    assert_eq!(handed.code(), "FORBIDDEN", "{}", handed.body);
    assert_eq!(
        app.scalar("SELECT count(*) FROM customers WHERE account_number = 'C-4'")
            .await,
        0
    );
    assert_eq!(
        app.scalar_text("SELECT u.email FROM customers c JOIN users u ON u.id = c.assigned_rep_id WHERE c.account_number = 'C-1'")
            .await,
        "rep@acme.test"
    );
}

const ACCOUNT_HUB: &str =
    "{ customers(first: 10, orderBy: { field: ACCOUNT_NUMBER }) { edges { node {
    accountNumber
    orders(first: 5) { edges { node { orderNumber } } }
    invoices(first: 5) { edges { node { invoiceNumber } } }
    portalUsers(first: 5) { edges { node { email } } }
} } } }";

/// A connection's rows, by number or email; `None` when it is `null`.
type Rows = Option<Vec<String>>;

fn connection(customer: &Value, field: &str, key: &str) -> Rows {
    let edges = customer[field]["edges"].as_array()?;
    Some(
        edges
            .iter()
            .map(|edge| edge["node"][key].as_str().unwrap().to_owned())
            .collect(),
    )
}

fn hub(reply: &Reply) -> Vec<(String, Rows, Rows, Rows)> {
    reply.data("customers")["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            let customer = &edge["node"];
            (
                customer["accountNumber"].as_str().unwrap().to_owned(),
                connection(customer, "orders", "orderNumber"),
                connection(customer, "invoices", "invoiceNumber"),
                connection(customer, "portalUsers", "email"),
            )
        })
        .collect()
}

fn strings(items: &[&str]) -> Rows {
    Some(items.iter().map(|item| (*item).to_owned()).collect())
}

#[tokio::test]
async fn a_customers_orders_invoices_and_portal_users_are_its_own_and_follow_each_lists_rules() {
    let s = organisation().await;
    let app = &s.app;
    let admin = app.token("admin@acme.test").await;
    let everything = app.ask(&admin, ACCOUNT_HUB).await;
    assert!(everything.body["errors"].is_null(), "{}", everything.body);
    assert_eq!(
        hub(&everything),
        [
            (
                "C-1".to_owned(),
                strings(&["SO-SCOPE-1"]),
                strings(&["INV-SCOPE-1"]),
                strings(&["buyer@harborview.test"])
            ),
            (
                "C-2".to_owned(),
                strings(&["SO-SCOPE-2"]),
                strings(&["INV-SCOPE-2"]),
                strings(&[])
            ),
        ]
    );

    // A rep sees its own account's orders and invoices, but portal users are for user admins:
    // that connection alone is null, with FORBIDDEN at its path.
    let rep = app.token("rep@acme.test").await;
    let reps = app.ask(&rep, ACCOUNT_HUB).await;
    assert_eq!(
        hub(&reps),
        [(
            "C-1".to_owned(),
            strings(&["SO-SCOPE-1"]),
            strings(&["INV-SCOPE-1"]),
            None
        )]
    );
    assert_eq!(reps.code(), "FORBIDDEN");
    assert_eq!(
        reps.body["errors"][0]["path"],
        json!(["customers", "edges", 0, "node", "portalUsers"])
    );

    // The buyer reads its own account the same way.
    let buyer = app.portal_token().await;
    let own = app
        .graphql(
            Some(&buyer),
            "query($id: ID!) { customer(id: $id) { orders { edges { node { orderNumber } } } invoices { edges { node { invoiceNumber } } } } }",
            json!({ "id": s.harborview }),
        )
        .await;
    assert!(own.body["errors"].is_null(), "{}", own.body);
    let customer = own.data("customer");
    assert_eq!(
        connection(customer, "orders", "orderNumber"),
        strings(&["SO-SCOPE-1"])
    );
    assert_eq!(
        connection(customer, "invoices", "invoiceNumber"),
        strings(&["INV-SCOPE-1"])
    );

    // The filters narrow within the account.
    let filtered = app
        .graphql(
            Some(&admin),
            "query($id: ID!) { customer(id: $id) { orders(statuses: [DRAFT]) { edges { node { id } } } invoices(statuses: [ISSUED]) { edges { node { invoiceNumber } } } paid: invoices(statuses: [PAID]) { edges { node { invoiceNumber } } } } }",
            json!({ "id": s.second }),
        )
        .await;
    assert!(filtered.body["errors"].is_null(), "{}", filtered.body);
    let customer = filtered.data("customer");
    assert_eq!(connection(customer, "orders", "id"), strings(&[]));
    assert_eq!(
        connection(customer, "invoices", "invoiceNumber"),
        strings(&["INV-SCOPE-2"])
    );
    assert_eq!(connection(customer, "paid", "invoiceNumber"), strings(&[]));
}
