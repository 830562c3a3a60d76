//! The raw-SQL baseline: for (a)–(c), the statements the server issues for the query (captured
//! from PostgreSQL's statement log with the release server, batches fully formed), run straight
//! from this process in the same transaction shape — BEGIN; the `set_config` of role, tenant and
//! customer; the session check; the query's statements, each using the ids the previous returned;
//! COMMIT — over a pool the size of the server's. What it leaves out is exactly what the gateway
//! adds: HTTP, JWT verification, GraphQL parsing, validation and execution, DataLoader batching,
//! and JSON serialisation.

use crate::gateway::{Principal, Principals};
use crate::load::drive;
use crate::mix::Query;
use crate::report::Measurement;
use crate::{Options, Result};
use chrono::Utc;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, QueryResult, Statement, TransactionTrait, Value,
};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

pub async fn connect(options: &Options) -> Result<DatabaseConnection> {
    let mut connect = ConnectOptions::new(options.database_url.clone());
    connect
        .max_connections(options.pool_max)
        .min_connections(options.pool_max)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    Ok(Database::connect(connect).await?)
}

const SET_CONFIG: &str = "SELECT set_config('role', $1, true), set_config('app.current_tenant_id', $2, true), set_config('app.current_customer_id', $3, true)";

const AUTH_PORTAL: &str = "SELECT p.status, (SELECT bool_or(s.rotated_at IS NULL AND s.revoked_at IS NULL AND s.expires_at > $3) FROM portal_sessions s WHERE s.portal_user_id = p.id AND s.family_id = $2) AS session_live, coalesce((SELECT jsonb_agg(DISTINCT r.name) FROM portal_user_roles l JOIN roles r ON r.id = l.role_id WHERE l.portal_user_id = p.id), '[]') AS roles, coalesce((SELECT jsonb_agg(DISTINCT k.key) FROM portal_user_roles l JOIN role_permissions rp ON rp.role_id = l.role_id JOIN permissions k ON k.id = rp.permission_id WHERE l.portal_user_id = p.id), '[]') AS permissions FROM portal_users p WHERE p.id = $1 AND p.customer_id IS NOT DISTINCT FROM $4";

const AUTH_USER: &str = "SELECT p.status, (SELECT bool_or(s.rotated_at IS NULL AND s.revoked_at IS NULL AND s.expires_at > $3) FROM user_sessions s WHERE s.user_id = p.id AND s.family_id = $2) AS session_live, coalesce((SELECT jsonb_agg(DISTINCT r.name) FROM user_roles l JOIN roles r ON r.id = l.role_id WHERE l.user_id = p.id), '[]') AS roles, coalesce((SELECT jsonb_agg(DISTINCT k.key) FROM user_roles l JOIN role_permissions rp ON rp.role_id = l.role_id JOIN permissions k ON k.id = rp.permission_id WHERE l.user_id = p.id), '[]') AS permissions FROM users p WHERE p.id = $1 AND NULL::uuid IS NOT DISTINCT FROM $4";

