//! The order services on a real PostgreSQL, run as the server runs them: in tenant transactions
//! as the application role, under row-level security. Fixtures are written, and results read
//! back, as the owner with raw SQL, bypassing the services.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use leora_test_db::sql::{exec, stmt};
use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{Days, NaiveDate};
use leora_orders::entities::carts::CartStatus;
use leora_orders::entities::invoices::InvoiceStatus;
use leora_orders::entities::lists::ListKind;
use leora_orders::entities::order_lines::PricingRule;
use leora_orders::entities::orders::{self, OrderStatus};
use leora_orders::entities::payments::PaymentMethod;
use leora_orders::error::OrdersError;
use leora_orders::service::batch::{
    invoices_of_orders, items_of_carts, items_of_lists, lines_of_orders, payments_of_invoices,
};
use leora_orders::service::carts::{
    Checkout, active_cart, add_to_cart, checkout_cart, remove_from_cart, update_cart_item,
};
use leora_orders::service::invoices::{
    NewPayment, effective_status, issue_invoice, mark_overdue, record_payment, void_invoice,
};
use leora_orders::service::lifecycle::{Action, next_status};
use leora_orders::service::lists::{
    NewList, NewListItem, add_list_item, add_list_to_cart, create_list, remove_list_item,
};
use leora_orders::service::orders::{
    NewLine, NewOrder, OrderWithLines, cancel_order, confirm_order, create_order, deliver_order,
    fulfill_order, submit_order,
};
use leora_tenancy::{ApiError, AppRole, ErrorCode, TenantContext, TenantDb, with_tenant};
use leora_test_db::TestDatabase;
use rust_decimal::Decimal;
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseTransaction, Iterable, TryGetable,
    Value,
};
use serde_json::Value as Json;
use uuid::Uuid;

// ───────────────────────────── fixtures ─────────────────────────────

/// The concurrency tests each hold twenty-odd connections; run one at a time so the suite stays
/// within the server's connection limit alongside the other tests.
static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Enough connections for twenty concurrent transactions.
const POOL_SIZE: u32 = 25;

struct World {
    _database: TestDatabase,
    owner: DatabaseConnection,
    db: TenantDb,
    tenant: Uuid,
    /// A sales rep.
    staff: TenantContext,
    /// A portal user of `customer`.
    portal: TenantContext,
    portal_user: Uuid,
    /// In CA, `wholesale` tier, net 30.
    customer: Uuid,
    /// In CA, no tier.
    other_customer: Uuid,
    inactive_customer: Uuid,
    /// Another tenant's customer.
    foreign_customer: Uuid,
    /// Wine, 750 ml, base 20.00, tier price 18.00, 100 on hand.
    cab: Uuid,
    tier_entry: Uuid,
    /// Spirits (no CA rate), 750 ml, base 30.00, customer price 27.50, 100 on hand.
    gin: Uuid,
    customer_entry: Uuid,
    /// Wine, base 50.00, 10 on hand.
    scarce: Uuid,
    /// Discontinued, 100 on hand.
    retired: Uuid,
}

async fn scalar<T: TryGetable>(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> T {
    let row = conn
        .query_one_raw(stmt(sql, values))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}

fn d(value: &str) -> Decimal {
    value.parse().unwrap()
}

async fn world() -> World {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let mut options = ConnectOptions::new(database.url());
    options
        .max_connections(POOL_SIZE)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(60))
        .sqlx_logging(false);
    let pool = leora_tenancy::db::connect(options).await.unwrap();
    let db = TenantDb::new(pool, AppRole::from_env().unwrap());

    let tenant: Uuid = scalar(
        &owner,
        "INSERT INTO tenants (slug, name) VALUES ('acme', 'Acme') RETURNING id",
        [],
    )
    .await;
    exec(
        &owner,
        "INSERT INTO tenant_settings (tenant_id) VALUES ($1)",
        [tenant.into()],
    )
    .await;
    let rep: Uuid = scalar(
        &owner,
        "INSERT INTO users (tenant_id, email, password_hash, full_name)
         VALUES ($1, 'rep@acme.test', 'x', 'Rep') RETURNING id",
        [tenant.into()],
    )
    .await;
    let customer = insert_customer(&owner, tenant, "C-1", Some("wholesale"), "active").await;
    let other_customer = insert_customer(&owner, tenant, "C-2", None, "active").await;
    let inactive_customer = insert_customer(&owner, tenant, "C-3", None, "inactive").await;

    let beta: Uuid = scalar(
        &owner,
        "INSERT INTO tenants (slug, name) VALUES ('beta', 'Beta') RETURNING id",
        [],
    )
    .await;
    let foreign_customer = insert_customer(&owner, beta, "B-1", None, "active").await;

    let wine = insert_product(&owner, tenant, "Cabernet", "wine").await;
    let spirits = insert_product(&owner, tenant, "Gin", "spirits").await;
    let cab = insert_sku(&owner, tenant, wine, "CAB-750", "20.00", "active", 100).await;
    let gin = insert_sku(&owner, tenant, spirits, "GIN-750", "30.00", "active", 100).await;
    let scarce = insert_sku(&owner, tenant, wine, "RARE-750", "50.00", "active", 10).await;
    let retired = insert_sku(
        &owner,
        tenant,
        wine,
        "OLD-750",
        "10.00",
        "discontinued",
        100,
    )
    .await;

    let tier_entry: Uuid = scalar(
        &owner,
        "INSERT INTO price_list_entries (tenant_id, sku_id, price_tier, unit_price, valid_from)
         VALUES ($1, $2, 'wholesale', 18.00, now() - interval '1 day') RETURNING id",
        [tenant.into(), cab.into()],
    )
    .await;
    let customer_entry: Uuid = scalar(
        &owner,
        "INSERT INTO price_list_entries (tenant_id, sku_id, customer_id, unit_price, valid_from)
         VALUES ($1, $2, $3, 27.50, now() - interval '1 day') RETURNING id",
        [tenant.into(), gin.into(), customer.into()],
    )
    .await;
    exec(
        &owner,
        "INSERT INTO state_tax_rates (tenant_id, state, product_category, rate_kind, rate, effective_from)
         VALUES ($1, 'CA', 'wine', 'per_gallon', 0.20, '2000-01-01')",
        [tenant.into()],
    )
    .await;
    let portal_user = insert_portal_user(&owner, tenant, customer, "buyer@c1.test").await;

    World {
        _database: database,
        owner,
        db,
        tenant,
        staff: TenantContext::user(tenant, rep),
        portal: TenantContext::portal_user(tenant, portal_user, customer),
        portal_user,
        customer,
        other_customer,
        inactive_customer,
        foreign_customer,
        cab,
        tier_entry,
        gin,
        customer_entry,
        scarce,
        retired,
    }
}

async fn insert_customer(
    owner: &DatabaseConnection,
    tenant: Uuid,
    account: &str,
    tier: Option<&str>,
    status: &str,
) -> Uuid {
    scalar(
        owner,
        "INSERT INTO customers (tenant_id, account_number, name, state, price_tier, payment_terms, status)
         VALUES ($1, $2, $2, 'CA', $3, 'net_30', $4) RETURNING id",
        [tenant.into(), account.into(), tier.into(), status.into()],
    )
    .await
}

