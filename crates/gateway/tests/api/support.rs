//! The test application: a fresh database, a tenant with staff and a portal user, and helpers
//! to call the real router.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leora_gateway::config::Config;
use leora_gateway::{AppState, router};
use leora_identity::service::admin::{self, NewPortalUser, NewUser};
use leora_tenancy::{TenantContext, TenantDb};
use leora_test_db::TestDatabase;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;
use uuid::Uuid;

pub const SECRET: &str = "test-secret-test-secret-test-secret-0123";
pub const PASSWORD: &str = "correct horse battery";
/// The sign-in every test's `login` and `token` send.
pub const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken expiresAt tokenType } }";

pub struct TestApp {
    /// The per-test database it owns, if any (dropped with it).
    _database: Option<TestDatabase>,
    pub owner: DatabaseConnection,
    /// The database's URL, for a server process of its own.
    pub url: String,
    router: Router,
    pub customer: Uuid,
    pub statements: Arc<AtomicUsize>,
}

pub fn config(extra: &[(&str, &str)]) -> Config {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("JWT_SECRET".to_owned(), SECRET.to_owned()),
        ("DEFAULT_TENANT_SLUG".to_owned(), "acme".to_owned()),
        ("LOGIN_MAX_FAILED_ATTEMPTS".to_owned(), "3".to_owned()),
    ]);
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    Config::from_lookup(|name| vars.get(name).cloned()).unwrap()
}

pub async fn create_tenant(owner: &DatabaseConnection, slug: &str) -> (Uuid, Uuid) {
    let tenant = Uuid::now_v7();
    let customer = Uuid::now_v7();
    owner
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "WITH t AS (INSERT INTO tenants (id, slug, name) VALUES ($1, $3, $3) RETURNING id)
             INSERT INTO customers (id, tenant_id, account_number, name, state, license_number, license_state, license_expires_on) SELECT $2, id, 'C-1', 'Harborview Cellars', 'CA', 'CA-C-1', 'CA', current_date + 365 FROM t",
            [tenant.into(), customer.into(), slug.into()],
        ))
        .await
        .unwrap();
    (tenant, customer)
}

/// Staff (email, role) and a portal buyer of `customer`, all with [`PASSWORD`].
async fn add_people(
    db: &TenantDb,
    tenant: Uuid,
    customer: Uuid,
    staff: &[(&str, &str)],
    buyer: &str,
) {
    leora_identity::with_tenant_committing(db, &TenantContext::system(tenant), async |tx| {
        for (email, role) in staff {
            let user = NewUser {
                email: (*email).into(),
                full_name: (*role).into(),
                password: PASSWORD.into(),
                roles: vec![(*role).into()],
                manager_id: None,
            };
            admin::create_user(tx, user).await?;
        }
        let buyer = NewPortalUser {
            customer_id: customer,
            email: buyer.into(),
            full_name: "Buyer".into(),
            password: PASSWORD.into(),
            roles: vec![],
        };
        admin::create_portal_user(tx, buyer).await?;
        Ok::<_, leora_identity::IdentityError>(())
    })
    .await
    .unwrap();
}

pub async fn app_with(extra: &[(&str, &str)]) -> TestApp {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let url = database.url().to_owned();
    app_on(Some(database), owner, &url, extra, None).await
}

/// The test app on the migrated database at `url` (`owner` connects to it as the migration
/// role), with the tenant `acme` and its people; `acquire_timeout` bounds the wait for a pooled
/// connection (sqlx's default otherwise).
pub async fn app_on(
    database: Option<TestDatabase>,
    owner: DatabaseConnection,
    url: &str,
    extra: &[(&str, &str)],
    acquire_timeout: Option<std::time::Duration>,
) -> TestApp {
    let config = config(extra);
    let (tenant, customer) = create_tenant(&owner, "acme").await;
    let db = TenantDb::new(owner.clone(), config.app_role.clone());
    let staff = [("admin@acme.test", "admin"), ("rep@acme.test", "sales_rep")];
    add_people(&db, tenant, customer, &staff, "buyer@harborview.test").await;
    // Harborview is the rep's account.
    owner
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE customers SET assigned_rep_id = (SELECT id FROM users WHERE email = 'rep@acme.test')",
            [],
        ))
        .await
        .unwrap();
    // Every statement the server runs is counted, so tests can show a request's statement count
    // does not grow with its page size.
    let mut options = sea_orm::ConnectOptions::new(url.to_owned());
    options
        .max_connections(config.database_pool_max)
        .sqlx_logging(false);
    if let Some(timeout) = acquire_timeout {
        options.acquire_timeout(timeout);
    }
    let mut pool = leora_tenancy::db::connect(options).await.unwrap();
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&statements);
    pool.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let state = AppState::new(&config, pool);
    TestApp {
        _database: database,
        owner,
        url: url.to_owned(),
        router: router(state),
        customer,
        statements,
    }
}

