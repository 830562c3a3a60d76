//! Rolling deploys: a release keeps serving (and would start on) a database a newer release has
//! expanded, and stops once a newer release's breaking migration is applied: `/readyz` turns
//! unready and start-up is refused, naming the migration.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use leora_gateway::startup::{StartupError, check_schema};
use sea_orm::ConnectionTrait;
use serde_json::json;

async fn readiness(app: &TestApp) -> (StatusCode, serde_json::Value) {
    let ready = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    (ready.status, ready.body)
}

#[tokio::test]
async fn a_release_serves_a_database_a_newer_release_expanded_and_stops_at_a_breaking_migration() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    // The next release migrates first: a nullable column and a table of its own.
    app.owner
        .execute_unprepared(
            "ALTER TABLE customers ADD COLUMN loyalty_tier text;
             CREATE TABLE customer_loyalty_events (id uuid PRIMARY KEY);
             INSERT INTO seaql_migrations (version, applied_at)
               VALUES ('m20991231_000001_customer_loyalty', 0)",
        )
        .await
        .unwrap();

    // This release keeps reading and writing.
    let created = app
        .graphql(
            Some(&admin),
            "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { accountNumber } }",
            json!({ "input": { "accountNumber": "C-9", "name": "Late Harvest", "state": "CA" } }),
        )
        .await;
    assert_eq!(
        created.data("createCustomer")["accountNumber"],
        "C-9",
        "{}",
        created.body
    );
    let listed = app
        .ask(
            &admin,
            "{ customers(first: 10) { edges { node { accountNumber } } } }",
        )
        .await;
    assert_eq!(
        listed.data("customers")["edges"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        readiness(&app).await,
        (StatusCode::OK, json!({ "status": "ready" }))
    );
    let state = check_schema(&app.owner).await.expect("it would start, too");
    assert_eq!(state.newer, ["m20991231_000001_customer_loyalty"]);

    // The release after that contracts: nothing older may serve it.
    app.owner
        .execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at)
               VALUES ('m20991231_000002_drop_customer_fax_breaking', 0)",
        )
        .await
        .unwrap();
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["reason"], "schema too new for this release");
    let refused = check_schema(&app.owner).await.err().unwrap();
    assert!(
        matches!(&refused, StartupError::BreakingMigrations(names) if names == "m20991231_000002_drop_customer_fax_breaking"),
        "{refused}"
    );
}
