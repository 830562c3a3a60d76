//! The identity services against a real PostgreSQL, run as the server runs them: in tenant
//! transactions as the application role, under row-level security. Tenants and customers are
//! created with raw SQL as the owner; everything else goes through the services.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

use leora_test_db::sql::stmt;
use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use leora_identity::entities::enums::UserStatus;
use leora_identity::entities::{portal_users, users};
use leora_identity::service::admin::{self, NewPortalUser, NewUser};
use leora_identity::service::demo::{self, DEMO_PORTAL_EMAIL};
use leora_identity::service::sessions::{self, refresh_token_tenant};
use leora_identity::{
    AccessClaims, AuthPolicy, Authenticated, ClientInfo, IdentityError, IssuedTokens, JwtKeys,
    PrincipalKind, with_tenant_committing,
};
use leora_tenancy::{ApiError, AppRole, ErrorCode, TenantContext, TenantDb};
use leora_test_db::TestDatabase;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TryGetable, Value};
use serde_json::json;
use uuid::Uuid;

const SECRET: &[u8] = b"a test secret of at least thirty-two bytes";
const PASSWORD: &str = "correct horse battery";

struct World {
    _database: TestDatabase,
    owner: DatabaseConnection,
    db: TenantDb,
    tenant: Uuid,
    customer: Uuid,
    keys: JwtKeys,
    policy: AuthPolicy,
}

