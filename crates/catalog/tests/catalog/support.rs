//! Two tenants seeded as the owner, each with a product, two SKUs, stock and a customer, and
//! builders for the services' inputs.

use leora_catalog::error::CatalogError;
use leora_catalog::service::customers::NewCustomer;
use leora_catalog::service::price_lists::PriceListEntryInput;
use leora_catalog::service::products::NewProduct;
use leora_catalog::service::skus::NewSku;
use leora_catalog::service::suppliers::NewSupplier;
use leora_compliance::entities::enums::ProductCategory;
use leora_tenancy::TenantTx;
use leora_tenancy::{AppRole, Refusal, TenantContext, TenantDb, with_tenant};
use leora_test_db::Pools;
use leora_test_db::fixtures::{create_customer, create_product, create_sku, create_tenant};
use leora_test_db::sql::{exec, scalar, stmt};
use rust_decimal::Decimal;
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection};
use std::sync::Arc;
use uuid::Uuid;

pub struct World {
    pub pools: Pools,
    pub a: Tenant,
    pub b: Tenant,
}

/// One tenant's rows: a product with a SKU (base price 20.00, 10 on hand at the main location),
/// a second SKU with no stock and no entries, and a customer in the `wholesale` tier.
#[derive(Clone, Copy)]
pub struct Tenant {
    pub id: Uuid,
    pub product: Uuid,
    pub sku: Uuid,
    pub bare_sku: Uuid,
    pub customer: Uuid,
}

pub fn app_role() -> AppRole {
    AppRole::from_env().expect("APP_DB_ROLE is valid")
}

pub async fn world() -> World {
    let pools = Pools::new().await;
    let a = seed(&pools.owner, "alpha").await;
    let b = seed(&pools.owner, "beta").await;
    World { pools, a, b }
}

async fn seed(owner: &DatabaseConnection, slug: &str) -> Tenant {
    let id = create_tenant(owner, slug).await;
    let product = create_product(owner, id, "Cabernet", "wine").await;
    let sku = create_sku(owner, id, product, "CAB-750").await;
    let bare_sku = create_sku(owner, id, product, "CAB-1500").await;
    exec(
        owner,
        "INSERT INTO inventory (tenant_id, sku_id, location, on_hand) VALUES ($1, $2, 'main', 10)",
        [id.into(), sku.into()],
    )
    .await;
    let customer = create_customer(owner, id, "ACCT-1", Some("wholesale")).await;
    Tenant {
        id,
        product,
        sku,
        bare_sku,
        customer,
    }
}

impl World {
    /// A pool of twenty connections of its own, as the server's: under contention each change
    /// holds its own connection for its whole transaction while it waits for the stock lock.
    pub async fn contention_pool(&self) -> Arc<TenantDb> {
        let mut options = ConnectOptions::new(self.pools.database.url());
        options.max_connections(20).sqlx_logging(false);
        Arc::new(TenantDb::new(
            leora_tenancy::db::connect(options).await.unwrap(),
            app_role(),
        ))
    }

    pub async fn run<T>(
        &self,
        tenant: Tenant,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, CatalogError>,
    ) -> Result<T, CatalogError> {
        with_tenant(&self.pools.db, &TenantContext::system(tenant.id), work).await
    }

    /// (on_hand, reserved) of a SKU at a location, as the owner sees it.
    pub async fn stock(&self, sku: Uuid, location: &str) -> Option<(i32, i32)> {
        let row = self
            .pools
            .owner
            .query_one_raw(stmt(
                "SELECT on_hand, reserved FROM inventory WHERE sku_id = $1 AND location = $2",
                [sku.into(), location.into()],
            ))
            .await
            .unwrap()?;
        Some((
            row.try_get_by_index(0).unwrap(),
            row.try_get_by_index(1).unwrap(),
        ))
    }

    /// Rows per catalog table, as the owner sees them.
    pub async fn row_counts(&self) -> Vec<(String, i64)> {
        let mut counts = Vec::new();
        for table in [
            "suppliers",
            "products",
            "skus",
            "customers",
            "inventory",
            "price_list_entries",
        ] {
            let sql = format!("SELECT count(*) FROM {table}");
            counts.push((table.to_owned(), scalar(&self.pools.owner, &sql, []).await));
        }
        counts
    }
}

pub fn dec(value: &str) -> Decimal {
    value.parse().unwrap()
}

#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(outcome: Result<T, CatalogError>, entity: &str) {
    match outcome {
        Err(CatalogError::Refused(Refusal::NotFound { entity: found })) => {
            assert_eq!(found, entity)
        }
        other => panic!("expected {entity} not found, got {other:?}"),
    }
}

pub fn new_sku(product: Uuid, code: &str) -> NewSku {
    NewSku {
        product_id: product,
        code: code.to_owned(),
        size_ml: 750,
        units_per_case: None,
        upc: None,
        base_price: dec("24.99"),
        unit_cost: None,
        low_stock_threshold: None,
    }
}

pub fn new_product(name: &str) -> NewProduct {
    NewProduct {
        supplier_id: None,
        name: name.to_owned(),
        brand: None,
        category: ProductCategory::Wine,
        varietal: None,
        vintage: None,
        region: None,
        country: None,
        abv: None,
        description: None,
        metadata: None,
    }
}

pub fn new_customer(account_number: &str) -> NewCustomer {
    NewCustomer {
        account_number: account_number.to_owned(),
        name: "Harborview Cellars".to_owned(),
        email: None,
        phone: None,
        license_number: None,
        license_state: None,
        license_expires_on: None,
        state: "CA".to_owned(),
        price_tier: None,
        payment_terms: None,
        credit_limit: None,
        assigned_rep_id: None,
        billing_address: None,
        shipping_address: None,
    }
}

pub fn new_supplier(name: &str) -> NewSupplier {
    NewSupplier {
        name: name.to_owned(),
        contact_name: None,
        contact_email: None,
        phone: None,
        website: None,
        country: None,
    }
}

pub fn tier_entry(sku: Uuid, tier: &str, price: &str, min_quantity: i32) -> PriceListEntryInput {
    PriceListEntryInput {
        id: None,
        sku_id: sku,
        price_tier: Some(tier.to_owned()),
        customer_id: None,
        unit_price: dec(price),
        min_quantity,
        valid_from: None,
        valid_until: None,
    }
}

pub fn customer_entry(sku: Uuid, customer: Uuid, price: &str) -> PriceListEntryInput {
    PriceListEntryInput {
        customer_id: Some(customer),
        price_tier: None,
        ..tier_entry(sku, "", price, 1)
    }
}
