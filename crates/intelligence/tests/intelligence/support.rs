//! The organisation every test starts from, seeded as the owner in two tenants, and the builders
//! and checks the topics share.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use leora_intelligence::entities::activities as activity_rows;
use leora_intelligence::entities::activities::ActivityKind;
use leora_intelligence::error::IntelligenceError;
use leora_intelligence::service::activities::{
    ActivityFilter, NewActivity, SamplePull, activities, log_activity,
};
use leora_intelligence::service::tasks::NewTask;
use leora_intelligence::{HealthRunSummary, refresh_account_health};
use leora_tenancy::TenantTx;
use leora_tenancy::{TenantContext, with_tenant};
use leora_test_db::Pools;
use leora_test_db::fixtures::{
    Span, create_product, create_sku, create_tenant, create_user, grant_role, steady_time_zone,
};
use leora_test_db::sql::{exec, insert, scalar};
use rust_decimal::Decimal;
use sea_orm::{DatabaseConnection, Value};
use std::collections::BTreeSet;
use uuid::Uuid;

#[derive(Clone, Copy)]
pub struct Org {
    pub tenant: Uuid,
    pub admin: Uuid,
    pub manager: Uuid,
    pub rep1: Uuid,
    pub rep2: Uuid,
    pub rep3: Uuid,
    pub c1: Uuid,
    pub c2: Uuid,
    pub c3: Uuid,
    pub c4: Uuid,
    pub sku: Uuid,
    pub portal1: Uuid,
    pub portal2: Uuid,
}

pub struct World {
    pub pools: Pools,
    pub t: Org,
    pub other: Org,
}

pub async fn world() -> World {
    let pools = Pools::new().await;
    let t = seed(&pools.owner, "alpha").await;
    let other = seed(&pools.owner, "beta").await;
    World { pools, t, other }
}

async fn user(
    owner: &DatabaseConnection,
    tenant: Uuid,
    name: &str,
    role: &str,
    manager: Option<Uuid>,
) -> Uuid {
    let email = format!("{name}@example.test");
    let id = create_user(owner, tenant, &email, name, manager).await;
    grant_role(owner, tenant, id, role).await;
    id
}

async fn customer(
    owner: &DatabaseConnection,
    tenant: Uuid,
    number: &str,
    rep: Option<Uuid>,
) -> Uuid {
    insert(
        owner,
        "INSERT INTO customers (tenant_id, account_number, name, state, assigned_rep_id)
         VALUES ($1, $2, 'Customer ' || $2, 'CA', $3) RETURNING id",
        [tenant.into(), number.into(), rep.into()],
    )
    .await
}

pub async fn portal_user(
    owner: &DatabaseConnection,
    tenant: Uuid,
    customer: Uuid,
    name: &str,
    status: &str,
) -> Uuid {
    let id = insert(
        owner,
        "INSERT INTO portal_users (tenant_id, customer_id, email, password_hash, full_name, status)
         VALUES ($1, $2, $3 || '@buyer.test', 'not-a-hash', $3, $4) RETURNING id",
        [tenant.into(), customer.into(), name.into(), status.into()],
    )
    .await;
    exec(
        owner,
        "INSERT INTO portal_user_roles (tenant_id, customer_id, portal_user_id, role_id)
         SELECT $1, $2, $3, id FROM roles WHERE tenant_id IS NULL AND name = 'portal_user'",
        [tenant.into(), customer.into(), id.into()],
    )
    .await;
    id
}