async fn scalar<T: TryGetable>(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> T {
    let row = conn
        .query_one_raw(stmt(sql, values))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}

async fn create_tenant(owner: &DatabaseConnection, slug: &str) -> Uuid {
    scalar(
        owner,
        "INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id",
        [slug.into()],
    )
    .await
}

async fn create_customer(owner: &DatabaseConnection, tenant: Uuid, account: &str) -> Uuid {
    scalar(
        owner,
        "INSERT INTO customers (tenant_id, account_number, name, state) VALUES ($1, $2, $2, 'CA') \
         RETURNING id",
        [tenant.into(), account.into()],
    )
    .await
}

async fn world() -> World {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let tenant = create_tenant(&owner, "acme").await;
    let customer = create_customer(&owner, tenant, "ACCT-1").await;
    let db = TenantDb::new(database.connect().await, AppRole::from_env().unwrap());
    World {
        _database: database,
        owner,
        db,
        tenant,
        customer,
        keys: JwtKeys::new(SECRET),
        policy: AuthPolicy::default(),
    }
}

fn client() -> ClientInfo {
    ClientInfo {
        user_agent: Some("integration-test/1.0".to_owned()),
        ip_address: Some("203.0.113.7".parse().unwrap()),
    }
}

fn new_user(email: &str, roles: &[&str]) -> NewUser {
    NewUser {
        email: email.to_owned(),
        full_name: "Test User".to_owned(),
        password: PASSWORD.to_owned(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        manager_id: None,
    }
}

fn assert_code<T: std::fmt::Debug>(
    result: Result<T, IdentityError>,
    code: ErrorCode,
) -> IdentityError {
    let error = result.unwrap_err();
    assert_eq!(error.code(), code, "{error:?}");
    error
}

impl World {
    /// Runs `work` in a transaction of this world's tenant with an anonymous principal, committing
    /// the failures the services say must stand, as the server does.
    async fn run<T>(
        &self,
        work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, IdentityError>,
    ) -> Result<T, IdentityError> {
        self.run_in(TenantContext::anonymous(self.tenant), work)
            .await
    }

    async fn run_in<T>(
        &self,
        ctx: TenantContext,
        work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, IdentityError>,
    ) -> Result<T, IdentityError> {
        with_tenant_committing(&self.db, &ctx, work).await
    }

    async fn user(&self, email: &str, roles: &[&str]) -> users::Model {
        let tenant = self.tenant;
        self.run(async |tx| admin::create_user(tx, tenant, new_user(email, roles)).await)
            .await
            .unwrap()
    }

    async fn portal_user(&self, email: &str, customer_id: Uuid) -> portal_users::Model {
        let tenant = self.tenant;
        let input = NewPortalUser {
            customer_id,
            email: email.to_owned(),
            full_name: "Portal Buyer".to_owned(),
            password: PASSWORD.to_owned(),
            roles: Vec::new(),
        };
        self.run(async |tx| admin::create_portal_user(tx, tenant, input).await)
            .await
            .unwrap()
    }

    async fn login_at(
        &self,
        email: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedTokens, IdentityError> {
        let (keys, policy, tenant, client) = (&self.keys, &self.policy, self.tenant, client());
        self.run(async |tx| {
            sessions::login(tx, keys, policy, tenant, email, password, &client, now).await
        })
        .await
    }

    async fn login(&self, email: &str, password: &str) -> Result<IssuedTokens, IdentityError> {
        self.login_at(email, password, Utc::now()).await
    }

    async fn portal_login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<IssuedTokens, IdentityError> {
        let (keys, policy, tenant, client) = (&self.keys, &self.policy, self.tenant, client());
        self.run(async |tx| {
            sessions::portal_login(
                tx,
                keys,
                policy,
                tenant,
                email,
                password,
                &client,
                Utc::now(),
            )
            .await
        })
        .await
    }

    async fn refresh_at(
        &self,
        refresh_token: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedTokens, IdentityError> {
        let tenant = refresh_token_tenant(refresh_token)?;
        let (keys, policy, client) = (&self.keys, &self.policy, client());
        self.run_in(TenantContext::anonymous(tenant), async |tx| {
            sessions::refresh(tx, keys, policy, refresh_token, &client, now).await
        })
        .await
    }

    async fn refresh(&self, refresh_token: &str) -> Result<IssuedTokens, IdentityError> {
        self.refresh_at(refresh_token, Utc::now()).await
    }

    /// Authenticates as the gateway does: in a transaction scoped to the token's principal.
    async fn authenticate_at(
        &self,
        claims: &AccessClaims,
        now: DateTime<Utc>,
    ) -> Result<Authenticated, IdentityError> {
        let ctx = match (claims.kind, claims.cid) {
            (PrincipalKind::PortalUser, Some(customer)) => {
                TenantContext::portal_user(claims.tid, claims.sub, customer)
            }
            _ => TenantContext::user(claims.tid, claims.sub),
        };
        self.run_in(ctx, async |tx| {
            sessions::authenticate(tx, claims, now).await
        })
        .await
    }

    async fn authenticate(&self, claims: &AccessClaims) -> Result<Authenticated, IdentityError> {
        self.authenticate_at(claims, Utc::now()).await
    }

    async fn logout(&self, claims: &AccessClaims) -> Result<(), IdentityError> {
        self.run(async |tx| sessions::logout(tx, claims, Utc::now()).await)
            .await
    }

    async fn set_status(&self, user_id: Uuid, status: UserStatus) -> users::Model {
        self.run(async |tx| admin::set_user_status(tx, user_id, status).await)
            .await
            .unwrap()
    }

    async fn count(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> i64 {
        scalar(&self.owner, sql, values).await
    }
}

// ───────────────────────────── sign-in ─────────────────────────────

#[tokio::test]
async fn login_succeeds_with_the_right_password() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let before = Utc::now();

    let tokens = w.login(" Rep@ACME.test ", PASSWORD).await.unwrap();

    let claims = &tokens.claims;
    assert_eq!(
        (claims.sub, claims.tid, claims.kind, claims.cid),
        (user.id, w.tenant, PrincipalKind::User, None)
    );
    assert_eq!(w.keys.verify(&tokens.access_token).unwrap(), *claims);
    assert_eq!(tokens.expires_at.timestamp(), claims.exp);
    assert!(tokens.expires_at > before + Duration::minutes(14));
    assert!(tokens.expires_at <= Utc::now() + Duration::minutes(15));
    assert!(tokens.refresh_token.starts_with("lr1.u."));
    assert_eq!(
        refresh_token_tenant(&tokens.refresh_token).unwrap(),
        w.tenant
    );

    // The first session of a login names its family; only a hash of the secret is stored.
    let stored = w
        .count(
            "SELECT count(*) FROM user_sessions WHERE user_id = $1 AND id = family_id AND family_id = $2 \
               AND length(refresh_token_hash) = 64 AND strpos($3, refresh_token_hash) = 0 \
               AND user_agent = 'integration-test/1.0' AND ip_address = '203.0.113.7' \
               AND expires_at > now() + interval '29 days'",
            [user.id.into(), claims.sid.into(), tokens.refresh_token.clone().into()],
        )
        .await;
    assert_eq!(stored, 1);
    let logged_in = w
        .count(
            "SELECT count(*) FROM users WHERE id = $1 AND last_login_at IS NOT NULL",
            [user.id.into()],
        )
        .await;
    assert_eq!(logged_in, 1);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_are_indistinguishable() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;

    let wrong_password = w
        .login("rep@acme.test", "not the password")
        .await
        .unwrap_err();
    let unknown_email = w.login("nobody@acme.test", PASSWORD).await.unwrap_err();

    for error in [&wrong_password, &unknown_email] {
        assert!(
            matches!(error, IdentityError::InvalidCredentials),
            "{error:?}"
        );
        assert_eq!(error.code(), ErrorCode::Unauthenticated);
        assert_eq!(error.field(), None);
    }
    assert_eq!(wrong_password.to_string(), unknown_email.to_string());
    // Only the known account counts the failure.
    let failures = w
        .count("SELECT sum(failed_login_count) FROM users", [])
        .await;
    assert_eq!(failures, 1);
    let counted = w
        .count(
            "SELECT failed_login_count::bigint FROM users WHERE id = $1",
            [user.id.into()],
        )
        .await;
    assert_eq!(counted, 1);
}

#[tokio::test]
async fn account_locks_after_max_failed_logins_and_unlocks_after_the_lockout() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let earlier_session = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let now = Utc::now();

    for attempt in 1..w.policy.max_failed_logins {
        let error = w.login_at("rep@acme.test", "wrong", now).await.unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidCredentials),
            "attempt {attempt}: {error:?}"
        );
    }
    let locked = w.login_at("rep@acme.test", "wrong", now).await.unwrap_err();
    let until = now + w.policy.lockout;
    assert!(
        matches!(locked, IdentityError::AccountLocked { until: u } if u == until),
        "{locked:?}"
    );
    assert_eq!(locked.code(), ErrorCode::Unauthenticated);

    // While locked, the right password does not help and wrong ones are not counted.
    for password in [PASSWORD, "wrong"] {
        let error = w
            .login_at("rep@acme.test", password, now + Duration::minutes(14))
            .await
            .unwrap_err();
        assert!(
            matches!(error, IdentityError::AccountLocked { .. }),
            "{error:?}"
        );
    }
    assert_eq!(
        w.count(
            "SELECT count(*) FROM users WHERE id = $1 AND failed_login_count = 0 AND locked_until = $2",
            [user.id.into(), until.into()],
        )
        .await,
        1
    );
    // A lock stops password guessing, not the sessions of whoever already knew the password.
    w.refresh(&earlier_session.refresh_token).await.unwrap();

    let after = until + Duration::seconds(1);
    w.login_at("rep@acme.test", PASSWORD, after).await.unwrap();
    assert_eq!(
        w.count(
            "SELECT count(*) FROM users WHERE id = $1 AND failed_login_count = 0 AND locked_until IS NULL",
            [user.id.into()],
        )
        .await,
        1
    );
}

#[tokio::test]
async fn disabled_user_cannot_log_in() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;

    for status in [UserStatus::Disabled, UserStatus::Invited] {
        w.set_status(user.id, status).await;
        let error = w.login("rep@acme.test", PASSWORD).await.unwrap_err();
        assert!(
            matches!(error, IdentityError::AccountDisabled),
            "{status:?}: {error:?}"
        );
        // Without the password, a disabled account looks like any other failure.
        let error = w.login("rep@acme.test", "wrong").await.unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidCredentials),
            "{error:?}"
        );
    }

    w.set_status(user.id, UserStatus::Active).await;
    w.login("rep@acme.test", PASSWORD).await.unwrap();
}

