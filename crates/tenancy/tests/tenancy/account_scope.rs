//! Account scope, enforced by the database: an internal user sees and works only the accounts of
//! their team (themselves and their direct reports), and everything that belongs to those
//! accounts, unless they hold `accounts.view_all`. Raw SQL through `with_tenant` as the
//! application role, with no filter of the application's.

use super::{TwoTenants, as_tenant, count, customers_of, is_rls_violation, strings, two_tenants};
use leora_tenancy::{TenancyError, TenantContext, with_tenant};
use leora_test_db::sql::stmt;
use sea_orm::{ConnectionTrait, Value};
use uuid::Uuid;

/// The tables narrowed by account, each read by its customer column.
const SCOPED: [(&str, &str); 11] = [
    ("allocations", "customer_id"),
    ("cart_items", "customer_id"),
    ("carts", "customer_id"),
    ("customers", "id"),
    ("invoices", "customer_id"),
    ("list_items", "customer_id"),
    ("lists", "customer_id"),
    ("order_lines", "customer_id"),
    ("orders", "customer_id"),
    ("payments", "customer_id"),
    ("price_list_entries", "customer_id"),
];

/// Tenant A of the full fixture, reorganised: its second customer moves to `other_rep`, who
/// reports to nobody, and `admin` holds the system admin role. The fixture's rep keeps the first
/// customer and reports to the manager.
struct Org {
    world: TwoTenants,
    rep: Uuid,
    manager: Uuid,
    other_rep: Uuid,
    admin: Uuid,
    first: Uuid,
    second: Uuid,
}

impl Org {
    fn user(&self, user: Uuid) -> TenantContext {
        TenantContext::user(self.world.a, user)
    }

    /// How many of `customer`'s rows of `table` the request sees.
    async fn sees(&self, ctx: TenantContext, (table, column): (&str, &str), customer: Uuid) -> i64 {
        let sql = format!("SELECT count(*) FROM {table} WHERE {column} = $1");
        as_tenant(&self.world, ctx, async |tx| {
            Ok(count(tx, &sql, [customer.into()]).await)
        })
        .await
    }
}

async fn insert_user(world: &TwoTenants, email: &str) -> Uuid {
    let id = Uuid::now_v7();
    world
        .owner
        .execute_raw(stmt(
            "INSERT INTO users (id, tenant_id, email, password_hash, full_name)
             VALUES ($1, $2, $3, 'x', $3)",
            [id.into(), world.a.into(), email.into()],
        ))
        .await
        .unwrap();
    id
}

async fn org() -> Org {
    let world = two_tenants().await;
    let user_id = |email: &str| {
        format!(
            "SELECT id::text FROM users WHERE tenant_id = '{}' AND email = '{email}'",
            world.a
        )
    };
    let rep = strings(&world.owner, &user_id("rep@alpha.test")).await[0]
        .parse()
        .unwrap();
    let manager = strings(&world.owner, &user_id("manager@alpha.test")).await[0]
        .parse()
        .unwrap();
    let other_rep = insert_user(&world, "other-rep@alpha.test").await;
    let admin = insert_user(&world, "admin@alpha.test").await;
    world
        .owner
        .execute_raw(stmt(
            "INSERT INTO user_roles (tenant_id, user_id, role_id)
             SELECT $1, $2, id FROM roles WHERE tenant_id IS NULL AND name = 'admin'",
            [world.a.into(), admin.into()],
        ))
        .await
        .unwrap();
    let customers = customers_of(&world, world.a).await;
    let (first, second) = (customers[0].0, customers[1].0);
    world
        .owner
        .execute_raw(stmt(
            "UPDATE customers SET assigned_rep_id = $1 WHERE id = $2",
            [other_rep.into(), second.into()],
        ))
        .await
        .unwrap();
    Org {
        world,
        rep,
        manager,
        other_rep,
        admin,
        first,
        second,
    }
}

#[tokio::test]
async fn the_scoped_tables_are_exactly_those_that_belong_to_an_account() {
    let org = org().await;
    let tables = strings(
        &org.world.owner,
        "SELECT tablename::text FROM pg_policies
          WHERE schemaname = 'public' AND policyname = tablename || '_account_scope'
            AND permissive = 'RESTRICTIVE' AND cmd = 'ALL'
          ORDER BY 1",
    )
    .await;
    assert_eq!(tables, SCOPED.map(|(table, _)| table.to_owned()));
}