async fn seed(owner: &DatabaseConnection, slug: &str) -> Org {
    let tenant = create_tenant(owner, slug).await;
    // UTC keeps the fixtures' dates what they say; one test switches the zone to check months.
    exec(
        owner,
        "INSERT INTO tenant_settings (tenant_id, timezone, sample_pulls_per_rep_per_month)
         VALUES ($1, 'UTC', 5)",
        [tenant.into()],
    )
    .await;
    let admin = user(owner, tenant, &format!("{slug}-admin"), "admin", None).await;
    let manager = user(
        owner,
        tenant,
        &format!("{slug}-manager"),
        "sales_manager",
        None,
    )
    .await;
    let rep1 = user(
        owner,
        tenant,
        &format!("{slug}-rep1"),
        "sales_rep",
        Some(manager),
    )
    .await;
    let rep2 = user(
        owner,
        tenant,
        &format!("{slug}-rep2"),
        "sales_rep",
        Some(manager),
    )
    .await;
    let rep3 = user(owner, tenant, &format!("{slug}-rep3"), "sales_rep", None).await;
    let c1 = customer(owner, tenant, "C1", Some(rep1)).await;
    let c2 = customer(owner, tenant, "C2", Some(rep2)).await;
    let c3 = customer(owner, tenant, "C3", Some(rep3)).await;
    let c4 = customer(owner, tenant, "C4", None).await;
    let product = create_product(owner, tenant, "Cabernet", "wine").await;
    let sku = create_sku(owner, tenant, product, "CAB-750").await;
    // Sample pulls take their units out of stock: enough for every test's pulls.
    exec(
        owner,
        "INSERT INTO inventory (tenant_id, sku_id, on_hand) VALUES ($1, $2, 1000)",
        [tenant.into(), sku.into()],
    )
    .await;
    let portal1 = portal_user(owner, tenant, c1, &format!("{slug}-buyer1"), "active").await;
    let portal2 = portal_user(owner, tenant, c2, &format!("{slug}-buyer2"), "active").await;
    Org {
        tenant,
        admin,
        manager,
        rep1,
        rep2,
        rep3,
        c1,
        c2,
        c3,
        c4,
        sku,
        portal1,
        portal2,
    }
}

impl Org {
    pub fn as_user(&self, user: Uuid) -> TenantContext {
        TenantContext::user(self.tenant, user)
    }

    pub fn as_portal(&self, portal_user: Uuid, customer: Uuid) -> TenantContext {
        TenantContext::portal_user(self.tenant, portal_user, customer)
    }

    pub fn system(&self) -> TenantContext {
        TenantContext::system(self.tenant)
    }
}

impl World {
    pub async fn run<T>(
        &self,
        ctx: TenantContext,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, IntelligenceError>,
    ) -> Result<T, IntelligenceError> {
        with_tenant(&self.pools.db, &ctx, work).await
    }

    pub async fn log(
        &self,
        ctx: TenantContext,
        input: NewActivity,
    ) -> Result<activity_rows::Model, IntelligenceError> {
        self.run(ctx, async |tx| log_activity(tx, input).await)
            .await
    }

    pub async fn activity_ids(
        &self,
        ctx: TenantContext,
        filter: ActivityFilter,
    ) -> Result<BTreeSet<Uuid>, IntelligenceError> {
        self.run(ctx, async |tx| {
            let rows = activities(tx, &filter).await?.all(tx).await?;
            Ok(rows.into_iter().map(|a| a.id).collect())
        })
        .await
    }

    pub async fn scalar_decimal(&self, sql: &str, values: Vec<Value>) -> Decimal {
        scalar::<Option<Decimal>>(&self.pools.owner, sql, values)
            .await
            .unwrap_or_default()
    }

    pub async fn count(&self, sql: &str, values: Vec<Value>) -> i64 {
        scalar(&self.pools.owner, sql, values).await
    }

    /// An order placed (submitted) at noon UTC `days_ago` days before `today`, with one line of
    /// `units` bottles (and a free sample line that never counts).
    pub async fn order(
        &self,
        customer: Uuid,
        today: NaiveDate,
        days_ago: i64,
        subtotal: &str,
        status: &str,
        units: i32,
    ) -> Uuid {
        let placed = at_noon(today - Duration::days(days_ago));
        let number = format!("SO-{}", Uuid::now_v7().simple());
        let order = insert(
            &self.pools.owner,
            "INSERT INTO orders (tenant_id, order_number, customer_id, status, subtotal, tax_total, total,
                                 submitted_at, created_at)
             VALUES ($1, $2, $3, $4, $5, 1.00, $5 + 1.00,
                     CASE WHEN $4 = 'draft' THEN NULL ELSE $6::timestamptz END, $6::timestamptz)
             RETURNING id",
            [
                self.t.tenant.into(),
                number.into(),
                customer.into(),
                status.into(),
                dec(subtotal).into(),
                placed.into(),
            ],
        )
        .await;
        exec(
            &self.pools.owner,
            "INSERT INTO order_lines (tenant_id, customer_id, order_id, line_number, sku_id, quantity,
                                      unit_price, line_total, pricing_rule, is_sample)
             VALUES ($1, $2, $3, 1, $4, $5, 1.00, $5, 'base_price', false),
                    ($1, $2, $3, 2, $4, 7, 0, 0, 'sample', true)",
            [
                self.t.tenant.into(),
                customer.into(),
                order.into(),
                self.t.sku.into(),
                units.into(),
            ],
        )
        .await;
        order
    }
}