#[tokio::test]
async fn login_is_confined_to_its_tenant() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let other = create_tenant(&w.owner, "globex").await;
    let (keys, policy, client) = (&w.keys, &w.policy, client());

    let error = w
        .run_in(TenantContext::anonymous(other), async |tx| {
            sessions::login(
                tx,
                keys,
                policy,
                other,
                "rep@acme.test",
                PASSWORD,
                &client,
                Utc::now(),
            )
            .await
        })
        .await
        .unwrap_err();

    assert!(
        matches!(error, IdentityError::InvalidCredentials),
        "{error:?}"
    );
}

// ───────────────────────────── refresh and logout ─────────────────────────────

#[tokio::test]
async fn refresh_rotates_and_the_old_token_is_refused() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let first = w.login("rep@acme.test", PASSWORD).await.unwrap();

    let second = w.refresh(&first.refresh_token).await.unwrap();

    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.claims.sid, first.claims.sid, "same family");
    assert_eq!(second.claims.sub, user.id);
    w.authenticate(&second.claims).await.unwrap();
    assert_eq!(
        w.count(
            "SELECT count(*) FROM user_sessions WHERE family_id = $1 AND rotated_at IS NOT NULL",
            [first.claims.sid.into()],
        )
        .await,
        1
    );

    let replay = w.refresh(&first.refresh_token).await.unwrap_err();
    assert!(
        matches!(replay, IdentityError::RefreshTokenReused),
        "{replay:?}"
    );
    assert_eq!(replay.code(), ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_family() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let stolen = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let other_device = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let legitimate = w.refresh(&stolen.refresh_token).await.unwrap();

    let replay = w.refresh(&stolen.refresh_token).await.unwrap_err();

    assert!(
        matches!(replay, IdentityError::RefreshTokenReused),
        "{replay:?}"
    );
    assert!(replay.commit_anyway());
    let live = w
        .count(
            "SELECT count(*) FROM user_sessions WHERE family_id = $1 AND revoked_at IS NULL",
            [stolen.claims.sid.into()],
        )
        .await;
    assert_eq!(live, 0, "every session of the family is revoked");
    let error = w.refresh(&legitimate.refresh_token).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");
    let error = w.authenticate(&legitimate.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");

    // Another login of the same user is another family, untouched.
    w.authenticate(&other_device.claims).await.unwrap();
    w.refresh(&other_device.refresh_token).await.unwrap();
}

#[tokio::test]
async fn refresh_refuses_forged_expired_and_foreign_tokens() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let tokens = w.login("rep@acme.test", PASSWORD).await.unwrap();

    // The right session with a made-up secret: refused, and it revokes nothing.
    let (head, _secret) = tokens.refresh_token.rsplit_once('.').unwrap();
    let forged = format!("{head}.{}", URL_SAFE_NO_PAD.encode([7u8; 32]));
    let error = w.refresh(&forged).await.unwrap_err();
    assert!(matches!(error, IdentityError::InvalidToken), "{error:?}");

    // Past its expiry.
    let later = Utc::now() + w.policy.refresh_ttl + Duration::minutes(1);
    let error = w
        .refresh_at(&tokens.refresh_token, later)
        .await
        .unwrap_err();
    assert!(matches!(error, IdentityError::InvalidToken), "{error:?}");

    // Presented in another tenant's transaction: its session is invisible there.
    let other = create_tenant(&w.owner, "globex").await;
    let (keys, policy, client) = (&w.keys, &w.policy, client());
    let error = w
        .run_in(TenantContext::anonymous(other), async |tx| {
            sessions::refresh(tx, keys, policy, &tokens.refresh_token, &client, Utc::now()).await
        })
        .await
        .unwrap_err();
    assert!(matches!(error, IdentityError::InvalidToken), "{error:?}");

    for garbage in ["", "lr1", "not-a-token", "lr1.u.x.y.z"] {
        assert!(matches!(
            refresh_token_tenant(garbage),
            Err(IdentityError::InvalidToken)
        ));
        let error = w
            .run(async |tx| sessions::refresh(tx, keys, policy, garbage, &client, Utc::now()).await)
            .await
            .unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidToken),
            "{garbage:?}: {error:?}"
        );
    }

    // None of that harmed the genuine token.
    w.refresh(&tokens.refresh_token).await.unwrap();
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let this_device = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let rotated = w.refresh(&this_device.refresh_token).await.unwrap();
    let other_device = w.login("rep@acme.test", PASSWORD).await.unwrap();

    w.logout(&rotated.claims).await.unwrap();

    let error = w.authenticate(&rotated.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");
    let error = w.refresh(&rotated.refresh_token).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");
    w.authenticate(&other_device.claims).await.unwrap();
    w.logout(&rotated.claims).await.unwrap();
}

