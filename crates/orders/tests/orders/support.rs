//! A tenant with staff, a portal user, customers and SKUs seeded as the owner, and the world's
//! ways to order, invoice and shop as the services' callers do.

use leora_orders::entities::orders;
use leora_orders::entities::payments::PaymentMethod;
use leora_orders::error::OrdersError;
use leora_orders::service::carts::{Checkout, add_to_cart, checkout_cart};
use leora_orders::service::invoices::{
    NewPayment, NewRefund, RecordedPayment, RefundedPayment, issue_invoice, record_payment,
    refund_payment,
};
use leora_orders::service::lifecycle::Action;
use leora_orders::service::orders::{
    NewLine, NewOrder, OrderWithLines, cancel_order, confirm_order, create_order, deliver_order,
    fulfill_order, submit_order,
};
use leora_tenancy::TenantTx;
use leora_tenancy::{ApiError, AppRole, ErrorCode, TenantContext, TenantDb, with_tenant};
use leora_test_db::TestDatabase;
use leora_test_db::fixtures::{
    create_customer, create_product, create_tenant, create_user, grant_role,
};
use leora_test_db::sql::{exec, scalar, stmt};
use rust_decimal::Decimal;
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, Value};
use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::time::Duration;
use uuid::Uuid;

/// The concurrency tests each hold twenty-odd connections; run one at a time so the suite stays
/// within the server's connection limit alongside the other tests.
pub static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Enough connections for twenty concurrent transactions.
const POOL_SIZE: u32 = 25;

pub struct World {
    _database: TestDatabase,
    pub owner: DatabaseConnection,
    pub db: TenantDb,
    pub tenant: Uuid,
    /// A sales rep.
    pub staff: TenantContext,
    /// A sales manager, the rep's.
    pub manager: TenantContext,
    /// A portal user of `customer`.
    pub portal: TenantContext,
    pub portal_user: Uuid,
    /// In CA, `wholesale` tier, net 30.
    pub customer: Uuid,
    /// In CA, no tier.
    pub other_customer: Uuid,
    pub inactive_customer: Uuid,
    /// Another tenant's customer.
    pub foreign_customer: Uuid,
    /// Wine, 750 ml, base 20.00, tier price 18.00, 100 on hand.
    pub cab: Uuid,
    pub tier_entry: Uuid,
    /// Spirits (no CA rate), 750 ml, base 30.00, customer price 27.50, 100 on hand.
    pub gin: Uuid,
    pub customer_entry: Uuid,
    /// Wine, base 50.00, 10 on hand.
    pub scarce: Uuid,
    /// Discontinued, 100 on hand.
    pub retired: Uuid,
}

pub fn d(value: &str) -> Decimal {
    value.parse().unwrap()
}