async fn insert_product(
    owner: &DatabaseConnection,
    tenant: Uuid,
    name: &str,
    category: &str,
) -> Uuid {
    scalar(
        owner,
        "INSERT INTO products (tenant_id, name, category) VALUES ($1, $2, $3) RETURNING id",
        [tenant.into(), name.into(), category.into()],
    )
    .await
}

async fn insert_sku(
    owner: &DatabaseConnection,
    tenant: Uuid,
    product: Uuid,
    code: &str,
    base_price: &str,
    status: &str,
    on_hand: i32,
) -> Uuid {
    let sku: Uuid = scalar(
        owner,
        "INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price, status)
         VALUES ($1, $2, $3, 750, $4, $5) RETURNING id",
        [
            tenant.into(),
            product.into(),
            code.into(),
            d(base_price).into(),
            status.into(),
        ],
    )
    .await;
    exec(
        owner,
        "INSERT INTO inventory (tenant_id, sku_id, location, on_hand) VALUES ($1, $2, 'main', $3)",
        [tenant.into(), sku.into(), on_hand.into()],
    )
    .await;
    sku
}

async fn insert_portal_user(
    owner: &DatabaseConnection,
    tenant: Uuid,
    customer: Uuid,
    email: &str,
) -> Uuid {
    scalar(
        owner,
        "INSERT INTO portal_users (tenant_id, customer_id, email, password_hash, full_name)
         VALUES ($1, $2, $3, 'x', 'Buyer') RETURNING id",
        [tenant.into(), customer.into(), email.into()],
    )
    .await
}

fn line(sku_id: Uuid, quantity: i32) -> NewLine {
    NewLine {
        sku_id,
        quantity,
        discount: None,
    }
}

fn new_order(customer_id: Uuid, lines: Vec<NewLine>) -> NewOrder {
    NewOrder {
        customer_id,
        lines,
        requested_delivery_date: None,
        idempotency_key: None,
        notes: None,
        submit: false,
    }
}

fn submitted(customer_id: Uuid, lines: Vec<NewLine>) -> NewOrder {
    NewOrder {
        submit: true,
        ..new_order(customer_id, lines)
    }
}

fn code_and_field<T: std::fmt::Debug>(
    result: Result<T, OrdersError>,
) -> (ErrorCode, Option<String>) {
    let error = result.unwrap_err();
    (error.code(), error.field().map(str::to_owned))
}

fn assert_code<T: std::fmt::Debug>(result: Result<T, OrdersError>, code: ErrorCode) -> OrdersError {
    let error = result.unwrap_err();
    assert_eq!(error.code(), code, "{error:?}");
    error
}

impl World {
    fn staff_user_id(&self) -> Option<Uuid> {
        match self.staff.principal() {
            leora_tenancy::Principal::User { user_id } => Some(user_id),
            _ => None,
        }
    }

    async fn run<T>(
        &self,
        ctx: TenantContext,
        work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, OrdersError>,
    ) -> Result<T, OrdersError> {
        with_tenant(&self.db, &ctx, work).await
    }

    async fn create(
        &self,
        ctx: TenantContext,
        input: NewOrder,
    ) -> Result<OrderWithLines, OrdersError> {
        self.run(ctx, async |tx| create_order(tx, &ctx, input).await)
            .await
    }

    async fn act(
        &self,
        ctx: TenantContext,
        action: Action,
        order_id: Uuid,
    ) -> Result<orders::Model, OrdersError> {
        self.run(ctx, async |tx| match action {
            Action::Submit => submit_order(tx, &ctx, order_id).await,
            Action::Confirm => confirm_order(tx, &ctx, order_id).await,
            Action::Fulfill => fulfill_order(tx, &ctx, order_id).await,
            Action::Deliver => deliver_order(tx, &ctx, order_id).await,
            Action::Cancel => cancel_order(tx, &ctx, order_id).await,
        })
        .await
    }

    /// (on hand, reserved) of a SKU at the main location.
    async fn stock(&self, sku: Uuid) -> (i32, i32) {
        let row = self
            .owner
            .query_one_raw(stmt(
                "SELECT on_hand, reserved FROM inventory WHERE sku_id = $1 AND location = 'main'",
                [sku.into()],
            ))
            .await
            .unwrap()
            .unwrap();
        (
            row.try_get_by_index(0).unwrap(),
            row.try_get_by_index(1).unwrap(),
        )
    }

