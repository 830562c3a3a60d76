//! Sign-in, sessions, RBAC and administration of users, over HTTP.

use crate::support::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use leora_tenancy::graphql::Permission;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use std::net::SocketAddr;
use uuid::Uuid;

const ME: &str = "{ me { kind user { email } roles permissions customerId tenant { slug } } }";

#[tokio::test]
async fn login_succeeds_and_me_describes_the_principal() {
    let app = app().await;
    let login = app.login("admin@acme.test", PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.data("login")["tokenType"], "Bearer");
    assert!(login.data("login")["refreshToken"].as_str().unwrap().len() > 40);
    let token = login.data("login")["accessToken"].as_str().unwrap();
    let me = app.ask(token, ME).await;
    assert_eq!(me.data("me")["kind"], "USER");
    assert_eq!(me.data("me")["user"]["email"], "admin@acme.test");
    assert_eq!(me.data("me")["roles"], json!(["admin"]));
    assert_eq!(me.data("me")["tenant"]["slug"], "acme");
    assert!(
        me.data("me")["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("users.manage"))
    );
}

/// What a failed sign-in tells: its message and extensions.
fn answer(reply: &Reply) -> (Value, Value) {
    let error = &reply.body["errors"][0];
    (error["message"].clone(), error["extensions"].clone())
}

#[tokio::test]
async fn login_failures_are_unauthenticated_and_say_nothing_of_which_part_was_wrong() {
    let app = app().await;
    let wrong_password = app.login("admin@acme.test", "not the password").await;
    let unknown_user = app.login("nobody@acme.test", PASSWORD).await;
    let wrong_tenant = app
        .graphql(
            None,
            "mutation { login(input: {tenantSlug: \"nope\", email: \"admin@acme.test\", password: \"correct horse battery\"}) { accessToken } }",
            json!({}),
        )
        .await;
    for reply in [&wrong_password, &unknown_user, &wrong_tenant] {
        assert_eq!(reply.code(), "UNAUTHENTICATED", "{}", reply.body);
        assert_eq!(reply.data("login"), &Value::Null);
    }
    for reply in [&unknown_user, &wrong_tenant] {
        assert_eq!(
            answer(reply),
            answer(&wrong_password),
            "the same answer, word for word"
        );
    }
}

#[tokio::test]
async fn wrong_passwords_stop_the_guessing_address_not_the_account_until_its_ceiling() {
    // The support app allows 3 wrong passwords per (account, address).
    let app = app_with(&[("LOGIN_ACCOUNT_FAILURE_CEILING", "5")]).await;
    for _ in 0..3 {
        app.send(login_from("203.0.113.66", None, "wrong password!"))
            .await;
    }
    let stopped = app.send(login_from("203.0.113.66", None, PASSWORD)).await;
    assert_eq!(stopped.code(), "UNAUTHENTICATED");
    let wrong_password = app.login("rep@acme.test", "not the password").await;
    assert_eq!(
        answer(&stopped),
        answer(&wrong_password),
        "a stop answers as a wrong password does: it tells no one the account exists"
    );
    let owner = app.send(login_from("198.51.100.10", None, PASSWORD)).await;
    assert!(
        owner.data("login")["accessToken"].is_string(),
        "the owner, elsewhere, signs in: {}",
        owner.body
    );

    // Across addresses, the account's ceiling locks it for everyone.
    for n in 1..=5 {
        let guess = login_from(&format!("192.0.2.{n}"), None, "wrong password!");
        app.send(guess).await;
    }
    let locked = app.send(login_from("198.51.100.10", None, PASSWORD)).await;
    assert_eq!(answer(&locked), answer(&wrong_password));
    assert_eq!(
        app.scalar("SELECT count(*) FROM users WHERE locked_until > now()")
            .await,
        1
    );
    app.owner
        .execute_unprepared("UPDATE users SET locked_until = now() - interval '1 second'")
        .await
        .unwrap();
    let unlocked = app.send(login_from("198.51.100.10", None, PASSWORD)).await;
    assert!(
        unlocked.data("login")["accessToken"].is_string(),
        "{}",
        unlocked.body
    );
}

#[tokio::test]
async fn disabled_user_cannot_log_in_and_its_live_token_stops_working() {
    let app = app().await;
    let token = app.token("rep@acme.test").await;
    app.owner
        .execute_unprepared("UPDATE users SET status = 'disabled' WHERE email = 'rep@acme.test'")
        .await
        .unwrap();
    assert_eq!(
        app.login("rep@acme.test", PASSWORD).await.code(),
        "UNAUTHENTICATED"
    );
    assert_eq!(app.ask(&token, ME).await.code(), "UNAUTHENTICATED");
}

const REFRESH: &str =
    "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_session() {
    let app = app().await;
    let login = app.login("admin@acme.test", PASSWORD).await;
    let first_refresh = login.data("login")["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let rotated = app
        .graphql(None, REFRESH, json!({ "t": first_refresh }))
        .await;
    let second_refresh = rotated.data("refreshSession")["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let second_access = rotated.data("refreshSession")["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first_refresh, second_refresh);
    assert_eq!(
        app.ask(&second_access, ME).await.data("me")["user"]["email"],
        "admin@acme.test"
    );

    let reused = app
        .graphql(None, REFRESH, json!({ "t": first_refresh }))
        .await;
    assert_eq!(reused.code(), "UNAUTHENTICATED");
    // Reuse means the token leaked: the whole session is revoked, including its newest tokens.
    assert_eq!(
        app.graphql(None, REFRESH, json!({ "t": second_refresh }))
            .await
            .code(),
        "UNAUTHENTICATED"
    );
    assert_eq!(app.ask(&second_access, ME).await.code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = app().await;
    let login = app.login("admin@acme.test", PASSWORD).await;
    let access = login.data("login")["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let refresh = login.data("login")["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.ask(&access, "mutation { logout }").await.data("logout"),
        true
    );
    let after = app.ask(&access, ME).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.code(), "UNAUTHENTICATED");
    assert_eq!(
        after.body["errors"][0]["extensions"]["reason"],
        "SESSION_ENDED"
    );
    let refreshed = app.graphql(None, REFRESH, json!({ "t": refresh })).await;
    assert_eq!(refreshed.code(), "UNAUTHENTICATED");
    assert_eq!(
        refreshed.body["errors"][0]["extensions"]["reason"], "SESSION_ENDED",
        "{}",
        refreshed.body
    );
}

fn b64(value: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

fn sign(header: &Value, claims: &Value, secret: &str) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let signing_input = format!("{}.{}", b64(header), b64(claims));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(signing_input.as_bytes());
    use base64::Engine;
    let signature =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

fn claims_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn forged_tokens_are_unauthenticated() {
    let app = app().await;
    let genuine = app.token("rep@acme.test").await;
    let claims = claims_of(&genuine);
    let hs256 = json!({ "alg": "HS256", "typ": "JWT" });
    let now = chrono::Utc::now().timestamp();

    let alg_none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&claims)
    );
    let wrong_key = sign(&hs256, &claims, "another-secret-another-secret-another");
    let mut expired_claims = claims.clone();
    expired_claims["iat"] = json!(now - 7200);
    expired_claims["exp"] = json!(now - 3600);
    let expired = sign(&hs256, &expired_claims, SECRET);
    let mut tampered = genuine.split('.').map(str::to_owned).collect::<Vec<_>>();
    let mut admin_claims = claims.clone();
    admin_claims["sub"] = json!(Uuid::now_v7());
    tampered[1] = b64(&admin_claims);
    let tampered = tampered.join(".");
    let (other_tenant, _) = create_tenant(&app.owner, "globex").await;
    let mut foreign_claims = claims.clone();
    foreign_claims["tid"] = json!(other_tenant);
    let other_tenants_claim = sign(&hs256, &foreign_claims, SECRET);

    assert_eq!(
        app.ask(&genuine, ME).await.data("me")["user"]["email"],
        "rep@acme.test"
    );
    let mut just_expired_claims = claims.clone();
    just_expired_claims["exp"] = json!(now - 1);
    let just_expired = sign(&hs256, &just_expired_claims, SECRET);
    for (name, token, reason) in [
        ("alg none", alg_none, "TOKEN_INVALID"),
        ("wrong key", wrong_key, "TOKEN_INVALID"),
        ("expired", expired, "TOKEN_EXPIRED"),
        ("expired a second ago", just_expired, "TOKEN_EXPIRED"),
        ("tampered claims", tampered, "TOKEN_INVALID"),
        (
            "another tenant's claim",
            other_tenants_claim,
            "TOKEN_INVALID",
        ),
    ] {
        let reply = app.ask(&token, ME).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(reply.code(), "UNAUTHENTICATED", "{name}: {}", reply.body);
        assert_eq!(
            reply.body["errors"][0]["extensions"]["reason"], reason,
            "{name}: {}",
            reply.body
        );
        assert!(reply.body.get("data").is_none(), "{name}: {}", reply.body);
    }
}