pub async fn world() -> World {
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

    let tenant = create_tenant(&owner, "acme").await;
    exec(
        &owner,
        "INSERT INTO tenant_settings (tenant_id) VALUES ($1)",
        [tenant.into()],
    )
    .await;
    let manager = create_user(&owner, tenant, "manager@acme.test", "Manager", None).await;
    grant_role(&owner, tenant, manager, "sales_manager").await;
    let rep = create_user(&owner, tenant, "rep@acme.test", "Rep", Some(manager)).await;
    grant_role(&owner, tenant, rep, "sales_rep").await;
    let customer = create_customer(&owner, tenant, "C-1", Some("wholesale")).await;
    let other_customer = create_customer(&owner, tenant, "C-2", None).await;
    let inactive_customer = create_customer(&owner, tenant, "C-3", None).await;
    exec(
        &owner,
        "UPDATE customers SET status = 'inactive' WHERE id = $1",
        [inactive_customer.into()],
    )
    .await;
    // The rep's accounts, so the rep (and their manager) may work them.
    exec(
        &owner,
        "UPDATE customers SET assigned_rep_id = $2 WHERE tenant_id = $1",
        [tenant.into(), rep.into()],
    )
    .await;

    let beta = create_tenant(&owner, "beta").await;
    let foreign_customer = create_customer(&owner, beta, "B-1", None).await;

    let wine = create_product(&owner, tenant, "Cabernet", "wine").await;
    let spirits = create_product(&owner, tenant, "Gin", "spirits").await;
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
        manager: TenantContext::user(tenant, manager),
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

pub async fn insert_portal_user(
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

pub fn line(sku_id: Uuid, quantity: i32) -> NewLine {
    NewLine {
        sku_id,
        quantity,
        discount: None,
        is_sample: false,
    }
}

pub fn new_order(customer_id: Uuid, lines: Vec<NewLine>) -> NewOrder {
    NewOrder {
        customer_id,
        lines,
        requested_delivery_date: None,
        idempotency_key: None,
        notes: None,
        submit: false,
    }
}

pub fn submitted(customer_id: Uuid, lines: Vec<NewLine>) -> NewOrder {
    NewOrder {
        submit: true,
        ..new_order(customer_id, lines)
    }
}

pub fn code_and_field<T: std::fmt::Debug>(
    result: Result<T, OrdersError>,
) -> (ErrorCode, Option<String>) {
    let error = result.unwrap_err();
    (error.code(), error.field().map(str::to_owned))
}

/// The refusal among concurrent `outcomes` of which exactly one succeeded (a double submission).
pub fn the_one_refused<T: std::fmt::Debug>(
    outcomes: Vec<Result<T, OrdersError>>,
) -> Result<T, OrdersError> {
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    outcomes.into_iter().find(Result::is_err).unwrap()
}

impl World {
    pub fn staff_user_id(&self) -> Option<Uuid> {
        match self.staff.principal() {
            leora_tenancy::Principal::User { user_id } => Some(user_id),
            _ => None,
        }
    }

    pub async fn run<T>(
        &self,
        ctx: TenantContext,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, OrdersError>,
    ) -> Result<T, OrdersError> {
        with_tenant(&self.db, &ctx, work).await
    }

    pub async fn create(
        &self,
        ctx: TenantContext,
        input: NewOrder,
    ) -> Result<OrderWithLines, OrdersError> {
        self.run(ctx, async |tx| create_order(tx, input).await)
            .await
    }

    pub async fn act(
        &self,
        ctx: TenantContext,
        action: Action,
        order_id: Uuid,
    ) -> Result<orders::Model, OrdersError> {
        self.run(ctx, async |tx| match action {
            Action::Submit => submit_order(tx, order_id).await,
            Action::Confirm => confirm_order(tx, order_id).await,
            Action::Fulfill => fulfill_order(tx, order_id).await,
            Action::Deliver => deliver_order(tx, order_id).await,
            Action::Cancel => cancel_order(tx, order_id).await,
        })
        .await
    }

    /// (on hand, reserved) of a SKU at the main location.
    pub async fn stock(&self, sku: Uuid) -> (i32, i32) {
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

    pub async fn count(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> i64 {
        scalar(&self.owner, sql, values).await
    }

    pub async fn events(&self, event_type: &str) -> Vec<Json> {
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

    pub async fn order_numbers(&self) -> BTreeSet<String> {
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
    pub async fn fulfilled_order(&self, quantity: i32) -> orders::Model {
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

    pub async fn issue(
        &self,
        order_id: Uuid,
    ) -> Result<leora_orders::entities::invoices::Model, OrdersError> {
        let ctx = self.staff;
        self.run(ctx, async |tx| issue_invoice(tx, order_id).await)
            .await
    }

    pub async fn pay(
        &self,
        invoice_id: Uuid,
        amount: &str,
    ) -> Result<RecordedPayment, OrdersError> {
        let ctx = self.staff;
        let payment = NewPayment {
            amount: d(amount),
            method: PaymentMethod::Ach,
            reference: Some("ACH-1".into()),
            received_at: None,
        };
        self.run(ctx, async |tx| {
            record_payment(tx, invoice_id, payment).await
        })
        .await
    }

    /// Refunds `amount` of a payment as `ctx`.
    pub async fn refund_as(
        &self,
        ctx: TenantContext,
        payment_id: Uuid,
        amount: &str,
        reason: &str,
    ) -> Result<RefundedPayment, OrdersError> {
        let refund = NewRefund {
            amount: d(amount),
            reason: reason.to_owned(),
        };
        self.run(ctx, async |tx| refund_payment(tx, payment_id, refund).await)
            .await
    }

    /// Refunds `amount` of a payment as staff.
    pub async fn refund(
        &self,
        payment_id: Uuid,
        amount: &str,
        reason: &str,
    ) -> Result<RefundedPayment, OrdersError> {
        self.refund_as(self.staff, payment_id, amount, reason).await
    }

    pub async fn add(
        &self,
        ctx: TenantContext,
        sku: Uuid,
        quantity: i32,
    ) -> Result<Uuid, OrdersError> {
        self.run(ctx, async |tx| add_to_cart(tx, sku, quantity).await)
            .await
            .map(|cart| cart.id)
    }

    pub async fn checkout(
        &self,
        ctx: TenantContext,
        key: Option<&str>,
    ) -> Result<OrderWithLines, OrdersError> {
        let input = Checkout {
            idempotency_key: key.map(str::to_owned),
            ..Checkout::default()
        };
        self.run(ctx, async |tx| checkout_cart(tx, input).await)
            .await
    }
}
