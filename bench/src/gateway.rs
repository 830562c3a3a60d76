//! The mix over HTTP: who signs in, the four operations, and one measurement of one operation at
//! one concurrency against the real server.

use crate::dataset::Dataset;
use crate::load::{Measured, drive, with_rss_sampling};
use crate::mix::Query;
use crate::report::Measurement as Row;
use crate::server::Server;
use crate::{Options, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

/// A signed-in principal: its access token and the claims the server reads from it (which the
/// raw baseline uses to run the same statements).
#[derive(Debug, Clone)]
pub struct Principal {
    pub token: String,
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub session_id: Uuid,
    /// For writers: SKUs of the tenant to add to the cart.
    pub skus: Vec<String>,
}

pub struct Principals {
    /// Portal buyers for (a) and (b), one per client, spread over the tenants.
    pub readers: Vec<Principal>,
    /// Portal buyers for (d), other customers than the readers'.
    pub writers: Vec<Principal>,
    /// Sales reps for (c).
    pub reps: Vec<Principal>,
    /// Admins for (e), one per tenant (none unless (e) is asked for).
    pub admins: Vec<Principal>,
}

fn claims(token: &str) -> Result<Value> {
    let payload = token
        .split('.')
        .nth(1)
        .ok_or("the access token is not a JWT")?;
    Ok(serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload)?)?)
}

fn uuid_claim(claims: &Value, name: &str) -> Result<Option<Uuid>> {
    match claims[name].as_str() {
        Some(text) => Ok(Some(Uuid::parse_str(text)?)),
        None => Ok(None),
    }
}

/// POSTs one GraphQL request; any transport error, non-200 or `errors` in the body is an error.
pub async fn post(
    server: &Server,
    token: Option<&str>,
    query: &str,
    variables: &Value,
) -> Result<Vec<u8>, String> {
    post_body(
        server,
        token,
        &json!({ "query": query, "variables": variables }),
    )
    .await
}

/// As [`post`], naming a trusted document by its id instead of sending its text.
pub async fn post_trusted(
    server: &Server,
    token: Option<&str>,
    document_id: &str,
    variables: &Value,
) -> Result<Vec<u8>, String> {
    post_body(
        server,
        token,
        &json!({ "documentId": document_id, "variables": variables }),
    )
    .await
}

async fn post_body(server: &Server, token: Option<&str>, body: &Value) -> Result<Vec<u8>, String> {
    let mut request = server
        .client
        .post(format!("{}/graphql", server.base))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    // The body is only scanned, not parsed, so the load generator stays cheap.
    if !status.is_success() || contains(&body, b"\"errors\"") {
        return Err(format!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        ));
    }
    Ok(body.to_vec())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub async fn sign_in(server: &Server, portal: bool, slug: &str, email: &str) -> Result<Principal> {
    let field = if portal { "portalLogin" } else { "login" };
    let query =
        format!("mutation($input: LoginInput!) {{ {field}(input: $input) {{ accessToken }} }}");
    let variables = json!({ "input": {
        "tenantSlug": slug, "email": email, "password": "synthetic-password" } });
    let body = post(server, None, &query, &variables)
        .await
        .map_err(|e| format!("sign-in of {email} failed: {e}"))?;
    let reply: Value = serde_json::from_slice(&body)?;
    let token = reply["data"][field]["accessToken"]
        .as_str()
        .ok_or_else(|| format!("no token for {email}: {reply}"))?
        .to_owned();
    let claims = claims(&token)?;
    Ok(Principal {
        user_id: uuid_claim(&claims, "sub")?.ok_or("no sub claim")?,
        tenant_id: uuid_claim(&claims, "tid")?.ok_or("no tid claim")?,
        customer_id: uuid_claim(&claims, "cid")?,
        session_id: uuid_claim(&claims, "sid")?.ok_or("no sid claim")?,
        token,
        skus: Vec::new(),
    })
}

pub fn buyer_email(slug: &str, customer: usize) -> String {
    format!("buyer-syn-{customer:06}@{slug}.example")
}

