//! Request-scoped batch loaders: one statement per relation per request, whatever the page size.

use crate::entities::{customers, products, skus, suppliers};
use crate::service::inventory::{self, Availability};
use crate::service::pricing::{self, KnownSku, PriceQuote, PricedCustomer};
use chrono::Utc;
use leora_tenancy::TenantTx;
use leora_tenancy::batch_loader;
use leora_tenancy::graphql::BatchLoad;
use leora_tenancy::graphql::LoadFailed;
use leora_tenancy::rows;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

batch_loader!(
    /// Products by id (for order lines and SKUs).
    ProductById: products by id
);
batch_loader!(
    /// SKUs by id.
    SkuById: skus by id
);
batch_loader!(
    /// Suppliers by id (for products).
    SupplierById: suppliers by id
);
batch_loader!(
    /// Customers by id (for orders, invoices, activities).
    CustomerById: customers by id
);

/// A product's SKUs, in code order.
pub struct SkusOfProduct(pub Arc<TenantTx>);

impl BatchLoad<Uuid> for SkusOfProduct {
    type Value = Vec<skus::Model>;

    async fn load(
        &self,
        product_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<skus::Model>>, LoadFailed> {
        let select = skus::Entity::find()
            .filter(skus::Column::ProductId.is_in(product_ids.iter().copied()))
            .order_by_asc(skus::Column::Code);
        let rows = rows::all(self.0.as_ref(), select)
            .await
            .map_err(LoadFailed::log)?;
        let mut by_product: HashMap<Uuid, Vec<skus::Model>> = HashMap::new();
        for sku in rows {
            by_product.entry(sku.product_id).or_default().push(sku);
        }
        Ok(by_product)
    }
}

batch_loader!(
    /// Stock per SKU, summed over locations.
    AvailabilityOfSku: Uuid => Availability, inventory::availability
);
batch_loader!(
    /// The low-stock threshold per SKU.
    LowStockThresholdOfSku: Uuid => i32, inventory::low_stock_thresholds
);

/// What one customer pays for a quantity of one SKU, whose base price the page has already read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PriceKey {
    pub customer_id: Uuid,
    pub sku_id: Uuid,
    pub base_price: Decimal,
    pub quantity: i32,
}

/// Quotes in two statements per batch: the customers, then one entries query per customer and
/// quantity (a catalog page asks one customer's price of each SKU at one quantity). A key whose
/// customer the transaction cannot see has no quote.
pub struct PriceOfSku(pub Arc<TenantTx>);

impl BatchLoad<PriceKey> for PriceOfSku {
    type Value = PriceQuote;

    async fn load(&self, keys: &[PriceKey]) -> Result<HashMap<PriceKey, PriceQuote>, LoadFailed> {
        let customer_ids: HashSet<Uuid> = keys.iter().map(|key| key.customer_id).collect();
        let select = customers::Entity::find().filter(customers::Column::Id.is_in(customer_ids));
        let customers: HashMap<Uuid, customers::Model> = rows::all(self.0.as_ref(), select)
            .await
            .map_err(LoadFailed::log)?
            .into_iter()
            .map(|customer| (customer.id, customer))
            .collect();
        let mut groups: HashMap<(Uuid, i32), Vec<PriceKey>> = HashMap::new();
        for key in keys {
            groups
                .entry((key.customer_id, key.quantity))
                .or_default()
                .push(*key);
        }
        let now = Utc::now();
        let mut quotes = HashMap::with_capacity(keys.len());
        for ((customer_id, _), group) in groups {
            // A customer the transaction cannot see prices nothing.
            let Some(customer) = customers.get(&customer_id) else {
                continue;
            };
            let priced = PricedCustomer::from(customer);
            let items: Vec<KnownSku> = group
                .iter()
                .map(|key| KnownSku {
                    sku_id: key.sku_id,
                    base_price: key.base_price,
                    quantity: key.quantity,
                })
                .collect();
            let priced = pricing::quote_known(&self.0, priced, &items, now)
                .await
                .map_err(LoadFailed::log)?;
            quotes.extend(
                group
                    .into_iter()
                    .filter_map(|key| priced.get(&key.sku_id).map(|quote| (key, *quote))),
            );
        }
        Ok(quotes)
    }
}
