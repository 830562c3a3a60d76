//! The rows most suites' worlds start from, written as the owner (so row-level security does not
//! apply) with only the columns the tests read; the schema's defaults fill in the rest.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::sql::{exec, insert, scalar};

/// An active tenant named after its slug.
pub async fn create_tenant(conn: &impl ConnectionTrait, slug: &str) -> Uuid {
    insert(
        conn,
        "INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id",
        [slug.into()],
    )
    .await
}

/// A staff user with no roles. Its password hash is no hash, so it can never sign in: tests act
/// as it through a `TenantContext`, not a session.
pub async fn create_user(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    email: &str,
    full_name: &str,
    manager: Option<Uuid>,
) -> Uuid {
    insert(
        conn,
        "INSERT INTO users (tenant_id, email, password_hash, full_name, manager_id)
         VALUES ($1, $2, 'x', $3, $4) RETURNING id",
        [
            tenant.into(),
            email.into(),
            full_name.into(),
            manager.into(),
        ],
    )
    .await
}

/// Gives a user one of the system roles (`admin`, `sales_rep`, …).
pub async fn grant_role(conn: &impl ConnectionTrait, tenant: Uuid, user: Uuid, role: &str) {
    exec(
        conn,
        "INSERT INTO user_roles (tenant_id, user_id, role_id)
         SELECT $1, $2, id FROM roles WHERE tenant_id IS NULL AND name = $3",
        [tenant.into(), user.into(), role.into()],
    )
    .await;
}

/// An active customer in CA on net 30 terms, named after its account number.
pub async fn create_customer(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    account_number: &str,
    price_tier: Option<&str>,
) -> Uuid {
    insert(
        conn,
        "INSERT INTO customers (tenant_id, account_number, name, state, price_tier,
                                license_number, license_state, license_expires_on)
         VALUES ($1, $2, $2, 'CA', $3, 'CA-' || $2, 'CA', current_date + 365) RETURNING id",
        [tenant.into(), account_number.into(), price_tier.into()],
    )
    .await
}

/// An active product of `category` (`wine`, `spirits`, `beer`, `other`) with no supplier.
pub async fn create_product(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    name: &str,
    category: &str,
) -> Uuid {
    insert(
        conn,
        "INSERT INTO products (tenant_id, name, category) VALUES ($1, $2, $3) RETURNING id",
        [tenant.into(), name.into(), category.into()],
    )
    .await
}

/// An active 750 ml SKU of `product` at a base price of 20.00, with no stock.
pub async fn create_sku(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    product: Uuid,
    code: &str,
) -> Uuid {
    insert(
        conn,
        "INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price)
         VALUES ($1, $2, $3, 750, 20.00) RETURNING id",
        [tenant.into(), product.into(), code.into()],
    )
    .await
}

/// A span of the tenant's calendar that a rule counts in.
#[derive(Debug, Clone, Copy)]
pub enum Span {
    Day,
    Month,
}

/// Gives the tenant (its settings row must exist) a time zone whose current `span` has at least an
/// hour behind and ahead of it, and returns the zone. Of three zones whose days turn at least seven
/// hours apart one always has, so a test that reads "today" (or "this month") and then has the
/// server judge by it holds at any hour, under a moved clock too.
pub async fn steady_time_zone(conn: &impl ConnectionTrait, tenant: Uuid, span: Span) -> String {
    let unit = match span {
        Span::Day => "day",
        Span::Month => "month",
    };
    let zone: String = scalar(
        conn,
        "SELECT zone FROM unnest(ARRAY['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) AS zone
          ORDER BY least(
                     (now() AT TIME ZONE zone) - date_trunc($1, now() AT TIME ZONE zone),
                     date_trunc($1, now() AT TIME ZONE zone) + ('1 ' || $1)::interval
                       - (now() AT TIME ZONE zone)) DESC
          LIMIT 1",
        [unit.into()],
    )
    .await;
    exec(
        conn,
        "UPDATE tenant_settings SET timezone = $2 WHERE tenant_id = $1",
        [tenant.into(), zone.clone().into()],
    )
    .await;
    zone
}

/// Today on the tenant's calendar, by the database's clock: the date the server reckons due
/// dates, delivery dates and snapshots by. A test that took UTC's date instead would fail for the
/// hours each day when the two calendars disagree.
pub async fn tenant_today(conn: &impl ConnectionTrait, tenant: Uuid) -> NaiveDate {
    tenant_date(conn, tenant, None).await
}

/// The date of the instant `at` on the tenant's calendar.
pub async fn tenant_date_of(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    at: DateTime<Utc>,
) -> NaiveDate {
    tenant_date(conn, tenant, Some(at)).await
}

/// In the tenant's time zone, or UTC for a tenant without settings, as the services read it.
async fn tenant_date(
    conn: &impl ConnectionTrait,
    tenant: Uuid,
    at: Option<DateTime<Utc>>,
) -> NaiveDate {
    scalar(
        conn,
        "SELECT (coalesce($2::timestamptz, now()) AT TIME ZONE coalesce(
                    (SELECT timezone FROM tenant_settings WHERE tenant_id = $1), 'UTC'))::date",
        [tenant.into(), at.into()],
    )
    .await
}