// ───────────────────────────── authentication per request ─────────────────────────────

#[tokio::test]
async fn authenticate_refuses_a_revoked_session_and_a_disabled_user() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let tokens = w.login("rep@acme.test", PASSWORD).await.unwrap();
    w.authenticate(&tokens.claims).await.unwrap();

    // Disabled behind the service's back: the status alone refuses, for requests and refreshes.
    w.owner
        .execute_raw(stmt(
            "UPDATE users SET status = 'disabled' WHERE id = $1",
            [user.id.into()],
        ))
        .await
        .unwrap();
    let error = w.authenticate(&tokens.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::AccountDisabled), "{error:?}");
    let error = w.refresh(&tokens.refresh_token).await.unwrap_err();
    assert!(matches!(error, IdentityError::AccountDisabled), "{error:?}");

    // Disabled through the service: the sessions end too, so re-enabling does not revive them.
    w.set_status(user.id, UserStatus::Active).await;
    w.authenticate(&tokens.claims).await.unwrap();
    w.set_status(user.id, UserStatus::Disabled).await;
    w.set_status(user.id, UserStatus::Active).await;
    let error = w.authenticate(&tokens.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");

    // A family whose sessions have all expired is over as well.
    let fresh = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let later = Utc::now() + w.policy.refresh_ttl + Duration::minutes(1);
    let error = w.authenticate_at(&fresh.claims, later).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");

    // Claims naming no session of this user, or no user, are invalid.
    for claims in [
        AccessClaims {
            sid: Uuid::now_v7(),
            ..fresh.claims.clone()
        },
        AccessClaims {
            sub: Uuid::now_v7(),
            ..fresh.claims.clone()
        },
        AccessClaims {
            cid: Some(w.customer),
            ..fresh.claims.clone()
        },
    ] {
        let error = w.authenticate(&claims).await.unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidToken),
            "{claims:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn authenticate_loads_roles_and_permissions() {
    let w = world().await;
    let user = w.user("manager@acme.test", &["sales_rep"]).await;
    let buyer: Uuid = scalar(
        &w.owner,
        "INSERT INTO roles (tenant_id, name, audience) VALUES ($1, 'buyer', 'internal') RETURNING id",
        [w.tenant.into()],
    )
    .await;
    w.owner
        .execute_raw(stmt(
            "INSERT INTO role_permissions (tenant_id, role_id, permission_id) \
             SELECT $1, $2, id FROM permissions WHERE key IN ('orders.manage', 'orders.view')",
            [w.tenant.into(), buyer.into()],
        ))
        .await
        .unwrap();
    let tenant = w.tenant;
    w.run(async |tx| admin::assign_role(tx, tenant, user.id, "buyer").await)
        .await
        .unwrap();
    let tokens = w.login("manager@acme.test", PASSWORD).await.unwrap();

    let auth = w.authenticate(&tokens.claims).await.unwrap();

    assert_eq!(auth.kind, PrincipalKind::User);
    assert_eq!(auth.principal_id, user.id);
    assert_eq!(auth.customer_id, None);
    assert_eq!(auth.roles, ["buyer", "sales_rep"]);
    let expected: BTreeSet<String> = [
        "activities.manage",
        "activities.view",
        "analytics.view",
        "customers.view",
        "invoices.view",
        "orders.create",
        "orders.manage",
        "orders.view",
        "products.view",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(auth.permissions, expected);
}

// ───────────────────────────── portal users ─────────────────────────────

#[tokio::test]
async fn portal_login_carries_the_customer() {
    let w = world().await;
    let buyer = w.portal_user("Buyer@Harbor.test", w.customer).await;
    assert_eq!(buyer.email, "buyer@harbor.test");

    let tokens = w.portal_login("buyer@harbor.test", PASSWORD).await.unwrap();

    assert_eq!(tokens.claims.kind, PrincipalKind::PortalUser);
    assert_eq!(tokens.claims.sub, buyer.id);
    assert_eq!(tokens.claims.cid, Some(w.customer));
    assert!(tokens.refresh_token.starts_with("lr1.p."));
    let auth = w.authenticate(&tokens.claims).await.unwrap();
    assert_eq!(auth.customer_id, Some(w.customer));
    assert_eq!(auth.roles, ["portal_user"]);
    let expected: BTreeSet<String> = [
        "portal.catalog.view",
        "portal.invoices.view",
        "portal.orders.create",
        "portal.orders.view",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(auth.permissions, expected);

    // Refreshing keeps the customer; claiming another customer is refused.
    let refreshed = w.refresh(&tokens.refresh_token).await.unwrap();
    assert_eq!(refreshed.claims.cid, Some(w.customer));
    let other_customer = create_customer(&w.owner, w.tenant, "ACCT-2").await;
    let lying = AccessClaims {
        cid: Some(other_customer),
        ..refreshed.claims.clone()
    };
    let error = w.authenticate(&lying).await.unwrap_err();
    assert!(matches!(error, IdentityError::InvalidToken), "{error:?}");

    // Portal users and internal users are separate accounts.
    let error = w.login("buyer@harbor.test", PASSWORD).await.unwrap_err();
    assert!(
        matches!(error, IdentityError::InvalidCredentials),
        "{error:?}"
    );
}

#[tokio::test]
async fn disabling_a_portal_user_ends_its_sessions_and_locks_it_out() {
    let w = world().await;
    let buyer = w.portal_user("buyer@harbor.test", w.customer).await;
    let tokens = w.portal_login("buyer@harbor.test", PASSWORD).await.unwrap();

    let disabled = w
        .run(async |tx| admin::set_portal_user_status(tx, buyer.id, UserStatus::Disabled).await)
        .await
        .unwrap();

    assert_eq!(disabled.status, UserStatus::Disabled);
    let error = w.authenticate(&tokens.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::AccountDisabled), "{error:?}");
    let error = w
        .portal_login("buyer@harbor.test", PASSWORD)
        .await
        .unwrap_err();
    assert!(matches!(error, IdentityError::AccountDisabled), "{error:?}");
    assert_eq!(
        w.count(
            "SELECT count(*) FROM portal_sessions WHERE portal_user_id = $1 AND revoked_at IS NULL",
            [buyer.id.into()],
        )
        .await,
        0
    );
}

#[tokio::test]
async fn portal_users_need_a_customer_the_caller_can_see() {
    let w = world().await;
    let other_customer = create_customer(&w.owner, w.tenant, "ACCT-2").await;
    let admin_of_first = w.portal_user("admin@harbor.test", w.customer).await;
    let tenant = w.tenant;
    let input = |customer_id: Uuid| NewPortalUser {
        customer_id,
        email: "new@harbor.test".to_owned(),
        full_name: "New Buyer".to_owned(),
        password: PASSWORD.to_owned(),
        roles: vec!["portal_admin".to_owned()],
    };

    let error = w
        .run(async |tx| admin::create_portal_user(tx, tenant, input(Uuid::now_v7())).await)
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::NotFound { entity: "customer" }),
        "{error:?}"
    );

    // A portal request sees only its own customer.
    let portal_ctx = TenantContext::portal_user(tenant, admin_of_first.id, w.customer);
    let error = w
        .run_in(portal_ctx, async |tx| {
            admin::create_portal_user(tx, tenant, input(other_customer)).await
        })
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::NotFound { entity: "customer" }),
        "{error:?}"
    );

    let created = w
        .run_in(portal_ctx, async |tx| {
            admin::create_portal_user(tx, tenant, input(w.customer)).await
        })
        .await
        .unwrap();
    let roles = w
        .run(async |tx| admin::roles_of_portal_users(tx, &[created.id, admin_of_first.id]).await)
        .await
        .unwrap();
    assert_eq!(roles[&created.id], ["portal_admin"]);
    assert_eq!(roles[&admin_of_first.id], ["portal_user"]);
}

