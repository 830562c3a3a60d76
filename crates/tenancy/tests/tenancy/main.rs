//! Tenant isolation, proven on a real PostgreSQL with raw SQL run exactly as the server runs it:
//! through `with_tenant`, as the application role, with no application-level filter. The tables
//! under test are read from the database catalog, so a future table without row-level security
//! fails this suite.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

use leora_migration::isolation::{Scope, tables};
use leora_migration::{Migrator, MigratorTrait};
use leora_tenancy::TenantTx;
use leora_tenancy::startup_check::{AppRoleProblem, verify_app_role};
use leora_tenancy::{AppRole, TenancyError, TenantContext, TenantDb, with_tenant};
use leora_test_db::TestDatabase;
use leora_test_db::sql::stmt;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, SqlErr, Statement, TransactionTrait,
    Value,
};
use uuid::Uuid;

mod account_scope;
mod cancellation;
mod defence_in_depth;
mod documented_counts;

const FULL_TENANT: &str = include_str!("../fixtures/full_tenant.sql");

struct TwoTenants {
    _database: TestDatabase,
    owner: DatabaseConnection,
    db: TenantDb,
    a: Uuid,
    b: Uuid,
}

fn app_role() -> AppRole {
    AppRole::from_env().expect("APP_DB_ROLE is valid")
}

/// A fresh database holding the full tenants `slugs` (every table filled), and its owner.
async fn database_with_tenants(slugs: &[&str]) -> (TestDatabase, DatabaseConnection) {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    for slug in slugs {
        owner
            .execute_unprepared(&FULL_TENANT.replace("{slug}", slug))
            .await
            .unwrap();
    }
    (database, owner)
}

async fn two_tenants() -> TwoTenants {
    let (database, owner) = database_with_tenants(&["alpha", "beta"]).await;
    let db = TenantDb::new(database.connect().await, app_role());
    let a = db.tenant_id_for_slug("alpha").await.unwrap();
    let b = db.tenant_id_for_slug("beta").await.unwrap();
    TwoTenants {
        _database: database,
        owner,
        db,
        a,
        b,
    }
}

async fn strings(conn: &impl ConnectionTrait, sql: &str) -> Vec<String> {
    conn.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

async fn count(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> i64 {
    let row = conn
        .query_one_raw(stmt(sql, values))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Every table with a tenant_id column, per the catalog, plus `tenants` (keyed by its own id).
async fn tenant_owned_tables(owner: &DatabaseConnection) -> Vec<String> {
    let tables = strings(
        owner,
        "SELECT table_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1",
    )
    .await;
    // All but `tenants` (keyed by its own id) and the global `permissions`.
    assert_eq!(
        tables.len(),
        37,
        "tenant tables per the catalog: {tables:?}"
    );
    tables
}

fn tenant_column(table: &str) -> &'static str {
    if table == "tenants" {
        "id"
    } else {
        "tenant_id"
    }
}

/// Every tenant-owned table and `tenants` itself, each with the column naming its tenant.
async fn tables_with_tenant_column(owner: &DatabaseConnection) -> Vec<(String, &'static str)> {
    let mut tables = tenant_owned_tables(owner).await;
    tables.push("tenants".to_owned());
    tables
        .into_iter()
        .map(|table| {
            let column = tenant_column(&table);
            (table, column)
        })
        .collect()
}

async fn as_tenant<T>(
    world: &TwoTenants,
    ctx: TenantContext,
    work: impl AsyncFnOnce(&TenantTx) -> Result<T, TenancyError>,
) -> T {
    with_tenant(&world.db, &ctx, work).await.unwrap()
}

#[tokio::test]
async fn every_table_has_row_level_security_enabled_and_forced() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let unprotected = strings(
        &owner,
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'seaql_migrations'
            AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                     AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))",
    )
    .await;
    assert_eq!(unprotected, Vec::<String>::new());
    let table_count = count(
        &owner,
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'seaql_migrations'",
        [],
    )
    .await;
    assert_eq!(
        table_count, 39,
        "39 tables: docs/database/SCHEMA_OVERVIEW.md"
    );
    verify_app_role(&owner, &app_role())
        .await
        .expect("the migrated app role is safe");
}

