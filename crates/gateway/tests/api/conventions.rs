//! What every response looks like, as GraphQL clients expect it: each error coded, a failed
//! field `null`, no `data` when execution never began.

use crate::support::*;
use serde_json::{Value, json};

const UNKNOWN_ID: &str = "01936b2e-0000-7000-8000-00000000ffff";

async fn rep_asks(app: &TestApp, query: &str, variables: Value) -> Reply {
    let rep = app.token("rep@acme.test").await;
    app.graphql(Some(&rep), query, variables).await
}

fn refused_before_execution(reply: &Reply, code: &str) {
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.code(), code, "{}", reply.body);
    assert!(
        reply.body.get("data").is_none(),
        "execution never began, so there is no data: {}",
        reply.body
    );
}

#[tokio::test]
async fn a_document_that_does_not_parse_is_graphql_parse_failed_without_data() {
    let app = app().await;
    let reply = rep_asks(&app, "{ me { id ", json!({})).await;
    refused_before_execution(&reply, "GRAPHQL_PARSE_FAILED");
}

#[tokio::test]
async fn an_invalid_document_is_graphql_validation_failed_without_data() {
    let app = app().await;
    let reply = rep_asks(&app, "{ nope }", json!({})).await;
    refused_before_execution(&reply, "GRAPHQL_VALIDATION_FAILED");
    let reply = rep_asks(
        &app,
        "query A { me { id } } query B { me { id } }",
        json!({}),
    )
    .await;
    refused_before_execution(&reply, "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn a_variable_that_is_not_its_type_is_bad_user_input_naming_the_argument() {
    let app = app().await;
    let reply = rep_asks(
        &app,
        "query($first: Int!) { products(first: $first) { edges { node { id } } } }",
        json!({ "first": "ten" }),
    )
    .await;
    refused_before_execution(&reply, "BAD_USER_INPUT");
    assert_eq!(reply.body["errors"][0]["extensions"]["argument"], "first");
    let errors = reply.body["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .all(|e| e["extensions"]["code"] == "BAD_USER_INPUT"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn a_scalar_that_does_not_parse_is_bad_user_input() {
    let app = app().await;
    let reply = rep_asks(
        &app,
        "query($from: DateTime) { invoices(first: 2, filter: { issuedFrom: $from }) { edges { node { id } } } }",
        json!({ "from": "last tuesday" }),
    )
    .await;
    assert_eq!(reply.code(), "BAD_USER_INPUT", "{}", reply.body);
}

#[tokio::test]
async fn a_field_the_reader_may_not_see_is_null_in_data_beside_its_siblings() {
    let app = app().await;
    let portal = app.portal_token().await;
    let reply = app
        .ask(
            &portal,
            "{ customers(first: 2) { edges { node { id creditLimit } } } }",
        )
        .await;
    let node = &reply.data("customers")["edges"][0]["node"];
    assert!(node["id"].is_string(), "{}", reply.body);
    assert!(
        node.get("creditLimit").is_some_and(Value::is_null),
        "the failed field is present and null: {}",
        reply.body
    );
    assert_eq!(reply.code(), "FORBIDDEN");
}

#[tokio::test]
async fn a_failed_non_null_field_nulls_its_parent_up_to_data() {
    let app = app().await;
    let reply = rep_asks(
        &app,
        &format!("{{ product(id: \"{UNKNOWN_ID}\") {{ id }} me {{ id }} }}"),
        json!({}),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.code(), "NOT_FOUND");
    assert!(
        reply.body.get("data").is_some_and(Value::is_null),
        "product is non-null at the root, so data is null: {}",
        reply.body
    );
}