    async fn count(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> i64 {
        scalar(&self.owner, sql, values).await
    }

    async fn events(&self, event_type: &str) -> Vec<Json> {
        self.owner
            .query_all_raw(stmt(
                "SELECT payload FROM webhook_events WHERE tenant_id = $1 AND event_type = $2
                  ORDER BY occurred_at, id",
                [self.tenant.into(), event_type.into()],
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index::<Json>(0).unwrap())
            .collect()
    }

    async fn order_numbers(&self) -> BTreeSet<String> {
        self.owner
            .query_all_raw(stmt(
                "SELECT order_number FROM orders WHERE tenant_id = $1",
                [self.tenant.into()],
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).unwrap())
            .collect()
    }

    /// A fulfilled order of `quantity` CAB at 18.00 (wine tax included) for `customer`.
    async fn fulfilled_order(&self, quantity: i32) -> orders::Model {
        let order = self
            .create(
                self.staff,
                submitted(self.customer, vec![line(self.cab, quantity)]),
            )
            .await
            .unwrap()
            .order;
        self.act(self.staff, Action::Confirm, order.id)
            .await
            .unwrap();
        self.act(self.staff, Action::Fulfill, order.id)
            .await
            .unwrap()
    }

    async fn issue(
        &self,
        order_id: Uuid,
    ) -> Result<leora_orders::entities::invoices::Model, OrdersError> {
        let ctx = self.staff;
        self.run(ctx, async |tx| issue_invoice(tx, &ctx, order_id).await)
            .await
    }

    async fn pay(
        &self,
        invoice_id: Uuid,
        amount: &str,
    ) -> Result<leora_orders::service::invoices::RecordedPayment, OrdersError> {
        let ctx = self.staff;
        let payment = NewPayment {
            amount: d(amount),
            method: PaymentMethod::Ach,
            reference: Some("ACH-1".into()),
            received_at: None,
        };
        self.run(ctx, async |tx| {
            record_payment(tx, &ctx, invoice_id, payment).await
        })
        .await
    }

    async fn add(&self, ctx: TenantContext, sku: Uuid, quantity: i32) -> Result<Uuid, OrdersError> {
        self.run(ctx, async |tx| add_to_cart(tx, &ctx, sku, quantity).await)
            .await
            .map(|cart| cart.id)
    }

    async fn checkout(
        &self,
        ctx: TenantContext,
        key: Option<&str>,
    ) -> Result<OrderWithLines, OrdersError> {
        let input = Checkout {
            idempotency_key: key.map(str::to_owned),
            ..Checkout::default()
        };
        self.run(ctx, async |tx| checkout_cart(tx, &ctx, input).await)
            .await
    }
}

// ───────────────────────────── orders ─────────────────────────────

#[tokio::test]
async fn order_totals_are_priced_server_side_with_state_tax() {
    let world = world().await;
    let input = NewOrder {
        notes: Some("  back door  ".into()),
        ..new_order(
            world.customer,
            vec![
                line(world.cab, 12),
                NewLine {
                    discount: Some(d("5.00")),
                    ..line(world.gin, 2)
                },
            ],
        )
    };
    let OrderWithLines { order, lines } = world.create(world.staff, input).await.unwrap();

    // CAB: tier price 18.00 × 12 = 216.00; CA wine excise 0.20 $/gal on 9 l (2.3775 gal) = 0.48.
    // GIN: customer price 27.50 × 2 − 5.00 = 50.00; no CA spirits rate, so untaxed.
    assert_eq!(lines.len(), 2);
    let (cab, gin) = (&lines[0], &lines[1]);
    assert_eq!((cab.line_number, cab.sku_id), (1, world.cab));
    assert_eq!(cab.unit_price, d("18.00"));
    assert_eq!(cab.pricing_rule, PricingRule::PriceTier);
    assert_eq!(cab.price_list_entry_id, Some(world.tier_entry));
    assert_eq!(cab.line_total, d("216.00"));
    assert_eq!(cab.tax_amount, d("0.48"));
    assert_eq!((gin.line_number, gin.sku_id), (2, world.gin));
    assert_eq!(gin.unit_price, d("27.50"));
    assert_eq!(gin.pricing_rule, PricingRule::CustomerPrice);
    assert_eq!(gin.price_list_entry_id, Some(world.customer_entry));
    assert_eq!(gin.discount, d("5.00"));
    assert_eq!(gin.line_total, d("50.00"));
    assert_eq!(gin.tax_amount, Decimal::ZERO);

    assert_eq!(order.subtotal, d("266.00"));
    assert_eq!(order.tax_total, d("0.48"));
    assert_eq!(order.total, d("266.48"));
    assert_eq!(order.currency, "USD");
    assert_eq!(order.status, OrderStatus::Draft);
    assert_eq!(order.order_number, "SO-000001");
    assert_eq!(order.notes.as_deref(), Some("back door"));
    assert_eq!(order.placed_by_user_id, world.staff_user_id());
    assert_eq!(order.placed_by_portal_user_id, None);
    // A draft reserves nothing.
    assert_eq!(world.stock(world.cab).await, (100, 0));

    let placed = world.events("order.placed").await;
    assert_eq!(placed.len(), 1);
    assert_eq!(placed[0]["orderId"], order.id.to_string());
    assert_eq!(placed[0]["total"], "266.48");
    assert!(world.events("order.status_changed").await.is_empty());

    // A customer without a tier pays the base price, and a portal order records its placer.
    let base = world
        .create(
            world.staff,
            new_order(world.other_customer, vec![line(world.cab, 1)]),
        )
        .await
        .unwrap();
    assert_eq!(base.lines[0].unit_price, d("20.00"));
    assert_eq!(base.lines[0].pricing_rule, PricingRule::BasePrice);
    assert_eq!(base.lines[0].price_list_entry_id, None);
    let portal = world
        .create(
            world.portal,
            new_order(world.customer, vec![line(world.gin, 1)]),
        )
        .await
        .unwrap()
        .order;
    assert_eq!(portal.placed_by_portal_user_id, Some(world.portal_user));
    assert_eq!(portal.placed_by_user_id, None);
}

/// The actions that bring a new draft into each status.
fn path_to(status: OrderStatus) -> &'static [Action] {
    match status {
        OrderStatus::Draft => &[],
        OrderStatus::Submitted => &[Action::Submit],
        OrderStatus::Confirmed => &[Action::Submit, Action::Confirm],
        OrderStatus::Fulfilled => &[Action::Submit, Action::Confirm, Action::Fulfill],
        OrderStatus::Delivered => &[
            Action::Submit,
            Action::Confirm,
            Action::Fulfill,
            Action::Deliver,
        ],
        OrderStatus::Cancelled => &[Action::Cancel],
    }
}

#[tokio::test]
async fn every_allowed_transition_works_and_every_other_is_invalid() {
    let world = world().await;
    for from in OrderStatus::iter() {
        for action in Action::ALL {
            let order = world
                .create(
                    world.staff,
                    new_order(world.customer, vec![line(world.cab, 1)]),
                )
                .await
                .unwrap()
                .order;
            for step in path_to(from) {
                world.act(world.staff, *step, order.id).await.unwrap();
            }
            let outcome = world.act(world.staff, action, order.id).await;
            let stored: String = scalar(
                &world.owner,
                "SELECT status FROM orders WHERE id = $1",
                [order.id.into()],
            )
            .await;
            match next_status(from, action) {
                Ok(to) => {
                    let updated = outcome.unwrap();
                    assert_eq!(updated.status, to, "{from:?} {action:?}");
                    assert_eq!(stored, sea_orm::ActiveEnum::to_value(&to));
                }
                Err(_) => {
                    let error = assert_code(outcome, ErrorCode::InvalidTransition);
                    assert!(error.to_string().contains(action.verb()), "{error}");
                    assert_eq!(stored, sea_orm::ActiveEnum::to_value(&from), "unchanged");
                }
            }
        }
    }
    // Whatever was cancelled released its stock, whatever shipped consumed it: reserved stock is
    // exactly the submitted and confirmed orders' units.
    let held = world
        .count(
            "SELECT coalesce(sum(l.quantity), 0)::bigint FROM order_lines l JOIN orders o ON o.id = l.order_id
              WHERE o.status IN ('submitted', 'confirmed')",
            [],
        )
        .await;
    let (_, reserved) = world.stock(world.cab).await;
    assert_eq!(i64::from(reserved), held);
}

#[tokio::test]
async fn submitting_reserves_cancelling_releases_fulfilling_consumes() {
    let world = world().await;
    let staff = world.staff;
    let order = world
        .create(
            staff,
            new_order(world.customer, vec![line(world.cab, 5), line(world.gin, 2)]),
        )
        .await
        .unwrap()
        .order;
    assert_eq!(world.stock(world.cab).await, (100, 0));

    let order = world.act(staff, Action::Submit, order.id).await.unwrap();
    assert!(order.submitted_at.is_some());
    assert_eq!(world.stock(world.cab).await, (100, 5));
    assert_eq!(world.stock(world.gin).await, (100, 2));

    let order = world.act(staff, Action::Cancel, order.id).await.unwrap();
    assert!(order.cancelled_at.is_some());
    assert_eq!(world.stock(world.cab).await, (100, 0));
    assert_eq!(world.stock(world.gin).await, (100, 0));

    // Cancelling a draft has nothing to release (another order's reservation stays).
    let held = world
        .create(staff, submitted(world.customer, vec![line(world.cab, 3)]))
        .await
        .unwrap()
        .order;
    let draft = world
        .create(staff, new_order(world.customer, vec![line(world.cab, 4)]))
        .await
        .unwrap()
        .order;
    world.act(staff, Action::Cancel, draft.id).await.unwrap();
    assert_eq!(world.stock(world.cab).await, (100, 3));

    let confirmed = world.act(staff, Action::Confirm, held.id).await.unwrap();
    assert!(confirmed.confirmed_at.is_some());
    assert_eq!(world.stock(world.cab).await, (100, 3));
    let fulfilled = world.act(staff, Action::Fulfill, held.id).await.unwrap();
    assert!(fulfilled.fulfilled_at.is_some());
    assert_eq!(world.stock(world.cab).await, (97, 0));
    let delivered = world.act(staff, Action::Deliver, held.id).await.unwrap();
    assert!(delivered.delivered_at.is_some());
    assert_eq!(world.stock(world.cab).await, (97, 0));

    // Short stock refuses the submission and leaves the draft as it was.
    let greedy = world
        .create(
            staff,
            new_order(world.customer, vec![line(world.scarce, 11)]),
        )
        .await
        .unwrap()
        .order;
    let error = assert_code(
        world.act(staff, Action::Submit, greedy.id).await,
        ErrorCode::InsufficientInventory,
    );
    assert!(matches!(
        error,
        OrdersError::InsufficientInventory {
            requested: 11,
            available: 10,
            ..
        }
    ));
    assert_eq!(world.stock(world.scarce).await, (10, 0));

    let changes: Vec<(String, String)> = world
        .events("order.status_changed")
        .await
        .iter()
        .filter(|event| event["orderId"] == held.id.to_string())
        .map(|event| {
            (
                event["from"].as_str().unwrap().to_owned(),
                event["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("draft", "submitted"),
        ("submitted", "confirmed"),
        ("confirmed", "fulfilled"),
        ("fulfilled", "delivered"),
    ]
    .map(|(from, to)| (from.to_owned(), to.to_owned()));
    assert_eq!(changes, expected);
}

#[tokio::test]
async fn a_retried_create_order_returns_the_same_order_and_reserves_once() {
    let world = world().await;
    let keyed = || NewOrder {
        idempotency_key: Some("order-7f3a".into()),
        ..submitted(world.customer, vec![line(world.cab, 3)])
    };
    let first = world.create(world.staff, keyed()).await.unwrap();
    let retry = world.create(world.staff, keyed()).await.unwrap();
    assert_eq!(retry, first);

    // Concurrent retries queue on the tenant's counter and all find the first order.
    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (db, ctx, input) = (world.db.clone(), world.staff, keyed());
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| {
                create_order(tx, &ctx, input).await
            })
            .await
        });
    }
    for outcome in tasks.join_all().await {
        assert_eq!(outcome.unwrap().order.id, first.order.id);
    }

