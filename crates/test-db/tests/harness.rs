#![allow(clippy::unwrap_used)] // Helpers outside #[test] fns fail the test the same way.

use leora_test_db::{TestDatabase, server_url};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

async fn count(db: &DatabaseConnection, sql: &str, value: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [value.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

async fn tenants_named(db: &DatabaseConnection, slug: &str) -> i64 {
    count(
        db,
        "SELECT count(*) AS n FROM tenants WHERE slug = $1",
        slug,
    )
    .await
}

async fn has_table(db: &DatabaseConnection, table: &str) -> bool {
    count(
        db,
        "SELECT count(*) AS n FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_name = $1",
        table,
    )
    .await
        == 1
}

async fn database_exists(name: &str) -> bool {
    let url = url::Url::parse(&server_url())
        .map(|mut url| {
            url.set_path("/postgres");
            url.to_string()
        })
        .unwrap();
    let db = Database::connect(url).await.unwrap();
    let n = count(
        &db,
        "SELECT count(*) AS n FROM pg_database WHERE datname = $1",
        name,
    )
    .await;
    db.close().await.unwrap();
    n == 1
}

#[tokio::test]
async fn each_test_gets_its_own_migrated_database() {
    let first = TestDatabase::new().await;
    let second = TestDatabase::new().await;
    assert_ne!(first.name(), second.name());
    assert_ne!(first.url(), second.url());
    assert!(first.name().starts_with("leora_test_"), "{}", first.name());

    let first_db = first.connect().await;
    let second_db = second.connect().await;
    assert!(has_table(&first_db, "tenants").await);
    assert!(has_table(&second_db, "tenants").await);

    first_db
        .execute_unprepared(
            "INSERT INTO tenants (slug, name) VALUES ('harness-probe', 'Harness probe')",
        )
        .await
        .unwrap();
    assert_eq!(tenants_named(&first_db, "harness-probe").await, 1);
    assert_eq!(tenants_named(&second_db, "harness-probe").await, 0);
}

#[tokio::test]
async fn a_dropped_test_database_is_gone() {
    let test_db = TestDatabase::new().await;
    let name = test_db.name().to_owned();
    // Left open on purpose: dropping must not wait for the test to close its pool.
    let db = test_db.connect().await;
    assert!(has_table(&db, "tenants").await);
    assert!(database_exists(&name).await);

    drop(test_db);

    assert!(!database_exists(&name).await, "{name} still exists");
}

#[tokio::test]
async fn many_databases_can_be_made_at_once() {
    let databases = futures_join_all((0..8).map(|_| tokio::spawn(TestDatabase::new()))).await;
    let mut names: Vec<&str> = databases.iter().map(TestDatabase::name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 8);
}

async fn futures_join_all(
    handles: impl Iterator<Item = tokio::task::JoinHandle<TestDatabase>>,
) -> Vec<TestDatabase> {
    let mut databases = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        databases.push(handle.await.unwrap());
    }
    databases
}