impl TestApp {
    /// Another server instance on the same database (its own pool, schema and live-event
    /// listener, sign-in limiter, document cache and fair shares), as a second replica behind a
    /// balancer would be.
    pub async fn instance(&self, extra: &[(&str, &str)]) -> Router {
        let config = config(extra);
        let mut options = sea_orm::ConnectOptions::new(self.url.clone());
        options
            .max_connections(config.database_pool_max)
            .sqlx_logging(false);
        let pool = leora_tenancy::db::connect(options).await.unwrap();
        router(AppState::new(&config, pool))
    }

    /// [`TestApp::instance`] as a test app of its own.
    pub async fn another_instance(&self) -> TestApp {
        TestApp {
            _database: None,
            owner: self.owner.clone(),
            url: self.url.clone(),
            router: self.instance(&[]).await,
            customer: self.customer,
            statements: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// A second tenant, `beta`, with an admin (`admin@beta.test`) and a portal buyer
    /// (`buyer@beta.test`), both with [`PASSWORD`].
    pub async fn second_tenant(&self) {
        let (tenant, customer) = create_tenant(&self.owner, "beta").await;
        let db = TenantDb::new(self.owner.clone(), config(&[]).app_role);
        add_people(
            &db,
            tenant,
            customer,
            &[("admin@beta.test", "admin")],
            "buyer@beta.test",
        )
        .await;
    }

    /// Signs in the admin of the second tenant (see [`TestApp::second_tenant`]).
    pub async fn token_in_second_tenant(&self) -> String {
        self.second_tenant().await;
        let reply = self
            .graphql(
                None,
                "mutation($input: LoginInput!) { login(input: $input) { accessToken } }",
                json!({ "input": { "tenantSlug": "beta", "email": "admin@beta.test", "password": PASSWORD } }),
            )
            .await;
        reply.data("login")["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {}", reply.body))
            .to_owned()
    }
}

pub async fn app() -> TestApp {
    app_with(&[]).await
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub request_id: Option<String>,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {}", self.body))
    }

    pub fn data(&self, field: &str) -> &Value {
        &self.body["data"][field]
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &header::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let content_type = header_text(header::CONTENT_TYPE.as_str()).unwrap_or_default();
        let request_id = header_text("x-request-id");
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            content_type,
            request_id,
            body,
        }
    }

    /// How many SQL statements the server ran for one request.
    pub async fn statements_for(
        &self,
        token: &str,
        query: &str,
        variables: Value,
    ) -> (usize, Reply) {
        let before = self.statements.load(Ordering::SeqCst);
        let reply = self.graphql(Some(token), query, variables).await;
        (self.statements.load(Ordering::SeqCst) - before, reply)
    }

    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Sends `query`, which takes no variables, as the bearer of `token`.
    pub async fn ask(&self, token: &str, query: &str) -> Reply {
        self.graphql(Some(token), query, json!({})).await
    }

    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Reply {
        let mut request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = json!({ "query": query, "variables": variables }).to_string();
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.graphql(
            None,
            LOGIN,
            json!({ "input": { "tenantSlug": "acme", "email": email, "password": password } }),
        )
        .await
    }

    pub async fn token(&self, email: &str) -> String {
        let reply = self.login(email, PASSWORD).await;
        reply.data("login")["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {}", reply.body))
            .to_owned()
    }

    pub async fn portal_token(&self) -> String {
        let reply = self
            .graphql(
                None,
                "mutation { portalLogin(input: {email: \"buyer@harborview.test\", password: \"correct horse battery\"}) { accessToken } }",
                json!({}),
            )
            .await;
        reply.data("portalLogin")["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{}", reply.body))
            .to_owned()
    }

    pub async fn scalar_text(&self, sql: &str) -> String {
        self.first_value(sql).await
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        self.first_value(sql).await
    }

    async fn first_value<T: sea_orm::TryGetable>(&self, sql: &str) -> T {
        let row = self
            .owner
            .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<T>(0).unwrap()
    }
}

/// Holds a row lock on the test customer from outside the application until dropped.
pub async fn lock_customer(app: &TestApp) -> sea_orm::DatabaseTransaction {
    let lock = app.owner.begin().await.unwrap();
    lock.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT 1 FROM customers WHERE id = $1 FOR UPDATE",
        [app.customer.into()],
    ))
    .await
    .unwrap();
    lock
}

/// Returns once a statement of the test database waits for a row lock: the request holding its
/// tenant's one permit is then surely blocked, however slow the machine.
pub async fn wait_until_a_request_waits_for_a_lock(app: &TestApp) {
    let waiting = "SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock'";
    for _ in 0..500 {
        if app.scalar(waiting).await > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("no request came to wait for the locked row within 5 s");
}

pub const RENAME: &str =
    "mutation($id: ID!) { updateCustomer(id: $id, input: { name: \"Renamed\" }) { name } }";
