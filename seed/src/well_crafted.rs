//! The Well Crafted demo tenant (its content is listed in docs/database/MIGRATION_GUIDE.md,
//! "Seeding"). Every step looks its row up by natural key first (slug, email, product name, sku
//! code, account number, idempotency key), so a second run finds everything in place and writes
//! nothing.

use crate::error::SeedError;
use chrono::{NaiveDate, Utc};
use leora_catalog::entities::{customers, products, skus};
use leora_catalog::service::customers::{NewCustomer, create_customer};
use leora_catalog::service::inventory::adjust;
use leora_catalog::service::price_lists::{PriceListEntryInput, upsert_price_list_entry};
use leora_catalog::service::products::{NewProduct, create_product};
use leora_catalog::service::skus::{NewSku, create_sku};
use leora_compliance::entities::enums::ProductCategory;
use leora_compliance::entities::state_tax_rates::{self, TaxRateKind};
use leora_compliance::service::tax_rates::{NewTaxRate, create_state_tax_rate};
use leora_identity::entities::{portal_users, users};
use leora_identity::service::admin::{NewPortalUser, NewUser, create_portal_user, create_user};
use leora_orders::entities::orders::OrderStatus;
use leora_orders::entities::payments::PaymentMethod;
use leora_orders::service::batch::invoices_of_orders;
use leora_orders::service::invoices::{self, NewPayment};
use leora_orders::service::orders::{self, NewLine, NewOrder};
use leora_tenancy::TenantTx;
use leora_tenancy::sql::stmt;
use leora_tenancy::{TenancyError, TenantContext, TenantDb, with_tenant};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

pub const SLUG: &str = "well-crafted";
pub const NAME: &str = "Well Crafted";
/// Every demo account's password; printed by the seed command and listed in the README.
pub const DEMO_PASSWORD: &str = "WellCrafted-demo-2026";
/// Finds the demo order again on every run.
pub const DEMO_ORDER_KEY: &str = "well-crafted-demo-order";

/// (email, name, role)
pub const STAFF: [(&str, &str, &str); 3] = [
    ("admin@wellcrafted.example", "Avery Admin", "admin"),
    (
        "manager@wellcrafted.example",
        "Morgan Manager",
        "sales_manager",
    ),
    ("rep@wellcrafted.example", "Riley Rep", "sales_rep"),
];

struct Wine {
    name: &'static str,
    brand: &'static str,
    varietal: &'static str,
    vintage: i32,
    region: &'static str,
    sku: &'static str,
    base_price: Decimal,
    wholesale_price: Decimal,
    unit_cost: Decimal,
    on_hand: i32,
}

fn wines() -> [Wine; 3] {
    [
        Wine {
            name: "Cabernet Sauvignon",
            brand: "Well Crafted Cellars",
            varietal: "Cabernet Sauvignon",
            vintage: 2021,
            region: "Napa Valley",
            sku: "WC-CAB-750",
            base_price: Decimal::new(2400, 2),
            wholesale_price: Decimal::new(2100, 2),
            unit_cost: Decimal::new(1150, 2),
            on_hand: 240,
        },
        Wine {
            name: "Chardonnay",
            brand: "Well Crafted Cellars",
            varietal: "Chardonnay",
            vintage: 2022,
            region: "Sonoma Coast",
            sku: "WC-CHA-750",
            base_price: Decimal::new(1800, 2),
            wholesale_price: Decimal::new(1600, 2),
            unit_cost: Decimal::new(850, 2),
            on_hand: 180,
        },
        Wine {
            name: "Pinot Noir",
            brand: "Well Crafted Cellars",
            varietal: "Pinot Noir",
            vintage: 2021,
            region: "Willamette Valley",
            sku: "WC-PIN-750",
            base_price: Decimal::new(2800, 2),
            wholesale_price: Decimal::new(2500, 2),
            unit_cost: Decimal::new(1400, 2),
            on_hand: 120,
        },
    ]
}

/// (account number, name, state, portal user email, portal user name)
pub const CUSTOMERS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "WC-1001",
        "Harborview Cellars",
        "CA",
        "buyer@harborviewcellars.example",
        "Harper Buyer",
    ),
    (
        "WC-1002",
        "Downtown Wine",
        "CA",
        "buyer@downtownwine.example",
        "Dana Buyer",
    ),
    (
        "WC-1003",
        "Vineyard Market",
        "CA",
        "buyer@vineyardmarket.example",
        "Vic Buyer",
    ),
];

/// What the seed made or found, for the command to print.
#[derive(Debug, Clone)]
pub struct SeedReport {
    pub tenant_id: Uuid,
    pub created_tenant: bool,
}