#[tokio::test]
async fn every_foreign_key_is_indexed() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    // A foreign key is served by an index whose leading columns are exactly the key's columns.
    let unindexed = strings(
        &owner,
        "SELECT c.conrelid::regclass::text || ' ' || c.conname
           FROM pg_constraint c
          WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
            AND NOT EXISTS (
              SELECT 1 FROM pg_index i
               WHERE i.indrelid = c.conrelid
                 AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                 AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
          ORDER BY 1",
    )
    .await;
    assert_eq!(unindexed, Vec::<String>::new());
}

#[tokio::test]
async fn tenant_sees_none_of_another_tenants_rows_in_any_table() {
    let world = two_tenants().await;
    for (table, column) in tables_with_tenant_column(&world.owner).await {
        let sql = format!(
            "SELECT count(*) FILTER (WHERE {column} = $1), count(*) FILTER (WHERE {column} <> $1) FROM {table}"
        );
        let (own, foreign) = as_tenant(&world, TenantContext::system(world.a), async |tx| {
            let row = tx
                .query_one_raw(stmt(&sql, [world.a.into()]))
                .await?
                .unwrap();
            Ok((
                row.try_get_by_index::<i64>(0)?,
                row.try_get_by_index::<i64>(1)?,
            ))
        })
        .await;
        assert!(own > 0, "{table}: the fixture must give tenant A rows");
        assert_eq!(
            foreign, 0,
            "{table}: tenant A saw {foreign} row(s) of another tenant"
        );
    }
}

#[tokio::test]
async fn without_a_tenant_no_tenant_row_is_visible() {
    let world = two_tenants().await;
    for (table, column) in tables_with_tenant_column(&world.owner).await {
        // Raw SQL, the same role switch as `with_tenant` but no tenant setting at all.
        let tx = world.owner.begin().await.unwrap();
        tx.execute_unprepared(&format!("SET LOCAL ROLE {}", app_role()))
            .await
            .unwrap();
        let visible = count(
            &tx,
            &format!("SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"),
            [],
        )
        .await;
        tx.rollback().await.unwrap();
        assert_eq!(
            visible, 0,
            "{table}: {visible} row(s) visible with no tenant set"
        );
    }
}

#[tokio::test]
async fn updates_and_deletes_aimed_at_another_tenant_change_nothing() {
    let world = two_tenants().await;
    // `tenants` is not among them: the application role may not write it at all
    // (`the_application_role_cannot_write_the_tenants_table`).
    for table in tenant_owned_tables(&world.owner).await {
        let column = tenant_column(&table);
        let count_b = format!("SELECT count(*) FROM {table} WHERE {column} = $1");
        let before = count(&world.owner, &count_b, [world.b.into()]).await;
        let (updated, deleted) = as_tenant(&world, TenantContext::system(world.a), async |tx| {
            let updated = tx
                .execute_raw(stmt(
                    &format!("UPDATE {table} SET updated_at = now() WHERE {column} = $1"),
                    [world.b.into()],
                ))
                .await?
                .rows_affected();
            let deleted = tx
                .execute_raw(stmt(
                    &format!("DELETE FROM {table} WHERE {column} = $1"),
                    [world.b.into()],
                ))
                .await?
                .rows_affected();
            Ok((updated, deleted))
        })
        .await;
        assert_eq!(
            (updated, deleted),
            (0, 0),
            "{table}: tenant A changed tenant B's rows"
        );
        assert_eq!(
            count(&world.owner, &count_b, [world.b.into()]).await,
            before,
            "{table}"
        );
    }
}

/// Runs `sql` as tenant A and returns the database's refusal.
async fn refused_as_a(world: &TwoTenants, sql: &str, values: Vec<Value>) -> DbErr {
    let outcome = with_tenant(&world.db, &TenantContext::system(world.a), async |tx| {
        tx.execute_raw(stmt(sql, values))
            .await
            .map_err(TenancyError::from)
    })
    .await;
    match outcome {
        Err(TenancyError::Database(error)) => error,
        other => panic!("expected the database to refuse {sql:?}, got {other:?}"),
    }
}

fn is_rls_violation(error: &DbErr) -> bool {
    error
        .to_string()
        .contains("violates row-level security policy")
}