// ───────────────────────────── access tokens ─────────────────────────────

fn b64_json(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

#[tokio::test]
async fn tokens_with_alg_none_wrong_key_expired_or_tampered_claims_are_refused() {
    let keys = JwtKeys::new(SECRET);
    let now = Utc::now().timestamp();
    let claims = AccessClaims {
        sub: Uuid::now_v7(),
        tid: Uuid::now_v7(),
        kind: PrincipalKind::User,
        cid: None,
        sid: Uuid::now_v7(),
        iat: now,
        exp: now + 900,
    };
    let genuine = keys.issue(&claims).unwrap();
    assert_eq!(keys.verify(&genuine).unwrap(), claims);
    let claims_json = serde_json::to_value(&claims).unwrap();
    let sign = |alg: jsonwebtoken::Algorithm, payload: &serde_json::Value| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(alg),
            payload,
            &jsonwebtoken::EncodingKey::from_secret(SECRET),
        )
        .unwrap()
    };
    let (_, genuine_rest) = genuine.split_once('.').unwrap();
    let (_, genuine_signature) = genuine_rest.split_once('.').unwrap();

    let mut tampered_claims = claims_json.clone();
    tampered_claims["tid"] = json!(Uuid::now_v7());
    let mut without_sid = claims_json.clone();
    without_sid.as_object_mut().unwrap().remove("sid");
    let mut without_exp = claims_json.clone();
    without_exp.as_object_mut().unwrap().remove("exp");
    let mut portal_kind_garbage = claims_json.clone();
    portal_kind_garbage["kind"] = json!("superuser");

    let forged = [
        (
            "alg none",
            format!(
                "{}.{}.",
                b64_json(&json!({"alg": "none", "typ": "JWT"})),
                b64_json(&claims_json)
            ),
        ),
        (
            "alg none, genuine signature",
            format!(
                "{}.{}.{genuine_signature}",
                b64_json(&json!({"alg": "none", "typ": "JWT"})),
                b64_json(&claims_json)
            ),
        ),
        (
            "wrong key",
            JwtKeys::new(b"another secret entirely")
                .issue(&claims)
                .unwrap(),
        ),
        (
            "expired",
            keys.issue(&AccessClaims {
                iat: now - 3600,
                exp: now - 1800,
                ..claims.clone()
            })
            .unwrap(),
        ),
        (
            "expired beyond the leeway",
            keys.issue(&AccessClaims {
                exp: now - 10,
                ..claims.clone()
            })
            .unwrap(),
        ),
        (
            "tampered claims",
            format!(
                "{}.{}.{genuine_signature}",
                b64_json(&json!({"alg": "HS256", "typ": "JWT"})),
                b64_json(&tampered_claims)
            ),
        ),
        (
            "another algorithm",
            sign(jsonwebtoken::Algorithm::HS512, &claims_json),
        ),
        (
            "missing sid",
            sign(jsonwebtoken::Algorithm::HS256, &without_sid),
        ),
        (
            "missing exp",
            sign(jsonwebtoken::Algorithm::HS256, &without_exp),
        ),
        (
            "unknown kind",
            sign(jsonwebtoken::Algorithm::HS256, &portal_kind_garbage),
        ),
        ("truncated", genuine[..genuine.len() - 3].to_owned()),
        ("garbage", "not.a.jwt".to_owned()),
        ("empty", String::new()),
    ];
    for (what, token) in forged {
        let result = keys.verify(&token);
        assert!(
            matches!(result, Err(IdentityError::InvalidToken)),
            "{what}: {result:?}"
        );
    }
}