    assert_eq!(world.stock(world.cab).await, (100, 3));
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 1);
    assert_eq!(world.events("order.placed").await.len(), 1);
    assert_eq!(
        world.order_numbers().await,
        BTreeSet::from(["SO-000001".to_owned()])
    );

    // The key belongs to that order: another customer cannot reuse it.
    let (code, field) = code_and_field(
        world
            .create(
                world.staff,
                NewOrder {
                    idempotency_key: Some("order-7f3a".into()),
                    ..new_order(world.other_customer, vec![line(world.cab, 1)])
                },
            )
            .await,
    );
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::Conflict, Some("idempotencyKey"))
    );
    // Nor can a portal user of another customer, who cannot even see the order.
    let stranger = insert_portal_user(
        &world.owner,
        world.tenant,
        world.other_customer,
        "x@c2.test",
    )
    .await;
    let stranger = TenantContext::portal_user(world.tenant, stranger, world.other_customer);
    let (code, field) = code_and_field(
        world
            .create(
                stranger,
                NewOrder {
                    idempotency_key: Some("order-7f3a".into()),
                    ..new_order(world.other_customer, vec![line(world.cab, 1)])
                },
            )
            .await,
    );
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::Conflict, Some("idempotencyKey"))
    );
}

#[tokio::test]
async fn fifty_concurrent_one_unit_orders_for_ten_units_succeed_exactly_ten_times() {
    let world = world().await;
    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (db, ctx) = (world.db.clone(), world.staff);
        let input = submitted(world.customer, vec![line(world.scarce, 1)]);
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| {
                create_order(tx, &ctx, input).await
            })
            .await
        });
    }
    let outcomes = tasks.join_all().await;
    let succeeded = outcomes.iter().filter(|o| o.is_ok()).count();
    let short = outcomes
        .iter()
        .filter(|o| matches!(o, Err(e) if e.code() == ErrorCode::InsufficientInventory))
        .count();
    assert_eq!((succeeded, short), (10, 40), "{outcomes:?}");
    assert_eq!(world.stock(world.scarce).await, (10, 10));
    let expected: BTreeSet<String> = (1..=10).map(|n| format!("SO-{n:06}")).collect();
    assert_eq!(world.order_numbers().await, expected);
    assert_eq!(world.events("order.placed").await.len(), 10);
}

#[tokio::test]
async fn fifty_concurrent_checkouts_for_ten_units_succeed_exactly_ten_times() {
    let world = world().await;
    let buyers: Vec<Uuid> = world
        .owner
        .query_all_raw(stmt(
            "INSERT INTO portal_users (tenant_id, customer_id, email, password_hash, full_name)
             SELECT $1, $2, 'buyer' || g || '@c1.test', 'x', 'Buyer ' || g
               FROM generate_series(1, 50) g RETURNING id",
            [world.tenant.into(), world.customer.into()],
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    let contexts: Vec<TenantContext> = buyers
        .iter()
        .map(|buyer| TenantContext::portal_user(world.tenant, *buyer, world.customer))
        .collect();
    for ctx in &contexts {
        world.add(*ctx, world.scarce, 1).await.unwrap();
    }

    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for (n, ctx) in contexts.iter().copied().enumerate() {
        let db = world.db.clone();
        let input = Checkout {
            idempotency_key: Some(format!("checkout-{n}")),
            ..Checkout::default()
        };
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| {
                checkout_cart(tx, &ctx, input).await
            })
            .await
        });
    }
    let outcomes = tasks.join_all().await;
    let succeeded = outcomes.iter().filter(|o| o.is_ok()).count();
    let short = outcomes
        .iter()
        .filter(|o| matches!(o, Err(e) if e.code() == ErrorCode::InsufficientInventory))
        .count();
    assert_eq!((succeeded, short), (10, 40), "{outcomes:?}");
    assert_eq!(world.stock(world.scarce).await, (10, 10));
    assert_eq!(
        world
            .count("SELECT count(*) FROM carts WHERE status = 'converted'", [])
            .await,
        10
    );
    assert_eq!(
        world
            .count("SELECT count(*) FROM carts WHERE status = 'active'", [])
            .await,
        40
    );
    let expected: BTreeSet<String> = (1..=10).map(|n| format!("SO-{n:06}")).collect();
    assert_eq!(world.order_numbers().await, expected);
}

#[tokio::test]
async fn order_numbers_have_no_gaps_under_concurrency() {
    let world = world().await;
    // A creation that rolls back gives its number back.
    let rolled_back: Result<(), OrdersError> = world
        .run(world.staff, async |tx| {
            create_order(
                tx,
                &world.staff,
                new_order(world.customer, vec![line(world.cab, 1)]),
            )
            .await?;
            Err(OrdersError::Forbidden {
                reason: "test rollback",
            })
        })
        .await;
    assert!(rolled_back.is_err());
    assert!(world.order_numbers().await.is_empty());

    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..25 {
        let (db, ctx) = (world.db.clone(), world.staff);
        // Every fifth one fails (short stock) while its neighbours succeed: no hole may remain.
        let quantity = if n % 5 == 4 { 1000 } else { 1 };
        let input = submitted(world.customer, vec![line(world.cab, quantity)]);
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| {
                create_order(tx, &ctx, input).await
            })
            .await
        });
    }
    let outcomes = tasks.join_all().await;
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 20);
    let expected: BTreeSet<String> = (1..=20).map(|n| format!("SO-{n:06}")).collect();
    assert_eq!(world.order_numbers().await, expected);
}

