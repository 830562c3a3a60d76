//! Synthetic tenants at any scale, for benchmarks. The rows are generated inside PostgreSQL
//! (`INSERT … SELECT generate_series`) in each tenant's own transaction as the application role
//! (all but the tenant's own row, which only the owner may create),
//! so they pass the same constraints and row-level security as the API, and nothing crosses the
//! wire but the statements. `setseed` makes a run with the same options produce the same data.

use crate::error::SeedError;
use crate::well_crafted::create_tenant;
use leora_identity::service::passwords::hash_password;
use leora_tenancy::sql::stmt;
use leora_tenancy::{TenancyError, TenantContext, TenantDb, with_tenant};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, Value};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Every synthetic account's password.
pub const SYNTHETIC_PASSWORD: &str = "synthetic-password";

#[derive(Debug, Clone, Copy)]
pub struct SyntheticOptions {
    pub tenants: u32,
    pub customers_per_tenant: u32,
    pub orders_per_customer: u32,
    pub products_per_tenant: u32,
    pub reps_per_tenant: u32,
    /// Same seed, same data.
    pub seed: u32,
}

impl Default for SyntheticOptions {
    fn default() -> Self {
        Self {
            tenants: 2,
            customers_per_tenant: 20,
            orders_per_customer: 10,
            products_per_tenant: 50,
            reps_per_tenant: 5,
            seed: 42,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SyntheticReport {
    pub tenants: u32,
    pub skipped_existing: u32,
    pub orders: i64,
    pub order_lines: i64,
    pub elapsed: Duration,
}

pub fn tenant_slug(index: u32) -> String {
    format!("synthetic-{index:03}")
}

/// Creates tenants `synthetic-000` … that do not exist yet; existing ones are left alone.
///
/// Each tenant's own row is created through `owner`, a role past row-level security, as the
/// application role may not write `tenants`; everything in the tenant is written through `db`.
pub async fn generate(
    owner: &DatabaseConnection,
    db: &TenantDb,
    options: SyntheticOptions,
) -> Result<SyntheticReport, SeedError> {
    let started = Instant::now();
    let password_hash = hash_password(SYNTHETIC_PASSWORD)?;
    let mut report = SyntheticReport::default();
    for index in 0..options.tenants {
        let slug = tenant_slug(index);
        match db.tenant_id_for_slug(&slug).await {
            Ok(_) => {
                report.skipped_existing += 1;
                continue;
            }
            Err(TenancyError::TenantNotFound { .. }) => {}
            Err(other) => return Err(other.into()),
        }
        let tenant_id =
            create_tenant(owner, &slug, &format!("Synthetic Distributor {index}")).await?;
        let (orders, lines) = with_tenant(db, &TenantContext::system(tenant_id), async |tx| {
            fill_tenant(tx, tenant_id, &slug, &password_hash, options, index).await
        })
        .await?;
        report.tenants += 1;
        report.orders += orders;
        report.order_lines += lines;
        tracing::info!(%slug, orders, lines, "synthetic tenant generated");
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

async fn exec(tx: &DatabaseTransaction, sql: &str, values: Vec<Value>) -> Result<u64, SeedError> {
    Ok(tx.execute_raw(stmt(sql, values)).await?.rows_affected())
}

async fn fill_tenant(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    slug: &str,
    password_hash: &str,
    options: SyntheticOptions,
    index: u32,
) -> Result<(i64, i64), SeedError> {
    // Deterministic per tenant: the same seed and index always draw the same numbers.
    let seed = f64::from((options.seed.wrapping_mul(7919).wrapping_add(index)) % 10_000) / 10_000.0;
    exec(tx, "SELECT setseed($1)", vec![seed.into()]).await?;
    let reps = i64::from(options.reps_per_tenant.max(1));
    exec(
        tx,
        "INSERT INTO users (tenant_id, email, password_hash, full_name)
         SELECT $1, 'admin@' || $2 || '.example', $3, 'Admin ' || $2
         UNION ALL
         SELECT $1, 'manager@' || $2 || '.example', $3, 'Manager ' || $2
         UNION ALL
         SELECT $1, 'rep' || n || '@' || $2 || '.example', $3, 'Rep ' || n FROM generate_series(1, $4) n",
        vec![tenant.into(), slug.into(), password_hash.into(), reps.into()],
    )
    .await?;
    exec(
        tx,
        "UPDATE users SET manager_id = (SELECT id FROM users WHERE email LIKE 'manager@%') WHERE email LIKE 'rep%'",
        vec![],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO user_roles (tenant_id, user_id, role_id)
         SELECT $1, u.id, r.id FROM users u JOIN roles r ON r.tenant_id IS NULL AND r.name =
           CASE WHEN u.email LIKE 'admin@%' THEN 'admin' WHEN u.email LIKE 'manager@%' THEN 'sales_manager' ELSE 'sales_rep' END",
        vec![tenant.into()],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO state_tax_rates (tenant_id, state, product_category, rate_kind, rate, effective_from)
         SELECT $1, s, c, 'per_gallon', CASE c WHEN 'wine' THEN 0.20 WHEN 'spirits' THEN 3.30 ELSE 0.20 END, '2020-01-01'
           FROM unnest(ARRAY['CA','NY','WA','OR','TX','IL']) s, unnest(ARRAY['wine','spirits','beer']) c",
        vec![tenant.into()],
    )
    .await?;
    let products = i64::from(options.products_per_tenant.max(1));
    exec(
        tx,
        "INSERT INTO products (tenant_id, name, brand, category, varietal, vintage, region, country, abv, description)
         SELECT $1,
                (ARRAY['Reserve','Estate','Old Vine','Coastal','Hillside','Single Barrel'])[1 + n % 6] || ' ' ||
                (ARRAY['Cabernet','Chardonnay','Pinot Noir','Merlot','Syrah','Bourbon','Rye','IPA'])[1 + n % 8] || ' ' || n,
                'House ' || (n % 17),
                (ARRAY['wine','wine','wine','wine','wine','spirits','spirits','beer'])[1 + n % 8],
                (ARRAY['Cabernet','Chardonnay','Pinot Noir','Merlot','Syrah','Bourbon','Rye','IPA'])[1 + n % 8],
                2015 + n % 9, 'Region ' || (n % 11), 'USA', 12.5 + (n % 30) / 2.0, 'Synthetic product ' || n
           FROM generate_series(1, $2) n",
        vec![tenant.into(), products.into()],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO skus (tenant_id, product_id, code, size_ml, units_per_case, base_price, unit_cost)
         SELECT $1, id, 'SYN-' || row_number() OVER (ORDER BY id), CASE WHEN category = 'beer' THEN 355 ELSE 750 END,
                12, round((8 + random() * 60)::numeric, 2), round((4 + random() * 20)::numeric, 2)
           FROM products",
        vec![tenant.into()],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO inventory (tenant_id, sku_id, on_hand, low_stock_threshold) SELECT $1, id, 1000000, 24 FROM skus",
        vec![tenant.into()],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO price_list_entries (tenant_id, sku_id, price_tier, unit_price, valid_from)
         SELECT $1, id, 'wholesale', round(base_price * 0.9, 2), now() - interval '2 years' FROM skus",
        vec![tenant.into()],
    )
    .await?;
    let customers = i64::from(options.customers_per_tenant.max(1));
    // Every account may be ordered for, as the benchmarks do: licences valid for its own state for
    // one to two more years, and a credit limit so large that the check runs on every submission
    // without refusing one.
    exec(
        tx,
        "INSERT INTO customers (tenant_id, account_number, name, state, license_state, license_number, license_expires_on,
                                price_tier, payment_terms, credit_limit, assigned_rep_id)
         SELECT $1, 'SYN-' || lpad(n::text, 6, '0'),
                (ARRAY['Harbor','Downtown','Vineyard','Corner','Cellar','Bistro','Market','Tavern'])[1 + n % 8] || ' ' ||
                (ARRAY['Wine','Spirits','Bar','Kitchen','Shop','Club'])[1 + n % 6] || ' ' || n,
                s, s, s || '-LIC-' || n, current_date + (365 + n % 400)::int,
                CASE WHEN n % 3 = 0 THEN NULL ELSE 'wholesale' END,
                (ARRAY['net_15','net_30','net_30','net_60'])[1 + n % 4], 10000000,
                (SELECT id FROM users WHERE email = 'rep' || (1 + n % $3) || '@' || $4 || '.example')
           FROM generate_series(1, $2) n, LATERAL (SELECT (ARRAY['CA','NY','WA','OR','TX','IL'])[1 + n % 6] AS s) st",
        vec![tenant.into(), customers.into(), reps.into(), slug.into()],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO portal_users (tenant_id, customer_id, email, password_hash, full_name)
         SELECT $1, id, 'buyer-' || lower(account_number) || '@' || $2 || '.example', $3, 'Buyer ' || account_number FROM customers",
        vec![tenant.into(), slug.into(), password_hash.into()],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO portal_user_roles (tenant_id, customer_id, portal_user_id, role_id)
         SELECT $1, p.customer_id, p.id, r.id FROM portal_users p JOIN roles r ON r.tenant_id IS NULL AND r.name = 'portal_user'",
        vec![tenant.into()],
    )
    .await?;
    generate_orders(tx, tenant, options).await
}

/// Twelve months of orders with a seasonal shape (more in November and December), lines priced
/// at the wholesale or base price, totals that add up, invoices and payments for delivered orders.
async fn generate_orders(
    tx: &DatabaseTransaction,
    tenant: Uuid,
    options: SyntheticOptions,
) -> Result<(i64, i64), SeedError> {
    let per_customer = i64::from(options.orders_per_customer.max(1));
    let orders = exec(
        tx,
        "INSERT INTO orders (id, tenant_id, order_number, customer_id, placed_by_user_id, status, currency,
                             submitted_at, confirmed_at, fulfilled_at, delivered_at, created_at)
         SELECT uuid_generate_v7(), $1, 'SO-' || lpad((row_number() OVER w)::text, greatest(6, length((row_number() OVER w)::text)), '0'), c.id,
                c.assigned_rep_id, st, 'USD', d, d, CASE WHEN st IN ('fulfilled','delivered') THEN d END,
                CASE WHEN st = 'delivered' THEN d + interval '2 days' END, d
           FROM customers c
          CROSS JOIN LATERAL (
                SELECT now() - (interval '1 day' * (
                         CASE WHEN random() < 0.2 THEN (330 + random() * 35) ELSE random() * 365 END)) AS d,
                       CASE WHEN random() < 0.9 THEN 'delivered' WHEN random() < 0.5 THEN 'cancelled' ELSE 'submitted' END AS st
                  FROM generate_series(1, $2) k WHERE c.id IS NOT NULL) o
         WINDOW w AS (ORDER BY d, c.id)",
        vec![tenant.into(), per_customer.into()],
    )
    .await?;
    let lines = exec(
        tx,
        // The draws are materialised first: joined directly, a volatile pick could be re-drawn
        // per candidate row and match twice.
        "WITH numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM skus),
              picks AS MATERIALIZED (
                SELECT o.id AS order_id, o.customer_id, l.line, 1 + (random() * 23)::int AS qty,
                       1 + floor(random() * (SELECT count(*) FROM skus))::bigint AS pick
                  FROM orders o
                 CROSS JOIN LATERAL generate_series(1, 1 + (random() * 8)::int + (o.id IS NULL)::int) AS l(line))
         INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity, unit_price, line_total,
                                  pricing_rule)
         SELECT $1, p.customer_id, p.order_id, p.line, s.id, p.qty, s.base_price, s.base_price * p.qty, 'base_price'
           FROM picks p
           JOIN numbered nb ON nb.n = p.pick
           JOIN skus s ON s.id = nb.id",
        vec![tenant.into()],
    )
    .await?;
    exec(
        tx,
        "UPDATE orders o SET subtotal = t.subtotal, total = t.subtotal
           FROM (SELECT order_id, sum(line_total) AS subtotal FROM order_lines GROUP BY order_id) t
          WHERE t.order_id = o.id",
        vec![],
    )
    .await?;
    exec(
        tx,
        "UPDATE tenant_settings SET last_order_number = (SELECT count(*) FROM orders)",
        vec![],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO invoices (tenant_id, customer_id, order_id, invoice_number, status, issued_at, due_date, subtotal,
                               tax_total, total, amount_paid, balance, paid_at)
         SELECT $1, o.customer_id, o.id, 'INV-' || lpad((row_number() OVER v)::text, greatest(6, length((row_number() OVER v)::text)), '0'),
                CASE WHEN o.created_at < now() - interval '45 days' THEN 'paid' ELSE 'issued' END,
                o.delivered_at, (o.delivered_at + interval '30 days')::date, o.subtotal, o.tax_total, o.total,
                CASE WHEN o.created_at < now() - interval '45 days' THEN o.total ELSE 0 END,
                CASE WHEN o.created_at < now() - interval '45 days' THEN 0 ELSE o.total END,
                CASE WHEN o.created_at < now() - interval '45 days' THEN o.delivered_at + interval '20 days' END
           FROM orders o WHERE o.status = 'delivered'
         WINDOW v AS (ORDER BY o.created_at, o.id)",
        vec![tenant.into()],
    )
    .await?;
    exec(
        tx,
        "UPDATE tenant_settings SET last_invoice_number = (SELECT count(*) FROM invoices)",
        vec![],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO payments (tenant_id, customer_id, invoice_id, amount, method, received_at)
         SELECT $1, customer_id, id, amount_paid, 'ach', paid_at FROM invoices WHERE status = 'paid' AND amount_paid > 0",
        vec![tenant.into()],
    )
    .await?;
    exec(
        tx,
        "INSERT INTO activities (tenant_id, user_id, customer_id, kind, occurred_at, notes)
         SELECT $1, c.assigned_rep_id, c.id, (ARRAY['visit','call','email','tasting'])[1 + k % 4],
                now() - interval '1 day' * (random() * 365), 'Synthetic activity'
           FROM customers c, generate_series(1, 4) k WHERE c.assigned_rep_id IS NOT NULL",
        vec![tenant.into()],
    )
    .await?;
    Ok((orders as i64, lines as i64))
}
