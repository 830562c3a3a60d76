//! Intelligence services on a real PostgreSQL, through tenant transactions as the application role,
//! for each kind of principal; fixtures are written and results read back as the owner.
//!
//! The organisation in every test: a manager with two reps (rep1, rep2), a third rep (rep3) on
//! no one's team, an admin; customers c1 → rep1, c2 → rep2, c3 → rep3, c4 unassigned; portal users
//! for c1 and c2. A second tenant exists to prove nothing crosses over.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use leora_test_db::sql::{exec, insert, stmt};
use std::collections::BTreeSet;
use std::sync::Arc;

use async_graphql::{EmptySubscription, Request, Schema};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use leora_intelligence::entities::account_health_snapshots::PaceStatus;
use leora_intelligence::entities::activities::{ActivityKind, SampleApprovalStatus};
use leora_intelligence::entities::call_plans::CallPlanStatus;
use leora_intelligence::entities::enums::Priority;
use leora_intelligence::entities::sales_metrics::{MetricKind, MetricPeriod};
use leora_intelligence::entities::tasks::TaskStatus;
use leora_intelligence::entities::{
    activities as activity_rows, notifications as notification_rows,
};
use leora_intelligence::error::IntelligenceError;
use leora_intelligence::graphql::{IntelligenceMutation, IntelligenceQuery};
use leora_intelligence::service::activities::{
    ActivityFilter, NewActivity, SamplePull, activities, log_activity,
};
use leora_intelligence::service::call_plans::{
    CallPlanFilter, NewCallPlan, call_plans, cancel_call, complete_call, mark_missed, schedule_call,
};
use leora_intelligence::service::health::{self, OverviewFilter};
use leora_intelligence::service::licenses::expiring_licenses;
use leora_intelligence::service::metrics::{MetricSubject, MetricsFilter, sales_metrics};
use leora_intelligence::service::notifications::{
    inbox, mark_all_read, mark_read, notify_due_tasks, notify_from_events, unread_count,
};
use leora_intelligence::service::samples::{
    SampleDecision, decide_sample_pull, units_used_in_month,
};
use leora_intelligence::service::tasks::{
    NewTask, TaskFilter, complete_task, create_task, reassign_task, tasks,
};
use leora_intelligence::{HealthRunSummary, refresh_account_health};
use leora_tenancy::graphql::permission::PermissionSet;
use leora_tenancy::graphql::{Batching, RequestScope, Session};
use leora_tenancy::{ApiError, AppRole, ErrorCode, TenantContext, TenantDb, with_tenant};
use leora_test_db::TestDatabase;
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Value,
};
use serde_json::json;
use uuid::Uuid;

// ───────────────────────────── fixtures ─────────────────────────────

#[derive(Clone, Copy)]
struct Org {
    tenant: Uuid,
    admin: Uuid,
    manager: Uuid,
    rep1: Uuid,
    rep2: Uuid,
    rep3: Uuid,
    c1: Uuid,
    c2: Uuid,
    c3: Uuid,
    c4: Uuid,
    sku: Uuid,
    portal1: Uuid,
    portal2: Uuid,
}

struct World {
    _database: TestDatabase,
    owner: DatabaseConnection,
    db: TenantDb,
    t: Org,
    other: Org,
}

async fn world() -> World {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let db = TenantDb::new(
        database.connect().await,
        AppRole::from_env().expect("APP_DB_ROLE is valid"),
    );
    let t = seed(&owner, "alpha").await;
    let other = seed(&owner, "beta").await;
    World {
        _database: database,
        owner,
        db,
        t,
        other,
    }
}