#[tokio::test]
async fn each_principal_sees_exactly_its_accounts_rows_in_every_scoped_table() {
    let org = org().await;
    let a = org.world.a;
    let (_, first_buyer) = customers_of(&org.world, a).await[0];
    // (who, sees the first customer's rows, sees the second's)
    let principals = [
        ("the first customer's rep", org.user(org.rep), true, false),
        ("the rep's manager", org.user(org.manager), true, false),
        (
            "the second customer's rep",
            org.user(org.other_rep),
            false,
            true,
        ),
        ("an admin", org.user(org.admin), true, true),
        ("a background job", TenantContext::system(a), true, true),
        (
            "the first customer's buyer",
            TenantContext::portal_user(a, first_buyer, org.first),
            true,
            false,
        ),
    ];
    for table in SCOPED {
        for (who, ctx, first, second) in principals {
            for (customer, expected) in [(org.first, first), (org.second, second)] {
                let seen = org.sees(ctx, table, customer).await;
                assert_eq!(
                    seen > 0,
                    expected,
                    "{who} in {}: {seen} rows of {customer}",
                    table.0
                );
            }
        }
    }
}

#[tokio::test]
async fn tenant_wide_prices_stay_visible_to_every_internal_user() {
    let org = org().await;
    for user in [org.rep, org.manager, org.other_rep, org.admin] {
        let tier_prices = as_tenant(&org.world, org.user(user), async |tx| {
            Ok(count(
                tx,
                "SELECT count(*) FROM price_list_entries WHERE customer_id IS NULL",
                [],
            )
            .await)
        })
        .await;
        assert_eq!(tier_prices, 1);
    }
}

/// Runs `sql` as `ctx` and returns the rows it changed, or the database's refusal.
async fn write(
    org: &Org,
    ctx: TenantContext,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, TenancyError> {
    with_tenant(&org.world.db, &ctx, async |tx| {
        Ok(tx.execute_raw(stmt(sql, values)).await?.rows_affected())
    })
    .await
}

#[tokio::test]
async fn a_rep_cannot_write_rows_of_an_account_outside_the_team() {
    let org = org().await;
    let rep = org.user(org.rep);
    // Updates and deletes aimed at the other rep's account match nothing.
    for sql in [
        "UPDATE customers SET name = 'taken' WHERE id = $1",
        "UPDATE orders SET notes = 'taken' WHERE customer_id = $1",
        "DELETE FROM list_items WHERE customer_id = $1",
        "DELETE FROM carts WHERE customer_id = $1",
    ] {
        assert_eq!(
            write(&org, rep, sql, vec![org.second.into()])
                .await
                .unwrap(),
            0,
            "{sql}"
        );
    }
    // Inserting for it is refused.
    let order = write(
        &org,
        rep,
        "INSERT INTO orders (tenant_id, order_number, customer_id, placed_by_user_id)
         VALUES ($1, 'SO-TAKEN', $2, $3)",
        vec![org.world.a.into(), org.second.into(), org.rep.into()],
    )
    .await;
    assert!(
        matches!(&order, Err(TenancyError::Database(e)) if is_rls_violation(e)),
        "{order:?}"
    );
    // Handing its own account to someone outside the team is refused too: it would lose it.
    let handed = write(
        &org,
        rep,
        "UPDATE customers SET assigned_rep_id = $1 WHERE id = $2",
        vec![org.other_rep.into(), org.first.into()],
    )
    .await;
    assert!(
        matches!(&handed, Err(TenancyError::Database(e)) if is_rls_violation(e)),
        "{handed:?}"
    );
    let untouched = count(
        &org.world.owner,
        "SELECT count(*) FROM customers WHERE id = $1 AND assigned_rep_id = $2 AND name <> 'taken'",
        [org.first.into(), org.rep.into()],
    )
    .await;
    assert_eq!(untouched, 1);
}

#[tokio::test]
async fn an_admin_writes_any_account_and_a_manager_reassigns_within_the_team() {
    let org = org().await;
    let moved = write(
        &org,
        org.user(org.admin),
        "UPDATE orders SET notes = 'seen' WHERE customer_id = $1",
        vec![org.second.into()],
    )
    .await
    .unwrap();
    assert_eq!(moved, 2);
    let reassigned = write(
        &org,
        org.user(org.manager),
        "UPDATE customers SET assigned_rep_id = $1 WHERE id = $2",
        vec![org.manager.into(), org.first.into()],
    )
    .await
    .unwrap();
    assert_eq!(reassigned, 1);
    // The rep no longer sees the account the manager took over.
    let seen = org
        .sees(org.user(org.rep), ("orders", "customer_id"), org.first)
        .await;
    assert_eq!(seen, 0);
}