#[tokio::test]
async fn a_portal_user_cannot_order_for_another_customer() {
    let world = world().await;
    let portal = world.portal;
    assert_code(
        world
            .create(
                portal,
                new_order(world.other_customer, vec![line(world.cab, 1)]),
            )
            .await,
        ErrorCode::Forbidden,
    );
    // Nor touch another customer's order: row-level security hides it.
    let theirs = world
        .create(
            world.staff,
            new_order(world.other_customer, vec![line(world.cab, 1)]),
        )
        .await
        .unwrap()
        .order;
    assert_code(
        world.act(portal, Action::Submit, theirs.id).await,
        ErrorCode::NotFound,
    );
    assert_code(
        world.act(portal, Action::Cancel, theirs.id).await,
        ErrorCode::NotFound,
    );
    // Nor give itself a discount, nor run the distributor's side of the lifecycle.
    assert_code(
        world
            .create(
                portal,
                new_order(
                    world.customer,
                    vec![NewLine {
                        discount: Some(d("1.00")),
                        ..line(world.cab, 1)
                    }],
                ),
            )
            .await,
        ErrorCode::Forbidden,
    );
    let own = world
        .create(portal, submitted(world.customer, vec![line(world.cab, 1)]))
        .await
        .unwrap()
        .order;
    for action in [Action::Confirm, Action::Fulfill, Action::Deliver] {
        assert_code(
            world.act(portal, action, own.id).await,
            ErrorCode::Forbidden,
        );
    }
    world.act(portal, Action::Cancel, own.id).await.unwrap();
    // Staff cannot reach another tenant's customer either.
    let (code, field) = code_and_field(
        world
            .create(
                world.staff,
                new_order(world.foreign_customer, vec![line(world.cab, 1)]),
            )
            .await,
    );
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::NotFound, Some("customerId"))
    );
    // And no one signed out can order.
    assert_code(
        world
            .create(
                TenantContext::anonymous(world.tenant),
                new_order(world.customer, vec![line(world.cab, 1)]),
            )
            .await,
        ErrorCode::Forbidden,
    );
}

#[tokio::test]
async fn bad_input_changes_nothing() {
    let world = world().await;
    let snapshot = async || {
        (
            world.count("SELECT count(*) FROM orders", []).await,
            world.count("SELECT count(*) FROM order_lines", []).await,
            world
                .count(
                    "SELECT coalesce(sum(reserved), 0)::bigint FROM inventory",
                    [],
                )
                .await,
            world.count("SELECT count(*) FROM webhook_events", []).await,
            world
                .count("SELECT last_order_number FROM tenant_settings", [])
                .await,
        )
    };
    let before = snapshot().await;
    let yesterday = chrono::Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(2))
        .unwrap();
    let cases: Vec<(NewOrder, ErrorCode, Option<&str>)> = vec![
        (
            submitted(world.customer, vec![]),
            ErrorCode::BadUserInput,
            Some("lines"),
        ),
        (
            submitted(world.customer, vec![line(world.cab, 1), line(world.gin, 0)]),
            ErrorCode::BadUserInput,
            Some("lines[1].quantity"),
        ),
        (
            submitted(world.customer, vec![line(world.cab, -3)]),
            ErrorCode::BadUserInput,
            Some("lines[0].quantity"),
        ),
        (
            submitted(
                world.customer,
                vec![
                    line(world.cab, 1),
                    NewLine {
                        discount: Some(d("-1.00")),
                        ..line(world.gin, 1)
                    },
                ],
            ),
            ErrorCode::BadUserInput,
            Some("lines[1].discount"),
        ),
        (
            submitted(
                world.customer,
                vec![NewLine {
                    discount: Some(d("0.001")),
                    ..line(world.cab, 1)
                }],
            ),
            ErrorCode::BadUserInput,
            Some("lines[0].discount"),
        ),
        (
            submitted(world.customer, vec![line(world.cab, 1), line(world.cab, 2)]),
            ErrorCode::BadUserInput,
            Some("lines[1].skuId"),
        ),
        (
            submitted(
                world.customer,
                vec![line(world.cab, 1), line(Uuid::now_v7(), 1)],
            ),
            ErrorCode::NotFound,
            Some("lines[1].skuId"),
        ),
        (
            submitted(world.customer, vec![line(world.retired, 1)]),
            ErrorCode::BadUserInput,
            Some("lines[0].skuId"),
        ),
        (
            submitted(Uuid::now_v7(), vec![line(world.cab, 1)]),
            ErrorCode::NotFound,
            Some("customerId"),
        ),
        (
            submitted(world.inactive_customer, vec![line(world.cab, 1)]),
            ErrorCode::BadUserInput,
            Some("customerId"),
        ),
        (
            NewOrder {
                idempotency_key: Some("   ".into()),
                ..submitted(world.customer, vec![line(world.cab, 1)])
            },
            ErrorCode::BadUserInput,
            Some("idempotencyKey"),
        ),
        (
            NewOrder {
                requested_delivery_date: Some(yesterday),
                ..submitted(world.customer, vec![line(world.cab, 1)])
            },
            ErrorCode::BadUserInput,
            Some("requestedDeliveryDate"),
        ),
        (
            NewOrder {
                notes: Some("x".repeat(2001)),
                ..submitted(world.customer, vec![line(world.cab, 1)])
            },
            ErrorCode::BadUserInput,
            Some("notes"),
        ),
        (
            // The first line reserves before the second runs short: all of it rolls back.
            submitted(
                world.customer,
                vec![line(world.cab, 5), line(world.scarce, 11)],
            ),
            ErrorCode::InsufficientInventory,
            None,
        ),
    ];
    for (input, code, field) in cases {
        let described = format!("{:?}", input.lines);
        let outcome = world.create(world.staff, input).await;
        assert_eq!(
            code_and_field(outcome),
            (code, field.map(str::to_owned)),
            "{described}"
        );
    }
    assert_eq!(snapshot().await, before);
}

#[tokio::test]
async fn a_rolled_back_order_leaves_no_event() {
    let world = world().await;
    let rolled_back: Result<(), OrdersError> = world
        .run(world.staff, async |tx| {
            let placed = create_order(
                tx,
                &world.staff,
                submitted(world.customer, vec![line(world.cab, 2)]),
            )
            .await?;
            cancel_order(tx, &world.staff, placed.order.id).await?;
            Err(OrdersError::Forbidden {
                reason: "test rollback",
            })
        })
        .await;
    assert!(rolled_back.is_err());
    assert_eq!(
        world.count("SELECT count(*) FROM webhook_events", []).await,
        0
    );
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 0);
    assert_eq!(world.stock(world.cab).await, (100, 0));

    let placed = world
        .create(
            world.staff,
            submitted(world.customer, vec![line(world.cab, 2)]),
        )
        .await
        .unwrap()
        .order;
    assert_eq!(placed.order_number, "SO-000001");
    assert_eq!(world.events("order.placed").await.len(), 1);
    let changes = world.events("order.status_changed").await;
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0]["from"].as_str(), changes[0]["to"].as_str()),
        (Some("draft"), Some("submitted"))
    );
}

// ───────────────────────────── carts ─────────────────────────────