#[tokio::test]
async fn inserts_naming_another_tenant_are_refused() {
    let world = two_tenants().await;
    // `tenants` is not among them: the application role may not write it at all
    // (`the_application_role_cannot_write_the_tenants_table`).
    for table in tenant_owned_tables(&world.owner).await {
        let column = tenant_column(&table);
        // Tenant B's row, copied with a fresh id: every column names tenant B.
        let row = world
            .owner
            .query_one_raw(stmt(
                &format!(
                    "SELECT (to_jsonb(t) || jsonb_build_object('id', uuid_generate_v7()))::text
                       FROM {table} t WHERE {column} = $1 LIMIT 1"
                ),
                [world.b.into()],
            ))
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{table}: the fixture must give tenant B rows"));
        let json: String = row.try_get_by_index(0).unwrap();
        let error = refused_as_a(
            &world,
            &format!(
                "INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, $1::jsonb)"
            ),
            vec![json.into()],
        )
        .await;
        assert!(
            is_rls_violation(&error),
            "{table}: expected an RLS refusal, got {error}"
        );
    }
}

#[tokio::test]
async fn moving_a_row_to_another_tenant_is_refused() {
    let world = two_tenants().await;
    for table in tenant_owned_tables(&world.owner).await {
        let error = refused_as_a(
            &world,
            &format!("UPDATE {table} SET tenant_id = $1 WHERE tenant_id = $2"),
            vec![world.b.into(), world.a.into()],
        )
        .await;
        assert!(
            is_rls_violation(&error),
            "{table}: expected an RLS refusal, got {error}"
        );
    }
}

struct CompositeKey {
    name: String,
    child: String,
    parent: String,
    child_columns: Vec<String>,
    parent_columns: Vec<String>,
}

/// Foreign keys that include tenant_id plus at least one more column, per the catalog.
async fn composite_tenant_keys(owner: &DatabaseConnection) -> Vec<CompositeKey> {
    let rows = owner
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT c.conname::text, c.conrelid::regclass::text, c.confrelid::regclass::text,
                    (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                    (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                       JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
               FROM pg_constraint c
              WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND cardinality(c.conkey) > 1
              ORDER BY 1",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| CompositeKey {
            name: row.try_get_by_index(0).unwrap(),
            child: row.try_get_by_index(1).unwrap(),
            parent: row.try_get_by_index(2).unwrap(),
            child_columns: row.try_get_by_index(3).unwrap(),
            parent_columns: row.try_get_by_index(4).unwrap(),
        })
        .collect()
}

#[tokio::test]
async fn a_child_row_cannot_reference_another_tenants_parent() {
    let world = two_tenants().await;
    let keys = composite_tenant_keys(&world.owner).await;
    assert!(keys.len() >= 40, "only {} composite keys found", keys.len());
    for key in keys {
        assert_eq!(
            key.child_columns[0], "tenant_id",
            "{}: composite keys lead with tenant_id",
            key.name
        );
        let others = &key.child_columns[1..];
        let parent_others = &key.parent_columns[1..];
        // As the owner, bypassing RLS entirely: only the key itself stands in the way.
        let sql = format!(
            "UPDATE {child} SET ({cols}, updated_at) = (SELECT {pcols}, now() FROM {parent} WHERE tenant_id = $2 AND {pnotnull} LIMIT 1)
              WHERE id = (SELECT id FROM {child} WHERE tenant_id = $1 AND {notnull} LIMIT 1)",
            child = key.child,
            parent = key.parent,
            cols = others.join(", "),
            pcols = parent_others.join(", "),
            notnull = others.iter().map(|c| format!("{c} IS NOT NULL")).collect::<Vec<_>>().join(" AND "),
            pnotnull = parent_others.iter().map(|c| format!("{c} IS NOT NULL")).collect::<Vec<_>>().join(" AND "),
        );
        let outcome = world
            .owner
            .execute_raw(stmt(&sql, [world.a.into(), world.b.into()]))
            .await;
        match outcome {
            Err(error) => assert!(
                matches!(
                    error.sql_err(),
                    Some(SqlErr::ForeignKeyConstraintViolation(_))
                ),
                "{}: expected a foreign-key violation, got {error}",
                key.name
            ),
            Ok(result) => panic!(
                "{}: pointing tenant A's {} at tenant B's {} was accepted ({} row(s); the fixture must fill {:?})",
                key.name,
                key.child,
                key.parent,
                result.rows_affected(),
                others
            ),
        }
    }
}

/// Customer ids of tenant A, in fixture order.
async fn customers_of(world: &TwoTenants, tenant: Uuid) -> Vec<(Uuid, Uuid)> {
    let rows = world
        .owner
        .query_all_raw(stmt(
            "SELECT c.id, p.id FROM customers c JOIN portal_users p ON p.customer_id = c.id
              WHERE c.tenant_id = $1 ORDER BY c.account_number",
            [tenant.into()],
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get_by_index(0).unwrap(),
                r.try_get_by_index(1).unwrap(),
            )
        })
        .collect()
}

