//! What staff decide, the database keeps a portal user off, even if a resolver forgot its guard:
//! raw SQL run through `with_tenant` as the application role, exactly as a request would.

use super::{
    TwoTenants, app_role, as_tenant, count, customers_of, is_rls_violation, strings, two_tenants,
};
use leora_migration::{Migrator, MigratorTrait};
use leora_tenancy::{TenancyError, TenantContext, with_tenant};
use leora_test_db::TestDatabase;
use leora_test_db::sql::stmt;
use sea_orm::{ConnectionTrait, DbErr, Value};
use uuid::Uuid;

/// Runs `sql` in a transaction of `ctx` and returns the database's refusal.
async fn refused(world: &TwoTenants, ctx: TenantContext, sql: &str, values: Vec<Value>) -> DbErr {
    let outcome = with_tenant(&world.db, &ctx, async |tx| {
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

/// Runs `sql` in a transaction of `ctx` and returns the number of rows it changed.
async fn changed(world: &TwoTenants, ctx: TenantContext, sql: &str, values: Vec<Value>) -> u64 {
    as_tenant(world, ctx, async |tx| {
        Ok(tx.execute_raw(stmt(sql, values)).await?.rows_affected())
    })
    .await
}

fn is_permission_denied(error: &DbErr, table: &str) -> bool {
    error
        .to_string()
        .contains(&format!("permission denied for table {table}"))
}

/// The first customer of tenant A and a portal request of its buyer.
async fn first_customers_buyer(world: &TwoTenants) -> (Uuid, TenantContext) {
    let (customer, portal_user) = customers_of(world, world.a).await[0];
    (
        customer,
        TenantContext::portal_user(world.a, portal_user, customer),
    )
}

/// A staff member of tenant A: its sales rep.
async fn staff_of_a(world: &TwoTenants) -> TenantContext {
    let rep = strings(
        &world.owner,
        &format!(
            "SELECT id::text FROM users WHERE tenant_id = '{}' AND email LIKE 'rep@%'",
            world.a
        ),
    )
    .await;
    TenantContext::user(world.a, rep[0].parse().unwrap())
}

#[tokio::test]
async fn the_application_role_cannot_write_the_tenants_table() {
    let world = two_tenants().await;
    // A transaction already scoped to a new tenant's id is how a tenant could once be created.
    let new_tenant = Uuid::now_v7();
    let attempts: [(TenantContext, &str, Vec<Value>); 4] = [
        (
            TenantContext::system(new_tenant),
            "INSERT INTO tenants (id, slug, name) VALUES ($1, 'gamma', 'Gamma')",
            vec![new_tenant.into()],
        ),
        (
            TenantContext::system(world.a),
            "UPDATE tenants SET subscription_tier = 'enterprise', status = 'active' WHERE id = $1",
            vec![world.a.into()],
        ),
        (
            TenantContext::system(world.a),
            "UPDATE tenants SET name = 'Taken over' WHERE id = $1",
            vec![world.b.into()],
        ),
        (
            TenantContext::system(world.a),
            "DELETE FROM tenants WHERE id = $1",
            vec![world.a.into()],
        ),
    ];
    for (ctx, sql, values) in attempts {
        let error = refused(&world, ctx, sql, values).await;
        assert!(
            is_permission_denied(&error, "tenants"),
            "{sql}: expected no write privilege, got {error}"
        );
    }
    let (_, portal) = first_customers_buyer(&world).await;
    for ctx in [TenantContext::system(world.a), portal] {
        let own = as_tenant(&world, ctx, async |tx| {
            Ok(count(
                tx,
                "SELECT count(*) FROM tenants WHERE id = $1",
                [world.a.into()],
            )
            .await)
        })
        .await;
        assert_eq!(own, 1, "every request still reads its own tenant's row");
    }
    assert_eq!(
        strings(&world.owner, "SELECT slug FROM tenants ORDER BY slug").await,
        ["alpha", "beta"]
    );
}

#[tokio::test]
async fn a_portal_request_cannot_update_its_own_customer_row() {
    let world = two_tenants().await;
    let (customer, portal) = first_customers_buyer(&world).await;
    let snapshot = "SELECT to_jsonb(c)::text FROM customers c WHERE id = $1";
    let before = strings_with(&world, snapshot, customer).await;
    for assignment in [
        "credit_limit = 1000000",
        "price_tier = 'distributor'",
        "payment_terms = 'net_60'",
        "status = 'active'",
        "email = 'buyer@example.test'",
    ] {
        let error = refused(
            &world,
            portal,
            &format!("UPDATE customers SET {assignment} WHERE id = $1"),
            vec![customer.into()],
        )
        .await;
        assert!(
            error.to_string().contains("customers_update_staff_only"),
            "{assignment}: expected the staff-only update policy to refuse, got {error}"
        );
    }
    assert_eq!(strings_with(&world, snapshot, customer).await, before);
}

#[tokio::test]
async fn a_portal_request_cannot_delete_its_own_customer_row() {
    let world = two_tenants().await;
    let (customer, portal) = first_customers_buyer(&world).await;
    let deleted = changed(
        &world,
        portal,
        "DELETE FROM customers WHERE id = $1",
        vec![customer.into()],
    )
    .await;
    assert_eq!(deleted, 0);
    assert_eq!(
        count(
            &world.owner,
            "SELECT count(*) FROM customers WHERE id = $1",
            [customer.into()]
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_portal_request_cannot_grant_a_permission_to_a_role_staff_hold() {
    let world = two_tenants().await;
    let (_, portal) = first_customers_buyer(&world).await;
    // `buyer` is tenant A's internal role, held by its sales rep.
    let error = refused(
        &world,
        portal,
        "INSERT INTO role_permissions (tenant_id, role_id, permission_id)
         SELECT r.tenant_id, r.id, p.id FROM roles r, permissions p
          WHERE r.tenant_id = $1 AND r.name = 'buyer' AND p.key = 'customers.manage'",
        vec![world.a.into()],
    )
    .await;
    assert!(
        error
            .to_string()
            .contains("role_permissions_insert_staff_only"),
        "{error}"
    );
}

/// The tables a portal request reads but never writes, each with rows of tenant A it can see.
const STAFF_ONLY_WRITES: [&str; 7] = [
    "roles",
    "role_permissions",
    "suppliers",
    "customers",
    "price_list_entries",
    "invoices",
    "payments",
];

#[tokio::test]
async fn a_portal_request_cannot_write_roles_role_permissions_suppliers_customers_prices_invoices_or_payments()
 {
    let world = two_tenants().await;
    let (_, portal) = first_customers_buyer(&world).await;
    for table in STAFF_ONLY_WRITES {
        let tenant_rows = format!("SELECT count(*) FROM {table} WHERE tenant_id = $1");
        let before = count(&world.owner, &tenant_rows, [world.a.into()]).await;
        // A row the portal request can see, copied under a fresh id.
        let copy = as_tenant(&world, portal, async |tx| {
            let row = tx
                .query_one_raw(stmt(
                    &format!(
                        "SELECT (to_jsonb(t) || jsonb_build_object('id', uuid_generate_v7()))::text
                           FROM {table} t WHERE tenant_id = $1 LIMIT 1"
                    ),
                    [world.a.into()],
                ))
                .await?;
            Ok(row.map(|row| row.try_get_by_index::<String>(0).unwrap()))
        })
        .await
        .unwrap_or_else(|| panic!("{table}: the portal request must see a row of its tenant"));
        let inserted = refused(
            &world,
            portal,
            &format!(
                "INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, $1::jsonb)"
            ),
            vec![copy.into()],
        )
        .await;
        assert!(is_rls_violation(&inserted), "{table} insert: {inserted}");
        let updated = refused(
            &world,
            portal,
            &format!("UPDATE {table} SET updated_at = now() WHERE tenant_id = $1"),
            vec![world.a.into()],
        )
        .await;
        assert!(
            updated
                .to_string()
                .contains(&format!("{table}_update_staff_only")),
            "{table} update: {updated}"
        );
        let deleted = changed(
            &world,
            portal,
            &format!("DELETE FROM {table} WHERE tenant_id = $1"),
            vec![world.a.into()],
        )
        .await;
        assert_eq!(deleted, 0, "{table}: a portal request deleted rows");
        assert_eq!(
            count(&world.owner, &tenant_rows, [world.a.into()]).await,
            before,
            "{table}"
        );
    }
}

#[tokio::test]
async fn staff_still_write_roles_role_permissions_suppliers_customers_and_prices() {
    let world = two_tenants().await;
    let (customer, _) = first_customers_buyer(&world).await;
    let staff = staff_of_a(&world).await;
    let a = world.a;
    let changes = as_tenant(&world, staff, async |tx| {
        let statements: [(&str, Vec<Value>); 12] = [
            (
                "INSERT INTO roles (tenant_id, name, audience) VALUES ($1, 'auditor', 'internal')",
                vec![a.into()],
            ),
            (
                "UPDATE roles SET description = 'Reads the books' WHERE tenant_id = $1 AND name = 'auditor'",
                vec![a.into()],
            ),
            (
                "INSERT INTO role_permissions (tenant_id, role_id, permission_id)
                 SELECT r.tenant_id, r.id, p.id FROM roles r, permissions p
                  WHERE r.tenant_id = $1 AND r.name = 'auditor' AND p.key = 'orders.view'",
                vec![a.into()],
            ),
            (
                "DELETE FROM role_permissions WHERE role_id = (SELECT id FROM roles WHERE tenant_id = $1 AND name = 'auditor')",
                vec![a.into()],
            ),
            (
                "INSERT INTO suppliers (tenant_id, name) VALUES ($1, 'Coastal Imports')",
                vec![a.into()],
            ),
            (
                "UPDATE suppliers SET phone = '555-0100' WHERE tenant_id = $1 AND name = 'Coastal Imports'",
                vec![a.into()],
            ),
            (
                "DELETE FROM suppliers WHERE tenant_id = $1 AND name = 'Coastal Imports'",
                vec![a.into()],
            ),
            (
                "UPDATE customers SET credit_limit = 25000, price_tier = 'retail' WHERE id = $1",
                vec![customer.into()],
            ),
            (
                "INSERT INTO price_list_entries (tenant_id, sku_id, price_tier, unit_price)
                 SELECT tenant_id, id, 'retail', 21.00 FROM skus WHERE tenant_id = $1",
                vec![a.into()],
            ),
            (
                "UPDATE price_list_entries SET unit_price = 20.50 WHERE tenant_id = $1 AND price_tier = 'retail'",
                vec![a.into()],
            ),
            (
                "DELETE FROM price_list_entries WHERE tenant_id = $1 AND price_tier = 'retail'",
                vec![a.into()],
            ),
            (
                "DELETE FROM roles WHERE tenant_id = $1 AND name = 'auditor'",
                vec![a.into()],
            ),
        ];
        let mut changes = Vec::new();
        for (sql, values) in statements {
            changes.push(tx.execute_raw(stmt(sql, values)).await?.rows_affected());
        }
        Ok(changes)
    })
    .await;
    assert_eq!(changes, [1; 12]);
}

/// Tenant A's price-list entries as the request `ctx` sees them, each named by its customer's
/// account number (when `ctx` may see the customer) or its tier.
async fn price_list_as(world: &TwoTenants, ctx: TenantContext) -> Vec<String> {
    as_tenant(world, ctx, async |tx| {
        Ok(strings(
            tx,
            "SELECT CASE WHEN e.customer_id IS NULL THEN 'tier ' || e.price_tier
                         ELSE coalesce(c.account_number, 'another customer') END
               FROM price_list_entries e LEFT JOIN customers c ON c.id = e.customer_id
              ORDER BY 1",
        )
        .await)
    })
    .await
}

#[tokio::test]
async fn a_portal_request_sees_only_its_customers_and_its_tiers_price_list_entries() {
    let world = two_tenants().await;
    // Tenant A prices its SKU for two tiers, wholesale (its customers' tier) and retail.
    world
        .owner
        .execute_raw(stmt(
            "INSERT INTO price_list_entries (tenant_id, sku_id, price_tier, unit_price)
             SELECT tenant_id, sku_id, 'retail', 21.00 FROM price_list_entries
              WHERE tenant_id = $1 AND price_tier = 'wholesale'",
            [world.a.into()],
        ))
        .await
        .unwrap();
    let (_, portal) = first_customers_buyer(&world).await;
    // Customer-specific entries name the customer: the staff view shows both customers'.
    assert_eq!(
        price_list_as(&world, TenantContext::system(world.a)).await,
        ["ACCT-1", "ACCT-2", "tier retail", "tier wholesale"]
    );
    assert_eq!(
        price_list_as(&world, staff_of_a(&world).await).await,
        ["ACCT-1", "ACCT-2", "tier retail", "tier wholesale"]
    );
    assert_eq!(
        price_list_as(&world, portal).await,
        ["ACCT-1", "tier wholesale"]
    );
}

#[tokio::test]
async fn a_portal_request_of_a_customer_without_a_tier_sees_no_tier_prices() {
    let world = two_tenants().await;
    let (customer, portal) = first_customers_buyer(&world).await;
    world
        .owner
        .execute_raw(stmt(
            "UPDATE customers SET price_tier = NULL WHERE id = $1",
            [customer.into()],
        ))
        .await
        .unwrap();
    assert_eq!(price_list_as(&world, portal).await, ["ACCT-1"]);
}

/// The single text value `sql` returns for `id`.
async fn strings_with(world: &TwoTenants, sql: &str, id: Uuid) -> String {
    let row = world
        .owner
        .query_one_raw(stmt(sql, [id.into()]))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}

#[tokio::test]
async fn the_defence_in_depth_migration_goes_down_and_up_again() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let role = app_role();
    let state = async || {
        let policies = count(
            &owner,
            "SELECT count(*) FROM pg_policies WHERE schemaname = 'public'
                AND (policyname LIKE '%\\_staff\\_only' OR policyname LIKE '%\\_portal\\_narrowed')",
            [],
        )
        .await;
        let writes_tenants = count(
            &owner,
            "SELECT count(*) FROM unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) AS p(privilege)
              WHERE has_table_privilege($1::name, 'tenants', p.privilege)",
            [role.as_str().into()],
        )
        .await;
        (policies, writes_tenants)
    };
    // 22 of migration 10 and 3 on `allocations`, migration 14's table.
    assert_eq!(state().await, (25, 0));
    crate::migrate_down_to_before(&owner, "m20261204_000010_rls_defence_in_depth").await;
    assert_eq!(state().await, (0, 3));
    Migrator::up(&owner, None).await.unwrap();
    assert_eq!(state().await, (25, 0));
}