#[tokio::test]
async fn cart_items_merge_by_sku_and_only_portal_users_have_carts() {
    let world = world().await;
    let portal = world.portal;
    let cart = world
        .run(portal, async |tx| active_cart(tx, &portal).await)
        .await
        .unwrap();
    assert_eq!(cart.status, CartStatus::Active);
    assert_eq!(cart.portal_user_id, world.portal_user);
    let again = world
        .run(portal, async |tx| active_cart(tx, &portal).await)
        .await
        .unwrap();
    assert_eq!(again.id, cart.id, "one active cart per portal user");
    let ttl = cart.expires_at - cart.created_at;
    assert_eq!(ttl, chrono::Duration::hours(168));

    assert_eq!(world.add(portal, world.cab, 2).await.unwrap(), cart.id);
    world.add(portal, world.cab, 3).await.unwrap();
    world.add(portal, world.gin, 1).await.unwrap();
    let items = world
        .run(portal, async |tx| items_of_carts(tx, &[cart.id]).await)
        .await
        .unwrap()
        .remove(&cart.id)
        .unwrap();
    let quantities: Vec<_> = items.iter().map(|i| (i.sku_id, i.quantity)).collect();
    assert_eq!(quantities, vec![(world.cab, 5), (world.gin, 1)]);

    world
        .run(portal, async |tx| {
            update_cart_item(tx, &portal, world.cab, 7).await
        })
        .await
        .unwrap();
    world
        .run(portal, async |tx| {
            update_cart_item(tx, &portal, world.gin, 0).await
        })
        .await
        .unwrap();
    let items = world
        .run(portal, async |tx| items_of_carts(tx, &[cart.id]).await)
        .await
        .unwrap()
        .remove(&cart.id)
        .unwrap();
    let quantities: Vec<_> = items.iter().map(|i| (i.sku_id, i.quantity)).collect();
    assert_eq!(quantities, vec![(world.cab, 7)]);

    let (code, field) = code_and_field(
        world
            .run(portal, async |tx| {
                remove_from_cart(tx, &portal, world.gin).await
            })
            .await,
    );
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::NotFound, Some("skuId"))
    );
    for (sku, quantity, code, field) in [
        (world.cab, 0, ErrorCode::BadUserInput, "quantity"),
        (world.retired, 1, ErrorCode::BadUserInput, "skuId"),
        (Uuid::now_v7(), 1, ErrorCode::NotFound, "skuId"),
        (world.cab, 100_000, ErrorCode::BadUserInput, "quantity"),
    ] {
        let outcome = world.add(portal, sku, quantity).await;
        assert_eq!(code_and_field(outcome), (code, Some(field.to_owned())));
    }
    assert_code(
        world
            .run(portal, async |tx| {
                update_cart_item(tx, &portal, world.cab, -1).await
            })
            .await,
        ErrorCode::BadUserInput,
    );

    let staff = world.staff;
    assert_code(
        world
            .run(staff, async |tx| active_cart(tx, &staff).await)
            .await,
        ErrorCode::Forbidden,
    );
    assert_code(world.add(staff, world.cab, 1).await, ErrorCode::Forbidden);
    assert_code(world.checkout(staff, None).await, ErrorCode::Forbidden);
}

#[tokio::test]
async fn an_expired_cart_cannot_be_checked_out() {
    let world = world().await;
    let portal = world.portal;
    let cart = world.add(portal, world.cab, 2).await.unwrap();
    exec(
        &world.owner,
        "UPDATE carts SET expires_at = now() - interval '1 minute' WHERE id = $1",
        [cart.into()],
    )
    .await;

    let error = assert_code(
        world.checkout(portal, Some("late")).await,
        ErrorCode::Conflict,
    );
    assert!(matches!(error, OrdersError::CartExpired));
    assert!(matches!(
        world
            .run(portal, async |tx| update_cart_item(
                tx, &portal, world.cab, 1
            )
            .await)
            .await,
        Err(OrdersError::CartExpired)
    ));
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 0);
    assert_eq!(world.stock(world.cab).await, (100, 0));

    // Reading shows the expired cart as it is; adding retires it and starts afresh.
    let read = world
        .run(portal, async |tx| active_cart(tx, &portal).await)
        .await
        .unwrap();
    assert_eq!(read.id, cart);
    let fresh = world.add(portal, world.gin, 1).await.unwrap();
    assert_ne!(fresh, cart);
    let status: String = scalar(
        &world.owner,
        "SELECT status FROM carts WHERE id = $1",
        [cart.into()],
    )
    .await;
    assert_eq!(status, "expired");
    let placed = world.checkout(portal, None).await.unwrap();
    assert_eq!(placed.lines.len(), 1);
    assert_eq!(placed.lines[0].sku_id, world.gin);
}