impl Principals {
    /// Client `i` works in tenant `i % tenants`: readers are customers 1, 2 …, writers customers
    /// 101, 102 … and reps rep1 … rep10 of that tenant.
    pub async fn sign_in(
        server: &Server,
        options: &Options,
        dataset: &Dataset,
        clients: usize,
    ) -> Result<Self> {
        let slugs = &dataset.slugs[..(options.tenants as usize).min(dataset.slugs.len())];
        if slugs.is_empty() {
            return Err("the dataset has no synthetic tenant".into());
        }
        let mut readers = Vec::with_capacity(clients);
        let mut writers = Vec::with_capacity(clients);
        let mut reps = Vec::with_capacity(clients);
        let per_tenant_customers = options.customers as usize;
        for client in 0..clients {
            let slug = &slugs[client % slugs.len()];
            let local = client / slugs.len();
            let reader = 1 + local % (per_tenant_customers / 2).max(1);
            let writer = 1 + (per_tenant_customers / 2 + local) % per_tenant_customers.max(1);
            let (reader, writer, rep) = (
                buyer_email(slug, reader),
                buyer_email(slug, writer),
                format!("rep{}@{slug}.example", 1 + local % 10),
            );
            let (a, b, c) = tokio::join!(
                sign_in(server, true, slug, &reader),
                sign_in(server, true, slug, &writer),
                sign_in(server, false, slug, &rep),
            );
            readers.push(a?);
            let mut writer = b?;
            writer.skus = skus_of(server, &writer).await?;
            writers.push(writer);
            reps.push(c?);
        }
        let mut admins = Vec::new();
        if options.wants(Query::Depletions) {
            for slug in slugs.iter().take(clients) {
                admins.push(sign_in(server, false, slug, &format!("admin@{slug}.example")).await?);
            }
        }
        Ok(Self {
            readers,
            writers,
            reps,
            admins,
        })
    }

    pub fn for_query(&self, query: Query) -> &[Principal] {
        match query {
            Query::Catalog | Query::Orders => &self.readers,
            Query::Accounts => &self.reps,
            Query::Writes => &self.writers,
            Query::Depletions => &self.admins,
        }
    }
}

/// The first SKUs of the writer's catalog, to put in its cart in turn.
pub async fn skus_of(server: &Server, writer: &Principal) -> Result<Vec<String>> {
    let body = post(
        server,
        Some(&writer.token),
        "{ products(first: 20) { edges { node { skus { id } } } } }",
        &json!({}),
    )
    .await?;
    let reply: Value = serde_json::from_slice(&body)?;
    let skus: Vec<String> = reply["data"]["products"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|edge| edge["node"]["skus"].as_array().cloned().unwrap_or_default())
        .filter_map(|sku| sku["id"].as_str().map(str::to_owned))
        .collect();
    if skus.is_empty() {
        return Err("the writer's catalog has no SKU".into());
    }
    Ok(skus)
}

/// One query at one concurrency against the server.
pub async fn measure(
    server: &Server,
    principals: &Principals,
    query: Query,
    concurrency: usize,
    options: &Options,
) -> Result<Row> {
    let before = server.counters().await?;
    let cpu_before = crate::server::cpu_ms_of(server.pid).unwrap_or(0.0);
    let clients: Arc<Vec<Principal>> = Arc::new(principals.for_query(query).to_vec());
    let server_handle = ServerHandle::of(server);
    let work = drive(
        concurrency,
        options.warmup(),
        options.duration(),
        move |client, iteration| {
            let clients = Arc::clone(&clients);
            let server = Arc::clone(&server_handle);
            async move {
                let principal = &clients[client % clients.len()];
                let variables = match query {
                    Query::Writes => {
                        let sku = &principal.skus[iteration as usize % principal.skus.len()];
                        json!({ "sku": sku })
                    }
                    _ => query.variables(),
                };
                server
                    .post(&principal.token, query.text(), &variables)
                    .await
            }
        },
    );
    let (measured, rss_peak, rss_hwm): (Measured, f64, f64) =
        with_rss_sampling(server.pid, work).await;
    let after = server.counters().await?;
    let cpu_ms = crate::server::cpu_ms_of(server.pid).unwrap_or(0.0) - cpu_before;
    let requests = after
        .graphql_requests
        .saturating_sub(before.graphql_requests);
    let statements = after.sql_statements.saturating_sub(before.sql_statements);
    let sql_per_request = if requests == 0 {
        0.0
    } else {
        statements as f64 / requests as f64
    };
    let mut row = Row::new(
        query,
        "gateway",
        concurrency,
        &measured,
        sql_per_request,
        Some((rss_peak, rss_hwm)),
    );
    row.server_cpu_ms_per_request = (requests > 0).then(|| cpu_ms / requests as f64);
    Ok(row)
}

/// What a client task needs of the server (the subprocess handle stays with the caller).
pub struct ServerHandle {
    base: String,
    client: reqwest::Client,
}

impl ServerHandle {
    pub fn of(server: &Server) -> Arc<Self> {
        Arc::new(Self {
            base: server.base.clone(),
            client: server.client.clone(),
        })
    }

    /// A handle with its own connections, for clients driven on another runtime (a client's
    /// connections belong to the runtime that opened them).
    pub fn detached(server: &Server) -> reqwest::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            base: server.base.clone(),
            client: crate::server::http_client()?,
        }))
    }

    pub async fn post(&self, token: &str, query: &str, variables: &Value) -> Result<(), String> {
        let response = self
            .client
            .post(format!("{}/graphql", self.base))
            .header("content-type", "application/json")
            .bearer_auth(token)
            .body(json!({ "query": query, "variables": variables }).to_string())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() || contains(&body, b"\"errors\"") {
            return Err(format!(
                "HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            ));
        }
        Ok(())
    }
}
