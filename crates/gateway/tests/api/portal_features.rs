//! The portal's feature switches (`tenantSettings.portalFeatures`) are enforced: with a feature
//! off, its portal operations answer `FORBIDDEN` to portal users, staff are unaffected, and
//! turning it back on restores them. One operation per switch.

use crate::orders::{CAB, seed_stock};
use crate::refunds::paid_invoice;
use crate::support::*;
use serde_json::{Value, json};

/// Turns `feature` on or off as the admin, through the API.
async fn switch(app: &TestApp, admin: &str, feature: &str, on: bool) {
    let reply = app
        .graphql(
            Some(admin),
            "mutation($f: PortalFeaturesInput!) {
               updateTenantSettings(input: { portalFeatures: $f }) {
                 portalFeatures { catalog cart orders invoices lists payments } } }",
            json!({ "f": { feature: on } }),
        )
        .await;
    assert_eq!(
        reply.data("updateTenantSettings")["portalFeatures"][feature],
        on,
        "{}",
        reply.body
    );
}

#[track_caller]
fn assert_served(reply: &Reply) {
    assert!(reply.body["errors"].is_null(), "{}", reply.body);
}

#[track_caller]
fn assert_switched_off(reply: &Reply, feature: &str) {
    assert_eq!(reply.code(), "FORBIDDEN", "{}", reply.body);
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains(&format!("{feature} feature")), "{message}");
}

/// With `feature` on the portal user is served `portal_op`; off, refused, while staff still get
/// `staff_op` (when staff have one); on again, served again.
async fn gates(app: &TestApp, feature: &str, portal_op: &str, staff_op: Option<&str>) {
    let admin = app.token("admin@acme.test").await;
    let portal = app.portal_token().await;
    assert_served(&app.ask(&portal, portal_op).await);

    switch(app, &admin, feature, false).await;
    let refused = app.ask(&portal, portal_op).await;
    assert_switched_off(&refused, feature);
    if let Some(staff_op) = staff_op {
        assert_served(&app.ask(&admin, staff_op).await);
    }

    switch(app, &admin, feature, true).await;
    assert_served(&app.ask(&portal, portal_op).await);
}

#[tokio::test]
async fn with_the_catalog_off_a_portal_user_cannot_browse_products() {
    let app = app().await;
    let products = "{ products(first: 5) { totalCount } }";
    gates(&app, "catalog", products, Some(products)).await;
}

#[tokio::test]
async fn with_the_cart_off_a_portal_user_cannot_fill_a_cart() {
    let app = app().await;
    seed_stock(&app).await;
    let add = format!("mutation {{ addToCart(skuId: \"{CAB}\", quantity: 1) {{ id }} }}");
    gates(&app, "cart", &add, None).await;
    let admin = app.token("admin@acme.test").await;
    switch(&app, &admin, "cart", false).await;
    let portal = app.portal_token().await;
    assert_switched_off(&app.ask(&portal, "{ cart { id } }").await, "cart");
    assert_eq!(
        app.scalar("SELECT coalesce(sum(quantity), 0)::bigint FROM cart_items")
            .await,
        2,
        "only the two additions made while the cart was on"
    );
}

#[tokio::test]
async fn with_orders_off_a_portal_user_cannot_see_orders() {
    let app = app().await;
    let orders = "{ orders(first: 5) { totalCount } }";
    gates(&app, "orders", orders, Some(orders)).await;
}

#[tokio::test]
async fn with_invoices_off_a_portal_user_cannot_see_invoices() {
    let app = app().await;
    let invoices = "{ invoices(first: 5) { totalCount } }";
    gates(&app, "invoices", invoices, Some(invoices)).await;
}

#[tokio::test]
async fn with_lists_off_a_portal_user_cannot_keep_lists() {
    let app = app().await;
    let create = "mutation { createList(input: { name: \"Weekly\", kind: TEMPLATE }) { id } }";
    gates(&app, "lists", create, None).await;
    let admin = app.token("admin@acme.test").await;
    let staff_lists = "{ lists(first: 5) { totalCount } }";
    assert_served(&app.ask(&admin, staff_lists).await);
    assert_eq!(
        app.scalar("SELECT count(*) FROM lists").await,
        2,
        "the two made while lists were on"
    );
}

#[tokio::test]
async fn with_payments_off_a_portal_user_sees_invoices_without_their_payments() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    paid_invoice(&app, &admin).await;
    let payments = "{ invoices(first: 5) { edges { node { id balance payments { amount } } } } }";
    gates(&app, "payments", payments, Some(payments)).await;

    switch(&app, &admin, "payments", false).await;
    let portal = app.portal_token().await;
    let reply = app.ask(&portal, payments).await;
    let invoice = &reply.data("invoices")["edges"][0]["node"];
    assert!(
        invoice["id"].is_string(),
        "the invoice stays: {}",
        reply.body
    );
    assert_eq!(invoice["balance"], "0.00");
    assert_eq!(invoice["payments"], Value::Null);
    assert_switched_off(&reply, "payments");
}
