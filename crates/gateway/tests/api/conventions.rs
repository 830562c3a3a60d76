//! What every response looks like, as GraphQL clients expect it: each error coded, a failed
//! field `null`, no `data` when execution never began.

use crate::support::*;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;

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
    let reply = rep_asks(&app, "{ me { kind ", json!({})).await;
    refused_before_execution(&reply, "GRAPHQL_PARSE_FAILED");
}

#[tokio::test]
async fn an_invalid_document_is_graphql_validation_failed_without_data() {
    let app = app().await;
    let reply = rep_asks(&app, "{ nope }", json!({})).await;
    refused_before_execution(&reply, "GRAPHQL_VALIDATION_FAILED");
    let reply = rep_asks(
        &app,
        "query A { me { kind } } query B { me { kind } }",
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
        &format!("{{ product(id: \"{UNKNOWN_ID}\") {{ id }} me {{ kind }} }}"),
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

async fn headers_of(app: &TestApp, request: Request<Body>) -> HeaderMap {
    app.router()
        .oneshot(request)
        .await
        .unwrap()
        .headers()
        .clone()
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .map_or("", |value| value.to_str().unwrap())
}

#[tokio::test]
async fn browsers_may_send_apollo_and_trace_headers_and_read_the_request_id() {
    let app = app().await;
    let preflight = Request::options("/graphql")
        .header(header::ORIGIN, "https://app.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization,content-type,apollographql-client-name,apollographql-client-version,traceparent",
        )
        .body(Body::empty())
        .unwrap();
    let headers = headers_of(&app, preflight).await;
    let allowed = header_text(&headers, "access-control-allow-headers");
    for name in [
        "apollographql-client-name",
        "apollographql-client-version",
        "traceparent",
    ] {
        assert!(allowed.contains(name), "{name} is not allowed: {allowed}");
    }
    assert_eq!(header_text(&headers, "access-control-max-age"), "600");

    let post = Request::post("/graphql")
        .header(header::ORIGIN, "https://app.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"query":"{ __typename }"}"#))
        .unwrap();
    let headers = headers_of(&app, post).await;
    assert!(
        header_text(&headers, "access-control-expose-headers").contains("x-request-id"),
        "{headers:?}"
    );
}

#[tokio::test]
async fn the_allowed_request_headers_are_configurable() {
    let app = app_with(&[(
        "CORS_ALLOWED_HEADERS",
        "authorization, content-type, x-custom",
    )])
    .await;
    let preflight = Request::options("/graphql")
        .header(header::ORIGIN, "https://app.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "x-custom")
        .body(Body::empty())
        .unwrap();
    let headers = headers_of(&app, preflight).await;
    let allowed = header_text(&headers, "access-control-allow-headers");
    assert!(allowed.contains("x-custom"), "{allowed}");
    assert!(!allowed.contains("traceparent"), "{allowed}");
}

#[tokio::test]
async fn graphql_answers_are_never_cached_and_vary_by_bearer() {
    let app = app().await;
    let rep = app.token("rep@acme.test").await;
    let get = Request::get("/graphql?query=%7B__typename%7D")
        .header(header::AUTHORIZATION, format!("Bearer {rep}"))
        .body(Body::empty())
        .unwrap();
    let headers = headers_of(&app, get).await;
    assert_eq!(header_text(&headers, "cache-control"), "private, no-store");
    assert!(
        header_text(&headers, "vary").contains("Authorization"),
        "{headers:?}"
    );
}

#[tokio::test]
async fn a_persisted_query_hash_alone_is_answered_so_apollo_sends_the_text() {
    let app = app().await;
    let hash = "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38";
    let persisted = |body: Value| {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let hash_only = app
        .send(persisted(json!({ "extensions": extensions })))
        .await;
    assert_eq!(hash_only.status, 200, "{}", hash_only.body);
    assert_eq!(hash_only.code(), "PERSISTED_QUERY_NOT_SUPPORTED");
    let with_text = app
        .send(persisted(
            json!({ "query": "{ __typename }", "extensions": extensions }),
        ))
        .await;
    assert_eq!(with_text.data("__typename"), "Query", "{}", with_text.body);
}

#[tokio::test]
async fn insufficient_inventory_names_the_sku_and_what_is_available() {
    let app = app().await;
    crate::orders::seed_stock(&app).await;
    let rep = app.token("rep@acme.test").await;
    let beyond_stock = crate::orders::order_input(
        &app,
        json!([{ "skuId": crate::orders::CAB, "quantity": 11 }]),
        true,
    );
    let reply = app
        .graphql(
            Some(&rep),
            "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
            beyond_stock,
        )
        .await;
    assert_eq!(reply.code(), "INSUFFICIENT_INVENTORY", "{}", reply.body);
    let extensions = &reply.body["errors"][0]["extensions"];
    assert_eq!(extensions["skuId"], crate::orders::CAB, "{}", reply.body);
    assert_eq!(extensions["requested"], 11);
    assert_eq!(extensions["available"], 10, "{}", reply.body);
}

fn has_cents(amount: &Value) -> bool {
    amount
        .as_str()
        .and_then(|text| text.split_once('.'))
        .is_some_and(|(_, cents)| cents.len() == 2 && cents.bytes().all(|b| b.is_ascii_digit()))
}

#[tokio::test]
async fn money_carries_two_decimals_and_instants_six_fractional_digits_in_utc() {
    let app = app().await;
    crate::orders::seed_stock(&app).await;
    let rep = app.token("rep@acme.test").await;
    let draft = crate::orders::order_input(
        &app,
        json!([{ "skuId": crate::orders::CAB, "quantity": 2, "discount": "0" }]),
        false,
    );
    let reply = app
        .graphql(
            Some(&rep),
            "mutation($input: CreateOrderInput!) { createOrder(input: $input) {
               subtotal taxTotal total createdAt lines { unitPrice discount lineTotal taxAmount } } }",
            draft,
        )
        .await;
    let order = reply.data("createOrder");
    let line = &order["lines"][0];
    for amount in [
        &order["subtotal"],
        &order["taxTotal"],
        &order["total"],
        &line["unitPrice"],
        &line["discount"],
        &line["lineTotal"],
        &line["taxAmount"],
    ] {
        assert!(has_cents(amount), "{amount} in {}", reply.body);
    }
    assert_eq!(line["discount"], "0.00");
    let created = order["createdAt"].as_str().unwrap();
    let fraction = created
        .strip_suffix('Z')
        .and_then(|rest| rest.rsplit_once('.'))
        .map(|(_, fraction)| fraction.len());
    assert_eq!(fraction, Some(6), "{created}");
}

#[tokio::test]
async fn a_portal_user_sees_what_a_customer_may_see_and_nothing_of_the_staff_side() {
    let app = app().await;
    crate::orders::seed_stock(&app).await;
    let rep = app.token("rep@acme.test").await;
    let mut staff_order = crate::orders::order_input(
        &app,
        json!([{ "skuId": crate::orders::CAB, "quantity": 1 }]),
        false,
    );
    staff_order["input"]["notes"] = json!("Owner is difficult: offer 5% at most");
    staff_order["input"]["idempotencyKey"] = json!("rep-key-1");
    let placed = app
        .graphql(
            Some(&rep),
            "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
            staff_order,
        )
        .await;
    assert!(
        placed.data("createOrder")["id"].is_string(),
        "{}",
        placed.body
    );

    let portal = app.portal_token().await;
    let reply = app
        .ask(
            &portal,
            "{ orders(first: 5) { edges { node { id notes idempotencyKey placedByUserId } } }
               products(first: 5) { edges { node { name metadata skus { inventory { available onHand reserved } } } } } }",
        )
        .await;
    let order = &reply.data("orders")["edges"][0]["node"];
    assert!(
        order["id"].is_string(),
        "the buyer sees its customer's order: {}",
        reply.body
    );
    assert_eq!(
        order["notes"],
        Value::Null,
        "staff notes are not the buyer's: {}",
        reply.body
    );
    assert_eq!(order["idempotencyKey"], Value::Null);
    assert_eq!(order["placedByUserId"], Value::Null);
    let product = &reply.data("products")["edges"][0]["node"];
    assert!(product["name"].is_string(), "{}", reply.body);
    assert_eq!(product["metadata"], Value::Null);
    let stock = &product["skus"][0]["inventory"];
    assert!(stock["available"].is_i64(), "{}", reply.body);
    assert_eq!(
        (&stock["onHand"], &stock["reserved"]),
        (&Value::Null, &Value::Null)
    );
    let forbidden: Vec<&Value> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| &error["extensions"]["code"])
        .collect();
    assert!(
        forbidden.iter().all(|code| *code == "FORBIDDEN"),
        "{}",
        reply.body
    );

    let staff = app
        .ask(
            &rep,
            "{ orders(first: 5) { edges { node { notes idempotencyKey placedByUserId } } } }",
        )
        .await;
    let order = &staff.data("orders")["edges"][0]["node"];
    assert_eq!(
        order["notes"], "Owner is difficult: offer 5% at most",
        "{}",
        staff.body
    );
    assert_eq!(order["idempotencyKey"], "rep-key-1");
    assert!(order["placedByUserId"].is_string());
}

#[test]
fn every_type_a_client_caches_has_an_id() {
    let sdl = leora_gateway::schema::sdl();
    let not_entities = [
        "Query",
        "Mutation",
        "Subscription",
        "PageInfo",
        "AuthPayload",
        "CheckedOut",
        "PaymentRecorded",
        "PaymentRefunded",
        "WebhookSigningSecret",
        "HealthRunSummary",
        "PriceListImport",
        "PasswordReset",
        "PortalFeatures",
        "LineDiscountLimit",
        "Permission",
        "StateFilingCalendar",
        "Me",
        // A report's row: its keys are what it is, and clients keep it under its query.
        "DepletionRow",
    ];
    let mut missing = Vec::new();
    for block in sdl.split("\ntype ").skip(1) {
        let name = block.split_whitespace().next().unwrap();
        let body = block.split("\n}").next().unwrap();
        let entity = !name.ends_with("Connection")
            && !name.ends_with("Edge")
            && !not_entities.contains(&name);
        if entity && !body.lines().any(|line| line.trim() == "id: ID!") {
            missing.push(name.to_owned());
        }
    }
    assert!(missing.is_empty(), "types without an id: {missing:?}");
}

/// The operations of every ```graphql block of README.md and docs/, one per operation (a block
/// lists several anonymous ones, one per line or paragraph; a block inside a list is indented).
fn documented_operations() -> Vec<(String, String)> {
    let mut operations = Vec::new();
    for (name, text) in leora_test_db::docs::markdown_files().unwrap() {
        for block in text.split("```graphql\n").skip(1) {
            let block = block.split("```").next().unwrap();
            let mut current = String::new();
            let indent = block
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(|line| line.len() - line.trim_start().len())
                .min()
                .unwrap_or(0);
            for line in block.lines() {
                let line = line.get(indent..).unwrap_or(line.trim_start());
                let starts = ["{", "query", "mutation", "subscription"]
                    .iter()
                    .any(|start| line.starts_with(start));
                if starts && !current.trim().is_empty() {
                    operations.push((name.clone(), std::mem::take(&mut current)));
                }
                current.push_str(line);
                current.push('\n');
            }
            if !current.trim().is_empty() {
                operations.push((name.clone(), current));
            }
        }
    }
    operations
}

#[tokio::test]
async fn every_graphql_example_in_the_docs_is_valid_against_the_schema() {
    let config = config(&[]);
    let schema = leora_gateway::schema::build_schema(&config.graphql);
    let operations = documented_operations();
    assert!(operations.len() > 20, "found {} examples", operations.len());
    let stale = schema
        .execute("{ orders(filter: { status: DRAFT }) { totalCount } }")
        .await;
    assert!(
        stale.errors.iter().any(|error| error.path.is_empty()),
        "an example using a renamed argument is caught"
    );
    let mut invalid = Vec::new();
    for (file, operation) in operations {
        // A subscription is served as a stream (over WebSocket); without a subscriber its first
        // answer is the refusal of its field, or what validation found.
        let response = if operation.trim_start().starts_with("subscription") {
            let mut stream = schema.execute_stream(operation.as_str());
            futures_util::StreamExt::next(&mut stream).await.unwrap()
        } else {
            schema.execute(operation.as_str()).await
        };
        let refused: Vec<String> = response
            .errors
            .iter()
            .filter(|error| error.path.is_empty())
            .map(|error| error.message.clone())
            .collect();
        if !refused.is_empty() {
            invalid.push(format!("{file}: {}\n  {refused:?}", operation.trim()));
        }
    }
    assert!(invalid.is_empty(), "{}", invalid.join("\n"));
}

#[tokio::test]
async fn one_person_is_one_user_whoever_refers_to_them() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let rep = app.token("rep@acme.test").await;
    let rep_id = app
        .scalar_text("SELECT id::text FROM users WHERE email = 'rep@acme.test'")
        .await;
    let admin_id = app
        .scalar_text("SELECT id::text FROM users WHERE email = 'admin@acme.test'")
        .await;
    app.scalar_text(&format!(
        "UPDATE customers SET assigned_rep_id = '{rep_id}' RETURNING 'assigned'"
    ))
    .await;
    for (assignee, title) in [(&rep_id, "For the rep"), (&admin_id, "The admin's own")] {
        let created = app
            .graphql(
                Some(&admin),
                "mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }",
                json!({ "input": { "title": title, "assigneeId": assignee, "customerId": app.customer } }),
            )
            .await;
        assert!(created.body.get("errors").is_none(), "{}", created.body);
    }

    let me = app
        .ask(&rep, "{ me { user { __typename id email status } } }")
        .await;
    let own = &me.data("me")["user"];
    assert_eq!(own["__typename"], "User", "{}", me.body);
    assert_eq!(own["id"], rep_id.as_str());
    assert_eq!(own["status"], "ACTIVE", "a user reads their own details");

    let tasks = app
        .ask(
            &rep,
            "{ tasks(first: 10) { nodes { title assignee { __typename id email status } } } }",
        )
        .await;
    let nodes = tasks.body["data"]["tasks"]["nodes"].as_array().unwrap();
    let assignee_of = |title: &str| {
        &nodes
            .iter()
            .find(|node| node["title"] == title)
            .unwrap_or_else(|| panic!("no task {title:?} in {}", tasks.body))["assignee"]
    };
    let colleague = assignee_of("The admin's own");
    assert_eq!(colleague["__typename"], "User");
    assert_eq!(colleague["email"], "admin@acme.test");
    assert!(
        colleague["status"].is_null(),
        "a colleague's account details are not a rep's to read: {}",
        tasks.body
    );
    assert_eq!(tasks.code(), "FORBIDDEN");
    assert_eq!(assignee_of("For the rep")["status"], "ACTIVE");

    let sdl = leora_gateway::schema::sdl();
    assert!(!sdl.contains("type StaffMember"), "one typename per person");
}

