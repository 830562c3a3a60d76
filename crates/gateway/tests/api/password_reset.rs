//! Password resets over HTTP: `issuePasswordReset` for holders of `users.manage`,
//! `resetPassword` with no session, one answer for every unusable token.

use crate::support::*;
use axum::http::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const ISSUE: &str = "mutation($id: ID!) { issuePasswordReset(userId: $id) { token expiresAt } }";
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