async fn portal_counts(
    world: &TwoTenants,
    portal: TenantContext,
    sql: &str,
    customer: Uuid,
) -> (i64, i64) {
    as_tenant(world, portal, async |tx| {
        let row = tx
            .query_one_raw(stmt(sql, [customer.into()]))
            .await?
            .unwrap();
        Ok((
            row.try_get_by_index::<i64>(0)?,
            row.try_get_by_index::<i64>(1)?,
        ))
    })
    .await
}

#[tokio::test]
async fn portal_user_sees_only_its_own_customers_rows() {
    let world = two_tenants().await;
    let customers = customers_of(&world, world.a).await;
    let (customer, portal_user) = customers[0];
    let portal = TenantContext::portal_user(world.a, portal_user, customer);
    // Per the catalog: every table that names a customer shows a portal user only its own.
    let mut customer_tables = strings(
        &world.owner,
        "SELECT table_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'customer_id' ORDER BY 1",
    )
    .await;
    customer_tables.push("customers".to_owned());
    for table in customer_tables {
        let column = if table == "customers" {
            "id"
        } else {
            "customer_id"
        };
        let sql = format!(
            "SELECT count(*) FILTER (WHERE {column} = $1), count(*) FILTER (WHERE {column} <> $1) FROM {table}"
        );
        let (_, others) = portal_counts(&world, portal, &sql, customer).await;
        assert_eq!(
            others, 0,
            "{table}: a portal user saw {others} row(s) of another customer"
        );
    }
    // Per the policy list: internal tables show a portal user nothing; its own rows it does see,
    // and of a customer's table no row without a customer (a staff row of `notifications` or
    // `password_resets`).
    for table in tables() {
        let name = table.table;
        let without_customer = match table.scope {
            Scope::Customer(column) => format!("count(*) FILTER (WHERE {column} IS NULL)"),
            _ => "0::bigint".to_owned(),
        };
        let sql =
            format!("SELECT count(*), {without_customer} FROM {name} WHERE $1::uuid IS NOT NULL");
        let (visible, staff_rows) = portal_counts(&world, portal, &sql, customer).await;
        match table.scope {
            Scope::Internal | Scope::Outbox => {
                assert_eq!(
                    visible, 0,
                    "{name}: internal rows are invisible to portal users"
                );
            }
            _ => assert!(
                visible > 0,
                "{name}: a portal user should see its own and shared rows"
            ),
        }
        assert_eq!(
            staff_rows, 0,
            "{name}: a portal user saw rows of no customer"
        );
    }
}

#[tokio::test]
async fn portal_user_cannot_read_another_customers_orders() {
    let world = two_tenants().await;
    let customers = customers_of(&world, world.a).await;
    let ((mine, me), (theirs, _)) = (customers[0], customers[1]);
    let theirs_orders = async |ctx| {
        as_tenant(&world, ctx, async |tx| {
            let sql = "SELECT count(*) FROM orders WHERE customer_id = $1";
            Ok(count(tx, sql, [theirs.into()]).await)
        })
        .await
    };
    let orders = theirs_orders(TenantContext::portal_user(world.a, me, mine)).await;
    assert_eq!(orders, 0);
    let rep_view = theirs_orders(TenantContext::system(world.a)).await;
    assert_eq!(rep_view, 2, "internal users see every customer's orders");
}