#[tokio::test]
async fn a_batch_refused_as_a_whole_gets_the_refusal_once_per_operation() {
    let app = app().await;
    let batch = json!([
        { "query": "query A { me { kind } }" },
        { "query": "query B { cart { id } }" },
    ]);
    let send = |token: Option<&str>| {
        let mut request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        request.body(Body::from(batch.to_string())).unwrap()
    };

    let refused = app.send(send(Some("not-a-token"))).await;
    assert_eq!(refused.status, 401, "{}", refused.body);
    let answers = refused.body.as_array().expect("one answer per operation");
    assert_eq!(answers.len(), 2, "{}", refused.body);
    for answer in answers {
        assert_eq!(answer["errors"][0]["extensions"]["reason"], "TOKEN_INVALID");
        assert!(answer.get("data").is_none(), "{answer}");
    }

    let persisted_only = json!([
        { "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "abc" } } },
        { "query": "{ __typename }" },
    ]);
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(persisted_only.to_string()))
        .unwrap();
    let reply = app.send(request).await;
    let answers = reply.body.as_array().expect("one answer per operation");
    assert_eq!(answers.len(), 2, "{}", reply.body);
    assert_eq!(
        answers[1]["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_SUPPORTED"
    );

    let token = app.token("rep@acme.test").await;
    let served = app.send(send(Some(&token))).await;
    assert_eq!(served.status, 200, "{}", served.body);
    assert_eq!(
        served.body.as_array().map(Vec::len),
        Some(2),
        "{}",
        served.body
    );
}

#[tokio::test]
async fn graphiql_and_its_assets_come_from_the_server_and_only_when_enabled() {
    let get = |path: &'static str| Request::get(path).body(Body::empty()).unwrap();
    let on = app_with(&[("GRAPHIQL_ENABLED", "true")]).await;
    let page = on.router().oneshot(get("/graphiql")).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = axum::body::to_bytes(page.into_body(), usize::MAX)
        .await
        .unwrap();
    let html = String::from_utf8(html.to_vec()).unwrap();
    let script = html
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(script.starts_with("/graphiql/assets/"), "{script}");
    let asset = on
        .router()
        .oneshot(Request::get(script.as_str()).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert!(
        asset.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let unknown = on
        .router()
        .oneshot(get("/graphiql/assets/x.js"))
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let off = app_with(&[("GRAPHIQL_ENABLED", "false")]).await;
    for path in ["/graphiql", "/graphiql/assets/graphiql-4.1.2.min.js"] {
        let refused = off.router().oneshot(get(path)).await.unwrap();
        assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{path}");
    }
}