async fn user(
    owner: &DatabaseConnection,
    tenant: Uuid,
    name: &str,
    role: &str,
    manager: Option<Uuid>,
) -> Uuid {
    let id = insert(
        owner,
        "INSERT INTO users (tenant_id, email, password_hash, full_name, manager_id)
         VALUES ($1, $2 || '@example.test', 'not-a-hash', $2, $3) RETURNING id",
        [tenant.into(), name.into(), manager.into()],
    )
    .await;
    exec(
        owner,
        "INSERT INTO user_roles (tenant_id, user_id, role_id)
         SELECT $1, $2, id FROM roles WHERE tenant_id IS NULL AND name = $3",
        [tenant.into(), id.into(), role.into()],
    )
    .await;
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

async fn portal_user(
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
    let tenant = insert(
        owner,
        "INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id",
        [slug.into()],
    )
    .await;
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
    let product = insert(
        owner,
        "INSERT INTO products (tenant_id, name, category) VALUES ($1, 'Cabernet', 'wine') RETURNING id",
        [tenant.into()],
    )
    .await;
    let sku = insert(
        owner,
        "INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price)
         VALUES ($1, $2, 'CAB-750', 750, 20.00) RETURNING id",
        [tenant.into(), product.into()],
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
    fn as_user(&self, user: Uuid) -> TenantContext {
        TenantContext::user(self.tenant, user)
    }

    fn as_portal(&self, portal_user: Uuid, customer: Uuid) -> TenantContext {
        TenantContext::portal_user(self.tenant, portal_user, customer)
    }

    fn system(&self) -> TenantContext {
        TenantContext::system(self.tenant)
    }
}

impl World {
    async fn run<T>(
        &self,
        ctx: TenantContext,
        work: impl AsyncFnOnce(&DatabaseTransaction, &TenantContext) -> Result<T, IntelligenceError>,
    ) -> Result<T, IntelligenceError> {
        with_tenant(&self.db, &ctx, async |tx| work(tx, &ctx).await).await
    }

    async fn log(
        &self,
        ctx: TenantContext,
        input: NewActivity,
    ) -> Result<activity_rows::Model, IntelligenceError> {
        self.run(ctx, async |tx, ctx| log_activity(tx, ctx, input).await)
            .await
    }

    async fn activity_ids(
        &self,
        ctx: TenantContext,
        filter: ActivityFilter,
    ) -> Result<BTreeSet<Uuid>, IntelligenceError> {
        self.run(ctx, async |tx, ctx| {
            let rows = activities(tx, ctx, &filter).await?.all(tx).await?;
            Ok(rows.into_iter().map(|a| a.id).collect())
        })
        .await
    }

    async fn scalar_decimal(&self, sql: &str, values: Vec<Value>) -> Decimal {
        self.owner
            .query_one_raw(stmt(sql, values))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<Option<Decimal>>(0)
            .unwrap()
            .unwrap_or_default()
    }

    async fn count(&self, sql: &str, values: Vec<Value>) -> i64 {
        self.owner
            .query_one_raw(stmt(sql, values))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index(0)
            .unwrap()
    }

    /// An order placed (submitted) at noon UTC `days_ago` days before `today`, with one line of
    /// `units` bottles (and a free sample line that never counts).
    async fn order(
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
            &self.owner,
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
            &self.owner,
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

fn date(value: &str) -> NaiveDate {
    value.parse().unwrap()
}

fn time(value: &str) -> DateTime<Utc> {
    value.parse().unwrap()
}

fn dec(value: &str) -> Decimal {
    value.parse().unwrap()
}

fn visit(customer: Uuid) -> NewActivity {
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

fn pull(customer: Uuid, sku: Uuid, quantity: i32, at: &str) -> NewActivity {
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

#[track_caller]
fn assert_code<T: std::fmt::Debug>(
    outcome: Result<T, IntelligenceError>,
    code: ErrorCode,
    field: Option<&str>,
) {
    let error = outcome.expect_err("expected an error");
    assert_eq!((error.code(), error.field()), (code, field), "{error}");
}

fn set<const N: usize>(ids: [Uuid; N]) -> BTreeSet<Uuid> {
    ids.into_iter().collect()
}

// ───────────────────────────── activities ─────────────────────────────

#[tokio::test]
async fn activities_are_seen_by_their_rep_the_accounts_rep_the_team_manager_and_admins() {
    let w = world().await;
    let t = w.t;
    let a1 = w
        .log(
            t.as_user(t.rep1),
            NewActivity {
                occurred_at: Some(time("2025-06-01T10:00:00Z")),
                ..visit(t.c1)
            },
        )
        .await
        .unwrap();
    let a2 = w
        .log(
            t.as_user(t.rep2),
            NewActivity {
                kind: ActivityKind::Call,
                ..visit(t.c2)
            },
        )
        .await
        .unwrap();
    let a3 = w.log(t.as_user(t.rep3), visit(t.c3)).await.unwrap();
    // rep1 on rep3's account: rep1 owns it, rep3 sees it on their account.
    let a4 = w
        .log(
            t.as_user(t.rep1),
            NewActivity {
                kind: ActivityKind::Email,
                ..visit(t.c3)
            },
        )
        .await
        .unwrap();
    // rep3 on rep1's account.
    let a5 = w
        .log(
            t.as_user(t.rep3),
            NewActivity {
                kind: ActivityKind::Tasting,
                ..visit(t.c1)
            },
        )
        .await
        .unwrap();
    let a6 = w.log(t.as_user(t.manager), visit(t.c4)).await.unwrap();
    // An admin records for rep2.
    let a7 = w
        .log(
            t.as_user(t.admin),
            NewActivity {
                rep_id: Some(t.rep2),
                ..visit(t.c4)
            },
        )
        .await
        .unwrap();
    assert_eq!(a1.user_id, t.rep1);
    assert_eq!(a7.user_id, t.rep2);
    assert_eq!(a2.sample_approval_status, SampleApprovalStatus::NotRequired);

    let all = ActivityFilter::default;
    let (a1, a2, a3, a4, a5, a6, a7) = (a1.id, a2.id, a3.id, a4.id, a5.id, a6.id, a7.id);
    assert_eq!(
        w.activity_ids(t.as_user(t.rep1), all()).await.unwrap(),
        set([a1, a4, a5])
    );
    assert_eq!(
        w.activity_ids(t.as_user(t.rep2), all()).await.unwrap(),
        set([a2, a7])
    );
    assert_eq!(
        w.activity_ids(t.as_user(t.rep3), all()).await.unwrap(),
        set([a3, a4, a5])
    );
    assert_eq!(
        w.activity_ids(t.as_user(t.manager), all()).await.unwrap(),
        set([a1, a2, a4, a5, a6, a7]),
        "the manager's team is rep1, rep2 and the manager; their accounts c1 and c2"
    );
    let everything = set([a1, a2, a3, a4, a5, a6, a7]);
    assert_eq!(
        w.activity_ids(t.as_user(t.admin), all()).await.unwrap(),
        everything
    );
    assert_eq!(w.activity_ids(t.system(), all()).await.unwrap(), everything);
    assert_code(
        w.activity_ids(t.as_portal(t.portal1, t.c1), all()).await,
        ErrorCode::Forbidden,
        None,
    );
    // The other tenant's admin sees none of it.
    let other = w.other;
    assert!(
        w.activity_ids(other.as_user(other.admin), all())
            .await
            .unwrap()
            .is_empty()
    );

    // Filters, as the admin.
    let admin = t.as_user(t.admin);
    let by = |f: ActivityFilter| w.activity_ids(admin, f);
    assert_eq!(
        by(ActivityFilter {
            rep_id: Some(t.rep1),
            ..all()
        })
        .await
        .unwrap(),
        set([a1, a4])
    );
    assert_eq!(
        by(ActivityFilter {
            customer_id: Some(t.c3),
            ..all()
        })
        .await
        .unwrap(),
        set([a3, a4])
    );
    assert_eq!(
        by(ActivityFilter {
            kind: Some(ActivityKind::Visit),
            ..all()
        })
        .await
        .unwrap(),
        set([a1, a3, a6, a7])
    );
    let june_first = ActivityFilter {
        from: Some(time("2025-06-01T00:00:00Z")),
        until: Some(time("2025-06-02T00:00:00Z")),
        ..all()
    };
    assert_eq!(by(june_first).await.unwrap(), set([a1]));
    let until_is_exclusive = ActivityFilter {
        until: Some(time("2025-06-01T10:00:00Z")),
        ..all()
    };
    assert!(by(until_is_exclusive).await.unwrap().is_empty());
    // A rep's filter cannot widen what they see.
    assert!(
        w.activity_ids(
            t.as_user(t.rep1),
            ActivityFilter {
                rep_id: Some(t.rep2),
                ..all()
            }
        )
        .await
        .unwrap()
        .is_empty()
    );
}

#[tokio::test]
async fn activities_are_recorded_only_for_yourself_or_your_reports() {
    let w = world().await;
    let t = w.t;
    assert_code(
        w.log(
            t.as_user(t.rep1),
            NewActivity {
                rep_id: Some(t.rep2),
                ..visit(t.c2)
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    let for_report = w
        .log(
            t.as_user(t.manager),
            NewActivity {
                rep_id: Some(t.rep1),
                ..visit(t.c1)
            },
        )
        .await
        .unwrap();
    assert_eq!(for_report.user_id, t.rep1);
    assert_code(
        w.log(
            t.as_user(t.manager),
            NewActivity {
                rep_id: Some(t.rep3),
                ..visit(t.c3)
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code(
        w.log(t.system(), visit(t.c1)).await,
        ErrorCode::BadUserInput,
        Some("repId"),
    );
    assert_code(
        w.log(t.as_portal(t.portal1, t.c1), visit(t.c1)).await,
        ErrorCode::Forbidden,
        None,
    );
}

#[tokio::test]
async fn activity_input_is_validated() {
    let w = world().await;
    let t = w.t;
    let rep = t.as_user(t.rep1);
    let sample_without_pull = NewActivity {
        kind: ActivityKind::Sample,
        ..visit(t.c1)
    };
    assert_code(
        w.log(rep, sample_without_pull).await,
        ErrorCode::BadUserInput,
        Some("sample"),
    );
    let visit_with_pull = NewActivity {
        kind: ActivityKind::Visit,
        ..pull(t.c1, t.sku, 1, "2025-06-01T10:00:00Z")
    };
    assert_code(
        w.log(rep, visit_with_pull).await,
        ErrorCode::BadUserInput,
        Some("sample"),
    );
    assert_code(
        w.log(rep, pull(t.c1, t.sku, 0, "2025-06-01T10:00:00Z"))
            .await,
        ErrorCode::BadUserInput,
        Some("sample.quantity"),
    );
    let tomorrow = NewActivity {
        occurred_at: Some(Utc::now() + Duration::days(2)),
        ..visit(t.c1)
    };
    assert_code(
        w.log(rep, tomorrow).await,
        ErrorCode::BadUserInput,
        Some("occurredAt"),
    );
    let long = NewActivity {
        notes: Some("x".repeat(10_001)),
        ..visit(t.c1)
    };
    assert_code(
        w.log(rep, long).await,
        ErrorCode::BadUserInput,
        Some("notes"),
    );
    assert_code(
        w.log(rep, visit(Uuid::now_v7())).await,
        ErrorCode::NotFound,
        None,
    );
    // Another tenant's customer and sku do not exist here.
    assert_code(
        w.log(rep, visit(w.other.c1)).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code(
        w.log(rep, pull(t.c1, w.other.sku, 1, "2025-06-01T10:00:00Z"))
            .await,
        ErrorCode::NotFound,
        None,
    );
    assert_eq!(w.count("SELECT count(*) FROM activities", vec![]).await, 0);
}

// ───────────────────────────── sample allowance ─────────────────────────────

#[tokio::test]
async fn sample_pulls_are_free_up_to_exactly_the_allowance_and_pending_one_above() {
    let w = world().await;
    let t = w.t;
    let rep1 = t.as_user(t.rep1);
    // The fixture's allowance is 5 units per rep per calendar month.
    let first = w
        .log(rep1, pull(t.c1, t.sku, 3, "2025-06-10T09:00:00Z"))
        .await
        .unwrap();
    let at_allowance = w
        .log(rep1, pull(t.c1, t.sku, 2, "2025-06-11T09:00:00Z"))
        .await
        .unwrap();
    let above = w
        .log(rep1, pull(t.c1, t.sku, 1, "2025-06-12T09:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        first.sample_approval_status,
        SampleApprovalStatus::NotRequired
    );
    assert_eq!(
        at_allowance.sample_approval_status,
        SampleApprovalStatus::NotRequired,
        "exactly the allowance"
    );
    assert_eq!(
        above.sample_approval_status,
        SampleApprovalStatus::Pending,
        "one unit above it"
    );
    assert_eq!(
        (above.sample_sku_id, above.sample_quantity),
        (Some(t.sku), Some(1))
    );

    // Another month, and another rep, start from zero.
    let july = w
        .log(rep1, pull(t.c1, t.sku, 5, "2025-07-01T00:00:00Z"))
        .await
        .unwrap();
    let may = w
        .log(rep1, pull(t.c1, t.sku, 5, "2025-05-31T23:59:59Z"))
        .await
        .unwrap();
    let rep2 = w
        .log(
            t.as_user(t.rep2),
            pull(t.c2, t.sku, 5, "2025-06-15T09:00:00Z"),
        )
        .await
        .unwrap();
    for other in [&july, &may, &rep2] {
        assert_eq!(
            other.sample_approval_status,
            SampleApprovalStatus::NotRequired
        );
    }
    // A pull that alone exceeds the allowance is pending too.
    let big = w
        .log(
            t.as_user(t.rep3),
            pull(t.c3, t.sku, 6, "2025-06-15T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(big.sample_approval_status, SampleApprovalStatus::Pending);

    // Months are the tenant's: in Los Angeles, 2025-07-01 03:00 UTC is still June 30.
    exec(
        &w.owner,
        "UPDATE tenant_settings SET timezone = 'America/Los_Angeles' WHERE tenant_id = $1",
        [t.tenant.into()],
    )
    .await;
    let used = |at: &'static str| {
        w.run(t.system(), async move |tx, _| {
            units_used_in_month(tx, t.rep1, time(at), "America/Los_Angeles").await
        })
    };
    assert_eq!(
        used("2025-07-01T03:00:00Z").await.unwrap(),
        6 + 5,
        "June plus the July pull at 00:00 UTC"
    );
    assert_eq!(
        used("2025-07-01T08:00:00Z").await.unwrap(),
        0,
        "July in Los Angeles"
    );

    // Without required approval, nothing waits.
    exec(
        &w.owner,
        "UPDATE tenant_settings SET sample_manager_approval_required = false WHERE tenant_id = $1",
        [t.tenant.into()],
    )
    .await;
    let unchecked = w
        .log(rep1, pull(t.c1, t.sku, 9, "2025-06-20T19:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        unchecked.sample_approval_status,
        SampleApprovalStatus::NotRequired
    );
}

#[tokio::test]
async fn pending_pulls_are_decided_by_the_reps_manager_never_by_the_rep() {
    let w = world().await;
    let t = w.t;
    let rep1 = t.as_user(t.rep1);
    w.log(rep1, pull(t.c1, t.sku, 5, "2025-06-10T09:00:00Z"))
        .await
        .unwrap();
    let pending = w
        .log(rep1, pull(t.c1, t.sku, 1, "2025-06-11T09:00:00Z"))
        .await
        .unwrap();
    let free = w
        .log(
            t.as_user(t.rep2),
            pull(t.c2, t.sku, 1, "2025-06-11T09:00:00Z"),
        )
        .await
        .unwrap();
    let visit = w.log(rep1, visit(t.c1)).await.unwrap();
    let decide = |ctx: TenantContext, id: Uuid, decision: SampleDecision| {
        w.run(ctx, async move |tx, ctx| {
            decide_sample_pull(tx, ctx, id, decision).await
        })
    };

    assert_code(
        decide(rep1, pending.id, SampleDecision::Approve).await,
        ErrorCode::Forbidden,
        None,
    );
    // rep2 and rep3 cannot see rep1's pull at rep1's account.
    assert_code(
        decide(t.as_user(t.rep2), pending.id, SampleDecision::Approve).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code(
        decide(t.as_user(t.rep3), pending.id, SampleDecision::Approve).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code(
        decide(
            t.as_portal(t.portal1, t.c1),
            pending.id,
            SampleDecision::Approve,
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code(
        decide(
            w.other.as_user(w.other.admin),
            pending.id,
            SampleDecision::Approve,
        )
        .await,
        ErrorCode::NotFound,
        None,
    );

    // rep3 reports to no manager: the manager sees rep3's pull at rep1's account, but does not
    // decide it; an admin does.
    let outside_team = w
        .log(
            t.as_user(t.rep3),
            pull(t.c1, t.sku, 6, "2025-06-11T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        outside_team.sample_approval_status,
        SampleApprovalStatus::Pending
    );
    assert_code(
        decide(
            t.as_user(t.manager),
            outside_team.id,
            SampleDecision::Approve,
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    let by_admin = decide(t.as_user(t.admin), outside_team.id, SampleDecision::Reject)
        .await
        .unwrap();
    assert_eq!(
        by_admin.sample_approval_status,
        SampleApprovalStatus::Rejected
    );

    let approved = decide(t.as_user(t.manager), pending.id, SampleDecision::Approve)
        .await
        .unwrap();
    assert_eq!(
        approved.sample_approval_status,
        SampleApprovalStatus::Approved
    );
    assert_eq!(approved.approved_by_user_id, Some(t.manager));
    assert!(approved.approved_at.is_some());
    assert_code(
        decide(t.as_user(t.manager), pending.id, SampleDecision::Reject).await,
        ErrorCode::InvalidTransition,
        None,
    );
    assert_code(
        decide(t.as_user(t.manager), free.id, SampleDecision::Approve).await,
        ErrorCode::InvalidTransition,
        None,
    );
    assert_code(
        decide(t.as_user(t.manager), visit.id, SampleDecision::Approve).await,
        ErrorCode::NotFound,
        None,
    );

    // A rejected pull stops counting against the allowance.
    let second = w
        .log(rep1, pull(t.c1, t.sku, 2, "2025-06-12T09:00:00Z"))
        .await
        .unwrap();
    assert_eq!(second.sample_approval_status, SampleApprovalStatus::Pending);
    let used = || {
        w.run(t.system(), async |tx, _| {
            units_used_in_month(tx, t.rep1, time("2025-06-30T00:00:00Z"), "UTC").await
        })
    };
    assert_eq!(used().await.unwrap(), 8);
    let rejected = decide(t.as_user(t.admin), second.id, SampleDecision::Reject)
        .await
        .unwrap();
    assert_eq!(
        rejected.sample_approval_status,
        SampleApprovalStatus::Rejected
    );
    assert_eq!(used().await.unwrap(), 6);

    // Admins decide anyone's, including a rep with no manager.
    let lonely = w
        .log(
            t.as_user(t.rep3),
            pull(t.c3, t.sku, 6, "2025-06-12T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_code(
        decide(t.as_user(t.manager), lonely.id, SampleDecision::Approve).await,
        ErrorCode::NotFound,
        None,
    );
    decide(t.as_user(t.admin), lonely.id, SampleDecision::Approve)
        .await
        .unwrap();

    // The queue of pending pulls is a filter away.
    let pending_ids = w
        .activity_ids(
            t.as_user(t.manager),
            ActivityFilter {
                approval_status: Some(SampleApprovalStatus::Pending),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(pending_ids.is_empty());
}

// ───────────────────────────── call plans ─────────────────────────────

fn call(customer: Uuid, at: &str) -> NewCallPlan {
    NewCallPlan {
        rep_id: None,
        customer_id: customer,
        scheduled_for: time(at),
        objective: "Present the new vintage".into(),
    }
}

#[tokio::test]
async fn call_plans_move_through_their_lifecycle_for_the_right_people() {
    let w = world().await;
    let t = w.t;
    let rep1 = t.as_user(t.rep1);
    let schedule = |ctx: TenantContext, input: NewCallPlan| {
        w.run(ctx, async move |tx, ctx| {
            schedule_call(tx, ctx, input).await
        })
    };
    let plan = schedule(rep1, call(t.c1, "2031-01-10T15:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        (plan.status, plan.user_id),
        (CallPlanStatus::Planned, t.rep1)
    );
    let for_report = schedule(
        t.as_user(t.manager),
        NewCallPlan {
            rep_id: Some(t.rep2),
            ..call(t.c2, "2031-01-11T15:00:00Z")
        },
    )
    .await
    .unwrap();
    assert_eq!(for_report.user_id, t.rep2);
    let theirs = schedule(t.as_user(t.rep3), call(t.c3, "2031-01-12T15:00:00Z"))
        .await
        .unwrap();
    assert_code(
        schedule(
            rep1,
            NewCallPlan {
                rep_id: Some(t.rep2),
                ..call(t.c2, "2031-01-10T15:00:00Z")
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code(
        schedule(
            t.as_user(t.manager),
            NewCallPlan {
                rep_id: Some(t.rep3),
                ..call(t.c3, "2031-01-10T15:00:00Z")
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code(
        schedule(
            rep1,
            NewCallPlan {
                objective: "  ".into(),
                ..call(t.c1, "2031-01-10T15:00:00Z")
            },
        )
        .await,
        ErrorCode::BadUserInput,
        Some("objective"),
    );

    let ids = |ctx: TenantContext, filter: CallPlanFilter| {
        w.run(ctx, async move |tx, ctx| {
            Ok(call_plans(tx, ctx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect::<BTreeSet<_>>())
        })
    };
    assert_eq!(
        ids(rep1, CallPlanFilter::default()).await.unwrap(),
        set([plan.id])
    );
    assert_eq!(
        ids(t.as_user(t.manager), CallPlanFilter::default())
            .await
            .unwrap(),
        set([plan.id, for_report.id])
    );
    assert_eq!(
        ids(t.as_user(t.admin), CallPlanFilter::default())
            .await
            .unwrap(),
        set([plan.id, for_report.id, theirs.id])
    );
    assert_eq!(
        ids(
            t.as_user(t.admin),
            CallPlanFilter {
                from: Some(time("2031-01-11T00:00:00Z")),
                until: Some(time("2031-01-12T00:00:00Z")),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([for_report.id])
    );
    assert_code(
        ids(t.as_portal(t.portal1, t.c1), CallPlanFilter::default()).await,
        ErrorCode::Forbidden,
        None,
    );

    // Someone outside the plan's reach cannot touch it.
    let id = plan.id;
    assert_code(
        w.run(t.as_user(t.rep2), async |tx, ctx| {
            complete_call(tx, ctx, id, None).await
        })
        .await,
        ErrorCode::NotFound,
        None,
    );
    let done = w
        .run(rep1, async |tx, ctx| {
            complete_call(tx, ctx, id, Some("Ordered two cases".into())).await
        })
        .await
        .unwrap();
    assert_eq!(done.status, CallPlanStatus::Completed);
    assert_eq!(done.outcome.as_deref(), Some("Ordered two cases"));
    assert!(done.completed_at.is_some());
    assert_code(
        w.run(rep1, async |tx, ctx| complete_call(tx, ctx, id, None).await)
            .await,
        ErrorCode::InvalidTransition,
        None,
    );
    assert_code(
        w.run(rep1, async |tx, ctx| cancel_call(tx, ctx, id).await)
            .await,
        ErrorCode::InvalidTransition,
        None,
    );
    let cancelled = w
        .run(t.as_user(t.manager), async |tx, ctx| {
            cancel_call(tx, ctx, for_report.id).await
        })
        .await
        .unwrap();
    assert_eq!(cancelled.status, CallPlanStatus::Cancelled);
    assert_eq!(
        ids(
            t.as_user(t.admin),
            CallPlanFilter {
                status: Some(CallPlanStatus::Planned),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([theirs.id])
    );

    // The job marks calls whose day has passed as missed; a missed call can still be completed.
    let missed = w
        .run(t.system(), async |tx, _| {
            mark_missed(tx, date("2031-01-13"), "UTC").await
        })
        .await
        .unwrap();
    assert_eq!(missed, 1);
    let late = w
        .run(t.as_user(t.rep3), async |tx, ctx| {
            complete_call(tx, ctx, theirs.id, None).await
        })
        .await
        .unwrap();
    assert_eq!(late.status, CallPlanStatus::Completed);
}

// ───────────────────────────── tasks ─────────────────────────────

fn task(title: &str, customer: Option<Uuid>) -> NewTask {
    NewTask {
        assignee_id: None,
        customer_id: customer,
        title: title.into(),
        description: Some("details".into()),
        due_at: None,
        priority: None,
    }
}

#[tokio::test]
async fn tasks_are_assigned_within_the_team_and_the_assignee_is_told() {
    let w = world().await;
    let t = w.t;
    let create = |ctx: TenantContext, input: NewTask| {
        w.run(ctx, async move |tx, ctx| create_task(tx, ctx, input).await)
    };
    let task_ids = |ctx: TenantContext, filter: TaskFilter| {
        w.run(ctx, async move |tx, ctx| {
            Ok(tasks(tx, ctx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|t| t.id)
                .collect::<BTreeSet<_>>())
        })
    };
    let inbox_of = |user: Uuid| {
        w.run(t.as_user(user), async |tx, ctx| {
            Ok(inbox(ctx, false)?.all(tx).await?)
        })
    };

    let own = create(t.as_user(t.rep1), task("Follow up", Some(t.c1)))
        .await
        .unwrap();
    assert_eq!(
        (own.assignee_user_id, own.created_by_user_id),
        (t.rep1, Some(t.rep1))
    );
    assert_eq!(
        (own.status, own.priority),
        (TaskStatus::Open, Priority::Normal)
    );
    assert!(
        inbox_of(t.rep1).await.unwrap().is_empty(),
        "assigning yourself is no news"
    );

    let given = create(
        t.as_user(t.manager),
        NewTask {
            assignee_id: Some(t.rep1),
            priority: Some(Priority::High),
            ..task("Call the buyer", None)
        },
    )
    .await
    .unwrap();
    let told = inbox_of(t.rep1).await.unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(
        (told[0].kind.as_str(), told[0].priority),
        ("task.assigned", Priority::High)
    );
    assert_eq!(told[0].data["taskId"], json!(given.id));

    assert_code(
        create(
            t.as_user(t.rep1),
            NewTask {
                assignee_id: Some(t.rep2),
                ..task("x", None)
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code(
        create(
            t.as_user(t.manager),
            NewTask {
                assignee_id: Some(t.rep3),
                ..task("x", None)
            },
        )
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code(
        create(t.as_user(t.rep1), task(" ", None)).await,
        ErrorCode::BadUserInput,
        Some("title"),
    );
    assert_code(
        create(t.as_user(t.rep1), task("x", Some(w.other.c1))).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code(
        create(t.as_portal(t.portal1, t.c1), task("x", None)).await,
        ErrorCode::Forbidden,
        None,
    );

    assert_eq!(
        task_ids(t.as_user(t.rep1), TaskFilter::default())
            .await
            .unwrap(),
        set([own.id, given.id])
    );
    assert!(
        task_ids(t.as_user(t.rep2), TaskFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // The manager hands the task to rep2: rep2 is told, rep1 no longer sees it (no customer).
    let given_id = given.id;
    assert_code(
        w.run(t.as_user(t.manager), async |tx, ctx| {
            reassign_task(tx, ctx, given_id, t.rep3).await
        })
        .await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code(
        w.run(t.as_user(t.rep1), async |tx, ctx| {
            reassign_task(tx, ctx, given_id, t.rep2).await
        })
        .await,
        ErrorCode::Forbidden,
        None,
    );
    let moved = w
        .run(t.as_user(t.manager), async |tx, ctx| {
            reassign_task(tx, ctx, given_id, t.rep2).await
        })
        .await
        .unwrap();
    assert_eq!(moved.assignee_user_id, t.rep2);
    assert_eq!(inbox_of(t.rep2).await.unwrap().len(), 1);
    assert_eq!(
        task_ids(t.as_user(t.rep1), TaskFilter::default())
            .await
            .unwrap(),
        set([own.id])
    );
    assert_eq!(
        task_ids(t.as_user(t.rep2), TaskFilter::default())
            .await
            .unwrap(),
        set([given.id])
    );
    assert_eq!(
        task_ids(t.as_user(t.manager), TaskFilter::default())
            .await
            .unwrap(),
        set([own.id, given.id])
    );
    assert!(
        task_ids(t.as_user(t.rep3), TaskFilter::default())
            .await
            .unwrap()
            .is_empty()
    );

    // Completion, once.
    assert_code(
        w.run(t.as_user(t.rep3), async |tx, ctx| {
            complete_task(tx, ctx, given_id).await
        })
        .await,
        ErrorCode::NotFound,
        None,
    );
    let done = w
        .run(t.as_user(t.rep2), async |tx, ctx| {
            complete_task(tx, ctx, given_id).await
        })
        .await
        .unwrap();
    assert_eq!(done.status, TaskStatus::Completed);
    assert!(done.completed_at.is_some());
    assert_code(
        w.run(t.as_user(t.rep2), async |tx, ctx| {
            complete_task(tx, ctx, given_id).await
        })
        .await,
        ErrorCode::InvalidTransition,
        None,
    );
    assert_code(
        w.run(t.as_user(t.manager), async |tx, ctx| {
            reassign_task(tx, ctx, given_id, t.rep1).await
        })
        .await,
        ErrorCode::InvalidTransition,
        None,
    );

    // Filters.
    let admin = t.as_user(t.admin);
    assert_eq!(
        task_ids(
            admin,
            TaskFilter {
                statuses: vec![TaskStatus::Open],
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([own.id])
    );
    assert_eq!(
        task_ids(
            admin,
            TaskFilter {
                assignee_id: Some(t.rep2),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([given.id])
    );
    assert_eq!(
        task_ids(
            admin,
            TaskFilter {
                customer_id: Some(t.c1),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        set([own.id])
    );
}

// ───────────────────────────── account health ─────────────────────────────

const TODAY: &str = "2025-06-30";

async fn run_job(w: &World, today: NaiveDate) -> HealthRunSummary {
    refresh_account_health(&w.db, w.t.tenant, today)
        .await
        .unwrap()
}

/// c1 steady; c2 revenue down 50 %; c3 fifteen days late on a ten-day rhythm; c4 one order.
async fn health_fixture(w: &World) -> NaiveDate {
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

#[tokio::test]
async fn the_health_job_snapshots_every_account_and_alerts_reps_once() {
    let w = world().await;
    let t = w.t;
    let today = health_fixture(&w).await;

    let summary = run_job(&w, today).await;
    assert_eq!(
        (summary.snapshots, summary.at_risk, summary.newly_at_risk),
        (4, 2, 2)
    );
    assert_eq!(summary.snapshot_date, today);

    let latest = |ctx: TenantContext, customer: Uuid| {
        w.run(ctx, async move |tx, ctx| {
            health::latest(tx, ctx, customer).await
        })
    };
    let admin = t.as_user(t.admin);
    let c1 = latest(admin, t.c1).await.unwrap().unwrap();
    assert_eq!(
        (c1.health_score, c1.pace_status, c1.order_count),
        (100, PaceStatus::OnTrack, 6)
    );
    assert_eq!(
        (c1.revenue_current, c1.revenue_previous),
        (dec("300"), dec("300"))
    );
    assert_eq!(c1.risk_flags, json!([]));
    let c2 = latest(admin, t.c2).await.unwrap().unwrap();
    assert_eq!(
        (c2.revenue_current, c2.revenue_previous),
        (dec("500.00"), dec("999.99"))
    );
    assert_eq!(c2.revenue_change_pct, Some(dec("-49.9995")));
    assert_eq!(c2.risk_flags, json!(["revenue_drop"]));
    assert_eq!(
        (c2.health_score, c2.days_since_last_order, c2.period_days),
        (60, Some(5), 30)
    );
    let c3 = latest(admin, t.c3).await.unwrap().unwrap();
    assert_eq!(c3.risk_flags, json!(["pace_at_risk"]));
    assert_eq!(
        (c3.pace_status, c3.avg_reorder_interval_days),
        (PaceStatus::AtRisk, Some(dec("10")))
    );
    // 15 days since the last order, 5 late on a 10-day rhythm: 100 − (30 + 20 × 0.5).
    assert_eq!(c3.health_score, 60);
    let c4 = latest(admin, t.c4).await.unwrap().unwrap();
    assert_eq!(
        (c4.health_score, c4.pace_status),
        (70, PaceStatus::InsufficientData)
    );

    // The accounts' reps are told; the unassigned and healthy ones produce nothing.
    let inbox_of = |user: Uuid| {
        w.run(t.as_user(user), async |tx, ctx| {
            Ok(inbox(ctx, false)?.all(tx).await?)
        })
    };
    let rep2_inbox = inbox_of(t.rep2).await.unwrap();
    assert_eq!(rep2_inbox.len(), 1);
    assert_eq!(
        (rep2_inbox[0].kind.as_str(), rep2_inbox[0].priority),
        ("account.at_risk", Priority::High)
    );
    assert_eq!(rep2_inbox[0].data["customerId"], json!(t.c2));
    assert_eq!(inbox_of(t.rep3).await.unwrap().len(), 1);
    assert!(inbox_of(t.rep1).await.unwrap().is_empty());
    let events = "SELECT count(*) FROM webhook_events WHERE tenant_id = $1 AND event_type = 'account.at_risk'";
    assert_eq!(w.count(events, vec![t.tenant.into()]).await, 2);

    // Running again the same day replaces the snapshots and alerts nobody twice.
    let again = run_job(&w, today).await;
    assert_eq!(
        (again.snapshots, again.at_risk, again.newly_at_risk),
        (4, 2, 0)
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM account_health_snapshots WHERE tenant_id = $1",
            vec![t.tenant.into()]
        )
        .await,
        4
    );
    assert_eq!(inbox_of(t.rep2).await.unwrap().len(), 1);
    assert_eq!(w.count(events, vec![t.tenant.into()]).await, 2);
    // The next day adds history; still at risk is not news.
    let tomorrow = run_job(&w, today + Duration::days(1)).await;
    assert_eq!(tomorrow.newly_at_risk, 0);
    let history = w
        .run(admin, async |tx, ctx| {
            Ok(health::history(tx, ctx, t.c2).await?.all(tx).await?)
        })
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|s| s.snapshot_date).collect::<Vec<_>>(),
        vec![today + Duration::days(1), today]
    );

    // Who sees which account's health.
    assert!(latest(t.as_user(t.rep2), t.c2).await.unwrap().is_some());
    assert_code(
        latest(t.as_user(t.rep1), t.c2).await,
        ErrorCode::NotFound,
        None,
    );
    assert!(latest(t.as_user(t.manager), t.c2).await.unwrap().is_some());
    assert_code(
        latest(t.as_user(t.manager), t.c3).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code(
        latest(t.as_portal(t.portal1, t.c1), t.c1).await,
        ErrorCode::Forbidden,
        None,
    );
    assert_code(
        latest(w.other.as_user(w.other.admin), t.c2).await,
        ErrorCode::NotFound,
        None,
    );
    let overview = |ctx: TenantContext| {
        w.run(ctx, async |tx, ctx| {
            let filter = OverviewFilter {
                at_risk_only: true,
                ..Default::default()
            };
            Ok(health::overview(tx, ctx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|s| s.customer_id)
                .collect::<Vec<_>>())
        })
    };
    assert_eq!(overview(t.as_user(t.manager)).await.unwrap(), vec![t.c2]);
    assert_eq!(overview(admin).await.unwrap().len(), 2);
    assert!(overview(t.as_user(t.rep1)).await.unwrap().is_empty());

    // The other tenant was not touched.
    assert_eq!(
        w.count(
            "SELECT count(*) FROM account_health_snapshots WHERE tenant_id = $1",
            vec![w.other.tenant.into()]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_job_applies_the_tenants_thresholds_at_their_edges() {
    let w = world().await;
    let t = w.t;
    let today = date(TODAY);
    // Previous period 1000.00 over three orders; this period exactly 15 % less, and a cent more.
    for (customer, current) in [(t.c1, "850.00"), (t.c2, "849.99")] {
        for (days_ago, amount) in [(55, "400.00"), (45, "300.00"), (35, "300.00")] {
            w.order(customer, today, days_ago, amount, "delivered", 1)
                .await;
        }
        w.order(customer, today, 5, current, "delivered", 1).await;
    }
    // Two orders only: a 100 % drop that does not count.
    w.order(t.c3, today, 50, "1000.00", "delivered", 1).await;
    w.order(t.c3, today, 40, "1000.00", "delivered", 1).await;
    run_job(&w, today).await;
    let flags = async |customer: Uuid| {
        w.run(t.system(), async move |tx, ctx| {
            health::latest(tx, ctx, customer).await
        })
        .await
        .unwrap()
        .unwrap()
        .risk_flags
    };
    assert_eq!(
        flags(t.c1).await,
        json!([]),
        "a drop of exactly the threshold"
    );
    assert_eq!(
        flags(t.c2).await,
        json!(["revenue_drop"]),
        "a cent beyond it"
    );
    assert_eq!(
        flags(t.c3).await,
        json!([]),
        "fewer than the minimum orders"
    );

    // Lower thresholds flag them all.
    exec(&w.owner, "UPDATE tenant_settings SET health_revenue_drop_threshold = 0.10, health_min_orders = 2 WHERE tenant_id = $1", [t.tenant.into()]).await;
    run_job(&w, today).await;
    assert_eq!(flags(t.c1).await, json!(["revenue_drop"]));
    assert_eq!(flags(t.c3).await, json!(["revenue_drop"]));
}

// ───────────────────────────── sales metrics ─────────────────────────────

#[tokio::test]
async fn sales_metrics_agree_with_a_direct_sum_over_the_orders() {
    let w = world().await;
    let t = w.t;
    let today = health_fixture(&w).await;
    // A month earlier, so months and weeks hold several days.
    w.order(t.c2, today, 61, "42.42", "fulfilled", 4).await;
    let summary = run_job(&w, today).await;
    assert!(summary.metric_rows > 0);

    let sales = "status NOT IN ('draft', 'cancelled') AND tenant_id = $1";
    let revenue = w
        .scalar_decimal(
            &format!("SELECT sum(subtotal) FROM orders WHERE {sales}"),
            vec![t.tenant.into()],
        )
        .await;
    let orders = w
        .count(
            &format!("SELECT count(*) FROM orders WHERE {sales}"),
            vec![t.tenant.into()],
        )
        .await;
    let units = w
        .scalar_decimal(
            &format!("SELECT sum(quantity)::numeric FROM order_lines WHERE NOT is_sample AND order_id IN (SELECT id FROM orders WHERE {sales})"),
            vec![t.tenant.into()],
        )
        .await;
    assert_eq!((revenue, orders, units), (dec("2517.41"), 15, dec("90")));

    let metric_sum = async |period: &str, metric: &str, rows: &str| {
        w.scalar_decimal(
            &format!("SELECT sum(value) FROM sales_metrics WHERE tenant_id = $1 AND period = $2 AND metric = $3 AND {rows}"),
            vec![t.tenant.into(), period.into(), metric.into()],
        )
        .await
    };
    let tenant_rows = "user_id IS NULL AND customer_id IS NULL";
    let customer_rows = "customer_id IS NOT NULL";
    let rep_rows = "user_id IS NOT NULL";
    for period in ["day", "week", "month"] {
        assert_eq!(
            metric_sum(period, "revenue", tenant_rows).await,
            revenue,
            "{period} revenue"
        );
        assert_eq!(
            metric_sum(period, "revenue", customer_rows).await,
            revenue,
            "{period} by customer"
        );
        assert_eq!(
            metric_sum(period, "order_count", tenant_rows).await,
            Decimal::from(orders),
            "{period} orders"
        );
        assert_eq!(
            metric_sum(period, "units", tenant_rows).await,
            units,
            "{period} units"
        );
        // Reps hold everything but the unassigned customer's 75.00.
        assert_eq!(
            metric_sum(period, "revenue", rep_rows).await,
            revenue - dec("75.00"),
            "{period} by rep"
        );
    }
    // One rep-month, and its average: rep2's May is c2's orders of May 6, 16 and 26.
    let may = |metric: &'static str| {
        let sql = "SELECT sum(value) FROM sales_metrics WHERE tenant_id = $1 AND period = 'month'
                    AND metric = $2 AND user_id = $3 AND period_start = '2025-05-01'";
        w.scalar_decimal(sql, vec![t.tenant.into(), metric.into(), t.rep2.into()])
    };
    assert_eq!(may("revenue").await, dec("999.99"));
    assert_eq!(may("order_count").await, dec("3"));
    assert_eq!(may("average_order_value").await, dec("333.33"));

    // A cancellation is picked up by the next run.
    exec(
        &w.owner,
        "UPDATE orders SET status = 'cancelled' WHERE customer_id = $1 AND subtotal = 500.00",
        [t.c2.into()],
    )
    .await;
    run_job(&w, today).await;
    assert_eq!(
        metric_sum("month", "revenue", tenant_rows).await,
        revenue - dec("500.00")
    );

    // Who sees which figures.
    let subjects = |ctx: TenantContext| {
        w.run(ctx, async |tx, ctx| {
            let filter = MetricsFilter {
                period: MetricPeriod::Month,
                metrics: vec![MetricKind::Revenue],
                subject: None,
                rep_id: None,
                customer_id: None,
                from: None,
                to: None,
            };
            Ok(sales_metrics(tx, ctx, &filter)
                .await?
                .all(tx)
                .await?
                .into_iter()
                .map(|m| (m.user_id, m.customer_id))
                .collect::<BTreeSet<_>>())
        })
    };
    let rep1 = subjects(t.as_user(t.rep1)).await.unwrap();
    assert_eq!(
        rep1,
        [(Some(t.rep1), None), (None, Some(t.c1))]
            .into_iter()
            .collect()
    );
    let manager = subjects(t.as_user(t.manager)).await.unwrap();
    assert_eq!(
        manager,
        [
            (Some(t.rep1), None),
            (Some(t.rep2), None),
            (None, Some(t.c1)),
            (None, Some(t.c2))
        ]
        .into_iter()
        .collect()
    );
    let admin = subjects(t.as_user(t.admin)).await.unwrap();
    assert!(
        admin.contains(&(None, None))
            && admin.contains(&(None, Some(t.c4)))
            && admin.contains(&(Some(t.rep3), None))
    );
    assert_code(
        subjects(t.as_portal(t.portal1, t.c1)).await,
        ErrorCode::Forbidden,
        None,
    );
    let tenant_only = w
        .run(t.as_user(t.admin), async |tx, ctx| {
            let filter = MetricsFilter {
                period: MetricPeriod::Week,
                metrics: vec![],
                subject: Some(MetricSubject::Tenant),
                rep_id: None,
                customer_id: None,
                from: Some(date("2025-06-23")),
                to: Some(date("2025-06-30")),
            };
            Ok(sales_metrics(tx, ctx, &filter).await?.all(tx).await?)
        })
        .await
        .unwrap();
    // Two weeks (starting June 23 and June 30), four metrics each.
    assert_eq!(tenant_only.len(), 8);
}

// ───────────────────────────── notifications ─────────────────────────────

async fn status_event(w: &World, order: Uuid, customer: Uuid, from: &str, to: &str) {
    exec(
        &w.owner,
        "INSERT INTO webhook_events (tenant_id, event_type, payload) VALUES ($1, 'order.status_changed', $2)",
        [
            w.t.tenant.into(),
            json!({ "orderId": order, "orderNumber": "SO-42", "customerId": customer, "action": "x", "from": from, "to": to }).into(),
        ],
    )
    .await;
}

#[tokio::test]
async fn order_status_events_notify_the_customers_portal_users_once() {
    let w = world().await;
    let t = w.t;
    let today = Utc::now().date_naive();
    let disabled = portal_user(&w.owner, t.tenant, t.c1, "gone", "disabled").await;
    let o1 = w.order(t.c1, today, 0, "10.00", "confirmed", 1).await;
    let o2 = w.order(t.c2, today, 0, "10.00", "cancelled", 1).await;
    status_event(&w, o1, t.c1, "submitted", "confirmed").await;
    status_event(&w, o2, t.c2, "submitted", "cancelled").await;
    // Other kinds of event, and events too old to report, are not turned into notifications.
    exec(&w.owner, "INSERT INTO webhook_events (tenant_id, event_type, payload, occurred_at) VALUES ($1, 'order.status_changed', $2, now() - interval '30 days')",
        [t.tenant.into(), json!({ "orderId": o1, "orderNumber": "SO-1", "customerId": t.c1, "from": "draft", "to": "submitted" }).into()]).await;
    exec(&w.owner, "INSERT INTO webhook_events (tenant_id, event_type, payload) VALUES ($1, 'order.placed', $2)",
        [t.tenant.into(), json!({ "orderId": o1, "customerId": t.c1 }).into()]).await;

    let since = Utc::now() - Duration::days(7);
    let written = w
        .run(t.system(), async |tx, _| {
            notify_from_events(tx, t.tenant, since).await
        })
        .await
        .unwrap();
    assert_eq!(
        written, 2,
        "one per active portal user of each order's customer"
    );
    let again = w
        .run(t.system(), async |tx, _| {
            notify_from_events(tx, t.tenant, since).await
        })
        .await
        .unwrap();
    assert_eq!(again, 0);

    let inbox_of = |ctx: TenantContext, unread_only: bool| {
        w.run(ctx, async move |tx, ctx| {
            Ok(inbox(ctx, unread_only)?.all(tx).await?)
        })
    };
    let buyer1 = t.as_portal(t.portal1, t.c1);
    let buyer2 = t.as_portal(t.portal2, t.c2);
    let mine = inbox_of(buyer1, false).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].title.as_str(), mine[0].priority),
        ("Order SO-42 confirmed", Priority::Normal)
    );
    assert_eq!(mine[0].data["orderId"], json!(o1));
    let theirs = inbox_of(buyer2, false).await.unwrap();
    assert_eq!(
        (theirs[0].title.as_str(), theirs[0].priority),
        ("Order SO-42 cancelled", Priority::High)
    );
    assert!(
        inbox_of(t.as_portal(disabled, t.c1), false)
            .await
            .unwrap()
            .is_empty()
    );
    // Staff inboxes hold none of the portal users' notifications.
    assert!(
        inbox_of(t.as_user(t.admin), false)
            .await
            .unwrap()
            .is_empty()
    );
    assert_code(
        inbox_of(t.system(), false).await,
        ErrorCode::Forbidden,
        None,
    );

    // Reading: only your own.
    let theirs_id = theirs[0].id;
    assert_code(
        w.run(buyer1, async |tx, ctx| mark_read(tx, ctx, theirs_id).await)
            .await,
        ErrorCode::NotFound,
        None,
    );
    assert_code(
        w.run(t.as_user(t.admin), async |tx, ctx| {
            mark_read(tx, ctx, theirs_id).await
        })
        .await,
        ErrorCode::NotFound,
        None,
    );
    assert_eq!(
        w.run(buyer1, async |tx, ctx| unread_count(tx, ctx).await)
            .await
            .unwrap(),
        1
    );
    let read = w
        .run(buyer1, async |tx, ctx| mark_read(tx, ctx, mine[0].id).await)
        .await
        .unwrap();
    let first_read = read.read_at.unwrap();
    let reread = w
        .run(buyer1, async |tx, ctx| mark_read(tx, ctx, mine[0].id).await)
        .await
        .unwrap();
    assert_eq!(
        reread.read_at,
        Some(first_read),
        "reading again keeps the first time"
    );
    assert!(inbox_of(buyer1, true).await.unwrap().is_empty());
    assert_eq!(
        w.run(buyer2, async |tx, ctx| mark_all_read(tx, ctx).await)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        w.run(buyer2, async |tx, ctx| mark_all_read(tx, ctx).await)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM notifications WHERE read_at IS NULL",
            vec![]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn due_and_overdue_tasks_are_announced_once() {
    let w = world().await;
    let t = w.t;
    let today = date(TODAY);
    let create = |due: &str, priority: Priority| {
        let input = NewTask {
            due_at: Some(time(due)),
            priority: Some(priority),
            ..task("Renew licence", Some(t.c1))
        };
        w.run(t.as_user(t.rep1), async move |tx, ctx| {
            create_task(tx, ctx, input).await
        })
    };
    let today_task = create("2025-06-30T23:00:00Z", Priority::Low).await.unwrap();
    let overdue = create("2025-06-29T09:00:00Z", Priority::Normal)
        .await
        .unwrap();
    create("2025-07-01T00:00:00Z", Priority::Normal)
        .await
        .unwrap();
    let written = w
        .run(t.system(), async |tx, _| {
            notify_due_tasks(tx, t.tenant, today, "UTC").await
        })
        .await
        .unwrap();
    assert_eq!(written, 2);
    assert_eq!(
        w.run(t.system(), async |tx, _| notify_due_tasks(
            tx, t.tenant, today, "UTC"
        )
        .await)
            .await
            .unwrap(),
        0
    );
    let inbox = w
        .run(t.as_user(t.rep1), async |tx, ctx| {
            Ok(inbox(ctx, false)?.all(tx).await?)
        })
        .await
        .unwrap();
    let by_task = |id: Uuid| {
        inbox
            .iter()
            .find(|n| n.data["taskId"] == json!(id))
            .unwrap()
    };
    assert_eq!(by_task(today_task.id).priority, Priority::Low);
    assert_eq!(
        by_task(overdue.id).priority,
        Priority::High,
        "overdue is raised to at least high"
    );
    assert!(by_task(overdue.id).title.starts_with("Overdue"));
    let rows = notification_rows::Entity::find()
        .filter(notification_rows::Column::Kind.eq("task.due"))
        .all(&w.owner)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
}

// ───────────────────────────── licences ─────────────────────────────

#[tokio::test]
async fn licences_expiring_within_the_window_are_listed_soonest_first() {
    let w = world().await;
    let t = w.t;
    let today = date(TODAY);
    for (customer, days) in [(t.c1, 30), (t.c2, 0), (t.c3, 31), (t.c4, -1)] {
        exec(
            &w.owner,
            "UPDATE customers SET license_expires_on = $2::date + $3 WHERE id = $1",
            [customer.into(), today.into(), days.into()],
        )
        .await;
    }
    let expiring = |within: i32, include_expired: bool| {
        w.run(t.system(), async move |tx, _| {
            Ok(expiring_licenses(today, within, include_expired)?
                .all(tx)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>())
        })
    };
    assert_eq!(expiring(30, false).await.unwrap(), vec![t.c2, t.c1]);
    assert_eq!(expiring(30, true).await.unwrap(), vec![t.c4, t.c2, t.c1]);
    assert_eq!(expiring(31, false).await.unwrap(), vec![t.c2, t.c1, t.c3]);
    assert_eq!(expiring(0, false).await.unwrap(), vec![t.c2]);
    assert_code(
        expiring(-1, false).await,
        ErrorCode::BadUserInput,
        Some("withinDays"),
    );
    assert_code(
        expiring(367, false).await,
        ErrorCode::BadUserInput,
        Some("withinDays"),
    );
}

// ───────────────────────────── through GraphQL ─────────────────────────────

type IntelligenceSchema = Schema<IntelligenceQuery, IntelligenceMutation, EmptySubscription>;

fn schema() -> IntelligenceSchema {
    Schema::build(IntelligenceQuery, IntelligenceMutation, EmptySubscription).finish()
}

impl World {
    /// The permission keys the principal's roles grant, as the gateway loads them at sign-in.
    async fn permissions_of(&self, ctx: &TenantContext) -> PermissionSet {
        let (sql, id) = match ctx.principal() {
            leora_tenancy::Principal::User { user_id } => (
                "SELECT p.key FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                  JOIN permissions p ON p.id = rp.permission_id WHERE ur.user_id = $1",
                user_id,
            ),
            leora_tenancy::Principal::PortalUser { portal_user_id, .. } => (
                "SELECT p.key FROM portal_user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                  JOIN permissions p ON p.id = rp.permission_id WHERE ur.portal_user_id = $1",
                portal_user_id,
            ),
            _ => return PermissionSet::default(),
        };
        let rows = self
            .owner
            .query_all_raw(stmt(sql, [id.into()]))
            .await
            .unwrap();
        let keys: Vec<String> = rows
            .iter()
            .map(|r| r.try_get_by_index(0).unwrap())
            .collect();
        PermissionSet::from_keys(keys.iter().map(String::as_str))
    }

    /// Executes `query` as `ctx` in one transaction (rolled back afterwards), as the gateway does.
    async fn graphql(&self, ctx: Option<TenantContext>, query: &str) -> serde_json::Value {
        let scope = match ctx {
            None => RequestScope::Anonymous,
            Some(ctx) => {
                let permissions = self.permissions_of(&ctx).await;
                let tx = self.db.begin(&ctx).await.unwrap();
                RequestScope::Authenticated(Session::new(
                    ctx,
                    Uuid::now_v7(),
                    vec![],
                    permissions,
                    Arc::new(tx),
                ))
            }
        };
        let batching = match &scope {
            RequestScope::Authenticated(session) => session.batching(),
            _ => Batching::default(),
        };
        let response = batching
            .run(schema().execute(Request::new(query).data(Arc::new(scope))))
            .await;
        serde_json::to_value(&response).unwrap()
    }
}

fn error_code(response: &serde_json::Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}

#[tokio::test]
async fn graphql_guards_let_each_principal_reach_only_its_fields() {
    let w = world().await;
    let t = w.t;
    let mine = w.log(t.as_user(t.rep1), visit(t.c1)).await.unwrap();
    w.log(t.as_user(t.rep2), visit(t.c2)).await.unwrap();
    w.log(
        t.as_user(t.rep1),
        pull(t.c1, t.sku, 6, "2025-06-10T09:00:00Z"),
    )
    .await
    .unwrap();
    let pending = w
        .activity_ids(
            t.system(),
            ActivityFilter {
                approval_status: Some(SampleApprovalStatus::Pending),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    w.run(t.as_user(t.manager), async |tx, ctx| {
        create_task(
            tx,
            ctx,
            NewTask {
                assignee_id: Some(t.rep1),
                ..task("Call", None)
            },
        )
        .await
    })
    .await
    .unwrap();

    let rep1 = Some(t.as_user(t.rep1));
    let manager = Some(t.as_user(t.manager));
    let buyer = Some(t.as_portal(t.portal1, t.c1));

    let anonymous = w.graphql(None, "{ notifications { totalCount } }").await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));

    let list = "{ activities { totalCount edges { node { id kind rep { fullName } customer { name } sampleSku { code } } } } }";
    let as_rep = w.graphql(rep1, list).await;
    assert_eq!(as_rep["errors"], serde_json::Value::Null, "{as_rep}");
    assert_eq!(as_rep["data"]["activities"]["totalCount"], 2);
    let nodes = as_rep["data"]["activities"]["edges"].as_array().unwrap();
    assert!(
        nodes
            .iter()
            .any(|e| e["node"]["id"] == json!(mine.id.to_string()))
    );
    assert!(
        nodes
            .iter()
            .all(|e| e["node"]["rep"]["fullName"] == "alpha-rep1")
    );
    assert!(
        nodes
            .iter()
            .any(|e| e["node"]["sampleSku"]["code"] == "CAB-750")
    );
    assert_eq!(
        w.graphql(manager, "{ activities { totalCount } }").await["data"]["activities"]["totalCount"],
        3
    );

    // Portal users reach no rep workflow, health or metrics, but do reach their notifications.
    for query in [
        "{ activities { totalCount } }",
        "{ tasks { totalCount } }",
        "{ callPlans { totalCount } }",
        &format!(
            "{{ accountHealth(customerId: \"{}\") {{ customerId }} }}",
            t.c1
        ),
        "{ salesMetrics(filter: { period: MONTH }) { totalCount } }",
        "{ expiringLicenses { totalCount } }",
    ] {
        let response = w.graphql(buyer, query).await;
        assert_eq!(
            error_code(&response),
            Some("FORBIDDEN"),
            "{query}: {response}"
        );
    }
    let portal_inbox = w
        .graphql(
            buyer,
            "{ notifications { totalCount } unreadNotificationCount }",
        )
        .await;
    assert_eq!(
        portal_inbox["data"]["notifications"]["totalCount"], 0,
        "{portal_inbox}"
    );

    // Reps may not approve samples, nor see licence expiries.
    let approve = format!(
        "mutation {{ approveSamplePull(activityId: \"{pending}\") {{ sampleApprovalStatus approvedById }} }}"
    );
    assert_eq!(
        error_code(&w.graphql(rep1, &approve).await),
        Some("FORBIDDEN")
    );
    assert_eq!(
        error_code(&w.graphql(rep1, "{ expiringLicenses { totalCount } }").await),
        Some("FORBIDDEN")
    );
    let approved = w.graphql(manager, &approve).await;
    assert_eq!(
        approved["data"]["approveSamplePull"]["sampleApprovalStatus"], "APPROVED",
        "{approved}"
    );
    assert_eq!(
        approved["data"]["approveSamplePull"]["approvedById"],
        json!(t.manager.to_string())
    );

    // A rep's own notifications, through the API.
    let rep_inbox = w.graphql(rep1, "{ notifications(unreadOnly: true) { totalCount edges { node { kind priority read } } } }").await;
    assert_eq!(
        rep_inbox["data"]["notifications"]["totalCount"], 1,
        "{rep_inbox}"
    );
    assert_eq!(
        rep_inbox["data"]["notifications"]["edges"][0]["node"]["kind"],
        "task.assigned"
    );
    let marked = w
        .graphql(rep1, "mutation { markAllNotificationsRead }")
        .await;
    assert_eq!(marked["data"]["markAllNotificationsRead"], 1, "{marked}");

    // Bad input names the field; services' errors keep their codes.
    let bad = w
        .graphql(
            rep1,
            "mutation { logActivity(input: { customerId: \"nope\", kind: VISIT }) { id } }",
        )
        .await;
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"));
    assert_eq!(bad["errors"][0]["extensions"]["field"], "customerId");
    let by_rep = w
        .graphql(rep1, "mutation { refreshAccountHealth { snapshots } }")
        .await;
    assert_eq!(
        error_code(&by_rep),
        Some("FORBIDDEN"),
        "a rep views account health but does not rerun the tenant's job: {by_rep}"
    );
    let refresh = w
        .graphql(
            manager,
            "mutation { refreshAccountHealth { snapshots atRisk } }",
        )
        .await;
    assert_eq!(
        refresh["data"]["refreshAccountHealth"]["snapshots"], 4,
        "{refresh}"
    );
    // Each call above ran in its own rolled-back transaction; commit a run to read it back.
    refresh_account_health(&w.db, t.tenant, Utc::now().date_naive())
        .await
        .unwrap();
    let health = w.graphql(manager, &format!("{{ accountHealth(customerId: \"{}\") {{ latest {{ healthScore paceStatus riskFlags }} history {{ totalCount }} }} }}", t.c1)).await;
    assert_eq!(
        health["data"]["accountHealth"]["latest"]["healthScore"], 70,
        "{health}"
    );
    assert_eq!(health["data"]["accountHealth"]["history"]["totalCount"], 1);
    let hidden = w
        .graphql(
            rep1,
            &format!(
                "{{ accountHealth(customerId: \"{}\") {{ customerId }} }}",
                t.c2
            ),
        )
        .await;
    assert_eq!(error_code(&hidden), Some("NOT_FOUND"));
}

#[test]
fn the_schema_builds_and_names_the_fields_clients_rely_on() {
    let sdl = schema().sdl();
    for name in [
        "activities(",
        "callPlans(",
        "tasks(",
        "accountHealth(",
        "salesMetrics(",
        "notifications(",
        "expiringLicenses(",
        "logActivity(",
        "approveSamplePull(",
        "scheduleCall(",
        "completeCall(",
        "createTask(",
        "completeTask(",
        "reassignTask(",
        "refreshAccountHealth",
        "markNotificationRead(",
        "markAllNotificationsRead",
    ] {
        assert!(sdl.contains(name), "{name} missing from the schema");
    }
}