#[tokio::test]
async fn portal_user_cannot_write_rows_for_another_customer() {
    let world = two_tenants().await;
    let customers = customers_of(&world, world.a).await;
    let ((mine, me), (theirs, _)) = (customers[0], customers[1]);
    let outcome = with_tenant(&world.db, &TenantContext::portal_user(world.a, me, mine), async |tx| {
        tx.execute_raw(stmt(
            "INSERT INTO lists (tenant_id, customer_id, owner_portal_user_id, name) VALUES ($1, $2, $3, 'Sneaky')",
            [world.a.into(), theirs.into(), me.into()],
        ))
        .await
        .map_err(TenancyError::from)
    })
    .await;
    match outcome {
        Err(TenancyError::Database(error)) => assert!(is_rls_violation(&error), "{error}"),
        other => panic!("expected an RLS refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn with_tenant_commits_on_ok_and_rolls_back_on_err() {
    let world = two_tenants().await;
    let insert = "INSERT INTO suppliers (tenant_id, name) VALUES ($1, $2)";
    as_tenant(&world, TenantContext::system(world.a), async |tx| {
        tx.execute_raw(stmt(insert, [world.a.into(), "Kept".into()]))
            .await?;
        Ok(())
    })
    .await;
    let failed: Result<(), TenancyError> =
        with_tenant(&world.db, &TenantContext::system(world.a), async |tx| {
            tx.execute_raw(stmt(insert, [world.a.into(), "Discarded".into()]))
                .await?;
            Err(TenancyError::TenantNotFound {
                slug: "forced failure".into(),
            })
        })
        .await;
    assert!(failed.is_err());
    let names = strings(
        &world.owner,
        "SELECT name FROM suppliers WHERE name IN ('Kept', 'Discarded')",
    )
    .await;
    assert_eq!(names, vec!["Kept".to_owned()]);
}

#[tokio::test]
async fn tenant_settings_never_outlive_their_transaction() {
    let (database, _owner) = database_with_tenants(&["alpha"]).await;
    // One connection, so the second query runs on the very session the tenant transaction used.
    let single = sea_orm::Database::connect(
        sea_orm::ConnectOptions::new(database.url().to_owned())
            .max_connections(1)
            .to_owned(),
    )
    .await
    .unwrap();
    let db = TenantDb::new(single.clone(), app_role());
    let tenant = db.tenant_id_for_slug("alpha").await.unwrap();
    with_tenant(&db, &TenantContext::system(tenant), async |tx| {
        tx.execute_unprepared("SELECT 1").await?;
        Ok::<_, TenancyError>(())
    })
    .await
    .unwrap();
    let row = single
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_user::text, coalesce(current_setting('app.current_tenant_id', true), '')",
        ))
        .await
        .unwrap()
        .unwrap();
    let (user, tenant_setting): (String, String) = (
        row.try_get_by_index(0).unwrap(),
        row.try_get_by_index(1).unwrap(),
    );
    assert_ne!(user, app_role().as_str());
    assert_eq!(tenant_setting, "");
}

#[tokio::test]
async fn unknown_or_inactive_tenant_slugs_are_not_found() {
    let world = two_tenants().await;
    world
        .owner
        .execute_unprepared("UPDATE tenants SET status = 'suspended' WHERE slug = 'beta'")
        .await
        .unwrap();
    for slug in ["gamma", "beta"] {
        match world.db.tenant_id_for_slug(slug).await {
            Err(TenancyError::TenantNotFound { slug: reported }) => assert_eq!(reported, slug),
            other => panic!("{slug}: expected TenantNotFound, got {other:?}"),
        }
    }
}

/// Runs each statement as the owner, in order.
async fn ddl(owner: &DatabaseConnection, statements: &[&str]) {
    for statement in statements {
        owner.execute_unprepared(statement).await.unwrap();
    }
}