// ───────────────────────────── administration ─────────────────────────────

#[tokio::test]
async fn portal_roles_cannot_be_given_to_internal_users() {
    let w = world().await;
    let tenant = w.tenant;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let buyer = w.portal_user("buyer@harbor.test", w.customer).await;

    let error = assert_code(
        w.run(async |tx| {
            admin::create_user(
                tx,
                tenant,
                new_user("x@acme.test", &["sales_rep", "portal_user"]),
            )
            .await
        })
        .await,
        ErrorCode::BadUserInput,
    );
    assert_eq!(error.field(), Some("roles"));

    let error = w
        .run(async |tx| admin::assign_role(tx, tenant, rep.id, "portal_admin").await)
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::Forbidden { .. }),
        "{error:?}"
    );

    // Nor internal roles to portal users.
    let error = w
        .run(async |tx| admin::assign_portal_role(tx, tenant, buyer.id, "admin").await)
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::Forbidden { .. }),
        "{error:?}"
    );
    let error = assert_code(
        w.run(async |tx| {
            let input = NewPortalUser {
                customer_id: w.customer,
                email: "y@harbor.test".to_owned(),
                full_name: "Y".to_owned(),
                password: PASSWORD.to_owned(),
                roles: vec!["sales_rep".to_owned()],
            };
            admin::create_portal_user(tx, tenant, input).await
        })
        .await,
        ErrorCode::BadUserInput,
    );
    assert_eq!(error.field(), Some("roles"));

    let roles = w
        .run(async |tx| admin::roles_of_users(tx, &[rep.id]).await)
        .await
        .unwrap();
    assert_eq!(roles[&rep.id], ["sales_rep"]);
}

