//! Finding one SKU or supplier, and searching SKUs by code, UPC or product.

use crate::support::*;
use leora_catalog::entities::enums::ProductStatus;
use leora_catalog::service::skus::{SkuFilter, sku, skus};
use leora_catalog::service::suppliers::supplier;
use leora_tenancy::{TenantContext, with_tenant};
use leora_test_db::sql::{exec, insert};

use uuid::Uuid;

async fn found(world: &World, ctx: TenantContext, filter: SkuFilter) -> Vec<String> {
    with_tenant(&world.pools.db, &ctx, async |tx| {
        let rows = skus(tx.context(), &filter).all(tx).await?;
        Ok::<_, leora_catalog::error::CatalogError>(rows.into_iter().map(|s| s.code).collect())
    })
    .await
    .unwrap()
}

fn search(text: &str) -> SkuFilter {
    SkuFilter {
        search: Some(text.to_owned()),
        ..SkuFilter::default()
    }
}

#[tokio::test]
async fn skus_are_found_by_code_upc_or_product_and_portal_users_see_only_what_is_for_sale() {
    let world = world().await;
    let t = world.a;
    let owner = &world.pools.owner;
    exec(
        owner,
        "UPDATE skus SET upc = '012345678905' WHERE id = $1",
        [t.sku.into()],
    )
    .await;
    let gin: Uuid = insert(
        owner,
        "INSERT INTO products (tenant_id, name, brand, category) VALUES ($1, 'Dry Gin', 'Harbor', 'spirits') RETURNING id",
        [t.id.into()],
    )
    .await;
    insert(
        owner,
        "INSERT INTO skus (tenant_id, product_id, code, size_ml, base_price, status)
         VALUES ($1, $2, 'GIN-700', 700, 30.00, 'discontinued') RETURNING id",
        [t.id.into(), gin.into()],
    )
    .await;
    let staff = TenantContext::system(t.id);
    assert_eq!(found(&world, staff, search("cab-15")).await, ["CAB-1500"]);
    assert_eq!(found(&world, staff, search("2345678")).await, ["CAB-750"]);
    assert_eq!(found(&world, staff, search("harbor")).await, ["GIN-700"]);
    assert_eq!(
        found(&world, staff, search("cabernet")).await,
        ["CAB-1500", "CAB-750"]
    );
    assert_eq!(
        found(
            &world,
            staff,
            SkuFilter {
                statuses: vec![ProductStatus::Discontinued],
                ..SkuFilter::default()
            }
        )
        .await,
        ["GIN-700"]
    );
    // The other tenant's SKUs are never found.
    assert_eq!(
        found(&world, TenantContext::system(world.b.id), search("gin")).await,
        Vec::<String>::new()
    );

    let portal_user: Uuid = insert(
        owner,
        "INSERT INTO portal_users (tenant_id, customer_id, email, password_hash, full_name)
         VALUES ($1, $2, 'buyer@alpha.test', 'x', 'Buyer') RETURNING id",
        [t.id.into(), t.customer.into()],
    )
    .await;
    let portal = TenantContext::portal_user(t.id, portal_user, t.customer);
    assert_eq!(
        found(&world, portal, search("gin")).await,
        Vec::<String>::new()
    );
    exec(
        owner,
        "UPDATE products SET status = 'inactive' WHERE id = $1",
        [t.product.into()],
    )
    .await;
    assert_eq!(
        found(&world, portal, SkuFilter::default()).await,
        Vec::<String>::new()
    );
    let hidden = with_tenant(&world.pools.db, &portal, async |tx| sku(tx, t.sku).await).await;
    assert_not_found(hidden, "sku");
    let seen = with_tenant(&world.pools.db, &staff, async |tx| sku(tx, t.sku).await).await;
    assert_eq!(seen.unwrap().code, "CAB-750");
}

#[tokio::test]
async fn a_supplier_is_found_when_it_is_the_tenants_or_the_directorys() {
    let world = world().await;
    let owner = &world.pools.owner;
    let own: Uuid = insert(
        owner,
        "INSERT INTO suppliers (tenant_id, name) VALUES ($1, 'Own Imports') RETURNING id",
        [world.a.id.into()],
    )
    .await;
    let directory: Uuid = insert(
        owner,
        "INSERT INTO suppliers (tenant_id, name) VALUES (NULL, 'Directory Wines') RETURNING id",
        [],
    )
    .await;
    let theirs: Uuid = insert(
        owner,
        "INSERT INTO suppliers (tenant_id, name) VALUES ($1, 'Their Imports') RETURNING id",
        [world.b.id.into()],
    )
    .await;
    let find = |id| world.run(world.a, async move |tx| supplier(tx, id).await);
    assert_eq!(find(own).await.unwrap().name, "Own Imports");
    assert_eq!(find(directory).await.unwrap().name, "Directory Wines");
    assert_not_found(find(theirs).await, "supplier");
}
