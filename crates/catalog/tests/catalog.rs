//! Catalog services on a real PostgreSQL, through tenant transactions as the application role;
//! fixtures are written and results read back as the owner, bypassing the services.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use leora_test_db::sql::{exec, insert, stmt};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use leora_catalog::entities::customers::CustomerStatus;
use leora_catalog::entities::enums::ProductStatus;
use leora_catalog::error::CatalogError;
use leora_catalog::service::customers::{
    CustomerChanges, NewCustomer, create_customer, deactivate_customer, update_customer,
};
use leora_catalog::service::inventory::{
    Availability, MAIN_LOCATION, adjust, availability, consume, release, reserve,
};
use leora_catalog::service::price_lists::{
    PriceListEntryInput, delete_price_list_entry, upsert_price_list_entry,
};
use leora_catalog::service::pricing::{PriceSource, quote, quote_many};
use leora_catalog::service::products::{
    NewProduct, ProductChanges, create_product, deactivate_product, update_product,
};
use leora_catalog::service::skus::{NewSku, SkuChanges, create_sku, deactivate_sku, update_sku};
use leora_catalog::service::suppliers::{
    NewSupplier, SupplierChanges, create_supplier, deactivate_supplier, update_supplier,
};
use leora_compliance::entities::enums::ProductCategory;
use leora_tenancy::{ApiError, AppRole, ErrorCode, TenantContext, TenantDb, with_tenant};
use leora_test_db::TestDatabase;
use rust_decimal::Decimal;
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseTransaction};
use uuid::Uuid;

// ───────────────────────────── fixtures ─────────────────────────────

struct World {
    database: TestDatabase,
    owner: DatabaseConnection,
    db: TenantDb,
    a: Tenant,
    b: Tenant,
}

/// One tenant's rows: a product with a SKU (base price 20.00, 10 on hand at the main location),
/// a second SKU with no stock and no entries, and a customer in the `wholesale` tier.
#[derive(Clone, Copy)]
struct Tenant {
    id: Uuid,
    product: Uuid,
    sku: Uuid,
    bare_sku: Uuid,
    customer: Uuid,
}

fn app_role() -> AppRole {
    AppRole::from_env().expect("APP_DB_ROLE is valid")
}

async fn world() -> World {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let db = TenantDb::new(database.connect().await, app_role());
    let a = seed(&owner, "alpha").await;
    let b = seed(&owner, "beta").await;
    World {
        database,
        owner,
        db,
        a,
        b,
    }
}

async fn seed(owner: &DatabaseConnection, slug: &str) -> Tenant {
    let id = insert(
        owner,
        "INSERT INTO tenants (slug, name) VALUES ($1, $1) RETURNING id",
        [slug.into()],
    )
    .await;
    let product = insert(
        owner,
        "INSERT INTO products (tenant_id, name, category) VALUES ($1, 'Cabernet', 'wine') RETURNING id",
        [id.into()],
    )
    .await;
    let sku_sql = "INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price)
                   VALUES ($1, $2, $3, 750, 20.00) RETURNING id";
    let sku = insert(
        owner,
        sku_sql,
        [id.into(), product.into(), "CAB-750".into()],
    )
    .await;
    let bare_sku = insert(
        owner,
        sku_sql,
        [id.into(), product.into(), "CAB-1500".into()],
    )
    .await;
    exec(
        owner,
        "INSERT INTO inventory (tenant_id, sku_id, location, on_hand) VALUES ($1, $2, 'main', 10)",
        [id.into(), sku.into()],
    )
    .await;
    let customer = insert_customer(owner, id, "ACCT-1", Some("wholesale")).await;
    Tenant {
        id,
        product,
        sku,
        bare_sku,
        customer,
    }
}

async fn insert_customer(
    owner: &DatabaseConnection,
    tenant: Uuid,
    account_number: &str,
    tier: Option<&str>,
) -> Uuid {
    insert(
        owner,
        "INSERT INTO customers (tenant_id, account_number, name, state, price_tier)
         VALUES ($1, $2, $2, 'CA', $3) RETURNING id",
        [tenant.into(), account_number.into(), tier.into()],
    )
    .await
}

impl World {
    async fn run<T>(
        &self,
        tenant: Tenant,
        work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, CatalogError>,
    ) -> Result<T, CatalogError> {
        with_tenant(&self.db, &TenantContext::system(tenant.id), work).await
    }

