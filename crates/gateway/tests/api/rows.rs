//! The hot entities read by position decode exactly what SeaORM's derived decoder does, on the
//! demo tenant's data (NULL and non-NULL values of every column, every enum stored as text).

use leora_catalog::entities::{customers, price_list_entries, products, skus};
use leora_intelligence::entities::account_health_snapshots;
use leora_orders::entities::{order_lines, orders};
use leora_tenancy::rows::{self, ByPosition};
use leora_tenancy::{AppRole, TenantDb};
use leora_test_db::TestDatabase;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, QuerySelect};
use std::fmt::Debug;

async fn assert_same_rows<E>(owner: &DatabaseConnection, entity: E, id: E::Column)
where
    E: EntityTrait,
    E::Model: ByPosition + PartialEq + Debug,
{
    let by_name = E::find().order_by_asc(id).all(owner).await.unwrap();
    let by_position = rows::all(owner, E::find().order_by_asc(id)).await.unwrap();
    assert!(
        !by_name.is_empty(),
        "{} has no rows to compare",
        entity.table_name()
    );
    assert_eq!(by_position, by_name, "{}", entity.table_name());
}

#[tokio::test]
async fn rows_read_by_position_equal_rows_read_by_name() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let db = TenantDb::new(database.connect().await, AppRole::from_env().unwrap());
    let seeded = leora_seed::well_crafted::seed(&owner, &db).await.unwrap();
    for (_, outcome) in leora_intelligence::refresh_all_tenants(&db, &[seeded.tenant_id]).await {
        outcome.unwrap();
    }

    assert_same_rows(&owner, products::Entity, products::Column::Id).await;
    assert_same_rows(&owner, skus::Entity, skus::Column::Id).await;
    assert_same_rows(&owner, customers::Entity, customers::Column::Id).await;
    assert_same_rows(
        &owner,
        price_list_entries::Entity,
        price_list_entries::Column::Id,
    )
    .await;
    assert_same_rows(&owner, orders::Entity, orders::Column::Id).await;
    assert_same_rows(&owner, order_lines::Entity, order_lines::Column::Id).await;
    assert_same_rows(
        &owner,
        account_health_snapshots::Entity,
        account_health_snapshots::Column::Id,
    )
    .await;
}

#[tokio::test]
async fn a_statement_whose_columns_differ_from_the_models_list_is_refused() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let db = TenantDb::new(database.connect().await, AppRole::from_env().unwrap());
    leora_seed::well_crafted::seed(&owner, &db).await.unwrap();

    let reordered = products::Entity::find()
        .select_only()
        .columns([products::Column::TenantId, products::Column::Id])
        .limit(1);
    let error = rows::all(&owner, reordered).await.unwrap_err();
    assert!(error.to_string().contains("reads columns"), "{error}");
}