#[tokio::test]
async fn checkout_converts_the_cart_atomically() {
    let world = world().await;
    let portal = world.portal;
    assert_code(world.checkout(portal, None).await, ErrorCode::Conflict);

    // A checkout that fails (short stock) leaves the cart as it was and nothing else behind.
    let cart = world.add(portal, world.cab, 2).await.unwrap();
    world.add(portal, world.scarce, 11).await.unwrap();
    let (code, _) = code_and_field(world.checkout(portal, Some("try-1")).await);
    assert_eq!(code, ErrorCode::InsufficientInventory);
    assert_eq!(world.count("SELECT count(*) FROM orders", []).await, 0);
    let status: String = scalar(
        &world.owner,
        "SELECT status FROM carts WHERE id = $1",
        [cart.into()],
    )
    .await;
    assert_eq!(status, "active");
    assert_eq!(world.stock(world.cab).await, (100, 0));

    world
        .run(portal, async |tx| {
            update_cart_item(tx, &portal, world.scarce, 4).await
        })
        .await
        .unwrap();
    world.add(portal, world.cab, 3).await.unwrap();
    let placed = world.checkout(portal, Some("try-2")).await.unwrap();
    let order = &placed.order;
    assert_eq!(order.status, OrderStatus::Submitted);
    assert_eq!(order.placed_by_portal_user_id, Some(world.portal_user));
    assert_eq!(order.idempotency_key.as_deref(), Some("try-2"));
    let lines: Vec<_> = placed
        .lines
        .iter()
        .map(|l| (l.sku_id, l.quantity))
        .collect();
    assert_eq!(lines, vec![(world.cab, 5), (world.scarce, 4)]);
    assert_eq!(world.stock(world.cab).await, (100, 5));
    assert_eq!(world.stock(world.scarce).await, (10, 4));

    let row = world
        .owner
        .query_one_raw(stmt(
            "SELECT status, converted_order_id, converted_at IS NOT NULL FROM carts WHERE id = $1",
            [cart.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "converted");
    assert_eq!(
        row.try_get_by_index::<Option<Uuid>>(1).unwrap(),
        Some(order.id)
    );
    assert!(row.try_get_by_index::<bool>(2).unwrap());

    // A retry returns the same order; the next cart is a new one.
    let retry = world.checkout(portal, Some("try-2")).await.unwrap();
    assert_eq!(retry, placed);
    assert_eq!(world.stock(world.cab).await, (100, 5));
    let next = world
        .run(portal, async |tx| active_cart(tx, &portal).await)
        .await
        .unwrap();
    assert_ne!(next.id, cart);
    assert_code(
        world.checkout(portal, Some("try-3")).await,
        ErrorCode::Conflict,
    );
}

// ───────────────────────────── invoices ─────────────────────────────

#[tokio::test]
async fn invoice_status_follows_payments() {
    let world = world().await;
    let staff = world.staff;
    // 10 × 18.00 = 180.00; 7.5 l of wine = 1.98 gal × 0.20 = 0.40 tax.
    let order = world.fulfilled_order(10).await;
    assert_eq!(order.total, d("180.40"));

    let pending = world
        .create(staff, submitted(world.customer, vec![line(world.cab, 1)]))
        .await
        .unwrap()
        .order;
    assert_code(world.issue(pending.id).await, ErrorCode::InvalidTransition);
    let portal = world.portal;
    assert_code(
        world
            .run(portal, async |tx| {
                issue_invoice(tx, &portal, order.id).await
            })
            .await,
        ErrorCode::Forbidden,
    );

    let invoice = world.issue(order.id).await.unwrap();
    assert_eq!(invoice.invoice_number, "INV-000001");
    assert_eq!(invoice.status, InvoiceStatus::Issued);
    assert_eq!(
        (invoice.subtotal, invoice.tax_total, invoice.total),
        (order.subtotal, order.tax_total, order.total)
    );
    assert_eq!(invoice.balance, d("180.40"));
    // The invoice is dated on the tenant's calendar, not UTC's.
    let issued_on: NaiveDate = scalar(
        &world.owner,
        "SELECT ($1::timestamptz AT TIME ZONE timezone)::date FROM tenant_settings WHERE tenant_id = $2",
        [invoice.issued_at.into(), world.tenant.into()],
    )
    .await;
    assert_eq!(
        invoice.due_date,
        issued_on.checked_add_days(Days::new(30)).unwrap()
    );
    assert_code(world.issue(order.id).await, ErrorCode::Conflict);
    assert_eq!(world.events("invoice.issued").await.len(), 1);

    let first = world.pay(invoice.id, "80.40").await.unwrap();
    assert_eq!(first.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(
        (first.invoice.amount_paid, first.invoice.balance),
        (d("80.40"), d("100.00"))
    );
    assert_eq!(first.payment.amount, d("80.40"));

    // Past its due date with a balance it reads as overdue, and the job stores that.
    let after_due = invoice.due_date.checked_add_days(Days::new(1)).unwrap();
    assert_eq!(
        effective_status(&first.invoice, invoice.due_date),
        InvoiceStatus::PartiallyPaid
    );
    assert_eq!(
        effective_status(&first.invoice, after_due),
        InvoiceStatus::Overdue
    );
    let system = TenantContext::system(world.tenant);
    let marked = world
        .run(system, async |tx| mark_overdue(tx, after_due).await)
        .await
        .unwrap();
    assert_eq!(marked, 1);
    let again = world
        .run(system, async |tx| mark_overdue(tx, after_due).await)
        .await
        .unwrap();
    assert_eq!(again, 0);

    let last = world.pay(invoice.id, "100.00").await.unwrap();
    assert_eq!(last.invoice.status, InvoiceStatus::Paid);
    assert_eq!(last.invoice.balance, Decimal::ZERO);
    assert!(last.invoice.paid_at.is_some());
    assert_eq!(
        effective_status(&last.invoice, after_due),
        InvoiceStatus::Paid
    );
    assert_code(
        world.pay(invoice.id, "0.01").await,
        ErrorCode::InvalidTransition,
    );

    let recorded = world.events("payment.recorded").await;
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[1]["balance"], "0.00");
    let paid = world.events("invoice.paid").await;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0]["invoiceId"], invoice.id.to_string());

    let payments = world
        .run(staff, async |tx| {
            payments_of_invoices(tx, &[invoice.id]).await
        })
        .await
        .unwrap()
        .remove(&invoice.id)
        .unwrap();
    assert_eq!(payments.len(), 2);

    // A paid invoice cannot be voided; an unpaid one can, and then takes no payments.
    assert_code(
        world
            .run(staff, async |tx| void_invoice(tx, &staff, invoice.id).await)
            .await,
        ErrorCode::Conflict,
    );
    let second = world.fulfilled_order(1).await;
    let unpaid = world.issue(second.id).await.unwrap();
    assert_eq!(unpaid.invoice_number, "INV-000002");
    let voided = world
        .run(staff, async |tx| void_invoice(tx, &staff, unpaid.id).await)
        .await
        .unwrap();
    assert_eq!(voided.status, InvoiceStatus::Void);
    assert!(voided.voided_at.is_some());
    assert_code(
        world.pay(unpaid.id, "1.00").await,
        ErrorCode::InvalidTransition,
    );
    assert_code(
        world
            .run(staff, async |tx| void_invoice(tx, &staff, unpaid.id).await)
            .await,
        ErrorCode::InvalidTransition,
    );
}

#[tokio::test]
async fn an_order_whose_invoice_was_voided_is_invoiced_again_under_a_new_number() {
    let world = world().await;
    let staff = world.staff;
    let order = world.fulfilled_order(2).await;
    let first = world.issue(order.id).await.unwrap();
    assert_code(world.issue(order.id).await, ErrorCode::Conflict);

    world
        .run(staff, async |tx| void_invoice(tx, &staff, first.id).await)
        .await
        .unwrap();
    let replacement = world.issue(order.id).await.unwrap();
    assert_ne!(replacement.invoice_number, first.invoice_number);
    assert_eq!(replacement.status, InvoiceStatus::Issued);
    assert_eq!(replacement.total, first.total);
    // One live invoice per order.
    assert_code(world.issue(order.id).await, ErrorCode::Conflict);

    let shown = world
        .run(staff, async |tx| invoices_of_orders(tx, &[order.id]).await)
        .await
        .unwrap();
    assert_eq!(
        shown[&order.id].id, replacement.id,
        "the order shows its live invoice"
    );

    world
        .run(staff, async |tx| {
            void_invoice(tx, &staff, replacement.id).await
        })
        .await
        .unwrap();
    let shown = world
        .run(staff, async |tx| invoices_of_orders(tx, &[order.id]).await)
        .await
        .unwrap();
    assert_eq!(
        (shown[&order.id].id, shown[&order.id].status),
        (replacement.id, InvoiceStatus::Void),
        "with none live, the order shows the last one voided"
    );
}

#[tokio::test]
async fn overpayment_is_refused() {
    let world = world().await;
    let order = world.fulfilled_order(10).await;
    let invoice = world.issue(order.id).await.unwrap();
    assert_eq!(invoice.total, d("180.40"));

    for (amount, why) in [
        ("180.41", "more than owed"),
        ("0", "zero"),
        ("-5.00", "negative"),
        ("1.005", "sub-cent"),
    ] {
        let (code, field) = code_and_field(world.pay(invoice.id, amount).await);
        assert_eq!(
            (code, field.as_deref()),
            (ErrorCode::BadUserInput, Some("amount")),
            "{why}"
        );
    }

    // Two concurrent payments of 60 % each: the invoice lock makes the second see the first's
    // balance, so exactly one succeeds.
    let _heavy = HEAVY.lock().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..2 {
        let (db, ctx) = (world.db.clone(), world.staff);
        let payment = NewPayment {
            amount: d("108.24"),
            method: PaymentMethod::Check,
            reference: None,
            received_at: None,
        };
        let invoice_id = invoice.id;
        tasks.spawn(async move {
            with_tenant(&db, &ctx, async move |tx| {
                record_payment(tx, &ctx, invoice_id, payment).await
            })
            .await
        });
    }
    let outcomes = tasks.join_all().await;
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    let refused = outcomes.into_iter().find(|o| o.is_err()).unwrap();
    let (code, field) = code_and_field(refused);
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::BadUserInput, Some("amount"))
    );
    let paid: Decimal = scalar(
        &world.owner,
        "SELECT amount_paid FROM invoices WHERE id = $1",
        [invoice.id.into()],
    )
    .await;
    assert_eq!(paid, d("108.24"));
    assert_eq!(world.count("SELECT count(*) FROM payments", []).await, 1);
}