#[tokio::test]
async fn a_request_without_a_token_is_told_the_token_is_missing() {
    let app = app().await;
    let reply = app.graphql(None, ME, json!({})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.code(), "UNAUTHENTICATED");
    assert_eq!(
        reply.body["errors"][0]["extensions"]["reason"],
        "TOKEN_MISSING"
    );
}

#[tokio::test]
async fn a_token_of_one_tenant_with_another_tenants_slug_is_refused() {
    let app = app().await;
    create_tenant(&app.owner, "globex").await;
    let token = app.token("admin@acme.test").await;
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("x-tenant-slug", "globex")
        .body(Body::from(json!({ "query": ME }).to_string()))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "UNAUTHENTICATED");
}

/// Signs in through `field` with no `tenantSlug`, naming the tenant only in `X-Tenant-Slug`.
async fn sign_in_by_header(app: &TestApp, field: &str, slug: &str, email: &str) -> Reply {
    let query =
        format!("mutation($input: LoginInput!) {{ {field}(input: $input) {{ accessToken }} }}");
    let body = json!({ "query": query, "variables": { "input": { "email": email, "password": PASSWORD } } });
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-tenant-slug", slug)
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

#[tokio::test]
async fn the_tenant_slug_header_alone_names_the_tenant_to_sign_in_to() {
    let app = app().await;
    app.second_tenant().await;
    let staff = sign_in_by_header(&app, "login", "beta", "admin@beta.test").await;
    assert!(
        staff.data("login")["accessToken"].is_string(),
        "{}",
        staff.body
    );
    let portal = sign_in_by_header(&app, "portalLogin", "beta", "buyer@beta.test").await;
    assert!(
        portal.data("portalLogin")["accessToken"].is_string(),
        "{}",
        portal.body
    );
    let default_tenant = sign_in_by_header(&app, "login", "beta", "admin@acme.test").await;
    assert_eq!(
        default_tenant.code(),
        "UNAUTHENTICATED",
        "{}",
        default_tenant.body
    );
}

#[tokio::test]
async fn an_unknown_tenant_slug_header_is_refused_like_a_wrong_password() {
    let app = app().await;
    let unknown = sign_in_by_header(&app, "login", "nope", "admin@acme.test").await;
    let wrong = app.login("admin@acme.test", "not the password").await;
    assert_eq!(unknown.code(), wrong.code(), "{}", unknown.body);
    assert_eq!(
        unknown.body["errors"][0]["message"],
        wrong.body["errors"][0]["message"]
    );
}

#[tokio::test]
async fn a_guarded_field_without_the_permission_is_forbidden_with_no_data() {
    let app = app().await;
    let rep = app.token("rep@acme.test").await;
    let reply = app
        .ask(&rep, "{ users { totalCount edges { node { email } } } }")
        .await;
    assert_eq!(reply.code(), "FORBIDDEN");
    assert_eq!(reply.body["data"], Value::Null);

    let admin = app.token("admin@acme.test").await;
    let reply = app
        .ask(
            &admin,
            "{ users { totalCount edges { node { email roles } } } }",
        )
        .await;
    assert_eq!(reply.data("users")["totalCount"], 2, "{}", reply.body);
}

#[tokio::test]
async fn a_portal_user_calling_an_internal_mutation_is_forbidden_and_nothing_changes() {
    let app = app().await;
    let portal = app.portal_token().await;
    let me = app.ask(&portal, ME).await;
    assert_eq!(me.data("me")["kind"], "PORTAL_USER");
    assert_eq!(me.data("me")["customerId"], app.customer.to_string());
    let reply = app
        .ask(&portal, "mutation { createUser(input: {email: \"evil@acme.test\", fullName: \"Evil\", password: \"password123\", roles: [\"admin\"]}) { id } }")
        .await;
    assert_eq!(reply.code(), "FORBIDDEN");
    assert_eq!(app.scalar("SELECT count(*) FROM users").await, 2);
}

#[tokio::test]
async fn admin_creates_users_disables_them_and_assigns_roles() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let created = app
        .ask(&admin, "mutation { createUser(input: {email: \"New.Rep@Acme.test\", fullName: \"New Rep\", password: \"password123\", roles: [\"sales_rep\"]}) { id email status roles } }")
        .await;
    let user = created.data("createUser");
    assert_eq!(user["email"], "new.rep@acme.test", "{}", created.body);
    assert_eq!(user["roles"], json!(["sales_rep"]));
    let id = user["id"].as_str().unwrap();
    let promoted = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { assignRole(userId: $id, role: \"sales_manager\") { roles } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        promoted.data("assignRole")["roles"],
        json!(["sales_manager", "sales_rep"])
    );
    let disabled = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { setUserStatus(userId: $id, status: DISABLED) { status } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(disabled.data("setUserStatus")["status"], "DISABLED");
    assert_eq!(
        app.login("new.rep@acme.test", "password123").await.code(),
        "UNAUTHENTICATED"
    );

    let duplicate = app
        .ask(&admin, "mutation { createUser(input: {email: \"rep@acme.test\", fullName: \"Again\", password: \"password123\"}) { id } }")
        .await;
    assert_eq!(duplicate.code(), "CONFLICT");
    let portal_role = app
        .graphql(
            Some(&admin),
            "mutation($id: ID!) { assignRole(userId: $id, role: \"portal_user\") { roles } }",
            json!({ "id": id }),
        )
        .await;
    assert!(
        ["BAD_USER_INPUT", "FORBIDDEN"].contains(&portal_role.code()),
        "{}",
        portal_role.body
    );
    let roles = app
        .ask(
            &admin,
            "{ roles { name audience permissions } permissions { key } }",
        )
        .await;
    assert_eq!(roles.data("roles").as_array().unwrap().len(), 5);
    assert_eq!(
        roles.data("permissions").as_array().unwrap().len(),
        Permission::ALL.len()
    );
}

#[tokio::test]
async fn the_permission_enum_matches_the_database_catalogue() {
    let app = app().await;
    let rows = app
        .owner
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT key FROM permissions ORDER BY key",
        ))
        .await
        .unwrap();
    let in_database: Vec<String> = rows
        .iter()
        .map(|r| r.try_get_by_index(0).unwrap())
        .collect();
    let mut in_code: Vec<String> = Permission::ALL.iter().map(|p| p.key().to_owned()).collect();
    in_code.sort();
    assert_eq!(in_database, in_code);
}

