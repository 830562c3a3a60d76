//! Password resets over HTTP: `issuePasswordReset` for holders of `users.manage`,
//! `issuePortalPasswordReset` for them and for portal admins (their own customer's portal users
//! only), `resetPassword` with no session for either kind of token, one answer for every unusable
//! token.

use crate::support::*;
use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

const ISSUE: &str = "mutation($id: ID!) { issuePasswordReset(userId: $id) { token expiresAt } }";
const ISSUE_PORTAL: &str =
    "mutation($id: ID!) { issuePortalPasswordReset(portalUserId: $id) { token expiresAt } }";
const RESET: &str =
    "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";
const NEW_PASSWORD: &str = "a brand new password";

async fn rep_id(app: &TestApp) -> String {
    app.scalar_text("SELECT id::text FROM users WHERE email = 'rep@acme.test'")
        .await
}

/// The admin issues a reset for the rep; its token.
async fn issue_for_rep(app: &TestApp) -> String {
    let admin = app.token("admin@acme.test").await;
    let reply = app
        .graphql(Some(&admin), ISSUE, json!({ "id": rep_id(app).await }))
        .await;
    reply.data("issuePasswordReset")["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", reply.body))
        .to_owned()
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Reply {
    app.graphql(None, RESET, json!({ "t": token, "p": password }))
        .await
}

/// What a refusal tells: its message and extensions.
fn answer(reply: &Reply) -> (Value, Value) {
    let error = &reply.body["errors"][0];
    (error["message"].clone(), error["extensions"].clone())
}