// ───────────────────────────── lists and batched reads ─────────────────────────────

#[tokio::test]
async fn lists_are_owned_and_pour_into_the_cart() {
    let world = world().await;
    let portal = world.portal;
    let list = world
        .run(portal, async |tx| {
            create_list(
                tx,
                &portal,
                NewList {
                    customer_id: world.customer,
                    name: "  Weekly reds ".into(),
                    kind: Some(ListKind::Template),
                    description: None,
                },
            )
            .await
        })
        .await
        .unwrap();
    assert_eq!(list.name, "Weekly reds");
    assert_eq!(list.owner_portal_user_id, Some(world.portal_user));
    assert_eq!(list.owner_user_id, None);

    let item = |sku_id, quantity| NewListItem {
        sku_id,
        default_quantity: Some(quantity),
        note: None,
    };
    for (sku, quantity) in [(world.cab, 6), (world.gin, 2), (world.cab, 12)] {
        world
            .run(portal, async |tx| {
                add_list_item(tx, &portal, list.id, item(sku, quantity)).await
            })
            .await
            .unwrap();
    }
    let items = world
        .run(portal, async |tx| items_of_lists(tx, &[list.id]).await)
        .await
        .unwrap()
        .remove(&list.id)
        .unwrap();
    // Re-adding a SKU sets its quantity in place.
    let listed: Vec<_> = items
        .iter()
        .map(|i| (i.sku_id, i.default_quantity, i.position))
        .collect();
    assert_eq!(listed, vec![(world.cab, 12, 0), (world.gin, 2, 1)]);

    world.add(portal, world.cab, 1).await.unwrap();
    let cart = world
        .run(portal, async |tx| {
            add_list_to_cart(tx, &portal, list.id).await
        })
        .await
        .unwrap();
    let in_cart = world
        .run(portal, async |tx| items_of_carts(tx, &[cart.id]).await)
        .await
        .unwrap()
        .remove(&cart.id)
        .unwrap();
    let quantities: Vec<_> = in_cart.iter().map(|i| (i.sku_id, i.quantity)).collect();
    assert_eq!(quantities, vec![(world.cab, 13), (world.gin, 2)]);

    world
        .run(portal, async |tx| {
            remove_list_item(tx, &portal, list.id, world.gin).await
        })
        .await
        .unwrap();
    assert_code(
        world
            .run(portal, async |tx| {
                remove_list_item(tx, &portal, list.id, world.gin).await
            })
            .await,
        ErrorCode::NotFound,
    );
    for (input, field) in [
        (item(world.cab, 0), "defaultQuantity"),
        (item(world.retired, 1), "skuId"),
    ] {
        let outcome = world
            .run(portal, async |tx| {
                add_list_item(tx, &portal, list.id, input).await
            })
            .await;
        assert_eq!(code_and_field(outcome).1.as_deref(), Some(field));
    }

    // A colleague may use the list but not change it; staff may change it.
    let colleague = insert_portal_user(
        &world.owner,
        world.tenant,
        world.customer,
        "colleague@c1.test",
    )
    .await;
    let colleague = TenantContext::portal_user(world.tenant, colleague, world.customer);
    world
        .run(colleague, async |tx| {
            add_list_to_cart(tx, &colleague, list.id).await
        })
        .await
        .unwrap();
    assert_code(
        world
            .run(colleague, async |tx| {
                add_list_item(tx, &colleague, list.id, item(world.gin, 1)).await
            })
            .await,
        ErrorCode::Forbidden,
    );
    let staff = world.staff;
    world
        .run(staff, async |tx| {
            add_list_item(tx, &staff, list.id, item(world.gin, 1)).await
        })
        .await
        .unwrap();

    // Lists are per customer: a portal user can neither create one for another customer nor see
    // one of theirs.
    let staff_list = world
        .run(staff, async |tx| {
            create_list(
                tx,
                &staff,
                NewList {
                    customer_id: world.other_customer,
                    name: "Rep picks".into(),
                    kind: None,
                    description: Some("for the spring menu".into()),
                },
            )
            .await
        })
        .await
        .unwrap();
    assert_eq!(staff_list.kind, ListKind::Custom);
    assert_eq!(staff_list.owner_user_id, world.staff_user_id());
    assert_code(
        world
            .run(portal, async |tx| {
                create_list(
                    tx,
                    &portal,
                    NewList {
                        customer_id: world.other_customer,
                        name: "Theirs".into(),
                        kind: None,
                        description: None,
                    },
                )
                .await
            })
            .await,
        ErrorCode::Forbidden,
    );
    assert_code(
        world
            .run(portal, async |tx| {
                add_list_to_cart(tx, &portal, staff_list.id).await
            })
            .await,
        ErrorCode::NotFound,
    );
    let (code, field) = code_and_field(
        world
            .run(staff, async |tx| {
                create_list(
                    tx,
                    &staff,
                    NewList {
                        customer_id: world.customer,
                        name: "   ".into(),
                        kind: None,
                        description: None,
                    },
                )
                .await
            })
            .await,
    );
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::BadUserInput, Some("name"))
    );
}

#[tokio::test]
async fn batched_reads_group_rows_by_key() {
    let world = world().await;
    let staff = world.staff;
    let one = world
        .create(
            staff,
            new_order(world.customer, vec![line(world.cab, 1), line(world.gin, 2)]),
        )
        .await
        .unwrap();
    let two = world
        .create(
            staff,
            new_order(world.other_customer, vec![line(world.gin, 3)]),
        )
        .await
        .unwrap();
    let invoiced = world.fulfilled_order(1).await;
    let invoice = world.issue(invoiced.id).await.unwrap();
    let missing = Uuid::now_v7();

    let ids = [one.order.id, two.order.id, missing];
    let lines = world
        .run(staff, async |tx| lines_of_orders(tx, &ids).await)
        .await
        .unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[&one.order.id], one.lines);
    assert_eq!(lines[&two.order.id], two.lines);

    let ids = [one.order.id, invoiced.id];
    let invoices = world
        .run(staff, async |tx| invoices_of_orders(tx, &ids).await)
        .await
        .unwrap();
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[&invoiced.id], invoice);

    // Row-level security applies: a portal user's batch holds only its own customer's rows.
    let portal = world.portal;
    let ids = [one.order.id, two.order.id];
    let seen = world
        .run(portal, async |tx| lines_of_orders(tx, &ids).await)
        .await
        .unwrap();
    assert_eq!(seen.keys().copied().collect::<Vec<_>>(), vec![one.order.id]);

    let empty = world
        .run(staff, async |tx| lines_of_orders(tx, &[]).await)
        .await
        .unwrap();
    assert!(empty.is_empty());
}

#[tokio::test]
async fn a_tenant_without_settings_gets_the_defaults_on_first_order() {
    let world = world().await;
    exec(
        &world.owner,
        "DELETE FROM tenant_settings WHERE tenant_id = $1",
        [world.tenant.into()],
    )
    .await;
    let placed = world
        .create(
            world.staff,
            new_order(world.customer, vec![line(world.cab, 1)]),
        )
        .await
        .unwrap();
    assert_eq!(placed.order.order_number, "SO-000001");
    assert_eq!(
        world
            .count("SELECT last_order_number FROM tenant_settings", [])
            .await,
        1
    );
}
