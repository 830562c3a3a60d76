//! The tenant and its settings over HTTP: `tenant` for every signed-in principal, `tenantSettings`
//! whole for staff and in part for portal users, `updateTenantSettings` for admins, checked field
//! by field with nothing written on a bad one.

use crate::support::*;
use serde_json::{Value, json};

const SETTINGS: &str = "{ tenantSettings { id healthRevenueDropThreshold healthMinOrders
    samplePullsPerRepPerMonth sampleManagerApprovalRequired paceMinOrders paceRiskThresholdDays
    cartTtlHours currency timezone lineDiscountLimits { role percent }
    portalFeatures { catalog cart orders invoices lists payments } } }";

const UPDATE: &str = "mutation($input: UpdateTenantSettingsInput!) {
  updateTenantSettings(input: $input) {
    healthRevenueDropThreshold healthMinOrders samplePullsPerRepPerMonth
    sampleManagerApprovalRequired paceMinOrders paceRiskThresholdDays cartTtlHours currency
    timezone lineDiscountLimits { role percent } portalFeatures { catalog cart orders invoices lists payments }
  }
}";

async fn update(app: &TestApp, token: &str, input: Value) -> Reply {
    app.graphql(Some(token), UPDATE, json!({ "input": input }))
        .await
}

/// The settings row as stored, as text, for checking that nothing changed.
async fn stored(app: &TestApp) -> String {
    app.scalar_text(
        "SELECT coalesce((SELECT row_to_json(s)::jsonb - 'updated_at' - 'created_at'
                            FROM tenant_settings s), 'null')::text",
    )
    .await
}

#[tokio::test]
async fn every_signed_in_principal_reads_its_tenant() {
    let app = app().await;
    let tenant_id = app.scalar_text("SELECT id::text FROM tenants").await;
    for token in [
        app.token("admin@acme.test").await,
        app.token("rep@acme.test").await,
        app.portal_token().await,
    ] {
        let reply = app.ask(&token, "{ tenant { id name slug status } }").await;
        assert_eq!(
            reply.data("tenant"),
            &json!({ "id": tenant_id, "name": "acme", "slug": "acme", "status": "ACTIVE" }),
            "{}",
            reply.body
        );
    }
    let anonymous = app.graphql(None, "{ tenant { id } }", json!({})).await;
    assert_eq!(anonymous.code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn staff_read_every_setting_and_a_tenant_without_a_row_reads_the_defaults_without_writing_one()
 {
    let app = app().await;
    let rep = app.token("rep@acme.test").await;

    let reply = app.ask(&rep, SETTINGS).await;

    assert!(reply.body["errors"].is_null(), "{}", reply.body);
    let tenant_id = app.scalar_text("SELECT id::text FROM tenants").await;
    assert_eq!(
        reply.data("tenantSettings"),
        &json!({
            "id": tenant_id,
            "healthRevenueDropThreshold": "0.1500",
            "healthMinOrders": 3,
            "samplePullsPerRepPerMonth": 60,
            "sampleManagerApprovalRequired": true,
            "paceMinOrders": 3,
            "paceRiskThresholdDays": 2,
            "cartTtlHours": 168,
            "currency": "USD",
            "timezone": "America/Los_Angeles",
            "lineDiscountLimits": [
                { "role": "admin", "percent": "100" },
                { "role": "sales_manager", "percent": "25" },
                { "role": "sales_rep", "percent": "10" },
            ],
            "portalFeatures": { "catalog": true, "cart": true, "orders": true, "invoices": true, "lists": true, "payments": true },
        })
    );
    assert_eq!(
        app.scalar("SELECT count(*) FROM tenant_settings").await,
        0,
        "reading wrote nothing"
    );
}

#[tokio::test]
async fn a_portal_user_reads_only_what_the_portal_needs() {
    let app = app().await;
    let portal = app.portal_token().await;

    let reply = app.ask(&portal, SETTINGS).await;

    let settings = reply.data("tenantSettings");
    assert_eq!(settings["currency"], "USD", "{}", reply.body);
    assert_eq!(settings["timezone"], "America/Los_Angeles");
    assert_eq!(settings["cartTtlHours"], 168);
    assert_eq!(settings["portalFeatures"]["cart"], true);
    let hidden = [
        "healthRevenueDropThreshold",
        "healthMinOrders",
        "samplePullsPerRepPerMonth",
        "sampleManagerApprovalRequired",
        "paceMinOrders",
        "paceRiskThresholdDays",
        "lineDiscountLimits",
    ];
    for field in hidden {
        assert_eq!(settings[field], Value::Null, "{field}: {}", reply.body);
    }
    let errors = reply.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), hidden.len(), "{}", reply.body);
    assert!(
        errors
            .iter()
            .all(|error| error["extensions"]["code"] == "FORBIDDEN")
    );
}

