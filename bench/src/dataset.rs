//! The benchmark dataset: created, seeded (`leora seed --synthetic`) and given health snapshots
//! (`leora jobs health`) only when it is missing or smaller than asked.

use crate::{Options, Result};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize, Default)]
pub struct Dataset {
    pub tenants: i64,
    pub customers: i64,
    pub orders: i64,
    pub order_lines: i64,
    pub snapshots: i64,
    /// The synthetic tenants' slugs, in order.
    #[serde(skip)]
    pub slugs: Vec<String>,
}

pub async fn scalar(db: &DatabaseConnection, sql: &str) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?
        .ok_or("no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

fn maintenance_url(database_url: &str) -> Result<(String, String)> {
    let mut url = url::Url::parse(database_url)?;
    let name = url.path().trim_start_matches('/').to_owned();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(
            format!("the benchmark database name {name:?} must be a plain identifier").into(),
        );
    }
    url.set_path("/postgres");
    Ok((url.to_string(), name))
}

async fn create_if_missing(database_url: &str) -> Result<()> {
    let (maintenance, name) = maintenance_url(database_url)?;
    let db = Database::connect(&maintenance).await?;
    let exists = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [name.clone().into()],
        ))
        .await?
        .is_some();
    if !exists {
        println!("creating database {name}");
        db.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
    }
    db.close().await?;
    Ok(())
}

async fn leora(leora_bin: &Path, options: &Options, args: &[&str]) -> Result<()> {
    println!("running: leora {}", args.join(" "));
    let status = tokio::process::Command::new(leora_bin)
        .args(args)
        .env("DATABASE_URL", &options.database_url)
        .env("LEORA_ENV", "development")
        .env("RUST_LOG", "warn")
        .env("WEBHOOK_WORKER_ENABLED", "false")
        .status()
        .await?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("leora {} failed: {status}", args.join(" ")).into())
    }
}

async fn counts(db: &DatabaseConnection) -> Result<Dataset> {
    if scalar(
        db,
        "SELECT CASE WHEN to_regclass('public.order_lines') IS NULL THEN 0::int8 ELSE 1::int8 END",
    )
    .await?
        == 0
    {
        return Ok(Dataset::default());
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT slug FROM tenants WHERE slug LIKE 'synthetic-%' ORDER BY slug",
        ))
        .await?;
    let slugs = rows
        .iter()
        .map(|row| row.try_get::<String>("", "slug"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Dataset {
        tenants: slugs.len() as i64,
        customers: scalar(db, "SELECT count(*) FROM customers").await?,
        orders: scalar(db, "SELECT count(*) FROM orders").await?,
        order_lines: scalar(db, "SELECT count(*) FROM order_lines").await?,
        snapshots: scalar(db, "SELECT count(*) FROM account_health_snapshots").await?,
        slugs,
    })
}

pub async fn ensure(options: &Options, leora_bin: &Path) -> Result<Dataset> {
    create_if_missing(&options.database_url).await?;
    let db = Database::connect(&options.database_url).await?;
    let mut dataset = counts(&db).await?;
    let mut tenants = i64::from(options.tenants).max(dataset.tenants);
    let mut seeded = false;
    // A tenant holds roughly 50,000 lines; add tenants until the dataset is big enough.
    for _ in 0..10 {
        if dataset.tenants >= i64::from(options.tenants)
            && dataset.order_lines >= options.min_order_lines
        {
            break;
        }
        if seeded {
            tenants += 1;
        }
        let (tenants_arg, customers, orders) = (
            tenants.to_string(),
            options.customers.to_string(),
            options.orders.to_string(),
        );
        leora(
            leora_bin,
            options,
            &[
                "seed",
                "--synthetic",
                "--tenants",
                &tenants_arg,
                "--customers",
                &customers,
                "--orders",
                &orders,
            ],
        )
        .await?;
        seeded = true;
        dataset = counts(&db).await?;
    }
    if dataset.order_lines < options.min_order_lines {
        return Err(format!(
            "the dataset holds {} order lines after seeding, fewer than {}",
            dataset.order_lines, options.min_order_lines
        )
        .into());
    }
    if seeded {
        db.execute_unprepared("ANALYZE").await?;
    }
    refuse_stale_customers(&db).await?;
    if dataset.snapshots == 0 || seeded {
        leora(leora_bin, options, &["jobs", "health"]).await?;
        db.execute_unprepared("ANALYZE account_health_snapshots")
            .await?;
        dataset = counts(&db).await?;
    }
    db.close().await?;
    Ok(dataset)
}

/// Checkouts are refused for a customer without a valid licence or beyond its credit limit. The
/// synthetic seed gives every customer a licence valid one to two more years and a credit limit no
/// run reaches; a dataset seeded before those checks (its limits are 50,000), or over a year ago,
/// has expired licences or exposures past its limits, and would measure refusals.
async fn refuse_stale_customers(db: &DatabaseConnection) -> Result<()> {
    let stale = scalar(
        db,
        "SELECT count(*) FROM customers
          WHERE account_number LIKE 'SYN-%'
            AND (credit_limit < 10000000 OR license_expires_on < current_date)",
    )
    .await?;
    if stale > 0 {
        return Err(format!(
            "{stale} synthetic customers cannot be ordered for (seeded before orders needed a \
             valid licence and credit, or their licences have since expired): drop the benchmark \
             database (`dropdb leora_bench`) and run again to seed a current one"
        )
        .into());
    }
    Ok(())
}
