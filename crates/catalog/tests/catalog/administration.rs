//! Creating, changing and deactivating products, SKUs, suppliers and customers, and the input
//! the services refuse.

use crate::support::*;
use chrono::Utc;
use leora_catalog::entities::customers::CustomerStatus;
use leora_catalog::entities::enums::ProductStatus;
use leora_catalog::error::CatalogError;
use leora_catalog::service::customers::{
    CustomerChanges, NewCustomer, create_customer, deactivate_customer, update_customer,
};
use leora_catalog::service::price_lists::{PriceListEntryInput, upsert_price_list_entry};
use leora_catalog::service::products::{
    NewProduct, ProductChanges, create_product, deactivate_product, update_product,
};
use leora_catalog::service::skus::{NewSku, SkuChanges, create_sku, deactivate_sku, update_sku};
use leora_catalog::service::suppliers::{
    NewSupplier, SupplierChanges, create_supplier, deactivate_supplier, update_supplier,
};
use leora_tenancy::ErrorCode;
use leora_test_db::errors::assert_code_and_field;
use leora_test_db::sql::insert;
use uuid::Uuid;

#[tokio::test]
async fn products_skus_suppliers_and_customers_are_created_changed_and_deactivated() {
    let world = world().await;
    let t = world.a;
    world
        .run(t, async |tx| {
            let supplier = create_supplier(
                tx,
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
        let outcome = world.run(t, async |tx| create_sku(tx, input).await).await;
        assert_code_and_field(outcome, ErrorCode::BadUserInput, Some(field));
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
            .run(t, async |tx| create_product(tx, input).await)
            .await;
        assert_code_and_field(outcome, ErrorCode::BadUserInput, Some(field));
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
            .run(t, async |tx| create_customer(tx, input).await)
            .await;
        assert_code_and_field(outcome, ErrorCode::BadUserInput, Some(field));
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
            .run(t, async |tx| create_supplier(tx, input).await)
            .await;
        assert_code_and_field(outcome, ErrorCode::BadUserInput, Some(field));
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
            .run(t, async |tx| upsert_price_list_entry(tx, input).await)
            .await;
        assert_code_and_field(outcome, ErrorCode::BadUserInput, Some(field));
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
    assert_code_and_field(outcome, ErrorCode::BadUserInput, Some("basePrice"));

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
                    Ok(create_sku(tx, new_sku(a.product, "CAB-750")).await?.id)
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
                    Ok(create_customer(tx, new_customer("ACCT-1")).await?.id)
                })
                .await,
        ),
        (
            "name",
            world
                .run(a, async |tx| {
                    create_supplier(tx, new_supplier("Ridge")).await?;
                    Ok(create_supplier(tx, new_supplier("Ridge")).await?.id)
                })
                .await,
        ),
    ];
    let before = world.row_counts().await;
    for (field, outcome) in conflicts {
        assert_code_and_field(outcome, ErrorCode::Conflict, Some(field));
    }
    assert_eq!(world.row_counts().await, before);

    // Uniqueness is per tenant: tenant B may use tenant A's code and account number.
    world
        .run(b, async |tx| {
            create_sku(tx, new_sku(b.product, "NEW-1")).await?;
            create_customer(tx, new_customer("ACCT-9")).await?;
            Ok(())
        })
        .await
        .unwrap();
    world
        .run(a, async |tx| {
            create_sku(tx, new_sku(a.product, "NEW-1")).await?;
            create_customer(tx, new_customer("ACCT-9")).await?;
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn the_shared_supplier_directory_is_usable_but_read_only() {
    let world = world().await;
    let t = world.a;
    let shared = insert(
        &world.pools.owner,
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
            create_product(tx, input).await
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
    assert_code_and_field(rename, ErrorCode::Forbidden, None);
    assert_code_and_field(
        world
            .run(t, async |tx| deactivate_supplier(tx, shared).await)
            .await,
        ErrorCode::Forbidden,
        None,
    );

    // A tenant's own supplier may share a directory entry's name.
    world
        .run(t, async |tx| {
            create_supplier(tx, new_supplier("Shared Importers")).await
        })
        .await
        .unwrap();
}
