//! Whether SKUs may be sold: visible to the transaction, and both the SKU and its product active.

use std::collections::HashMap;

use leora_catalog::entities::enums::ProductStatus;
use leora_catalog::entities::{products, skus};
use leora_compliance::entities::enums::ProductCategory;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::OrdersError;

/// What pricing and tax need of a sellable SKU.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sellable {
    pub size_ml: i32,
    pub category: ProductCategory,
    /// Sold only within each customer's allocation.
    pub allocated: bool,
}

/// Checks `sku_ids` in one statement. An unknown SKU is `NotFound` and one not for sale is
/// `BadInput`, both on `field(index)` of the first offender.
pub(crate) async fn sellable_skus(
    tx: &DatabaseTransaction,
    sku_ids: &[Uuid],
    field: impl Fn(usize) -> String,
) -> Result<HashMap<Uuid, Sellable>, OrdersError> {
    let found: HashMap<Uuid, (skus::Model, Option<products::Model>)> = skus::Entity::find()
        .filter(skus::Column::Id.is_in(sku_ids.iter().copied()))
        .find_also_related(products::Entity)
        .all(tx)
        .await?
        .into_iter()
        .map(|(sku, product)| (sku.id, (sku, product)))
        .collect();
    let mut sellable = HashMap::with_capacity(found.len());
    for (index, sku_id) in sku_ids.iter().enumerate() {
        let (sku, product) = match found.get(sku_id) {
            Some((sku, Some(product))) => (sku, product),
            _ => return Err(OrdersError::not_found_at("sku", field(index))),
        };
        if sku.status != ProductStatus::Active || product.status != ProductStatus::Active {
            return Err(OrdersError::bad_input(
                field(index),
                format!("sku {} is not for sale", sku.code),
            ));
        }
        sellable.insert(
            sku.id,
            Sellable {
                size_ml: sku.size_ml,
                category: product.category,
                allocated: sku.allocated,
            },
        );
    }
    Ok(sellable)
}

/// One SKU, named by the input field `skuId`.
pub(crate) async fn sellable_sku(
    tx: &DatabaseTransaction,
    sku_id: Uuid,
) -> Result<Sellable, OrdersError> {
    let mut found = sellable_skus(tx, &[sku_id], |_| "skuId".to_owned()).await?;
    found
        .remove(&sku_id)
        .ok_or_else(|| OrdersError::not_found_at("sku", "skuId"))
}