#[tokio::test]
async fn creating_a_user_with_a_taken_email_conflicts() {
    let w = world().await;
    let tenant = w.tenant;
    w.user("rep@acme.test", &["sales_rep"]).await;

    let error = assert_code(
        w.run(async |tx| admin::create_user(tx, tenant, new_user(" REP@acme.test", &[])).await)
            .await,
        ErrorCode::Conflict,
    );
    assert_eq!(error.field(), Some("email"));
    assert_eq!(
        w.count("SELECT count(*) FROM users", []).await,
        1,
        "nothing was written"
    );

    // Emails are unique per tenant only.
    let other = create_tenant(&w.owner, "globex").await;
    w.run_in(TenantContext::anonymous(other), async |tx| {
        admin::create_user(tx, other, new_user("rep@acme.test", &[])).await
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn creating_a_user_validates_every_field() {
    let w = world().await;
    let tenant = w.tenant;
    let cases = [
        (
            "email",
            NewUser {
                email: "not an email".to_owned(),
                ..new_user("", &[])
            },
        ),
        (
            "fullName",
            NewUser {
                full_name: "  ".to_owned(),
                ..new_user("a@acme.test", &[])
            },
        ),
        (
            "password",
            NewUser {
                password: "short".to_owned(),
                ..new_user("a@acme.test", &[])
            },
        ),
        ("roles", new_user("a@acme.test", &["no_such_role"])),
        (
            "managerId",
            NewUser {
                manager_id: Some(Uuid::now_v7()),
                ..new_user("a@acme.test", &[])
            },
        ),
    ];
    for (field, input) in cases {
        let error = assert_code(
            w.run(async |tx| admin::create_user(tx, tenant, input).await)
                .await,
            ErrorCode::BadUserInput,
        );
        assert_eq!(error.field(), Some(field), "{error:?}");
    }
    assert_eq!(w.count("SELECT count(*) FROM users", []).await, 0);

    let manager = w.user("manager@acme.test", &["sales_manager"]).await;
    let rep = w
        .run(async |tx| {
            let input = NewUser {
                manager_id: Some(manager.id),
                ..new_user("Rep@Acme.test", &[])
            };
            admin::create_user(tx, tenant, input).await
        })
        .await
        .unwrap();
    assert_eq!(
        (rep.email.as_str(), rep.manager_id),
        ("rep@acme.test", Some(manager.id))
    );
    assert_eq!(rep.status, UserStatus::Active);
    assert_ne!(rep.password_hash, PASSWORD);
}

#[tokio::test]
async fn roles_are_assigned_idempotently_revoked_and_loaded_in_batches() {
    let w = world().await;
    let tenant = w.tenant;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let nobody = w.user("nobody@acme.test", &[]).await;

    w.run(async |tx| {
        admin::assign_role(tx, tenant, rep.id, "sales_manager").await?;
        admin::assign_role(tx, tenant, rep.id, "sales_manager").await
    })
    .await
    .unwrap();
    let roles = w
        .run(async |tx| admin::roles_of_users(tx, &[rep.id, nobody.id]).await)
        .await
        .unwrap();
    assert_eq!(roles[&rep.id], ["sales_manager", "sales_rep"]);
    assert!(!roles.contains_key(&nobody.id));

    w.run(async |tx| {
        admin::revoke_role(tx, tenant, rep.id, "sales_rep").await?;
        admin::revoke_role(tx, tenant, rep.id, "sales_rep").await
    })
    .await
    .unwrap();
    let roles = w
        .run(async |tx| admin::roles_of_users(tx, &[rep.id]).await)
        .await
        .unwrap();
    assert_eq!(roles[&rep.id], ["sales_manager"]);

    let error = w
        .run(async |tx| admin::assign_role(tx, tenant, rep.id, "no_such_role").await)
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::NotFound { entity: "role" }),
        "{error:?}"
    );
    let error = w
        .run(async |tx| admin::assign_role(tx, tenant, Uuid::now_v7(), "admin").await)
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::NotFound { entity: "user" }),
        "{error:?}"
    );
    let error = w
        .run(async |tx| admin::set_user_status(tx, Uuid::now_v7(), UserStatus::Disabled).await)
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::NotFound { entity: "user" }),
        "{error:?}"
    );

    let mut role_ids = Vec::new();
    for name in ["sales_rep", "portal_user"] {
        let sql = "SELECT id FROM roles WHERE name = $1 AND tenant_id IS NULL";
        role_ids.push(scalar::<Uuid>(&w.owner, sql, [name.into()]).await);
    }
    let permissions = w
        .run(async |tx| admin::permissions_of_roles(tx, &role_ids).await)
        .await
        .unwrap();
    assert_eq!(permissions[&role_ids[0]].len(), 8);
    assert_eq!(
        permissions[&role_ids[1]],
        [
            "portal.catalog.view",
            "portal.invoices.view",
            "portal.orders.create",
            "portal.orders.view"
        ]
    );
}