#[tokio::test]
async fn an_admin_issues_a_reset_and_the_user_sets_a_password_without_signing_in() {
    let app = app().await;
    let before = app.login("rep@acme.test", PASSWORD).await;
    let old_refresh = before.data("login")["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = app.token("admin@acme.test").await;
    let issued = app
        .graphql(Some(&admin), ISSUE, json!({ "id": rep_id(&app).await }))
        .await;
    let payload = issued.data("issuePasswordReset");
    assert!(
        payload["expiresAt"].as_str().unwrap().ends_with('Z'),
        "{}",
        issued.body
    );
    let token = payload["token"].as_str().unwrap();

    let done = reset(&app, token, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.data("resetPassword"), true, "{}", done.body);

    assert!(
        app.login("rep@acme.test", NEW_PASSWORD).await.data("login")["accessToken"].is_string()
    );
    assert_eq!(
        app.login("rep@acme.test", PASSWORD).await.code(),
        "UNAUTHENTICATED"
    );
    let refreshed = app
        .graphql(
            None,
            "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }",
            json!({ "t": old_refresh }),
        )
        .await;
    assert_eq!(
        refreshed.code(),
        "UNAUTHENTICATED",
        "the old session ended: {}",
        refreshed.body
    );
}

#[tokio::test]
async fn a_used_an_expired_and_an_unknown_reset_token_get_one_answer() {
    let app = app().await;
    let used = issue_for_rep(&app).await;
    assert_eq!(
        reset(&app, &used, NEW_PASSWORD).await.data("resetPassword"),
        true
    );
    let used_again = reset(&app, &used, "yet another password").await;

    let expired = issue_for_rep(&app).await;
    app.owner
        .execute_unprepared(
            "UPDATE password_resets SET created_at = now() - interval '2 hours', \
                    expires_at = now() - interval '1 second'",
        )
        .await
        .unwrap();
    let expired = reset(&app, &expired, "yet another password").await;
    let unknown = reset(&app, "lpr1.not-a-token", "yet another password").await;

    for reply in [&used_again, &expired, &unknown] {
        assert_eq!(reply.code(), "BAD_USER_INPUT", "{}", reply.body);
        assert_eq!(reply.body["errors"][0]["extensions"]["field"], "token");
        assert_eq!(reply.data("resetPassword"), &Value::Null);
    }
    assert_eq!(answer(&used_again), answer(&expired), "word for word");
    assert_eq!(answer(&unknown), answer(&expired), "word for word");
    assert!(
        app.login("rep@acme.test", NEW_PASSWORD).await.data("login")["accessToken"].is_string(),
        "the refused tokens changed nothing"
    );
}

#[tokio::test]
async fn only_holders_of_users_manage_issue_password_resets() {
    let app = app().await;
    let rep = app.token("rep@acme.test").await;
    let portal = app.portal_token().await;
    let id = rep_id(&app).await;
    for token in [&rep, &portal] {
        let reply = app.graphql(Some(token), ISSUE, json!({ "id": id })).await;
        assert_eq!(reply.code(), "FORBIDDEN", "{}", reply.body);
        assert_eq!(reply.data("issuePasswordReset"), &Value::Null);
    }
    assert_eq!(app.scalar("SELECT count(*) FROM password_resets").await, 0);
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM webhook_events WHERE event_type = 'user.password_reset_requested'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn reset_password_goes_in_a_request_of_its_own() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let token = issue_for_rep(&app).await;
    let mixed = app
        .graphql(
            Some(&admin),
            "mutation($t: String!) { resetPassword(token: $t, newPassword: \"a brand new password\") logout }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(mixed.status, StatusCode::BAD_REQUEST, "{}", mixed.body);
    assert_eq!(mixed.code(), "BAD_USER_INPUT");
    assert!(
        app.login("rep@acme.test", PASSWORD).await.data("login")["accessToken"].is_string(),
        "nothing was reset"
    );

    // Alone, even under a bearer token, it needs no session.
    let alone = app
        .graphql(
            Some(&admin),
            RESET,
            json!({ "t": token, "p": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(alone.data("resetPassword"), true, "{}", alone.body);
}

async fn portal_user_id(app: &TestApp, email: &str) -> String {
    app.scalar_text(&format!(
        "SELECT id::text FROM portal_users WHERE email = '{email}'"
    ))
    .await
}

async fn portal_login(app: &TestApp, email: &str, password: &str) -> Reply {
    app.graphql(
        None,
        "mutation($input: LoginInput!) { portalLogin(input: $input) { accessToken refreshToken } }",
        json!({ "input": { "tenantSlug": "acme", "email": email, "password": password } }),
    )
    .await
}

async fn portal_token_of(app: &TestApp, email: &str) -> String {
    let reply = portal_login(app, email, PASSWORD).await;
    reply.data("portalLogin")["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", reply.body))
        .to_owned()
}

/// The staff admin creates a portal user of `customer` holding `roles`, with [`PASSWORD`].
async fn create_portal_user(app: &TestApp, customer: &str, email: &str, roles: &[&str]) {
    let admin = app.token("admin@acme.test").await;
    let reply = app
        .graphql(
            Some(&admin),
            "mutation($input: CreatePortalUserInput!) { createPortalUser(input: $input) { id } }",
            json!({ "input": {
                "customerId": customer, "email": email, "fullName": "Portal User",
                "password": PASSWORD, "roles": roles,
            } }),
        )
        .await;
    assert!(
        reply.data("createPortalUser")["id"].is_string(),
        "{}",
        reply.body
    );
}

/// A second customer of the tenant, Elsewhere Wines, with a buyer `buyer@elsewhere.test`.
async fn another_customers_buyer(app: &TestApp) -> String {
    let row = app
        .owner
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO customers (tenant_id, account_number, name, state) \
             SELECT tenant_id, 'C-2', 'Elsewhere Wines', 'CA' FROM customers WHERE id = $1 \
             RETURNING id::text",
            [app.customer.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    let customer: String = row.try_get_by_index(0).unwrap();
    create_portal_user(app, &customer, "buyer@elsewhere.test", &[]).await;
    portal_user_id(app, "buyer@elsewhere.test").await
}

fn issued_token(reply: &Reply) -> String {
    reply.data("issuePortalPasswordReset")["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", reply.body))
        .to_owned()
}

#[tokio::test]
async fn a_staff_admin_issues_a_buyer_a_reset_and_the_buyer_signs_in_with_the_new_password() {
    let app = app().await;
    let before = portal_login(&app, "buyer@harborview.test", PASSWORD).await;
    let old_refresh = before.data("portalLogin")["refreshToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", before.body))
        .to_owned();
    let old_access = before.data("portalLogin")["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = app.token("admin@acme.test").await;
    let buyer = portal_user_id(&app, "buyer@harborview.test").await;

    let issued = app
        .graphql(Some(&admin), ISSUE_PORTAL, json!({ "id": buyer }))
        .await;
    assert!(
        issued.data("issuePortalPasswordReset")["expiresAt"]
            .as_str()
            .is_some_and(|at| at.ends_with('Z')),
        "{}",
        issued.body
    );
    let done = reset(&app, &issued_token(&issued), NEW_PASSWORD).await;
    assert_eq!(done.data("resetPassword"), true, "{}", done.body);

    let signed_in = portal_login(&app, "buyer@harborview.test", NEW_PASSWORD).await;
    assert!(
        signed_in.data("portalLogin")["accessToken"].is_string(),
        "{}",
        signed_in.body
    );
    assert_eq!(
        portal_login(&app, "buyer@harborview.test", PASSWORD)
            .await
            .code(),
        "UNAUTHENTICATED"
    );
    let refreshed = app
        .graphql(
            None,
            "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }",
            json!({ "t": old_refresh }),
        )
        .await;
    assert_eq!(refreshed.code(), "UNAUTHENTICATED", "{}", refreshed.body);
    let old_session = app.ask(&old_access, "{ me { kind } }").await;
    assert_eq!(
        old_session.code(),
        "UNAUTHENTICATED",
        "the buyer's old session ended: {}",
        old_session.body
    );
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM webhook_events \
              WHERE event_type = 'portal_user.password_reset_requested' \
                AND payload->>'requestedByUserId' IS NOT NULL"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_portal_admin_issues_resets_for_its_own_customers_buyers_only() {
    let app = app().await;
    let customer = app.customer.to_string();
    create_portal_user(&app, &customer, "owner@harborview.test", &["portal_admin"]).await;
    let stranger = another_customers_buyer(&app).await;
    let portal_admin = portal_token_of(&app, "owner@harborview.test").await;
    let colleague = portal_user_id(&app, "buyer@harborview.test").await;

    let theirs = app
        .graphql(Some(&portal_admin), ISSUE_PORTAL, json!({ "id": stranger }))
        .await;
    assert_eq!(theirs.code(), "NOT_FOUND", "{}", theirs.body);
    assert_eq!(theirs.data("issuePortalPasswordReset"), &Value::Null);
    let staff = app
        .graphql(
            Some(&portal_admin),
            ISSUE_PORTAL,
            json!({ "id": rep_id(&app).await }),
        )
        .await;
    assert_eq!(
        staff.code(),
        "NOT_FOUND",
        "a staff id is no portal user: {}",
        staff.body
    );
    assert_eq!(app.scalar("SELECT count(*) FROM password_resets").await, 0);

    let ours = app
        .graphql(
            Some(&portal_admin),
            ISSUE_PORTAL,
            json!({ "id": colleague }),
        )
        .await;
    let done = reset(&app, &issued_token(&ours), NEW_PASSWORD).await;
    assert_eq!(done.data("resetPassword"), true, "{}", done.body);
    assert!(
        portal_login(&app, "buyer@harborview.test", NEW_PASSWORD)
            .await
            .data("portalLogin")["accessToken"]
            .is_string()
    );
    assert!(
        portal_login(&app, "buyer@elsewhere.test", PASSWORD)
            .await
            .data("portalLogin")["accessToken"]
            .is_string(),
        "the other customer's buyer is untouched"
    );
    assert_eq!(
        app.scalar_text(
            "SELECT payload->>'requestedByPortalUserId' FROM webhook_events \
              WHERE event_type = 'portal_user.password_reset_requested'"
        )
        .await,
        portal_user_id(&app, "owner@harborview.test").await
    );
}

#[tokio::test]
async fn buyers_and_reps_without_the_permission_issue_no_portal_resets() {
    let app = app().await;
    let buyer = app.portal_token().await;
    let rep = app.token("rep@acme.test").await;
    let id = portal_user_id(&app, "buyer@harborview.test").await;
    for token in [&buyer, &rep] {
        let reply = app
            .graphql(Some(token), ISSUE_PORTAL, json!({ "id": id }))
            .await;
        assert_eq!(reply.code(), "FORBIDDEN", "{}", reply.body);
        assert_eq!(reply.data("issuePortalPasswordReset"), &Value::Null);
    }
    assert_eq!(app.scalar("SELECT count(*) FROM password_resets").await, 0);
    assert_eq!(
        app.scalar(
            "SELECT count(*) FROM webhook_events \
              WHERE event_type = 'portal_user.password_reset_requested'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_portal_reset_token_is_used_once() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let buyer = portal_user_id(&app, "buyer@harborview.test").await;
    let issued = app
        .graphql(Some(&admin), ISSUE_PORTAL, json!({ "id": buyer }))
        .await;
    let token = issued_token(&issued);
    assert_eq!(
        reset(&app, &token, NEW_PASSWORD)
            .await
            .data("resetPassword"),
        true
    );

    let again = reset(&app, &token, "yet another password").await;
    assert_eq!(again.code(), "BAD_USER_INPUT", "{}", again.body);
    assert_eq!(again.body["errors"][0]["extensions"]["field"], "token");
    let unknown = reset(&app, "lpr1.not-a-token", "yet another password").await;
    assert_eq!(answer(&again), answer(&unknown), "word for word");
    assert!(
        portal_login(&app, "buyer@harborview.test", NEW_PASSWORD)
            .await
            .data("portalLogin")["accessToken"]
            .is_string(),
        "the second use changed nothing"
    );
}

#[tokio::test]
async fn staff_and_portal_tokens_each_set_their_own_accounts_password() {
    let app = app().await;
    let customer = app.customer.to_string();
    // A buyer with the rep's email: a separate account, which a token must not confuse.
    create_portal_user(&app, &customer, "rep@acme.test", &[]).await;
    let admin = app.token("admin@acme.test").await;
    let rep = rep_id(&app).await;
    let buyer = portal_user_id(&app, "rep@acme.test").await;
    let staff_hash = "SELECT password_hash FROM users WHERE email = 'rep@acme.test'";
    let before = app.scalar_text(staff_hash).await;

    // Each mutation takes only its own kind of id.
    let crossed = app
        .graphql(Some(&admin), ISSUE, json!({ "id": buyer }))
        .await;
    assert_eq!(crossed.code(), "NOT_FOUND", "{}", crossed.body);
    let crossed = app
        .graphql(Some(&admin), ISSUE_PORTAL, json!({ "id": rep }))
        .await;
    assert_eq!(crossed.code(), "NOT_FOUND", "{}", crossed.body);

    let portal = app
        .graphql(Some(&admin), ISSUE_PORTAL, json!({ "id": buyer }))
        .await;
    let staff = app.graphql(Some(&admin), ISSUE, json!({ "id": rep })).await;
    let staff_token = staff.data("issuePasswordReset")["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", staff.body))
        .to_owned();
    let done = reset(&app, &issued_token(&portal), NEW_PASSWORD).await;
    assert_eq!(done.data("resetPassword"), true, "{}", done.body);

    assert_eq!(
        app.scalar_text(staff_hash).await,
        before,
        "a portal token never sets a staff password"
    );
    assert_eq!(
        app.login("rep@acme.test", NEW_PASSWORD).await.code(),
        "UNAUTHENTICATED"
    );
    assert!(
        app.login("rep@acme.test", PASSWORD).await.data("login")["accessToken"].is_string(),
        "the rep's password is as it was"
    );
    assert!(
        portal_login(&app, "rep@acme.test", NEW_PASSWORD)
            .await
            .data("portalLogin")["accessToken"]
            .is_string()
    );

    // And the staff token, issued before the portal one was used, still sets the staff password
    // alone.
    let done = reset(&app, &staff_token, "the rep's own new password").await;
    assert_eq!(done.data("resetPassword"), true, "{}", done.body);
    assert!(
        app.login("rep@acme.test", "the rep's own new password")
            .await
            .data("login")["accessToken"]
            .is_string()
    );
    assert!(
        portal_login(&app, "rep@acme.test", NEW_PASSWORD)
            .await
            .data("portalLogin")["accessToken"]
            .is_string(),
        "the buyer's password is as the portal token left it"
    );
}