const PRODUCT_COLUMNS: &str = r#""products"."id", "products"."tenant_id", "products"."supplier_id", "products"."name", "products"."brand", "products"."category", "products"."varietal", "products"."vintage", "products"."region", "products"."country", "products"."abv", "products"."description", "products"."status", "products"."metadata", "products"."created_at", "products"."updated_at""#;
const SKU_COLUMNS: &str = r#""skus"."id", "skus"."tenant_id", "skus"."product_id", "skus"."code", "skus"."size_ml", "skus"."units_per_case", "skus"."upc", "skus"."base_price", "skus"."unit_cost", "skus"."status", "skus"."created_at", "skus"."updated_at""#;
const CUSTOMER_COLUMNS: &str = r#""customers"."id", "customers"."tenant_id", "customers"."account_number", "customers"."name", "customers"."email", "customers"."phone", "customers"."license_number", "customers"."license_state", "customers"."license_expires_on", "customers"."state", "customers"."price_tier", "customers"."payment_terms", "customers"."credit_limit", "customers"."assigned_rep_id", "customers"."billing_address", "customers"."shipping_address", "customers"."status", "customers"."created_at", "customers"."updated_at""#;
const ORDER_COLUMNS: &str = r#""orders"."id", "orders"."tenant_id", "orders"."order_number", "orders"."customer_id", "orders"."placed_by_user_id", "orders"."placed_by_portal_user_id", "orders"."status", "orders"."subtotal", "orders"."tax_total", "orders"."total", "orders"."currency", "orders"."requested_delivery_date", "orders"."idempotency_key", "orders"."notes", "orders"."submitted_at", "orders"."confirmed_at", "orders"."fulfilled_at", "orders"."delivered_at", "orders"."cancelled_at", "orders"."created_at", "orders"."updated_at""#;
const LINE_COLUMNS: &str = r#""order_lines"."id", "order_lines"."tenant_id", "order_lines"."customer_id", "order_lines"."order_id", "order_lines"."line_number", "order_lines"."sku_id", "order_lines"."quantity", "order_lines"."unit_price", "order_lines"."discount", "order_lines"."line_total", "order_lines"."tax_amount", "order_lines"."pricing_rule", "order_lines"."price_list_entry_id", "order_lines"."is_sample", "order_lines"."created_at", "order_lines"."updated_at""#;
const SNAPSHOT_COLUMNS: &str = r#""account_health_snapshots"."id", "account_health_snapshots"."tenant_id", "account_health_snapshots"."customer_id", "account_health_snapshots"."snapshot_date", "account_health_snapshots"."period_days", "account_health_snapshots"."revenue_current", "account_health_snapshots"."revenue_previous", "account_health_snapshots"."revenue_change_pct", "account_health_snapshots"."order_count", "account_health_snapshots"."days_since_last_order", "account_health_snapshots"."avg_reorder_interval_days", "account_health_snapshots"."pace_status", "account_health_snapshots"."health_score", "account_health_snapshots"."risk_flags", "account_health_snapshots"."samples_used", "account_health_snapshots"."created_at", "account_health_snapshots"."updated_at""#;
const PRICE_COLUMNS: &str = r#""price_list_entries"."id", "price_list_entries"."tenant_id", "price_list_entries"."sku_id", "price_list_entries"."price_tier", "price_list_entries"."customer_id", "price_list_entries"."unit_price", "price_list_entries"."min_quantity", "price_list_entries"."valid_from", "price_list_entries"."valid_until", "price_list_entries"."created_at", "price_list_entries"."updated_at""#;

const VIEWER: &str = "SELECT u.id,
                    EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                             WHERE ur.user_id = $1 AND r.tenant_id IS NULL AND r.name = $2) AS is_admin
               FROM users u
              WHERE u.id = $1 OR u.manager_id = $1
              ORDER BY u.id";

/// `$from, $from+1, … ` for `count` values.
fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ids(values: &[Uuid]) -> Vec<Value> {
    values.iter().map(|id| (*id).into()).collect()
}

async fn all(
    tx: &DatabaseTransaction,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    tx.query_all_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await
}

fn column(rows: &[QueryResult], name: &str) -> Result<Vec<Uuid>, DbErr> {
    rows.iter()
        .map(|row| row.try_get::<Uuid>("", name))
        .collect()
}

fn unique(mut values: Vec<Uuid>) -> Vec<Uuid> {
    values.sort_unstable();
    values.dedup();
    values
}

/// BEGIN, set_config, the session check: what every authenticated request starts with.
async fn begin(pool: &DatabaseConnection, who: &Principal) -> Result<DatabaseTransaction, DbErr> {
    let tx = pool.begin().await?;
    let setting = |id: Option<Uuid>| id.map(|id| id.to_string()).unwrap_or_default();
    all(
        &tx,
        SET_CONFIG,
        vec![
            "leora_app".into(),
            who.tenant_id.to_string().into(),
            setting(who.customer_id).into(),
        ],
    )
    .await?;
    let now = Utc::now();
    let (sql, customer): (&str, Value) = match who.customer_id {
        Some(customer) => (AUTH_PORTAL, customer.into()),
        None => (AUTH_USER, Value::Uuid(None)),
    };
    all(
        &tx,
        sql,
        vec![
            who.user_id.into(),
            who.session_id.into(),
            now.into(),
            customer,
        ],
    )
    .await?;
    Ok(tx)
}

