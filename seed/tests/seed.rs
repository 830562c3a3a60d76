//! The seed against a real PostgreSQL, as the application role (the owner creates the tenants).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

use leora_seed::synthetic::{self, SyntheticOptions};
use leora_seed::well_crafted;
use leora_tenancy::{AppRole, TenantDb};
use leora_test_db::TestDatabase;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::collections::BTreeMap;

async fn tenant_db(database: &TestDatabase) -> TenantDb {
    TenantDb::new(database.connect().await, AppRole::from_env().unwrap())
}

async fn scalar(owner: &DatabaseConnection, sql: &str) -> i64 {
    let row = owner
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Row count of every table, as the owner sees them.
async fn row_counts(owner: &DatabaseConnection) -> BTreeMap<String, i64> {
    let tables = owner
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        ))
        .await
        .unwrap();
    let mut counts = BTreeMap::new();
    for row in tables {
        let table: String = row.try_get_by_index(0).unwrap();
        let count = scalar(owner, &format!("SELECT count(*) FROM {table}")).await;
        counts.insert(table, count);
    }
    counts
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let db = tenant_db(&database).await;
    let first = well_crafted::seed(&owner, &db).await.unwrap();
    assert!(first.created_tenant);
    let after_first = row_counts(&owner).await;
    let second = well_crafted::seed(&owner, &db).await.unwrap();
    assert!(!second.created_tenant);
    assert_eq!(second.tenant_id, first.tenant_id);
    assert_eq!(row_counts(&owner).await, after_first);
}

#[tokio::test]
async fn well_crafted_has_what_the_spec_lists() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    well_crafted::seed(&owner, &tenant_db(&database).await)
        .await
        .unwrap();
    let tenant =
        "(SELECT id FROM tenants WHERE slug = 'well-crafted' AND subscription_tier = 'enterprise')";
    assert_eq!(
        scalar(
            &owner,
            &format!(
                "SELECT count(*) FROM tenant_settings WHERE tenant_id = {tenant} AND health_revenue_drop_threshold = 0.15
                   AND health_min_orders = 3 AND sample_pulls_per_rep_per_month = 60 AND pace_risk_threshold_days = 2"
            )
        )
        .await,
        1
    );
    assert_eq!(
        scalar(&owner, "SELECT count(*) FROM roles WHERE is_system").await,
        5
    );
    assert!(scalar(&owner, "SELECT count(*) FROM permissions").await >= 16);
    assert_eq!(
        scalar(
            &owner,
            "SELECT count(DISTINCT r.name) FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id"
        )
        .await,
        3,
        "admin, manager and rep"
    );
    assert_eq!(
        scalar(&owner, "SELECT count(*) FROM products WHERE name IN ('Cabernet Sauvignon', 'Chardonnay', 'Pinot Noir')").await,
        3
    );
    assert_eq!(
        scalar(
            &owner,
            "SELECT count(*) FROM skus s JOIN inventory i ON i.sku_id = s.id WHERE i.on_hand > 0"
        )
        .await,
        3
    );
    assert_eq!(
        scalar(&owner, "SELECT count(*) FROM price_list_entries").await,
        3
    );
    assert_eq!(
        scalar(
            &owner,
            "SELECT count(*) FROM customers c JOIN portal_users p ON p.customer_id = c.id
              WHERE c.name IN ('Harborview Cellars', 'Downtown Wine', 'Vineyard Market')"
        )
        .await,
        3
    );
}

#[tokio::test]
async fn synthetic_tenants_are_generated_through_rls_with_consistent_totals() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let db = tenant_db(&database).await;
    let options = SyntheticOptions {
        tenants: 2,
        customers_per_tenant: 6,
        orders_per_customer: 4,
        products_per_tenant: 10,
        reps_per_tenant: 2,
        seed: 7,
    };
    let report = synthetic::generate(&owner, &db, options).await.unwrap();
    assert_eq!(report.tenants, 2);
    assert_eq!(report.orders, 2 * 6 * 4);
    assert_eq!(scalar(&owner, "SELECT count(*) FROM orders").await, 48);
    assert_eq!(
        scalar(&owner, "SELECT count(*) FROM order_lines").await,
        report.order_lines
    );
    assert!(
        report.order_lines >= 48,
        "every order has at least one line"
    );
    let mismatched = scalar(
        &owner,
        "SELECT count(*) FROM orders o WHERE o.subtotal <> (SELECT sum(line_total) FROM order_lines l WHERE l.order_id = o.id)",
    )
    .await;
    assert_eq!(mismatched, 0, "order totals are the sum of their lines");
    let line_counts = scalar(
        &owner,
        "SELECT count(DISTINCT n) FROM (SELECT count(*) n FROM order_lines GROUP BY order_id) t",
    )
    .await;
    assert!(line_counts > 1, "orders have varied numbers of lines");
    let numbered_otherwise = scalar(
        &owner,
        "SELECT (SELECT count(*) FROM orders WHERE order_number !~ '^SO-[0-9]{6}$')
              + (SELECT count(*) FROM invoices WHERE invoice_number !~ '^INV-[0-9]{6}$')",
    )
    .await;
    assert_eq!(
        numbered_otherwise, 0,
        "seeded numbers have the service's width (SO-000042)"
    );
    let unorderable = scalar(
        &owner,
        "SELECT count(*) FROM customers
          WHERE license_number IS NULL OR license_state <> state
             OR license_expires_on < created_at::date + 365 OR credit_limit < 10000000",
    )
    .await;
    assert_eq!(
        unorderable, 0,
        "every synthetic customer may be ordered for: licensed for its state a year ahead, a limit no run reaches"
    );
    let again = synthetic::generate(&owner, &db, options).await.unwrap();
    assert_eq!(
        (again.tenants, again.skipped_existing),
        (0, 2),
        "existing synthetic tenants are left alone"
    );
}