fn at_noon(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).unwrap().and_utc()
}

pub fn date(value: &str) -> NaiveDate {
    value.parse().unwrap()
}

pub fn time(value: &str) -> DateTime<Utc> {
    value.parse().unwrap()
}

pub fn dec(value: &str) -> Decimal {
    value.parse().unwrap()
}

pub fn visit(customer: Uuid) -> NewActivity {
    NewActivity {
        rep_id: None,
        customer_id: customer,
        kind: ActivityKind::Visit,
        occurred_at: None,
        notes: Some("walked the list".into()),
        outcome: None,
        sample: None,
    }
}

/// A sample pull dated now (the tenant's clock).
pub fn pull_now(customer: Uuid, sku: Uuid, quantity: i32) -> NewActivity {
    NewActivity {
        occurred_at: None,
        ..pull(customer, sku, quantity, "2025-06-01T00:00:00Z")
    }
}

/// Gives the tenant a time zone whose current month has an hour either side of now (see
/// [`steady_time_zone`]), so pulls recorded during a test fall in one month at any hour and date.
pub async fn steady_month_zone(w: &World) -> String {
    steady_time_zone(&w.pools.owner, w.t.tenant, Span::Month).await
}

pub fn pull(customer: Uuid, sku: Uuid, quantity: i32, at: &str) -> NewActivity {
    NewActivity {
        rep_id: None,
        customer_id: customer,
        kind: ActivityKind::Sample,
        occurred_at: Some(time(at)),
        notes: None,
        outcome: None,
        sample: Some(SamplePull {
            sku_id: sku,
            quantity,
        }),
    }
}

pub fn set<const N: usize>(ids: [Uuid; N]) -> BTreeSet<Uuid> {
    ids.into_iter().collect()
}

pub fn task(title: &str, customer: Option<Uuid>) -> NewTask {
    NewTask {
        assignee_id: None,
        customer_id: customer,
        title: title.into(),
        description: Some("details".into()),
        due_at: None,
        priority: None,
    }
}

pub const TODAY: &str = "2025-06-30";

pub async fn run_job(w: &World, today: NaiveDate) -> HealthRunSummary {
    refresh_account_health(&w.pools.db, w.t.tenant, today)
        .await
        .unwrap()
}

/// c1 steady; c2 revenue down 50 %; c3 fifteen days late on a ten-day rhythm; c4 one order.
pub async fn health_fixture(w: &World) -> NaiveDate {
    let today = date(TODAY);
    let t = w.t;
    for days_ago in [50, 40, 30, 20, 10, 0] {
        w.order(t.c1, today, days_ago, "100.00", "delivered", 10)
            .await;
    }
    // Drafts and cancellations are not sales.
    w.order(t.c1, today, 3, "9999.00", "draft", 1).await;
    w.order(t.c1, today, 3, "9999.00", "cancelled", 1).await;
    for days_ago in [55, 45, 35] {
        w.order(t.c2, today, days_ago, "333.33", "delivered", 5)
            .await;
    }
    w.order(t.c2, today, 5, "500.00", "confirmed", 5).await;
    for days_ago in [35, 25, 15] {
        w.order(t.c3, today, days_ago, "100.00", "delivered", 1)
            .await;
    }
    w.order(t.c4, today, 2, "75.00", "submitted", 3).await;
    today
}
