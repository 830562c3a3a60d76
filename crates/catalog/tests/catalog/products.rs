//! The product list's status filter, and the rule above it: portal users see active products only.

use crate::support::*;
use leora_catalog::entities::enums::ProductStatus;
use leora_catalog::service::products::{ProductFilter, ProductSort, products};
use leora_tenancy::{TenantContext, with_tenant};
use leora_test_db::fixtures::create_product;
use leora_test_db::sql::{exec, insert};
use sea_orm::Order;
use std::collections::BTreeSet;
use uuid::Uuid;

async fn product_in(world: &World, name: &str, status: &str) -> Uuid {
    let product = create_product(&world.pools.owner, world.a.id, name, "wine").await;
    exec(
        &world.pools.owner,
        "UPDATE products SET status = $2 WHERE id = $1",
        [product.into(), status.into()],
    )
    .await;
    product
}

async fn product_ids(
    world: &World,
    ctx: TenantContext,
    statuses: Vec<ProductStatus>,
) -> BTreeSet<Uuid> {
    let filter = ProductFilter {
        statuses,
        ..ProductFilter::default()
    };
    with_tenant(&world.pools.db, &ctx, async |tx| {
        let rows = products(tx.context(), &filter, ProductSort::Name, Order::Asc)
            .all(tx)
            .await?;
        Ok::<_, leora_catalog::error::CatalogError>(rows.into_iter().map(|p| p.id).collect())
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn staff_see_any_of_the_statuses_asked_for_and_portal_users_active_products_only() {
    let world = world().await;
    let active = world.a.product;
    let inactive = product_in(&world, "Merlot", "inactive").await;
    let discontinued = product_in(&world, "Zinfandel", "discontinued").await;
    let portal_user = insert(
        &world.pools.owner,
        "INSERT INTO portal_users (tenant_id, customer_id, email, password_hash, full_name)
         VALUES ($1, $2, 'buyer@acct-1.test', 'x', 'Buyer') RETURNING id",
        [world.a.id.into(), world.a.customer.into()],
    )
    .await;
    let staff = TenantContext::system(world.a.id);
    let portal = TenantContext::portal_user(world.a.id, portal_user, world.a.customer);
    let not_active = || vec![ProductStatus::Inactive, ProductStatus::Discontinued];

    assert_eq!(
        product_ids(&world, staff, not_active()).await,
        BTreeSet::from([inactive, discontinued])
    );
    assert_eq!(
        product_ids(&world, staff, vec![]).await,
        BTreeSet::from([active, inactive, discontinued]),
        "no statuses listed: every status"
    );
    assert_eq!(
        product_ids(&world, portal, not_active()).await,
        BTreeSet::from([active]),
        "a portal user asking for other statuses still sees the active products"
    );
    assert_eq!(
        product_ids(&world, portal, vec![]).await,
        BTreeSet::from([active])
    );
}