#[tokio::test]
async fn graphql_over_http_basics() {
    let app = app().await;
    let get = |uri: &str| {
        Request::get(uri)
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::empty())
            .unwrap()
    };
    let post = |body: &str| {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };

    let introspection = app
        .send(get(
            "/graphql?query=%7B__schema%7BqueryType%7Bname%7D%7D%7D",
        ))
        .await;
    assert_eq!(
        introspection.body["data"]["__schema"]["queryType"]["name"],
        "Query"
    );

    let query = app.send(get("/graphql?query=%7B__typename%7D")).await;
    assert_eq!(query.status, StatusCode::OK);
    assert_eq!(query.body["data"]["__typename"], "Query");
    assert!(
        query
            .content_type
            .starts_with("application/graphql-response+json")
    );
    assert!(
        query.request_id.is_some(),
        "every response carries a request id"
    );

    let posted = app.send(post(r#"{"query":"{ __typename }"}"#)).await;
    assert_eq!(
        (posted.status, &posted.body["data"]["__typename"]),
        (StatusCode::OK, &json!("Query"))
    );

    let malformed = app.send(post("{not json")).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.body["errors"][0]["message"].is_string());

    let missing_query = app.send(post(r#"{"variables":{}}"#)).await;
    assert_eq!(missing_query.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.send(get("/graphql")).await.status,
        StatusCode::BAD_REQUEST
    );

    let unknown_operation = app
        .send(post(
            r#"{"query":"query A { __typename }","operationName":"B"}"#,
        ))
        .await;
    assert_eq!(
        unknown_operation.status,
        StatusCode::BAD_REQUEST,
        "{}",
        unknown_operation.body
    );

    let invalid = app.send(post(r#"{"query":"{ noSuchField }"}"#)).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);

    let mutation_over_get = app.send(get("/graphql?query=mutation%7Blogout%7D")).await;
    assert_eq!(mutation_over_get.status, StatusCode::METHOD_NOT_ALLOWED);

    let legacy = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"query":"{ noSuchField }"}"#))
        .unwrap();
    let legacy = app.send(legacy).await;
    assert_eq!(
        legacy.status,
        StatusCode::OK,
        "application/json clients always get 200 for executed requests"
    );
    assert!(legacy.content_type.starts_with("application/json"));

    let wrong_type = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        app.send(wrong_type).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}

#[tokio::test]
async fn a_repeated_query_text_is_trimmed_for_each_requests_own_variables() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let query =
        "query($withEmail: Boolean!) { me { kind user @include(if: $withEmail) { email } } }";
    for with_email in [true, false, true] {
        let reply = app
            .graphql(Some(&admin), query, json!({ "withEmail": with_email }))
            .await;
        assert_eq!(reply.data("me")["kind"], "USER", "{}", reply.body);
        assert_eq!(
            reply.data("me").get("user").is_some(),
            with_email,
            "{}",
            reply.body
        );
    }
    let unparsable = app.ask(&admin, "{ me { kind }").await;
    assert_eq!(unparsable.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.ask(&admin, "{ me { kind }").await.body,
        unparsable.body,
        "a text that does not parse is reported the same way every time"
    );
}

/// A `login` as the admin, arriving over a connection from `peer`.
fn login_from(peer: &str, forwarded_for: Option<&str>, password: &str) -> Request<Body> {
    let body = json!({
        "query": "mutation($input: LoginInput!) { login(input: $input) { accessToken } }",
        "variables": { "input": { "tenantSlug": "acme", "email": "admin@acme.test", "password": password } },
    });
    let mut request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40_000)));
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn sign_in_attempts_beyond_the_per_address_limit_are_rate_limited() {
    let app = app_with(&[
        ("LOGIN_ATTEMPTS_PER_MINUTE_PER_ADDRESS", "3"),
        ("LOGIN_MAX_FAILED_ATTEMPTS", "5"),
    ])
    .await;
    for _ in 0..3 {
        let wrong = app.send(login_from("203.0.113.7", None, "wrong")).await;
        assert_eq!(wrong.code(), "UNAUTHENTICATED", "{}", wrong.body);
    }
    let refused = app.send(login_from("203.0.113.7", None, PASSWORD)).await;
    assert_eq!(refused.code(), "RATE_LIMITED", "{}", refused.body);
    assert!(refused.data("login").is_null(), "{}", refused.body);
    let message = refused.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("try again in"), "{message}");

    let forged = app
        .send(login_from("203.0.113.7", Some("192.0.2.99"), PASSWORD))
        .await;
    assert_eq!(
        forged.code(),
        "RATE_LIMITED",
        "without a trusted proxy, X-Forwarded-For buys no new allowance"
    );

    let elsewhere = app.send(login_from("198.51.100.1", None, PASSWORD)).await;
    assert!(
        elsewhere.data("login")["accessToken"].is_string(),
        "another address signs in, and the refused attempts locked nobody out: {}",
        elsewhere.body
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_address_it_appended_is_the_clients() {
    let app = app_with(&[
        ("LOGIN_ATTEMPTS_PER_MINUTE_PER_ADDRESS", "1"),
        ("TRUSTED_PROXY_HOPS", "1"),
    ])
    .await;
    let proxy = "10.0.0.1";
    let first = app
        .send(login_from(
            proxy,
            Some("198.51.100.77, 203.0.113.7"),
            PASSWORD,
        ))
        .await;
    assert!(
        first.data("login")["accessToken"].is_string(),
        "{}",
        first.body
    );
    let forged = app
        .send(login_from(proxy, Some("192.0.2.1, 203.0.113.7"), PASSWORD))
        .await;
    assert_eq!(
        forged.code(),
        "RATE_LIMITED",
        "what the client wrote left of the proxy's entry buys no new allowance"
    );
    let other_client = app
        .send(login_from(proxy, Some("198.51.100.1"), PASSWORD))
        .await;
    assert!(
        other_client.data("login")["accessToken"].is_string(),
        "{}",
        other_client.body
    );
    let sessions = app
        .owner
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT ip_address FROM user_sessions ORDER BY created_at",
        ))
        .await
        .unwrap();
    let addresses: Vec<String> = sessions
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    assert_eq!(
        addresses,
        ["203.0.113.7", "198.51.100.1"],
        "sessions record the client, not the proxy nor a forged entry"
    );
}

