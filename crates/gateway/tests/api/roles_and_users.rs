//! Administration over HTTP: tenant-defined roles, editing staff, taking portal roles back.

use crate::support::*;
use serde_json::{Value, json};

fn data<'a>(reply: &'a Reply, field: &str) -> &'a Value {
    assert!(reply.body["errors"].is_null(), "{}", reply.body);
    reply.data(field)
}

fn field(reply: &Reply) -> &Value {
    &reply.body["errors"][0]["extensions"]["field"]
}

const CREATE: &str = "mutation($input: CreateRoleInput!) { createRole(input: $input) { id name audience isSystem permissions } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { name permissions } }";
const DELETE: &str = "mutation($id: ID!) { deleteRole(id: $id) }";

#[tokio::test]
async fn an_admin_defines_roles_of_one_audience_and_deletes_one_only_once_nobody_holds_it() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let rep = app.token("rep@acme.test").await;
    let input = |name: &str, permissions: Value| json!({ "input": { "name": name, "description": "Leads the buyers", "audience": "INTERNAL", "permissions": permissions } });
    let created = app
        .graphql(
            Some(&admin),
            CREATE,
            input(
                "Buyer_Lead",
                json!(["orders.view", "customers.view", "orders.view"]),
            ),
        )
        .await;
    let role = data(&created, "createRole").clone();
    assert_eq!(
        (
            &role["name"],
            &role["audience"],
            &role["isSystem"],
            &role["permissions"]
        ),
        (
            &json!("buyer_lead"),
            &json!("INTERNAL"),
            &json!(false),
            &json!(["customers.view", "orders.view"])
        )
    );
    let id = role["id"].as_str().unwrap().to_owned();
    for (name, permissions, code, at) in [
        (
            "other",
            json!(["portal.orders.view"]),
            "BAD_USER_INPUT",
            "permissions",
        ),
        (
            "other",
            json!(["orders.fly"]),
            "BAD_USER_INPUT",
            "permissions",
        ),
        ("2nd lead", json!([]), "BAD_USER_INPUT", "name"),
        ("buyer_lead", json!([]), "CONFLICT", "name"),
    ] {
        let refused = app
            .graphql(Some(&admin), CREATE, input(name, permissions))
            .await;
        assert_eq!(
            (refused.code(), field(&refused)),
            (code, &json!(at)),
            "{}",
            refused.body
        );
    }
    assert_eq!(
        app.graphql(Some(&rep), CREATE, input("mine", json!([])))
            .await
            .code(),
        "FORBIDDEN"
    );
    let changed = app
        .graphql(
            Some(&admin),
            UPDATE,
            json!({ "id": id, "input": { "permissions": ["invoices.view"] } }),
        )
        .await;
    assert_eq!(
        data(&changed, "updateRole"),
        &json!({ "name": "buyer_lead", "permissions": ["invoices.view"] })
    );
    let system_id = app
        .scalar_text("SELECT id::text FROM roles WHERE tenant_id IS NULL AND name = 'sales_rep'")
        .await;
    let system = app
        .graphql(
            Some(&admin),
            UPDATE,
            json!({ "id": system_id, "input": { "name": "renamed" } }),
        )
        .await;
    assert_eq!(system.code(), "FORBIDDEN");
    assert_eq!(
        app.graphql(Some(&admin), DELETE, json!({ "id": system_id }))
            .await
            .code(),
        "FORBIDDEN"
    );

    let rep_id = app
        .scalar_text("SELECT id::text FROM users WHERE email = 'rep@acme.test'")
        .await;
    let assign = "mutation($u: ID!, $r: String!) { assignRole(userId: $u, role: $r) { roles } }";
    let assigned = app
        .graphql(
            Some(&admin),
            assign,
            json!({ "u": rep_id, "r": "buyer_lead" }),
        )
        .await;
    assert_eq!(
        data(&assigned, "assignRole")["roles"],
        json!(["buyer_lead", "sales_rep"])
    );
    let held = app.graphql(Some(&admin), DELETE, json!({ "id": id })).await;
    assert_eq!(held.code(), "CONFLICT", "{}", held.body);
    let revoke = "mutation($u: ID!, $r: String!) { revokeRole(userId: $u, role: $r) { roles } }";
    app.graphql(
        Some(&admin),
        revoke,
        json!({ "u": rep_id, "r": "buyer_lead" }),
    )
    .await;
    let deleted = app.graphql(Some(&admin), DELETE, json!({ "id": id })).await;
    assert_eq!(data(&deleted, "deleteRole"), &json!(true));
    assert_eq!(
        app.scalar("SELECT count(*) FROM roles WHERE tenant_id IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn a_user_is_edited_but_never_made_their_own_manager_up_the_line() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let id_of = async |email: &str| {
        app.scalar_text(&format!(
            "SELECT id::text FROM users WHERE email = '{email}'"
        ))
        .await
    };
    let (admin_id, rep_id) = (id_of("admin@acme.test").await, id_of("rep@acme.test").await);
    let update = "mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { fullName email managerId } }";
    let edited = app
        .graphql(Some(&admin), update, json!({ "id": rep_id, "input": { "fullName": " Riley Rep ", "email": "Riley@Acme.test", "managerId": admin_id } }))
        .await;
    assert_eq!(
        data(&edited, "updateUser"),
        &json!({ "fullName": "Riley Rep", "email": "riley@acme.test", "managerId": admin_id })
    );
    for (id, input, code, at) in [
        (
            &admin_id,
            json!({ "managerId": rep_id }),
            "BAD_USER_INPUT",
            "managerId",
        ),
        (
            &rep_id,
            json!({ "managerId": rep_id }),
            "BAD_USER_INPUT",
            "managerId",
        ),
        (
            &rep_id,
            json!({ "managerId": app.customer.to_string() }),
            "BAD_USER_INPUT",
            "managerId",
        ),
        (
            &rep_id,
            json!({ "email": "admin@acme.test" }),
            "CONFLICT",
            "email",
        ),
        (
            &rep_id,
            json!({ "fullName": "  " }),
            "BAD_USER_INPUT",
            "fullName",
        ),
    ] {
        let refused = app
            .graphql(Some(&admin), update, json!({ "id": id, "input": input }))
            .await;
        assert_eq!(
            (refused.code(), field(&refused)),
            (code, &json!(at)),
            "{}",
            refused.body
        );
    }
    let read = app
        .graphql(
            Some(&admin),
            "query($id: ID!) { user(id: $id) { email managerId } }",
            json!({ "id": rep_id }),
        )
        .await;
    assert_eq!(
        data(&read, "user"),
        &json!({ "email": "riley@acme.test", "managerId": admin_id })
    );
    let freed = app
        .graphql(
            Some(&admin),
            update,
            json!({ "id": rep_id, "input": { "managerId": null } }),
        )
        .await;
    assert_eq!(data(&freed, "updateUser")["managerId"], Value::Null);
    let rep = app.token("riley@acme.test").await;
    assert_eq!(
        app.graphql(
            Some(&rep),
            update,
            json!({ "id": rep_id, "input": { "fullName": "Boss" } })
        )
        .await
        .code(),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn a_portal_role_is_taken_back() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let buyer_id = app
        .scalar_text("SELECT id::text FROM portal_users LIMIT 1")
        .await;
    let change = async |mutation: &str, role: &str| {
        let query = format!(
            "mutation($u: ID!, $r: String!) {{ {mutation}(portalUserId: $u, role: $r) {{ roles }} }}"
        );
        app.graphql(Some(&admin), &query, json!({ "u": buyer_id, "r": role }))
            .await
    };
    let holds_portal_admin = |reply: &Reply, field: &str| {
        data(reply, field)["roles"]
            .as_array()
            .is_some_and(|roles| roles.contains(&json!("portal_admin")))
    };
    let given = change("assignPortalRole", "portal_admin").await;
    assert!(holds_portal_admin(&given, "assignPortalRole"));
    let taken = change("revokePortalRole", "portal_admin").await;
    assert!(!holds_portal_admin(&taken, "revokePortalRole"));
    let internal = change("revokePortalRole", "sales_rep").await;
    assert_eq!(internal.code(), "FORBIDDEN");
}

#[tokio::test]
async fn a_person_lists_their_sessions_and_signs_one_device_out() {
    let app = app().await;
    let laptop = app.token("rep@acme.test").await;
    let phone = app.token("rep@acme.test").await;
    let admin = app.token("admin@acme.test").await;
    let listed = app
        .ask(
            &laptop,
            "{ mySessions { id current signedInAt expiresAt } }",
        )
        .await;
    let sessions = data(&listed, "mySessions").as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2, "{}", listed.body);
    assert_eq!(
        sessions
            .iter()
            .filter(|s| s["current"] == json!(true))
            .count(),
        1
    );
    let other = sessions
        .iter()
        .find(|s| s["current"] == json!(false))
        .unwrap()["id"]
        .clone();
    let revoke = "mutation($id: ID!) { revokeSession(id: $id) }";
    // Someone else's session is not theirs to end.
    let admins = app.ask(&admin, "{ mySessions { id } }").await;
    let admins_id = data(&admins, "mySessions")[0]["id"].clone();
    assert_eq!(
        app.graphql(Some(&laptop), revoke, json!({ "id": admins_id }))
            .await
            .code(),
        "NOT_FOUND"
    );
    let ended = app
        .graphql(Some(&laptop), revoke, json!({ "id": other }))
        .await;
    assert_eq!(data(&ended, "revokeSession"), &json!(true));
    assert_eq!(
        app.ask(&phone, "{ me { kind } }").await.code(),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        app.graphql(Some(&laptop), revoke, json!({ "id": other }))
            .await
            .code(),
        "NOT_FOUND"
    );
    let left = app.ask(&laptop, "{ mySessions { current } }").await;
    assert_eq!(data(&left, "mySessions"), &json!([{ "current": true }]));
    assert_eq!(
        data(
            &app.ask(&admin, "{ mySessions { id } }").await,
            "mySessions"
        )
        .as_array()
        .map(Vec::len),
        Some(1)
    );
    let buyer = app.portal_token().await;
    let own = app.ask(&buyer, "{ mySessions { current } }").await;
    assert_eq!(data(&own, "mySessions"), &json!([{ "current": true }]));
}