/// (a): 7 statements.
async fn catalog(pool: &DatabaseConnection, who: &Principal) -> Result<(), DbErr> {
    let tx = begin(pool, who).await?;
    let customer = who
        .customer_id
        .ok_or_else(|| DbErr::Custom("a portal buyer".into()))?;
    let products = all(
        &tx,
        &format!(r#"SELECT {PRODUCT_COLUMNS} FROM "products" WHERE "products"."status" = $1 ORDER BY "products"."name" ASC, "products"."id" ASC LIMIT $2 OFFSET $3"#),
        vec!["active".into(), 51_i64.into(), 0_i64.into()],
    )
    .await?;
    let mut product_ids = column(&products, "id")?;
    product_ids.truncate(50);
    let skus = all(
        &tx,
        &format!(
            r#"SELECT {SKU_COLUMNS} FROM "skus" WHERE "skus"."product_id" IN ({}) ORDER BY "skus"."code" ASC"#,
            placeholders(1, product_ids.len())
        ),
        ids(&product_ids),
    )
    .await?;
    let sku_ids = column(&skus, "id")?;
    all(
        &tx,
        &format!(
            r#"SELECT "inventory"."sku_id", SUM("on_hand") AS "on_hand", SUM("reserved") AS "reserved" FROM "inventory" WHERE "inventory"."sku_id" IN ({}) GROUP BY "inventory"."sku_id""#,
            placeholders(1, sku_ids.len())
        ),
        ids(&sku_ids),
    )
    .await?;
    let row = all(
        &tx,
        &format!(r#"SELECT {CUSTOMER_COLUMNS} FROM "customers" WHERE "customers"."id" IN ($1)"#),
        vec![customer.into()],
    )
    .await?;
    let tier: Option<String> = match row.first() {
        Some(row) => row.try_get("", "price_tier")?,
        None => None,
    };
    let n = sku_ids.len();
    let now = Utc::now();
    let mut values = ids(&sku_ids);
    values.push(customer.into());
    let whose = match tier {
        Some(tier) => {
            values.push(tier.into());
            format!(
                r#"("price_list_entries"."customer_id" = ${} OR ("price_list_entries"."customer_id" IS NULL AND "price_list_entries"."price_tier" = ${}))"#,
                n + 1,
                n + 2
            )
        }
        None => format!(r#""price_list_entries"."customer_id" = ${}"#, n + 1),
    };
    let at = values.len() + 1;
    values.push(now.into());
    values.push(now.into());
    all(
        &tx,
        &format!(
            r#"SELECT {PRICE_COLUMNS} FROM "price_list_entries" WHERE "price_list_entries"."sku_id" IN ({}) AND {whose} AND "price_list_entries"."valid_from" <= ${at} AND ("price_list_entries"."valid_until" IS NULL OR "price_list_entries"."valid_until" > ${})"#,
            placeholders(1, n),
            at + 1
        ),
        values,
    )
    .await?;
    tx.commit().await
}

/// (b): 6 statements.
async fn orders(pool: &DatabaseConnection, who: &Principal) -> Result<(), DbErr> {
    let tx = begin(pool, who).await?;
    let customer = who
        .customer_id
        .ok_or_else(|| DbErr::Custom("a portal buyer".into()))?;
    let orders = all(
        &tx,
        &format!(r#"SELECT {ORDER_COLUMNS} FROM "orders" WHERE "orders"."customer_id" = $1 ORDER BY "orders"."created_at" DESC, "orders"."id" ASC LIMIT $2 OFFSET $3"#),
        vec![customer.into(), 21_i64.into(), 0_i64.into()],
    )
    .await?;
    let mut order_ids = column(&orders, "id")?;
    order_ids.truncate(20);
    let lines = all(
        &tx,
        &format!(
            r#"SELECT {LINE_COLUMNS} FROM "order_lines" WHERE "order_lines"."order_id" IN ({}) ORDER BY "order_lines"."order_id" ASC, "order_lines"."line_number" ASC"#,
            placeholders(1, order_ids.len())
        ),
        ids(&order_ids),
    )
    .await?;
    let sku_ids = unique(column(&lines, "sku_id")?);
    let skus = all(
        &tx,
        &format!(
            r#"SELECT {SKU_COLUMNS} FROM "skus" WHERE "skus"."id" IN ({})"#,
            placeholders(1, sku_ids.len())
        ),
        ids(&sku_ids),
    )
    .await?;
    let product_ids = unique(column(&skus, "product_id")?);
    all(
        &tx,
        &format!(
            r#"SELECT {PRODUCT_COLUMNS} FROM "products" WHERE "products"."id" IN ({})"#,
            placeholders(1, product_ids.len())
        ),
        ids(&product_ids),
    )
    .await?;
    tx.commit().await
}

/// (c): 5 statements.
async fn accounts(pool: &DatabaseConnection, who: &Principal) -> Result<(), DbErr> {
    let tx = begin(pool, who).await?;
    let team = all(&tx, VIEWER, vec![who.user_id.into(), "admin".into()]).await?;
    let members = column(&team, "id")?;
    let filter = format!(
        r#""account_health_snapshots"."customer_id" IN (SELECT "id" FROM "customers" WHERE "customers"."assigned_rep_id" IN ({})) AND "account_health_snapshots"."snapshot_date" = (SELECT MAX("account_health_snapshots"."snapshot_date") FROM "account_health_snapshots")"#,
        placeholders(1, members.len())
    );
    let mut values = ids(&members);
    values.push(51_i64.into());
    values.push(0_i64.into());
    let snapshots = all(
        &tx,
        &format!(
            r#"SELECT {SNAPSHOT_COLUMNS} FROM "account_health_snapshots" WHERE {filter} ORDER BY "account_health_snapshots"."health_score" ASC, "account_health_snapshots"."id" ASC LIMIT ${} OFFSET ${}"#,
            members.len() + 1,
            members.len() + 2
        ),
        values,
    )
    .await?;
    let customer_ids = unique(column(&snapshots, "customer_id")?);
    if !customer_ids.is_empty() {
        all(
            &tx,
            &format!(
                r#"SELECT {CUSTOMER_COLUMNS} FROM "customers" WHERE "customers"."id" IN ({})"#,
                placeholders(1, customer_ids.len())
            ),
            ids(&customer_ids),
        )
        .await?;
    }
    tx.commit().await
}

/// Statements per transaction the baseline issues (BEGIN/COMMIT not counted, like the server's
/// counter).
fn statements(query: Query) -> f64 {
    match query {
        Query::Catalog => 7.0,
        Query::Orders => 6.0,
        Query::Accounts => 5.0,
        Query::Writes | Query::Depletions => 0.0,
    }
}

pub async fn measure(
    pool: &DatabaseConnection,
    principals: &Principals,
    query: Query,
    concurrency: usize,
    options: &Options,
) -> Result<Measurement> {
    let clients: Arc<Vec<Principal>> = Arc::new(principals.for_query(query).to_vec());
    let pool = pool.clone();
    let measured = drive(
        concurrency,
        options.warmup(),
        options.duration(),
        move |client, _| {
            let clients = Arc::clone(&clients);
            let pool = pool.clone();
            async move {
                let who = &clients[client % clients.len()];
                let outcome = match query {
                    Query::Catalog => catalog(&pool, who).await,
                    Query::Orders => orders(&pool, who).await,
                    Query::Accounts => accounts(&pool, who).await,
                    Query::Writes | Query::Depletions => Ok(()),
                };
                outcome.map_err(|e| e.to_string())
            }
        },
    )
    .await;
    Ok(Measurement::new(
        query,
        "raw",
        concurrency,
        &measured,
        statements(query),
        None,
    ))
}
