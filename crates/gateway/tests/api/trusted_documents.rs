//! Trusted documents: operations named by id from a manifest (`documentId`, or Apollo's
//! `persistedQuery` hash, over POST and GET), and with `GRAPHQL_TRUSTED_DOCUMENTS_ONLY` every other
//! document refused before it runs.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const PRODUCTS: &str = "query Products { products(first: 5) { edges { node { name } } } }";

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// An app whose manifest holds the sign-in and `PRODUCTS`; `only` refuses other documents.
async fn trusting(only: bool) -> (TestApp, Manifest) {
    let manifest = Manifest::write(&json!({
        format!("sha256:{}", sha256(LOGIN)): LOGIN,
        format!("sha256:{}", sha256(PRODUCTS)): PRODUCTS,
    }));
    let only = if only { "true" } else { "false" };
    let app = app_with(&[
        ("GRAPHQL_TRUSTED_DOCUMENTS", manifest.path()),
        ("GRAPHQL_TRUSTED_DOCUMENTS_ONLY", only),
    ])
    .await;
    (app, manifest)
}

/// A manifest file, removed when dropped.
struct Manifest(std::path::PathBuf);

impl Manifest {
    fn write(entries: &Value) -> Self {
        let path = std::env::temp_dir().join(format!("trusted-{}.json", uuid::Uuid::now_v7()));
        std::fs::write(&path, entries.to_string()).unwrap();
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Manifest {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

async fn post(app: &TestApp, token: &str, body: Value) -> Reply {
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

fn names(reply: &Reply) -> usize {
    assert!(reply.body["errors"].is_null(), "{}", reply.body);
    reply.data("products")["edges"].as_array().unwrap().len()
}

#[tokio::test]
async fn with_only_trusted_documents_a_named_document_runs_and_any_other_is_refused_before_it_runs()
{
    let (app, _manifest) = trusting(true).await;
    app.scalar(
        "WITH p AS (INSERT INTO products (tenant_id, name, category) SELECT id, 'Trusted Red', 'wine' FROM tenants RETURNING 1) SELECT count(*) FROM p",
    )
    .await;
    // The sign-in's text is in the manifest, so the test's usual login works.
    let admin = app.token("admin@acme.test").await;
    let by_id = post(
        &app,
        &admin,
        json!({ "documentId": format!("sha256:{}", sha256(PRODUCTS)) }),
    )
    .await;
    assert_eq!(names(&by_id), 1);
    let apollo = post(
        &app,
        &admin,
        json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256(PRODUCTS) } } }),
    )
    .await;
    assert_eq!(names(&apollo), 1);
    let as_text = post(&app, &admin, json!({ "query": PRODUCTS })).await;
    assert_eq!(names(&as_text), 1);
    let get = app
        .send(
            Request::get(format!(
                "/graphql?extensions={}",
                json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(PRODUCTS) } })
                    .to_string()
                    .replace('"', "%22")
                    .replace('{', "%7B")
                    .replace('}', "%7D")
                    .replace(':', "%3A")
                    .replace(',', "%2C")
            ))
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(names(&get), 1);

    let rename = "mutation { updateCustomer(id: \"00000000-0000-0000-0000-000000000000\", input: { name: \"x\" }) { name } }";
    let refused = post(&app, &admin, json!({ "query": rename })).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.code(), "DOCUMENT_NOT_TRUSTED", "{}", refused.body);
    let unknown = post(&app, &admin, json!({ "documentId": "sha256:0123" })).await;
    assert_eq!(unknown.code(), "DOCUMENT_NOT_TRUSTED");
    let mismatched = post(
        &app,
        &admin,
        json!({ "documentId": format!("sha256:{}", sha256(PRODUCTS)), "query": rename }),
    )
    .await;
    assert_eq!(mismatched.code(), "DOCUMENT_NOT_TRUSTED");
}

#[tokio::test]
async fn without_only_trusted_documents_other_texts_still_run() {
    let (app, _manifest) = trusting(false).await;
    let admin = app.token("admin@acme.test").await;
    let other = post(
        &app,
        &admin,
        json!({ "query": "{ customers { totalCount } }" }),
    )
    .await;
    assert_eq!(other.data("customers")["totalCount"], 1, "{}", other.body);
    let by_id = post(&app, &admin, json!({ "documentId": sha256(PRODUCTS) })).await;
    assert!(by_id.body["errors"].is_null(), "{}", by_id.body);
}

#[test]
fn only_trusted_documents_needs_a_manifest_and_a_bad_manifest_is_named() {
    let refused = leora_gateway::config::Config::from_lookup(|name| {
        (name == "GRAPHQL_TRUSTED_DOCUMENTS_ONLY").then(|| "true".to_owned())
    })
    .unwrap_err()
    .to_string();
    assert!(
        refused.contains("GRAPHQL_TRUSTED_DOCUMENTS_ONLY=true needs"),
        "{refused}"
    );
    let manifest = Manifest::write(&json!({ "sha256:00": PRODUCTS }));
    let path = manifest.path().to_owned();
    let refused = leora_gateway::config::Config::from_lookup(|name| {
        (name == "GRAPHQL_TRUSTED_DOCUMENTS").then(|| path.clone())
    })
    .unwrap_err()
    .to_string();
    assert!(
        refused.contains("sha256:00 is not the SHA-256 of its text"),
        "{refused}"
    );
}

const ORDER_LINES: &str = "query OrderLines($n: Int) { orders(first: $n) { edges { node { id lines { id quantity unitPrice lineTotal } } } } }";

#[tokio::test]
async fn a_trusted_document_is_validated_once_but_still_priced_and_its_variables_checked_per_request()
 {
    let manifest = Manifest::write(&json!({
        format!("sha256:{}", sha256(LOGIN)): LOGIN,
        format!("sha256:{}", sha256(ORDER_LINES)): ORDER_LINES,
    }));
    let app = app_with(&[("GRAPHQL_TRUSTED_DOCUMENTS", manifest.path())]).await;
    let admin = app.token("admin@acme.test").await;
    let by_id = |n: Value| json!({ "documentId": format!("sha256:{}", sha256(ORDER_LINES)), "variables": { "n": n } });
    let as_text = |n: Value| json!({ "query": "query AsText($n: Int) { orders(first: $n) { edges { node { id lines { id quantity unitPrice lineTotal } } } } }", "variables": { "n": n } });

    let cheap = post(&app, &admin, by_id(json!(10))).await;
    assert!(cheap.body["errors"].is_null(), "{}", cheap.body);
    assert!(cheap.data("orders")["edges"].is_array());

    // The cost follows the variables: 100 orders of up to 500 lines is refused, as sent as text.
    for body in [by_id(json!(100)), as_text(json!(100))] {
        let reply = post(&app, &admin, body).await;
        assert_eq!(reply.code(), "QUERY_TOO_EXPENSIVE", "{}", reply.body);
        assert_eq!(reply.body["errors"][0]["extensions"]["cost"], 200_401);
    }

    // A variable of the wrong type is refused with the same code either way, and nothing runs.
    for body in [by_id(json!("ten")), as_text(json!("ten"))] {
        let reply = post(&app, &admin, body).await;
        assert_eq!(reply.code(), "BAD_USER_INPUT", "{}", reply.body);
        assert!(
            reply.body["data"].is_null() || reply.body["data"]["orders"].is_null(),
            "{}",
            reply.body
        );
    }
}