    /// (on_hand, reserved) of a SKU at a location, as the owner sees it.
    async fn stock(&self, sku: Uuid, location: &str) -> Option<(i32, i32)> {
        let row = self
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
    async fn row_counts(&self) -> Vec<(String, i64)> {
        let mut counts = Vec::new();
        for table in [
            "suppliers",
            "products",
            "skus",
            "customers",
            "inventory",
            "price_list_entries",
        ] {
            let row = self
                .owner
                .query_one_raw(stmt(&format!("SELECT count(*) FROM {table}"), []))
                .await
                .unwrap()
                .unwrap();
            counts.push((table.to_owned(), row.try_get_by_index(0).unwrap()));
        }
        counts
    }
}

fn dec(value: &str) -> Decimal {
    value.parse().unwrap()
}

#[track_caller]
fn assert_code<T: std::fmt::Debug>(
    outcome: Result<T, CatalogError>,
    code: ErrorCode,
    field: Option<&str>,
) -> CatalogError {
    let error = outcome.expect_err("expected an error");
    assert_eq!((error.code(), error.field()), (code, field), "{error}");
    error
}

#[track_caller]
fn assert_not_found<T: std::fmt::Debug>(outcome: Result<T, CatalogError>, entity: &str) {
    match outcome {
        Err(CatalogError::NotFound { entity: found }) => assert_eq!(found, entity),
        other => panic!("expected {entity} not found, got {other:?}"),
    }
}

fn new_sku(product: Uuid, code: &str) -> NewSku {
    NewSku {
        product_id: product,
        code: code.to_owned(),
        size_ml: 750,
        units_per_case: None,
        upc: None,
        base_price: dec("24.99"),
        unit_cost: None,
    }
}

fn new_product(name: &str) -> NewProduct {
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

fn new_customer(account_number: &str) -> NewCustomer {
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

fn new_supplier(name: &str) -> NewSupplier {
    NewSupplier {
        name: name.to_owned(),
        contact_name: None,
        contact_email: None,
        phone: None,
        website: None,
        country: None,
    }
}

fn tier_entry(sku: Uuid, tier: &str, price: &str, min_quantity: i32) -> PriceListEntryInput {
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

fn customer_entry(sku: Uuid, customer: Uuid, price: &str) -> PriceListEntryInput {
    PriceListEntryInput {
        customer_id: Some(customer),
        price_tier: None,
        ..tier_entry(sku, "", price, 1)
    }
}

// ───────────────────────────── inventory ─────────────────────────────

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_orders_for_ten_units_reserve_exactly_ten() {
    let world = world().await;
    // Each order holds its own connection for its whole transaction, so the pool must let many
    // of them wait on the row lock at once.
    let mut options = ConnectOptions::new(world.database.url());
    options.max_connections(20).sqlx_logging(false);
    let db = Arc::new(TenantDb::new(
        leora_tenancy::db::connect(options).await.unwrap(),
        app_role(),
    ));
    let ctx = TenantContext::system(world.a.id);
    let sku = world.a.sku;
    let start = Arc::new(tokio::sync::Barrier::new(50));

    let mut orders = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (db, start) = (db.clone(), start.clone());
        orders.spawn(async move {
            start.wait().await;
            with_tenant(&db, &ctx, async |tx| reserve(tx, sku, 1).await).await
        });
    }
    let (mut reserved, mut refused) = (0, 0);
    while let Some(outcome) = orders.join_next().await {
        match outcome.unwrap() {
            Ok(_) => reserved += 1,
            Err(CatalogError::InsufficientInventory {
                sku_id,
                requested,
                available,
                ..
            }) => {
                assert_eq!((sku_id, requested, available), (sku, 1, 0));
                refused += 1;
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    }

    assert_eq!((reserved, refused), (10, 40));
    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((10, 10)));
}

#[tokio::test]
async fn reserve_release_and_consume_move_stock_exactly() {
    let world = world().await;
    let (t, sku) = (world.a, world.a.sku);
    let step = async |work: &str, quantity: i32| {
        world
            .run(t, async |tx| match work {
                "reserve" => reserve(tx, sku, quantity).await,
                "release" => release(tx, sku, quantity).await,
                _ => consume(tx, sku, quantity).await,
            })
            .await
            .map(|row| (row.on_hand, row.reserved))
    };

    assert_eq!(step("reserve", 3).await.unwrap(), (10, 3));
    assert_eq!(step("reserve", 7).await.unwrap(), (10, 10));
    let error = assert_code(
        step("reserve", 1).await,
        ErrorCode::InsufficientInventory,
        None,
    );
    assert_eq!(
        error.to_string(),
        "insufficient inventory for sku CAB-750: 1 requested, 0 available"
    );
    assert_eq!(step("release", 2).await.unwrap(), (10, 8));
    assert_eq!(step("consume", 5).await.unwrap(), (5, 3));
    assert_code(
        step("release", 4).await,
        ErrorCode::Conflict,
        Some("quantity"),
    );
    assert_code(
        step("consume", 4).await,
        ErrorCode::Conflict,
        Some("quantity"),
    );
    assert_code(
        step("reserve", 0).await,
        ErrorCode::BadUserInput,
        Some("quantity"),
    );
    assert_eq!(step("reserve", 2).await.unwrap(), (5, 5));
    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((5, 5)));

    // A SKU without any stock row has nothing available; an unknown SKU is not found.
    let bare = world
        .run(t, async |tx| reserve(tx, world.a.bare_sku, 1).await)
        .await;
    match bare {
        Err(CatalogError::InsufficientInventory {
            sku_code,
            available,
            ..
        }) => assert_eq!((sku_code.as_str(), available), ("CAB-1500", 0)),
        other => panic!("expected insufficient inventory, got {other:?}"),
    }
    assert_not_found(
        world
            .run(t, async |tx| reserve(tx, Uuid::now_v7(), 1).await)
            .await,
        "sku",
    );
}

#[tokio::test]
async fn an_adjustment_below_reserved_is_refused_and_changes_nothing() {
    let world = world().await;
    let (t, sku) = (world.a, world.a.sku);
    world
        .run(t, async |tx| reserve(tx, sku, 6).await)
        .await
        .unwrap();

    let refused = world
        .run(t, async |tx| {
            adjust(tx, sku, MAIN_LOCATION, -5, "breakage").await
        })
        .await;
    let error = assert_code(refused, ErrorCode::BadUserInput, Some("delta"));
    assert!(error.to_string().contains("at most 4"), "{error}");
    assert_eq!(world.stock(sku, MAIN_LOCATION).await, Some((10, 6)));

    let row = world
        .run(t, async |tx| {
            adjust(tx, sku, MAIN_LOCATION, -4, "breakage").await
        })
        .await
        .unwrap();
    assert_eq!((row.on_hand, row.reserved), (6, 6));
}

#[tokio::test]
async fn adjustments_create_locations_and_availability_sums_them() {
    let world = world().await;
    let (t, sku) = (world.a, world.a.sku);
    let row = world
        .run(t, async |tx| {
            adjust(tx, sku, " cellar ", 5, "delivery").await
        })
        .await
        .unwrap();
    assert_eq!(
        (row.location.as_str(), row.on_hand, row.reserved),
        ("cellar", 5, 0)
    );
    world
        .run(t, async |tx| adjust(tx, sku, "cellar", 2, "count").await)
        .await
        .unwrap();
    world
        .run(t, async |tx| reserve(tx, sku, 4).await)
        .await
        .unwrap();

    for (location, delta, reason, field) in [
        ("cellar", 1, "  ", "reason"),
        ("cellar", 0, "count", "delta"),
        ("", 1, "count", "location"),
        // No stock there to take away.
        ("annex", -1, "count", "delta"),
    ] {
        let outcome = world
            .run(t, async |tx| adjust(tx, sku, location, delta, reason).await)
            .await;
        assert_code(outcome, ErrorCode::BadUserInput, Some(field));
    }
    assert_eq!(world.stock(sku, "annex").await, None);

    let unknown = Uuid::now_v7();
    let found = world
        .run(t, async |tx| {
            availability(tx, &[sku, world.a.bare_sku, unknown]).await
        })
        .await
        .unwrap();
    assert_eq!(
        found[&sku],
        Availability {
            on_hand: 17,
            reserved: 4,
            available: 13
        }
    );
    assert_eq!(found[&world.a.bare_sku], Availability::default());
    assert_eq!(found[&unknown], Availability::default());
}

// ───────────────────────────── pricing ─────────────────────────────

#[tokio::test]
async fn quotes_prefer_the_customer_entry_then_the_tier_then_the_base_price() {
    let world = world().await;
    let t = world.a;
    let sku = t.sku;
    let own_customer = t.customer;
    let tier_customer = insert_customer(&world.owner, t.id, "ACCT-2", Some("wholesale")).await;
    let no_tier = insert_customer(&world.owner, t.id, "ACCT-3", None).await;
    let (tier_1, tier_12, own) = world
        .run(t, async |tx| {
            let add = async |input| {
                Ok::<_, CatalogError>(upsert_price_list_entry(tx, t.id, input).await?.id)
            };
            let tier_1 = add(tier_entry(sku, "wholesale", "18.00", 1)).await?;
            let tier_12 = add(tier_entry(sku, "wholesale", "16.00", 12)).await?;
            let own = add(customer_entry(sku, own_customer, "17.00")).await?;
            // Cheaper, but another tier's, or expired.
            add(tier_entry(sku, "retail", "9.00", 1)).await?;
            add(PriceListEntryInput {
                valid_from: Some(Utc::now() - Duration::days(30)),
                valid_until: Some(Utc::now() - Duration::days(1)),
                ..customer_entry(sku, no_tier, "5.00")
            })
            .await?;
            Ok((tier_1, tier_12, own))
        })
        .await
        .unwrap();

    let price = async |customer: Uuid, quantity: i32| {
        let quote = world
            .run(t, async |tx| {
                quote(tx, customer, sku, quantity, Utc::now()).await
            })
            .await
            .unwrap();
        (quote.unit_price, quote.rule, quote.entry_id)
    };
    use PriceSource::{BasePrice, CustomerPrice, PriceTier};
    assert_eq!(
        price(own_customer, 1).await,
        (dec("17.00"), CustomerPrice, Some(own))
    );
    assert_eq!(
        price(own_customer, 12).await,
        (dec("17.00"), CustomerPrice, Some(own)),
        "the customer's own price stands even where the tier breaks lower"
    );
    assert_eq!(
        price(tier_customer, 11).await,
        (dec("18.00"), PriceTier, Some(tier_1))
    );
    assert_eq!(
        price(tier_customer, 12).await,
        (dec("16.00"), PriceTier, Some(tier_12))
    );
    assert_eq!(price(no_tier, 1).await, (dec("20.00"), BasePrice, None));
}

#[tokio::test]
async fn quote_many_prices_any_number_of_skus_in_three_statements() {
    let world = world().await;
    let t = world.a;
    let statements = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut pool = world.database.connect().await;
    let log = statements.clone();
    pool.set_metric_callback(move |info| log.lock().unwrap().push(info.statement.sql.clone()));
    let db = TenantDb::new(pool, app_role());

    let mut skus = vec![t.sku, t.bare_sku];
    for n in 0..6 {
        skus.push(
            insert(
                &world.owner,
                "INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price)
                 VALUES ($1, $2, $3, 750, 30.00) RETURNING id",
                [t.id.into(), t.product.into(), format!("EXTRA-{n}").into()],
            )
            .await,
        );
        exec(
            &world.owner,
            "INSERT INTO price_list_entries (tenant_id, sku_id, price_tier, unit_price)
             VALUES ($1, $2, 'wholesale', 25.00)",
            [t.id.into(), skus[skus.len() - 1].into()],
        )
        .await;
    }

    let mut counts = Vec::new();
    for size in [1, skus.len()] {
        let items: Vec<(Uuid, i32)> = skus[..size].iter().map(|sku| (*sku, 6)).collect();
        let quotes = with_tenant(&db, &TenantContext::system(t.id), async |tx| {
            statements.lock().unwrap().clear();
            let quotes = quote_many(tx, t.customer, &items, Utc::now()).await?;
            counts.push(statements.lock().unwrap().len());
            Ok::<_, CatalogError>(quotes)
        })
        .await
        .unwrap();
        assert_eq!(quotes.len(), size);
        if size > 2 {
            assert_eq!(quotes[&t.bare_sku].rule, PriceSource::BasePrice);
            assert_eq!(quotes[&skus[2]].unit_price, dec("25.00"));
        }
    }
    assert_eq!(counts, [3, 3], "customer, skus, entries");
}

#[tokio::test]
async fn quotes_refuse_unknown_rows_bad_quantities_and_repeated_skus() {
    let world = world().await;
    let (a, b) = (world.a, world.b);
    let now = Utc::now();
    assert_not_found(
        world
            .run(a, async |tx| quote(tx, a.customer, b.sku, 1, now).await)
            .await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| quote(tx, b.customer, a.sku, 1, now).await)
            .await,
        "customer",
    );
    assert_code(
        world
            .run(a, async |tx| quote(tx, a.customer, a.sku, 0, now).await)
            .await,
        ErrorCode::BadUserInput,
        Some("quantity"),
    );
    assert_code(
        world
            .run(a, async |tx| {
                quote_many(tx, a.customer, &[(a.sku, 1), (a.sku, 2)], now).await
            })
            .await,
        ErrorCode::BadUserInput,
        Some("items"),
    );
}

// ───────────────────────────── administration ─────────────────────────────

#[tokio::test]
async fn products_skus_suppliers_and_customers_are_created_changed_and_deactivated() {
    let world = world().await;
    let t = world.a;
    world
        .run(t, async |tx| {
            let supplier = create_supplier(
                tx,
                t.id,
                NewSupplier {
                    contact_email: Some(" Orders@Ridge.example ".to_owned()),
                    ..new_supplier(" Ridge Vineyards ")
                },
            )
            .await?;
            assert_eq!(supplier.name, "Ridge Vineyards");
            assert_eq!(
                supplier.contact_email.as_deref(),
                Some("orders@ridge.example")
            );
            let supplier = update_supplier(
                tx,
                supplier.id,
                SupplierChanges {
                    contact_email: Some(None),
                    phone: Some(Some("555-0100".to_owned())),
                    ..Default::default()
                },
            )
            .await?;
            assert_eq!(
                (supplier.contact_email, supplier.phone.as_deref()),
                (None, Some("555-0100"))
            );

            let product = create_product(
                tx,
                t.id,
                NewProduct {
                    supplier_id: Some(supplier.id),
                    vintage: Some(2019),
                    abv: Some(dec("14.5")),
                    ..new_product("Monte Bello")
                },
            )
            .await?;
            assert_eq!(product.metadata, serde_json::json!({}));
            let product = update_product(
                tx,
                product.id,
                ProductChanges {
                    vintage: Some(None),
                    metadata: Some(serde_json::json!({"score": 97})),
                    ..Default::default()
                },
            )
            .await?;
            assert_eq!(product.vintage, None);

            let sku = create_sku(
                tx,
                t.id,
                NewSku {
                    upc: Some("012345678905".to_owned()),
                    ..new_sku(product.id, "MB-750")
                },
            )
            .await?;
            assert_eq!((sku.units_per_case, sku.base_price), (12, dec("24.99")));
            let sku = update_sku(
                tx,
                sku.id,
                SkuChanges {
                    base_price: Some(dec("26.00")),
                    unit_cost: Some(Some(dec("14.10"))),
                    ..Default::default()
                },
            )
            .await?;
            assert_eq!(
                (sku.base_price, sku.unit_cost),
                (dec("26.00"), Some(dec("14.10")))
            );

            let customer = create_customer(
                tx,
                t.id,
                NewCustomer {
                    license_state: Some("ca".to_owned()),
                    price_tier: Some("Wholesale".to_owned()),
                    credit_limit: Some(dec("5000")),
                    billing_address: Some(serde_json::json!({"city": "Oakland"})),
                    ..new_customer("ACCT-100")
                },
            )
            .await?;
            assert_eq!(customer.license_state.as_deref(), Some("CA"));
            assert_eq!(customer.price_tier.as_deref(), Some("wholesale"));
            let customer = update_customer(
                tx,
                customer.id,
                CustomerChanges {
                    price_tier: Some(None),
                    state: Some("or".to_owned()),
                    ..Default::default()
                },
            )
            .await?;
            assert_eq!((customer.price_tier, customer.state.as_str()), (None, "OR"));

            assert_eq!(
                deactivate_sku(tx, sku.id).await?.status,
                ProductStatus::Inactive
            );
            assert_eq!(
                deactivate_product(tx, product.id).await?.status,
                ProductStatus::Inactive
            );
            assert_eq!(
                deactivate_customer(tx, customer.id).await?.status,
                CustomerStatus::Inactive
            );
            deactivate_supplier(tx, supplier.id).await?;
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_price_list_entry_is_added_replaced_and_deleted() {
    let world = world().await;
    let t = world.a;
    let from = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    let entry = world
        .run(t, async |tx| {
            let input = PriceListEntryInput {
                valid_from: Some(from),
                ..tier_entry(t.sku, " Wholesale ", "18.00", 6)
            };
            upsert_price_list_entry(tx, t.id, input).await
        })
        .await
        .unwrap();
    assert_eq!(entry.price_tier.as_deref(), Some("wholesale"));

    let replaced = world
        .run(t, async |tx| {
            let input = PriceListEntryInput {
                id: Some(entry.id),
                ..customer_entry(t.sku, t.customer, "17.50")
            };
            upsert_price_list_entry(tx, t.id, input).await
        })
        .await
        .unwrap();
    assert_eq!(replaced.id, entry.id);
    assert_eq!(
        (
            replaced.price_tier,
            replaced.customer_id,
            replaced.unit_price
        ),
        (None, Some(t.customer), dec("17.50"))
    );
    assert_eq!(replaced.valid_from, from, "an omitted start is kept");
    assert_eq!(replaced.min_quantity, 1);

    world
        .run(t, async |tx| delete_price_list_entry(tx, entry.id).await)
        .await
        .unwrap();
    assert_not_found(
        world
            .run(t, async |tx| delete_price_list_entry(tx, entry.id).await)
            .await,
        "price list entry",
    );
}

#[tokio::test]
async fn invalid_input_names_the_field_and_writes_nothing() {
    let world = world().await;
    let t = world.a;
    let before = world.row_counts().await;
    let product = t.product;

    let skus: Vec<(&str, NewSku)> = vec![
        (
            "code",
            NewSku {
                code: "  ".into(),
                ..new_sku(product, "X")
            },
        ),
        (
            "sizeMl",
            NewSku {
                size_ml: 0,
                ..new_sku(product, "X")
            },
        ),
        (
            "unitsPerCase",
            NewSku {
                units_per_case: Some(-6),
                ..new_sku(product, "X")
            },
        ),
        (
            "upc",
            NewSku {
                upc: Some("12-34".into()),
                ..new_sku(product, "X")
            },
        ),
        (
            "basePrice",
            NewSku {
                base_price: dec("-1.00"),
                ..new_sku(product, "X")
            },
        ),
        (
            "basePrice",
            NewSku {
                base_price: dec("9.999"),
                ..new_sku(product, "X")
            },
        ),
        (
            "unitCost",
            NewSku {
                unit_cost: Some(dec("0.001")),
                ..new_sku(product, "X")
            },
        ),
    ];
    for (field, input) in skus {
        let outcome = world
            .run(t, async |tx| create_sku(tx, t.id, input).await)
            .await;
        assert_code(outcome, ErrorCode::BadUserInput, Some(field));
    }

    let products: Vec<(&str, NewProduct)> = vec![
        ("name", new_product("")),
        (
            "vintage",
            NewProduct {
                vintage: Some(1700),
                ..new_product("X")
            },
        ),
        (
            "abv",
            NewProduct {
                abv: Some(dec("100.01")),
                ..new_product("X")
            },
        ),
        (
            "abv",
            NewProduct {
                abv: Some(dec("12.345")),
                ..new_product("X")
            },
        ),
        (
            "metadata",
            NewProduct {
                metadata: Some(serde_json::json!([1])),
                ..new_product("X")
            },
        ),
    ];
    for (field, input) in products {
        let outcome = world
            .run(t, async |tx| create_product(tx, t.id, input).await)
            .await;
        assert_code(outcome, ErrorCode::BadUserInput, Some(field));
    }

    let customers: Vec<(&str, NewCustomer)> = vec![
        ("accountNumber", new_customer(" ")),
        (
            "name",
            NewCustomer {
                name: "".into(),
                ..new_customer("A-9")
            },
        ),
        (
            "state",
            NewCustomer {
                state: "Calif".into(),
                ..new_customer("A-9")
            },
        ),
        (
            "licenseState",
            NewCustomer {
                license_state: Some("C4".into()),
                ..new_customer("A-9")
            },
        ),
        (
            "priceTier",
            NewCustomer {
                price_tier: Some("whole sale".into()),
                ..new_customer("A-9")
            },
        ),
        (
            "email",
            NewCustomer {
                email: Some("buyer@".into()),
                ..new_customer("A-9")
            },
        ),
        (
            "creditLimit",
            NewCustomer {
                credit_limit: Some(dec("-5")),
                ..new_customer("A-9")
            },
        ),
        (
            "shippingAddress",
            NewCustomer {
                shipping_address: Some(serde_json::json!("Main St")),
                ..new_customer("A-9")
            },
        ),
    ];
    for (field, input) in customers {
        let outcome = world
            .run(t, async |tx| create_customer(tx, t.id, input).await)
            .await;
        assert_code(outcome, ErrorCode::BadUserInput, Some(field));
    }

    let suppliers: Vec<(&str, NewSupplier)> = vec![
        ("name", new_supplier("\t")),
        (
            "contactEmail",
            NewSupplier {
                contact_email: Some("nobody".into()),
                ..new_supplier("S")
            },
        ),
    ];
    for (field, input) in suppliers {
        let outcome = world
            .run(t, async |tx| create_supplier(tx, t.id, input).await)
            .await;
        assert_code(outcome, ErrorCode::BadUserInput, Some(field));
    }

    let now = Utc::now();
    let entries: Vec<(&str, PriceListEntryInput)> = vec![
        (
            "priceTier",
            PriceListEntryInput {
                customer_id: Some(t.customer),
                ..tier_entry(t.sku, "wholesale", "1.00", 1)
            },
        ),
        (
            "priceTier",
            PriceListEntryInput {
                price_tier: None,
                ..tier_entry(t.sku, "x", "1.00", 1)
            },
        ),
        ("priceTier", tier_entry(t.sku, "9lives", "1.00", 1)),
        ("unitPrice", tier_entry(t.sku, "wholesale", "1.005", 1)),
        ("minQuantity", tier_entry(t.sku, "wholesale", "1.00", 0)),
        (
            "validUntil",
            PriceListEntryInput {
                valid_from: Some(now),
                valid_until: Some(now),
                ..tier_entry(t.sku, "wholesale", "1.00", 1)
            },
        ),
    ];
    for (field, input) in entries {
        let outcome = world
            .run(t, async |tx| upsert_price_list_entry(tx, t.id, input).await)
            .await;
        assert_code(outcome, ErrorCode::BadUserInput, Some(field));
    }

    // Updates are checked the same way.
    let outcome = world
        .run(t, async |tx| {
            let changes = SkuChanges {
                base_price: Some(dec("-0.01")),
                ..Default::default()
            };
            update_sku(tx, t.sku, changes).await
        })
        .await;
    assert_code(outcome, ErrorCode::BadUserInput, Some("basePrice"));

    assert_eq!(world.row_counts().await, before);
}

#[tokio::test]
async fn duplicate_codes_account_numbers_and_supplier_names_are_conflicts() {
    let world = world().await;
    let (a, b) = (world.a, world.b);
    let conflicts: Vec<(&str, Result<Uuid, CatalogError>)> = vec![
        (
            "code",
            world
                .run(a, async |tx| {
                    Ok(create_sku(tx, a.id, new_sku(a.product, "CAB-750"))
                        .await?
                        .id)
                })
                .await,
        ),
        (
            "code",
            world
                .run(a, async |tx| {
                    let changes = SkuChanges {
                        code: Some("CAB-750".into()),
                        ..Default::default()
                    };
                    Ok(update_sku(tx, a.bare_sku, changes).await?.id)
                })
                .await,
        ),
        (
            "accountNumber",
            world
                .run(a, async |tx| {
                    Ok(create_customer(tx, a.id, new_customer("ACCT-1")).await?.id)
                })
                .await,
        ),
        (
            "name",
            world
                .run(a, async |tx| {
                    create_supplier(tx, a.id, new_supplier("Ridge")).await?;
                    Ok(create_supplier(tx, a.id, new_supplier("Ridge")).await?.id)
                })
                .await,
        ),
    ];
    let before = world.row_counts().await;
    for (field, outcome) in conflicts {
        assert_code(outcome, ErrorCode::Conflict, Some(field));
    }
    assert_eq!(world.row_counts().await, before);

    // Uniqueness is per tenant: tenant B may use tenant A's code and account number.
    world
        .run(b, async |tx| {
            create_sku(tx, b.id, new_sku(b.product, "NEW-1")).await?;
            create_customer(tx, b.id, new_customer("ACCT-9")).await?;
            Ok(())
        })
        .await
        .unwrap();
    world
        .run(a, async |tx| {
            create_sku(tx, a.id, new_sku(a.product, "NEW-1")).await?;
            create_customer(tx, a.id, new_customer("ACCT-9")).await?;
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn another_tenants_rows_are_not_found_and_stay_untouched() {
    let world = world().await;
    let (a, b) = (world.a, world.b);
    let b_supplier = insert(
        &world.owner,
        "INSERT INTO suppliers (tenant_id, name) VALUES ($1, 'B only') RETURNING id",
        [b.id.into()],
    )
    .await;
    let before = world.row_counts().await;

    assert_not_found(
        world
            .run(a, async |tx| {
                create_sku(tx, a.id, new_sku(b.product, "STOLEN")).await
            })
            .await,
        "product",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                let input = NewProduct {
                    supplier_id: Some(b_supplier),
                    ..new_product("X")
                };
                create_product(tx, a.id, input).await
            })
            .await,
        "supplier",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                upsert_price_list_entry(tx, a.id, tier_entry(b.sku, "wholesale", "1.00", 1)).await
            })
            .await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                upsert_price_list_entry(tx, a.id, customer_entry(a.sku, b.customer, "1.00")).await
            })
            .await,
        "customer",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                let changes = SkuChanges {
                    base_price: Some(dec("0.01")),
                    ..Default::default()
                };
                update_sku(tx, b.sku, changes).await
            })
            .await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| deactivate_customer(tx, b.customer).await)
            .await,
        "customer",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                update_product(tx, b.product, ProductChanges::default()).await
            })
            .await,
        "product",
    );
    assert_not_found(
        world
            .run(a, async |tx| deactivate_supplier(tx, b_supplier).await)
            .await,
        "supplier",
    );
    assert_not_found(
        world.run(a, async |tx| reserve(tx, b.sku, 1).await).await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                adjust(tx, b.sku, MAIN_LOCATION, 5, "theft").await
            })
            .await,
        "sku",
    );
    assert_not_found(
        world
            .run(a, async |tx| {
                adjust(tx, b.sku, MAIN_LOCATION, -5, "theft").await
            })
            .await,
        "sku",
    );
    let seen = world
        .run(a, async |tx| availability(tx, &[b.sku]).await)
        .await
        .unwrap();
    assert_eq!(seen[&b.sku], Availability::default());

    assert_eq!(world.row_counts().await, before);
    assert_eq!(world.stock(b.sku, MAIN_LOCATION).await, Some((10, 0)));
}

#[tokio::test]
async fn the_shared_supplier_directory_is_usable_but_read_only() {
    let world = world().await;
    let t = world.a;
    let shared = insert(
        &world.owner,
        "INSERT INTO suppliers (tenant_id, name) VALUES (NULL, 'Shared Importers') RETURNING id",
        [],
    )
    .await;

    let product = world
        .run(t, async |tx| {
            let input = NewProduct {
                supplier_id: Some(shared),
                ..new_product("Imported")
            };
            create_product(tx, t.id, input).await
        })
        .await
        .unwrap();
    assert_eq!(product.supplier_id, Some(shared));

    let rename = world
        .run(t, async |tx| {
            let changes = SupplierChanges {
                name: Some("Mine now".into()),
                ..Default::default()
            };
            update_supplier(tx, shared, changes).await
        })
        .await;
    assert_code(rename, ErrorCode::Forbidden, None);
    assert_code(
        world
            .run(t, async |tx| deactivate_supplier(tx, shared).await)
            .await,
        ErrorCode::Forbidden,
        None,
    );

    // A tenant's own supplier may share a directory entry's name.
    world
        .run(t, async |tx| {
            create_supplier(tx, t.id, new_supplier("Shared Importers")).await
        })
        .await
        .unwrap();
}