#[tokio::test]
async fn startup_check_rejects_roles_that_escape_row_level_security() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let superuser = AppRole::parse("postgres").unwrap();
    assert!(matches!(
        verify_app_role(&owner, &superuser).await,
        Err(AppRoleProblem::Superuser { .. })
    ));

    let suffix = Uuid::now_v7().simple().to_string();
    let bypass = AppRole::parse(&format!("leora_test_bypass_{suffix}")).unwrap();
    ddl(
        &owner,
        &[&format!("CREATE ROLE {bypass} NOLOGIN BYPASSRLS")],
    )
    .await;
    let bypass_outcome = verify_app_role(&owner, &bypass).await;
    let owner_role = AppRole::parse(&format!("leora_test_owner_{suffix}")).unwrap();
    ddl(
        &owner,
        &[
            &format!("CREATE ROLE {owner_role} NOLOGIN"),
            &format!("ALTER TABLE suppliers OWNER TO {owner_role}"),
        ],
    )
    .await;
    let owner_outcome = verify_app_role(&owner, &owner_role).await;
    ddl(
        &owner,
        &[
            "ALTER TABLE suppliers OWNER TO postgres",
            &format!("DROP ROLE {bypass}"),
            &format!("DROP ROLE {owner_role}"),
        ],
    )
    .await;
    assert!(
        matches!(bypass_outcome, Err(AppRoleProblem::BypassesRls { .. })),
        "{bypass_outcome:?}"
    );
    assert!(
        matches!(
            owner_outcome,
            Err(AppRoleProblem::OwnsTables { tables: 1, .. })
        ),
        "{owner_outcome:?}"
    );

    let missing = AppRole::parse(&format!("leora_test_missing_{suffix}")).unwrap();
    assert!(matches!(
        verify_app_role(&owner, &missing).await,
        Err(AppRoleProblem::Missing { .. })
    ));

    let plain_owner = format!("leora_test_plain_{suffix}");
    ddl(
        &owner,
        &[
            &format!("CREATE ROLE {plain_owner} NOLOGIN"),
            &format!("ALTER FUNCTION tenant_id_for_slug(text) OWNER TO {plain_owner}"),
        ],
    )
    .await;
    let plain_outcome = verify_app_role(&owner, &app_role()).await;
    ddl(
        &owner,
        &[
            "ALTER FUNCTION tenant_id_for_slug(text) OWNER TO postgres",
            &format!("DROP ROLE {plain_owner}"),
        ],
    )
    .await;
    assert!(
        matches!(plain_outcome, Err(AppRoleProblem::OwnerSubjectToRls { .. })),
        "{plain_outcome:?}"
    );

    ddl(&owner, &["ALTER TABLE orders NO FORCE ROW LEVEL SECURITY"]).await;
    match verify_app_role(&owner, &app_role()).await {
        Err(AppRoleProblem::TablesWithoutRls { tables }) => assert_eq!(tables, "orders"),
        other => panic!("expected TablesWithoutRls, got {other:?}"),
    }
}

#[tokio::test]
async fn migrations_go_down_to_empty_and_up_again() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'seaql_migrations'";
    assert_eq!(count(&owner, tables, []).await, 39);
    Migrator::down(&owner, None).await.unwrap();
    assert_eq!(count(&owner, tables, []).await, 0);
    let leftovers = count(
        &owner,
        "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
        [],
    )
    .await;
    assert_eq!(leftovers, 0, "down leaves no functions behind");
    Migrator::up(&owner, None).await.unwrap();
    assert_eq!(count(&owner, tables, []).await, 39);
    assert_eq!(
        Migrator::get_pending_migrations(&owner)
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        count(&owner, "SELECT count(*) FROM permissions", []).await,
        27
    );
    verify_app_role(&owner, &app_role()).await.unwrap();
}

#[tokio::test]
async fn portal_password_resets_go_down_with_their_rows_and_come_back() {
    let (_database, owner) = database_with_tenants(&["alpha"]).await;
    let staff_tokens = "SELECT count(*) FROM password_resets WHERE user_id IS NOT NULL";
    let all_tokens = "SELECT count(*) FROM password_resets";
    assert_eq!(count(&owner, staff_tokens, []).await, 1);
    assert_eq!(
        count(&owner, all_tokens, []).await,
        3,
        "and one per portal user"
    );
    let policies = "SELECT policyname || ': ' || coalesce(qual, with_check) \
                      FROM pg_policies WHERE tablename = 'password_resets' ORDER BY 1";
    let customer_scoped = strings(&owner, policies).await;
    assert_eq!(customer_scoped.len(), 4);
    assert!(
        customer_scoped
            .iter()
            .all(|policy| policy.contains("customer_id =")),
        "{customer_scoped:?}"
    );

    // Down to just before it, undoing the later migrations first.
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let position = names
        .iter()
        .position(|name| name == "m20261205_000016_portal_password_resets")
        .unwrap();
    let steps = u32::try_from(names.len() - position).unwrap();
    Migrator::down(&owner, Some(steps)).await.unwrap();
    assert_eq!(
        count(&owner, all_tokens, []).await,
        1,
        "the staff token stays"
    );
    let internal = strings(&owner, policies).await;
    assert_eq!(internal.len(), 4);
    assert!(
        internal
            .iter()
            .all(|policy| !policy.contains("customer_id =")),
        "{internal:?}"
    );
    let user_id_required = "SELECT count(*) FROM information_schema.columns \
         WHERE table_name = 'password_resets' AND column_name = 'user_id' AND is_nullable = 'NO'";
    assert_eq!(count(&owner, user_id_required, []).await, 1);

    Migrator::up(&owner, None).await.unwrap();
    assert_eq!(strings(&owner, policies).await, customer_scoped);
    verify_app_role(&owner, &app_role()).await.unwrap();
}