// ───────────────────────────── development conveniences ─────────────────────────────

#[tokio::test]
async fn demo_portal_user_is_provisioned_in_development_and_refused_in_production() {
    let w = world().await;
    let empty = create_tenant(&w.owner, "empty").await;
    let in_empty = TenantContext::anonymous(empty);

    let error = w
        .run_in(in_empty, async |tx| {
            demo::provision_demo_portal_user(tx, empty, PASSWORD, true).await
        })
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::Forbidden { .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), ErrorCode::Forbidden);
    let written = w
        .count(
            "SELECT (SELECT count(*) FROM customers WHERE tenant_id = $1) \
                  + (SELECT count(*) FROM portal_users WHERE tenant_id = $1)",
            [empty.into()],
        )
        .await;
    assert_eq!(written, 0, "production writes nothing");

    // A tenant without customers gets a demo customer.
    let demo_user = w
        .run_in(in_empty, async |tx| {
            demo::provision_demo_portal_user(tx, empty, PASSWORD, false).await
        })
        .await
        .unwrap();
    assert_eq!(demo_user.email, DEMO_PORTAL_EMAIL);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM customers WHERE id = $1 AND name = 'Demo Customer' AND state = 'CA'",
            [demo_user.customer_id.into()],
        )
        .await,
        1
    );

    // Again, with another password: the same user, now with that password.
    let again = w
        .run_in(in_empty, async |tx| {
            demo::provision_demo_portal_user(tx, empty, "another password", false).await
        })
        .await
        .unwrap();
    assert_eq!(
        (again.id, again.customer_id),
        (demo_user.id, demo_user.customer_id)
    );
    let (keys, policy, client) = (&w.keys, &w.policy, client());
    let tokens = w
        .run_in(in_empty, async |tx| {
            sessions::portal_login(
                tx,
                keys,
                policy,
                empty,
                DEMO_PORTAL_EMAIL,
                "another password",
                &client,
                Utc::now(),
            )
            .await
        })
        .await
        .unwrap();
    let auth = w.authenticate(&tokens.claims).await.unwrap();
    assert_eq!(auth.roles, ["portal_user"]);

    // A tenant with customers attaches it to the first active one by account number.
    create_customer(&w.owner, w.tenant, "ACCT-0").await;
    w.owner
        .execute_raw(stmt(
            "UPDATE customers SET status = 'inactive' WHERE account_number = 'ACCT-0'",
            [],
        ))
        .await
        .unwrap();
    let tenant = w.tenant;
    let attached = w
        .run(async |tx| demo::provision_demo_portal_user(tx, tenant, PASSWORD, false).await)
        .await
        .unwrap();
    assert_eq!(attached.customer_id, w.customer);
}