/// Creates the tenant when missing, through `owner`; then its catalogue, staff and customers in
/// one transaction as the system, and the demo order in another as its sales rep, who places it.
pub async fn seed(owner: &DatabaseConnection, db: &TenantDb) -> Result<SeedReport, SeedError> {
    let (tenant_id, created_tenant) = match db.tenant_id_for_slug(SLUG).await {
        Ok(id) => (id, false),
        Err(TenancyError::TenantNotFound { .. }) => (create_tenant(owner, SLUG, NAME).await?, true),
        Err(other) => return Err(other.into()),
    };
    let demo = with_tenant(db, &TenantContext::system(tenant_id), async |tx| {
        fill(tx).await
    })
    .await?;
    if let Some(demo) = demo {
        let rep = TenantContext::user(tenant_id, demo.rep_id);
        with_tenant(db, &rep, async |tx| {
            ensure_demo_order(tx, demo.customer_id, &demo.sku_ids).await
        })
        .await?;
    }
    Ok(SeedReport {
        tenant_id,
        created_tenant,
    })
}

/// Creates a tenant and its settings in one transaction on `owner`, a connection whose role is
/// past row-level security (the migration role or a superuser): the application role may only read
/// its own tenant's row, so creating a tenant is never something a request can do.
pub(crate) async fn create_tenant(
    owner: &DatabaseConnection,
    slug: &str,
    name: &str,
) -> Result<Uuid, SeedError> {
    let id = Uuid::now_v7();
    let tx = owner.begin().await?;
    tx.execute_raw(stmt(
        "INSERT INTO tenants (id, slug, name, subscription_tier) VALUES ($1, $2, $3, 'enterprise')",
        [id.into(), slug.into(), name.into()],
    ))
    .await?;
    // The demo tenant runs on the default settings: the column defaults of `tenant_settings`
    // (docs/domain-rules.md, "Tenant settings").
    tx.execute_raw(stmt(
        "INSERT INTO tenant_settings (tenant_id) VALUES ($1)",
        [id.into()],
    ))
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Who places the demo order, for which customer, of which SKUs.
struct DemoOrder {
    rep_id: Uuid,
    customer_id: Uuid,
    sku_ids: Vec<Uuid>,
}

async fn fill(tx: &TenantTx) -> Result<Option<DemoOrder>, SeedError> {
    let mut rep_id = None;
    // The rep reports to the manager, who so sees (and works) the rep's accounts.
    let mut manager_id = None;
    for (email, name, role) in STAFF {
        let user = match users::Entity::find()
            .filter(users::Column::Email.eq(email))
            .one(tx)
            .await?
        {
            Some(user) => user,
            None => {
                let input = NewUser {
                    email: email.into(),
                    full_name: name.into(),
                    password: DEMO_PASSWORD.into(),
                    roles: vec![role.into()],
                    manager_id: if role == "sales_rep" {
                        manager_id
                    } else {
                        None
                    },
                };
                create_user(tx, input).await?
            }
        };
        match role {
            "sales_rep" => rep_id = Some(user.id),
            "sales_manager" => manager_id = Some(user.id),
            _ => {}
        }
    }
    ensure_tax_rate(tx).await?;
    let mut sku_ids = Vec::new();
    for wine in wines() {
        sku_ids.push(ensure_wine(tx, &wine).await?);
    }
    let mut customer_ids = Vec::new();
    for (account, name, state, buyer_email, buyer_name) in CUSTOMERS {
        let customer = ensure_customer(tx, account, name, state, rep_id).await?;
        ensure_portal_user(tx, customer.id, buyer_email, buyer_name).await?;
        customer_ids.push(customer.id);
    }
    Ok(match (customer_ids.first(), rep_id) {
        (Some(harborview), Some(rep_id)) => Some(DemoOrder {
            rep_id,
            customer_id: *harborview,
            sku_ids,
        }),
        _ => None,
    })
}

/// Harborview's delivered two-line order and its paid invoice. The idempotency key finds the
/// order again; each later step runs only while the order or invoice still needs it.
async fn ensure_demo_order(
    tx: &TenantTx,
    customer_id: Uuid,
    sku_ids: &[Uuid],
) -> Result<(), SeedError> {
    let lines = sku_ids
        .iter()
        .take(2)
        .zip([12, 6])
        .map(|(sku_id, quantity)| NewLine {
            sku_id: *sku_id,
            quantity,
            discount: None,
            is_sample: false,
        })
        .collect();
    let order = NewOrder {
        customer_id,
        lines,
        requested_delivery_date: None,
        idempotency_key: Some(DEMO_ORDER_KEY.into()),
        notes: Some("Demo order from the seed".into()),
        submit: true,
    };
    let mut order = orders::create_order(tx, order).await?.order;
    loop {
        order = match order.status {
            OrderStatus::Submitted => orders::confirm_order(tx, order.id).await?,
            OrderStatus::Confirmed => orders::fulfill_order(tx, order.id).await?,
            OrderStatus::Fulfilled => orders::deliver_order(tx, order.id).await?,
            _ => break,
        };
    }
    let invoice = match invoices_of_orders(tx, &[order.id]).await?.remove(&order.id) {
        Some(invoice) => invoice,
        None => invoices::issue_invoice(tx, order.id).await?,
    };
    if invoice.balance > Decimal::ZERO {
        let payment = NewPayment {
            amount: invoice.balance,
            method: PaymentMethod::Ach,
            reference: Some("SEED-ACH-0001".into()),
            received_at: None,
        };
        invoices::record_payment(tx, invoice.id, payment).await?;
    }
    Ok(())
}

async fn ensure_tax_rate(tx: &TenantTx) -> Result<(), SeedError> {
    let existing = state_tax_rates::Entity::find()
        .filter(state_tax_rates::Column::State.eq("CA"))
        .filter(state_tax_rates::Column::ProductCategory.eq(ProductCategory::Wine))
        .one(tx)
        .await?;
    if existing.is_none() {
        // California's wine excise: $0.20 per gallon.
        let rate = NewTaxRate {
            state: "CA".into(),
            category: ProductCategory::Wine,
            kind: TaxRateKind::PerGallon,
            rate: Decimal::new(20, 2),
            effective_from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
            effective_until: None,
        };
        create_state_tax_rate(tx, rate).await?;
    }
    Ok(())
}

/// The wine's product, its 750 ml SKU, stock and wholesale tier price; returns the SKU id.
async fn ensure_wine(tx: &TenantTx, wine: &Wine) -> Result<Uuid, SeedError> {
    if let Some(sku) = skus::Entity::find()
        .filter(skus::Column::Code.eq(wine.sku))
        .one(tx)
        .await?
    {
        return Ok(sku.id);
    }
    let product = match products::Entity::find()
        .filter(products::Column::Name.eq(wine.name))
        .one(tx)
        .await?
    {
        Some(product) => product,
        None => {
            let input = NewProduct {
                supplier_id: None,
                name: wine.name.into(),
                brand: Some(wine.brand.into()),
                category: ProductCategory::Wine,
                varietal: Some(wine.varietal.into()),
                vintage: Some(wine.vintage),
                region: Some(wine.region.into()),
                country: Some("USA".into()),
                abv: Some(Decimal::new(1350, 2)),
                description: Some(format!(
                    "{} {} from the {}.",
                    wine.vintage, wine.varietal, wine.region
                )),
                metadata: None,
            };
            create_product(tx, input).await?
        }
    };
    let sku = create_sku(
        tx,
        NewSku {
            product_id: product.id,
            code: wine.sku.into(),
            size_ml: 750,
            units_per_case: Some(12),
            upc: None,
            base_price: wine.base_price,
            unit_cost: Some(wine.unit_cost),
            low_stock_threshold: None,
        },
    )
    .await?;
    adjust(tx, sku.id, "main", wine.on_hand, "initial stock (seed)").await?;
    let entry = PriceListEntryInput {
        id: None,
        sku_id: sku.id,
        price_tier: Some("wholesale".into()),
        customer_id: None,
        unit_price: wine.wholesale_price,
        min_quantity: 1,
        valid_from: Some(Utc::now() - chrono::Duration::days(365)),
        valid_until: None,
    };
    upsert_price_list_entry(tx, entry).await?;
    Ok(sku.id)
}

async fn ensure_customer(
    tx: &TenantTx,
    account_number: &str,
    name: &str,
    state: &str,
    rep_id: Option<Uuid>,
) -> Result<customers::Model, SeedError> {
    if let Some(customer) = customers::Entity::find()
        .filter(customers::Column::AccountNumber.eq(account_number))
        .one(tx)
        .await?
    {
        return Ok(customer);
    }
    let input = NewCustomer {
        account_number: account_number.into(),
        name: name.into(),
        email: None,
        phone: None,
        license_number: Some(format!("{state}-ABC-{account_number}")),
        license_state: Some(state.into()),
        license_expires_on: Some(Utc::now().date_naive() + chrono::Duration::days(400)),
        state: state.into(),
        price_tier: Some("wholesale".into()),
        payment_terms: None,
        credit_limit: Some(Decimal::new(2_500_000, 2)),
        assigned_rep_id: rep_id,
        billing_address: None,
        shipping_address: None,
    };
    Ok(create_customer(tx, input).await?)
}

async fn ensure_portal_user(
    tx: &TenantTx,
    customer_id: Uuid,
    email: &str,
    name: &str,
) -> Result<(), SeedError> {
    if portal_users::Entity::find()
        .filter(portal_users::Column::Email.eq(email))
        .one(tx)
        .await?
        .is_none()
    {
        let input = NewPortalUser {
            customer_id,
            email: email.into(),
            full_name: name.into(),
            password: DEMO_PASSWORD.into(),
            roles: vec!["portal_admin".into()],
        };
        create_portal_user(tx, input).await?;
    }
    Ok(())
}
