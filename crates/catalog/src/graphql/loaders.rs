//! Request-scoped batch loaders: one statement per relation per request, whatever the page size.

use crate::entities::{customers, products, skus};
use crate::service::inventory::{self, Availability};
use crate::service::pricing::{self, PriceQuote};
use async_graphql::dataloader::Loader;
use chrono::Utc;
use leora_tenancy::graphql::LoadFailed;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

macro_rules! by_id_loader {
    ($(#[$meta:meta])* $name:ident, $entity:ident) => {
        $(#[$meta])*
        pub struct $name(pub Arc<DatabaseTransaction>);

        impl Loader<Uuid> for $name {
            type Value = $entity::Model;
            type Error = LoadFailed;

            async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, $entity::Model>, LoadFailed> {
                let rows = $entity::Entity::find()
                    .filter($entity::Column::Id.is_in(ids.iter().copied()))
                    .all(self.0.as_ref())
                    .await
                    .map_err(LoadFailed::log)?;
                Ok(rows.into_iter().map(|row| (row.id, row)).collect())
            }
        }
    };
}

by_id_loader!(
    /// Products by id (for order lines and SKUs).
    ProductById,
    products
);
by_id_loader!(
    /// SKUs by id.
    SkuById,
    skus
);
by_id_loader!(
    /// Customers by id (for orders, invoices, activities).
    CustomerById,
    customers
);

/// A product's SKUs, in code order.
pub struct SkusOfProduct(pub Arc<DatabaseTransaction>);

impl Loader<Uuid> for SkusOfProduct {
    type Value = Vec<skus::Model>;
    type Error = LoadFailed;

    async fn load(
        &self,
        product_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<skus::Model>>, LoadFailed> {
        let rows = skus::Entity::find()
            .filter(skus::Column::ProductId.is_in(product_ids.iter().copied()))
            .order_by_asc(skus::Column::Code)
            .all(self.0.as_ref())
            .await
            .map_err(LoadFailed::log)?;
        let mut by_product: HashMap<Uuid, Vec<skus::Model>> = HashMap::new();
        for sku in rows {
            by_product.entry(sku.product_id).or_default().push(sku);
        }
        Ok(by_product)
    }
}

/// Stock per SKU, summed over locations.
pub struct AvailabilityOfSku(pub Arc<DatabaseTransaction>);

impl Loader<Uuid> for AvailabilityOfSku {
    type Value = Availability;
    type Error = LoadFailed;

    async fn load(&self, sku_ids: &[Uuid]) -> Result<HashMap<Uuid, Availability>, LoadFailed> {
        inventory::availability(&self.0, sku_ids)
            .await
            .map_err(LoadFailed::log)
    }
}

/// What one customer pays for a quantity of one SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PriceKey {
    pub customer_id: Uuid,
    pub sku_id: Uuid,
    pub quantity: i32,
}

/// Quotes, batched per customer and quantity (a catalog page asks one customer's price of each
/// SKU at one quantity: one batch).
pub struct PriceOfSku(pub Arc<DatabaseTransaction>);

impl Loader<PriceKey> for PriceOfSku {
    type Value = PriceQuote;
    type Error = LoadFailed;

    async fn load(&self, keys: &[PriceKey]) -> Result<HashMap<PriceKey, PriceQuote>, LoadFailed> {
        let mut groups: HashMap<(Uuid, i32), Vec<(Uuid, i32)>> = HashMap::new();
        for key in keys {
            groups
                .entry((key.customer_id, key.quantity))
                .or_default()
                .push((key.sku_id, key.quantity));
        }
        let now = Utc::now();
        let mut quotes = HashMap::new();
        for ((customer_id, quantity), items) in groups {
            let priced = pricing::quote_many(&self.0, customer_id, &items, now)
                .await
                .map_err(LoadFailed::log)?;
            quotes.extend(priced.into_iter().map(|(sku_id, quote)| {
                (
                    PriceKey {
                        customer_id,
                        sku_id,
                        quantity,
                    },
                    quote,
                )
            }));
        }
        Ok(quotes)
    }
}