#[tokio::test]
async fn queries_deeper_than_the_limit_are_refused() {
    let app = app_with(&[("GRAPHQL_MAX_DEPTH", "3")]).await;
    let admin = app.token("admin@acme.test").await;
    let reply = app
        .ask(&admin, "{ users { edges { node { email } } } }")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
}

#[tokio::test]
async fn demo_portal_user_is_provisioned_on_first_sign_in_in_development() {
    let app = app_with(&[("DEV_DEMO_PORTAL_PASSWORD", "demo-password")]).await;
    let email = leora_identity::service::demo::DEMO_PORTAL_EMAIL;
    let reply = app
        .graphql(
            None,
            "mutation($email: String!) { portalLogin(input: {email: $email, password: \"demo-password\"}) { accessToken } }",
            json!({ "email": email }),
        )
        .await;
    assert!(
        reply.data("portalLogin")["accessToken"].is_string(),
        "{}",
        reply.body
    );
    assert_eq!(app.scalar("SELECT count(*) FROM portal_users").await, 2);
}

#[tokio::test]
async fn health_and_readiness() {
    let app = app().await;
    let health = app
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (health.status, &health.body["status"]),
        (StatusCode::OK, &json!("ok"))
    );
    let ready = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (ready.status, &ready.body["status"]),
        (StatusCode::OK, &json!("ready"))
    );
    app.owner
        .execute_unprepared("DELETE FROM seaql_migrations WHERE version LIKE '%reference_data'")
        .await
        .unwrap();
    let not_ready = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(not_ready.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[test]
fn schema_is_current() {
    let committed = include_str!("../../../../schema.graphql");
    let generated = leora_gateway::schema::sdl();
    assert!(
        committed == generated,
        "schema.graphql is out of date: run `just schema` (cargo run --bin leora -- schema > schema.graphql)"
    );
}

#[tokio::test]
async fn oversized_bodies_and_batches_are_refused_and_introspection_can_be_switched_off() {
    let app = app_with(&[
        ("GRAPHQL_MAX_BODY_BYTES", "2048"),
        ("GRAPHQL_MAX_BATCH", "2"),
        ("GRAPHQL_INTROSPECTION", "false"),
    ])
    .await;
    let post = |body: String| {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::from(body))
            .unwrap()
    };
    let padding = " ".repeat(4096);
    let oversized = app
        .send(post(format!(r#"{{"query":"{{ __typename {padding} }}"}}"#)))
        .await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        oversized.code(),
        "BAD_USER_INPUT",
        "answered as a GraphQL error: {}",
        oversized.body
    );

    let two = app
        .send(post(
            r#"[{"query":"{ __typename }"},{"query":"{ __typename }"}]"#.to_owned(),
        ))
        .await;
    assert_eq!(two.status, StatusCode::OK);
    assert_eq!(two.body.as_array().map(Vec::len), Some(2));
    let three = app
        .send(post(
            r#"[{"query":"{ __typename }"},{"query":"{ __typename }"},{"query":"{ __typename }"}]"#
                .to_owned(),
        ))
        .await;
    assert_eq!(three.status, StatusCode::BAD_REQUEST);

    let introspection = app
        .send(post(
            r#"{"query":"{ __schema { queryType { name } } }"}"#.to_owned(),
        ))
        .await;
    assert_eq!(
        introspection.body["data"]["__schema"],
        Value::Null,
        "introspection answers nothing"
    );
}

#[tokio::test]
async fn field_suggestions_are_off_whenever_introspection_is() {
    let misspelt = "{ prodcts { totalCount } }";
    let open = app().await;
    let admin = open.token("admin@acme.test").await;
    let suggested = open.ask(&admin, misspelt).await;
    let message = suggested.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("Did you mean"), "{message}");

    let closed = app_with(&[("GRAPHQL_INTROSPECTION", "false")]).await;
    let admin = closed.token("admin@acme.test").await;
    let silent = closed.ask(&admin, misspelt).await;
    let message = silent.body["errors"][0]["message"].as_str().unwrap();
    assert!(!message.contains("Did you mean"), "{message}");
    assert!(!message.contains("\"products\""), "{message}");
}

const CHANGE_PASSWORD: &str = "mutation($current: String!, $new: String!) { changePassword(currentPassword: $current, newPassword: $new) }";

#[tokio::test]
async fn changing_your_password_needs_the_current_one_and_ends_your_other_sessions() {
    let app = app().await;
    let login = |password: &'static str| app.login("rep@acme.test", password);
    let this_device = login(PASSWORD).await.data("login").clone();
    let other_device = login(PASSWORD).await.data("login").clone();
    let token = this_device["accessToken"].as_str().unwrap().to_owned();

    let wrong = app
        .graphql(
            Some(&token),
            CHANGE_PASSWORD,
            json!({ "current": "not it at all", "new": "a brand new secret" }),
        )
        .await;
    assert_eq!(wrong.code(), "BAD_USER_INPUT", "{}", wrong.body);
    assert_eq!(
        wrong.body["errors"][0]["extensions"]["field"],
        "currentPassword"
    );
    let short = app
        .graphql(
            Some(&token),
            CHANGE_PASSWORD,
            json!({ "current": PASSWORD, "new": "short" }),
        )
        .await;
    assert_eq!(
        short.body["errors"][0]["extensions"]["field"],
        "newPassword"
    );

    let changed = app
        .graphql(
            Some(&token),
            CHANGE_PASSWORD,
            json!({ "current": PASSWORD, "new": "a brand new secret" }),
        )
        .await;
    assert_eq!(changed.data("changePassword"), 1, "{}", changed.body);
    assert_eq!(
        app.ask(&token, ME).await.data("me")["user"]["email"],
        "rep@acme.test",
        "the asking session stays signed in"
    );
    let other = other_device["accessToken"].as_str().unwrap();
    let ended = app.ask(other, ME).await;
    assert_eq!(
        ended.body["errors"][0]["extensions"]["reason"], "SESSION_ENDED",
        "{}",
        ended.body
    );
    assert_eq!(login(PASSWORD).await.code(), "UNAUTHENTICATED");
    assert!(login("a brand new secret").await.data("login")["accessToken"].is_string());
}

#[tokio::test]
async fn guessing_the_current_password_is_throttled_like_sign_in() {
    // The support app allows 3 wrong passwords per (account, address).
    let app = app().await;
    let token = app.token("rep@acme.test").await;
    let hash_sql = "SELECT password_hash FROM users WHERE email = 'rep@acme.test'";
    let hash_before = app.scalar_text(hash_sql).await;
    for _ in 0..3 {
        app.graphql(
            Some(&token),
            CHANGE_PASSWORD,
            json!({ "current": "a wrong guess", "new": "a brand new secret" }),
        )
        .await;
    }
    let right_but_throttled = app
        .graphql(
            Some(&token),
            CHANGE_PASSWORD,
            json!({ "current": PASSWORD, "new": "a brand new secret" }),
        )
        .await;
    assert_eq!(
        right_but_throttled.body["errors"][0]["extensions"]["field"], "currentPassword",
        "{}",
        right_but_throttled.body
    );
    assert_eq!(
        app.scalar_text(hash_sql).await,
        hash_before,
        "nothing changed"
    );
    assert_eq!(
        app.login("rep@acme.test", PASSWORD).await.code(),
        "UNAUTHENTICATED",
        "the guesses count against sign-in from the same address too"
    );
}