#[tokio::test]
async fn an_admin_updates_settings_and_fields_left_out_keep_their_values() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;

    let first = update(
        &app,
        &admin,
        json!({
            "healthRevenueDropThreshold": "0.2",
            "healthMinOrders": 5,
            "samplePullsPerRepPerMonth": 24,
            "sampleManagerApprovalRequired": false,
            "paceMinOrders": 4,
            "paceRiskThresholdDays": 7,
            "cartTtlHours": 48,
            "timezone": "Europe/Paris",
            "currency": "EUR",
            "lineDiscountLimits": [{ "role": "sales_rep", "percent": "12.5" }],
            "portalFeatures": { "lists": false },
        }),
    )
    .await;
    let second = update(&app, &admin, json!({ "currency": "CAD" })).await;

    let settings = second.data("updateTenantSettings");
    assert_eq!(
        settings,
        &json!({
            "healthRevenueDropThreshold": "0.2000",
            "healthMinOrders": 5,
            "samplePullsPerRepPerMonth": 24,
            "sampleManagerApprovalRequired": false,
            "paceMinOrders": 4,
            "paceRiskThresholdDays": 7,
            "cartTtlHours": 48,
            "currency": "CAD",
            "timezone": "Europe/Paris",
            "lineDiscountLimits": [
                { "role": "admin", "percent": "100" },
                { "role": "sales_manager", "percent": "25" },
                { "role": "sales_rep", "percent": "12.5" },
            ],
            "portalFeatures": { "catalog": true, "cart": true, "orders": true, "invoices": true, "lists": false, "payments": true },
        }),
        "{}\n{}",
        first.body,
        second.body
    );
    // Stored as the JSON number the discount rule reads.
    assert_eq!(
        app.scalar_text(
            "SELECT (line_discount_limits ->> 'sales_rep')::numeric::text FROM tenant_settings"
        )
        .await,
        "12.5"
    );
    // The calendar follows the new zone.
    assert_eq!(
        app.scalar_text("SELECT timezone FROM tenant_settings")
            .await,
        "Europe/Paris"
    );
}

#[tokio::test]
async fn a_bad_field_is_refused_naming_it_and_nothing_is_written() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    update(&app, &admin, json!({ "cartTtlHours": 72 })).await;
    let before = stored(&app).await;
    let cases = [
        (
            json!({ "healthRevenueDropThreshold": "1.5" }),
            "healthRevenueDropThreshold",
        ),
        (
            json!({ "healthRevenueDropThreshold": "0.12345" }),
            "healthRevenueDropThreshold",
        ),
        (
            json!({ "healthRevenueDropThreshold": "-0.1" }),
            "healthRevenueDropThreshold",
        ),
        (json!({ "healthMinOrders": -1 }), "healthMinOrders"),
        (
            json!({ "samplePullsPerRepPerMonth": 100_001 }),
            "samplePullsPerRepPerMonth",
        ),
        (json!({ "paceMinOrders": 1001 }), "paceMinOrders"),
        (
            json!({ "paceRiskThresholdDays": 400 }),
            "paceRiskThresholdDays",
        ),
        (json!({ "cartTtlHours": 0 }), "cartTtlHours"),
        (json!({ "timezone": "Mars/Olympus" }), "timezone"),
        (json!({ "timezone": "UTC+3" }), "timezone"),
        (json!({ "currency": "usd" }), "currency"),
        (json!({ "currency": "DOLLAR" }), "currency"),
        (
            json!({ "lineDiscountLimits": [{ "role": "sales_rep", "percent": "100.01" }] }),
            "lineDiscountLimits",
        ),
        (
            json!({ "lineDiscountLimits": [{ "role": "sales_rep", "percent": "-1" }] }),
            "lineDiscountLimits",
        ),
        (
            json!({ "lineDiscountLimits": [{ "role": "portal_user", "percent": "5" }] }),
            "lineDiscountLimits",
        ),
        (
            json!({ "lineDiscountLimits": [{ "role": "nobody", "percent": "5" }] }),
            "lineDiscountLimits",
        ),
        (
            json!({ "lineDiscountLimits": [{ "role": "admin", "percent": "5" }, { "role": "admin", "percent": "6" }] }),
            "lineDiscountLimits",
        ),
        // Good fields beside a bad one are not written either.
        (
            json!({ "timezone": "Europe/Paris", "portalFeatures": { "cart": false }, "currency": "eur" }),
            "currency",
        ),
    ];
    for (input, field) in cases {
        let reply = update(&app, &admin, input.clone()).await;
        assert_eq!(reply.code(), "BAD_USER_INPUT", "{input}: {}", reply.body);
        assert_eq!(
            reply.body["errors"][0]["extensions"]["field"], field,
            "{input}: {}",
            reply.body
        );
        assert_eq!(reply.data("updateTenantSettings"), &Value::Null);
    }
    assert_eq!(stored(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn only_holders_of_users_manage_update_settings() {
    let app = app().await;
    let rep = app.token("rep@acme.test").await;
    let portal = app.portal_token().await;
    for token in [&rep, &portal] {
        let reply = update(
            &app,
            token,
            json!({ "portalFeatures": { "catalog": false } }),
        )
        .await;
        assert_eq!(reply.code(), "FORBIDDEN", "{}", reply.body);
    }
    assert_eq!(stored(&app).await, "null", "no row was even created");
}
