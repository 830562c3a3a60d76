//! Lookups and everyday edits over HTTP: one SKU, supplier, list, task or call plan by id, SKU
//! search, and editing lists, tasks and call plans, each with the visibility of its list.

use crate::orders::{CAB, seed_stock};
use crate::support::*;
use serde_json::{Value, json};

fn data<'a>(reply: &'a Reply, field: &str) -> &'a Value {
    assert!(reply.body["errors"].is_null(), "{}", reply.body);
    reply.data(field)
}

#[tokio::test]
async fn skus_and_suppliers_are_looked_up_by_id_and_searched_by_code_or_upc() {
    let app = app().await;
    seed_stock(&app).await;
    app.scalar(&format!(
        "WITH s AS (INSERT INTO suppliers (tenant_id, name) SELECT id, 'Harbor Imports' FROM tenants RETURNING id),
              p AS (UPDATE products SET supplier_id = (SELECT id FROM s) WHERE name = 'Cabernet Sauvignon' RETURNING 1),
              u AS (UPDATE skus SET upc = '012345678905' WHERE id = '{CAB}' RETURNING 1)
         SELECT (SELECT count(*) FROM p) + (SELECT count(*) FROM u)"
    ))
    .await;
    let admin = app.token("admin@acme.test").await;
    let by_upc = app
        .ask(
            &admin,
            "{ skus(filter: { search: \"345678\" }) { edges { node { id code } } } }",
        )
        .await;
    assert_eq!(
        data(&by_upc, "skus")["edges"],
        json!([{ "node": { "id": CAB, "code": "CAB-750" } }])
    );
    let one = app
        .graphql(
            Some(&admin),
            "query($id: ID!) { sku(id: $id) { code product { name supplier { name } } } }",
            json!({ "id": CAB }),
        )
        .await;
    assert_eq!(
        data(&one, "sku"),
        &json!({ "code": "CAB-750", "product": { "name": "Cabernet Sauvignon", "supplier": { "name": "Harbor Imports" } } })
    );
    let supplier_id = app
        .scalar_text("SELECT id::text FROM suppliers WHERE name = 'Harbor Imports'")
        .await;
    let supplier = app
        .graphql(
            Some(&admin),
            "query($id: ID!) { supplier(id: $id) { name } }",
            json!({ "id": supplier_id }),
        )
        .await;
    assert_eq!(data(&supplier, "supplier")["name"], "Harbor Imports");
    // Buyers find SKUs, but suppliers are the distributor's business.
    let buyer = app.portal_token().await;
    let found = app
        .ask(
            &buyer,
            "{ skus(filter: { search: \"cab-750\" }) { edges { node { code } } } }",
        )
        .await;
    assert_eq!(
        data(&found, "skus")["edges"].as_array().map(Vec::len),
        Some(1)
    );
    let refused = app
        .graphql(
            Some(&buyer),
            "query($id: ID!) { supplier(id: $id) { name } }",
            json!({ "id": supplier_id }),
        )
        .await;
    assert_eq!(refused.code(), "FORBIDDEN");
    let unknown = app
        .graphql(
            Some(&admin),
            "query($id: ID!) { sku(id: $id) { code } }",
            json!({ "id": supplier_id }),
        )
        .await;
    assert_eq!(unknown.code(), "NOT_FOUND");
}

#[tokio::test]
async fn a_buyer_renames_and_deletes_its_own_list_and_no_one_elses() {
    let app = app().await;
    seed_stock(&app).await;
    let buyer = app.portal_token().await;
    let rep = app.token("rep@acme.test").await;
    let create = "mutation($input: CreateListInput!) { createList(input: $input) { id } }";
    let own = app
        .graphql(
            Some(&buyer),
            create,
            json!({ "input": { "name": "Fridays" } }),
        )
        .await;
    let own_id = data(&own, "createList")["id"].as_str().unwrap().to_owned();
    let reps = app
        .graphql(
            Some(&rep),
            create,
            json!({ "input": { "name": "Suggested", "customerId": app.customer } }),
        )
        .await;
    let reps_id = data(&reps, "createList")["id"].as_str().unwrap().to_owned();

    let update = "mutation($id: ID!, $input: UpdateListInput!) { updateList(id: $id, input: $input) { name description kind } }";
    let renamed = app
        .graphql(Some(&buyer), update, json!({ "id": own_id, "input": { "name": "Friday night", "description": "bar stock", "kind": "TEMPLATE" } }))
        .await;
    assert_eq!(
        data(&renamed, "updateList"),
        &json!({ "name": "Friday night", "description": "bar stock", "kind": "TEMPLATE" })
    );
    let blank = app
        .graphql(
            Some(&buyer),
            update,
            json!({ "id": own_id, "input": { "name": "  " } }),
        )
        .await;
    assert_eq!(blank.code(), "BAD_USER_INPUT");
    assert_eq!(blank.body["errors"][0]["extensions"]["field"], "name");
    let cleared = app
        .graphql(
            Some(&buyer),
            update,
            json!({ "id": own_id, "input": { "description": null } }),
        )
        .await;
    assert_eq!(data(&cleared, "updateList")["description"], Value::Null);
    // The rep's list for the buyer's customer: the buyer reads it but does not change it.
    let read = app
        .graphql(
            Some(&buyer),
            "query($id: ID!) { list(id: $id) { name } }",
            json!({ "id": reps_id }),
        )
        .await;
    assert_eq!(data(&read, "list")["name"], "Suggested");
    let delete = "mutation($id: ID!) { deleteList(id: $id) }";
    let theirs = app
        .graphql(Some(&buyer), delete, json!({ "id": reps_id }))
        .await;
    assert_eq!(theirs.code(), "FORBIDDEN");
    let gone = app
        .graphql(Some(&buyer), delete, json!({ "id": own_id }))
        .await;
    assert_eq!(data(&gone, "deleteList"), &json!(true));
    let missing = app
        .graphql(
            Some(&buyer),
            "query($id: ID!) { list(id: $id) { name } }",
            json!({ "id": own_id }),
        )
        .await;
    assert_eq!(missing.code(), "NOT_FOUND");
    assert_eq!(app.scalar("SELECT count(*) FROM lists").await, 1);
}

#[tokio::test]
async fn tasks_are_edited_and_cancelled_and_calls_rescheduled_by_those_who_may() {
    let app = app().await;
    let rep = app.token("rep@acme.test").await;
    let admin = app.token("admin@acme.test").await;
    let task = app
        .graphql(
            Some(&rep),
            "mutation($c: ID!) { createTask(input: { title: \"Call back\", customerId: $c }) { id } }",
            json!({ "c": app.customer }),
        )
        .await;
    let task_id = data(&task, "createTask")["id"].as_str().unwrap().to_owned();
    let update = "mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { title dueAt priority status } }";
    let edited = app
        .graphql(Some(&rep), update, json!({ "id": task_id, "input": { "title": "Call back Tuesday", "dueAt": "2031-01-07T17:00:00Z", "priority": "HIGH" } }))
        .await;
    assert_eq!(
        data(&edited, "updateTask"),
        &json!({ "title": "Call back Tuesday", "dueAt": "2031-01-07T17:00:00.000000Z", "priority": "HIGH", "status": "OPEN" })
    );
    let read = app
        .graphql(
            Some(&admin),
            "query($id: ID!) { task(id: $id) { title } }",
            json!({ "id": task_id }),
        )
        .await;
    assert_eq!(data(&read, "task")["title"], "Call back Tuesday");
    let cancel = "mutation($id: ID!) { cancelTask(id: $id) { status } }";
    let cancelled = app
        .graphql(Some(&rep), cancel, json!({ "id": task_id }))
        .await;
    assert_eq!(data(&cancelled, "cancelTask")["status"], "CANCELLED");
    let again = app
        .graphql(
            Some(&rep),
            update,
            json!({ "id": task_id, "input": { "title": "Too late" } }),
        )
        .await;
    assert_eq!(again.code(), "INVALID_TRANSITION");

    let call = app
        .graphql(
            Some(&rep),
            "mutation($c: ID!) { scheduleCall(input: { customerId: $c, objective: \"Reorder\", scheduledFor: \"2031-01-05T10:00:00Z\" }) { id } }",
            json!({ "c": app.customer }),
        )
        .await;
    let call_id = data(&call, "scheduleCall")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reschedule = "mutation($id: ID!, $at: DateTime!) { rescheduleCall(id: $id, scheduledFor: $at) { scheduledFor status } }";
    let moved = app
        .graphql(
            Some(&rep),
            reschedule,
            json!({ "id": call_id, "at": "2031-01-06T15:30:00Z" }),
        )
        .await;
    assert_eq!(
        data(&moved, "rescheduleCall"),
        &json!({ "scheduledFor": "2031-01-06T15:30:00.000000Z", "status": "PLANNED" })
    );
    let read = app
        .graphql(
            Some(&rep),
            "query($id: ID!) { callPlan(id: $id) { scheduledFor } }",
            json!({ "id": call_id }),
        )
        .await;
    assert_eq!(
        data(&read, "callPlan")["scheduledFor"],
        "2031-01-06T15:30:00.000000Z"
    );
    app.graphql(
        Some(&rep),
        "mutation($id: ID!) { cancelCall(id: $id) { status } }",
        json!({ "id": call_id }),
    )
    .await;
    let closed = app
        .graphql(
            Some(&rep),
            reschedule,
            json!({ "id": call_id, "at": "2031-01-08T15:30:00Z" }),
        )
        .await;
    assert_eq!(closed.code(), "INVALID_TRANSITION");
    let buyer = app.portal_token().await;
    let portal = app
        .graphql(
            Some(&buyer),
            "query($id: ID!) { task(id: $id) { title } }",
            json!({ "id": task_id }),
        )
        .await;
    assert_eq!(portal.code(), "FORBIDDEN");
}
