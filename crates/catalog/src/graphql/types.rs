//! Output types: newtypes over catalog rows. Cost-side fields (unit cost, credit limits) need an
//! internal permission, so portal users never see them.

use super::loaders::{
    AvailabilityOfSku, LowStockThresholdOfSku, PriceKey, PriceOfSku, ProductById, SkusOfProduct,
    SupplierById,
};
use crate::entities::enums::ProductStatus as StoredProductStatus;
use crate::entities::suppliers::SupplierStatus as StoredSupplierStatus;
use crate::entities::{price_list_entries, products, skus, suppliers};
use crate::service::inventory::Availability;
use crate::service::pricing::{self, PriceQuote, PriceSource as StoredPriceSource};
use crate::service::skus::MAX_SKUS_PER_PRODUCT;
use async_graphql::{Context, ID, Json, Object};
use leora_compliance::graphql::ProductCategory;
use leora_tenancy::graphql::cost;
pub(crate) use leora_tenancy::graphql::ids::{id, not_found, parse_id};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, ResolverError, Session};
use leora_tenancy::graphql::{Exact, Instant, Money};
use leora_tenancy::mirror_enum;

mirror_enum!(ProductStatus <=> StoredProductStatus { Active, Inactive, Discontinued });
mirror_enum!(SupplierStatus <=> StoredSupplierStatus { Active, Inactive });
mirror_enum!(
    /// Which rule set a price: customer-specific beats tier beats base.
    PriceSource <=> StoredPriceSource { BasePrice, PriceTier, CustomerPrice }
);

pub struct Product(pub products::Model);

#[Object]
impl Product {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn brand(&self) -> Option<&str> {
        self.0.brand.as_deref()
    }
    async fn category(&self) -> ProductCategory {
        self.0.category.into()
    }
    async fn varietal(&self) -> Option<&str> {
        self.0.varietal.as_deref()
    }
    async fn vintage(&self) -> Option<i32> {
        self.0.vintage
    }
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    /// Alcohol by volume, in percent.
    async fn abv(&self) -> Option<Exact> {
        self.0.abv.map(Exact)
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn status(&self) -> ProductStatus {
        self.0.status.into()
    }
    async fn supplier_id(&self) -> Option<ID> {
        self.0.supplier_id.map(id)
    }
    /// Who makes or imports it: staff only, like the supplier list.
    #[graphql(guard = "RequirePermission(Permission::ProductsView)")]
    async fn supplier(&self, ctx: &Context<'_>) -> ApiResult<Option<Supplier>> {
        let Some(supplier_id) = self.0.supplier_id else {
            return Ok(None);
        };
        let loader = Session::of(ctx)?.loader(SupplierById);
        Ok(loader.load_one(supplier_id).await?.map(Supplier))
    }
    /// Free-form attributes the distributor keeps (tasting notes, awards, supplier terms …): staff
    /// only, as nothing says which of them a customer may read.
    #[graphql(guard = "RequirePermission(Permission::ProductsView)")]
    async fn metadata(&self) -> Option<Json<serde_json::Value>> {
        Some(Json(self.0.metadata.clone()))
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
    /// The product's SKUs (sizes and packs), by code.
    #[graphql(complexity = "cost::capped(MAX_SKUS_PER_PRODUCT, child_complexity)")]
    async fn skus(&self, ctx: &Context<'_>) -> ApiResult<Vec<Sku>> {
        let loader = Session::of(ctx)?.loader(SkusOfProduct);
        Ok(loader.load_many(self.0.id, Sku).await?)
    }
}

pub struct Sku(pub skus::Model);

#[Object]
impl Sku {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn size_ml(&self) -> i32 {
        self.0.size_ml
    }
    async fn units_per_case(&self) -> i32 {
        self.0.units_per_case
    }
    async fn upc(&self) -> Option<&str> {
        self.0.upc.as_deref()
    }
    /// The list price before tier and customer pricing.
    async fn base_price(&self) -> Money {
        Money(self.0.base_price)
    }
    /// Sold to each customer only within the quantity allocated to it for the day's period
    /// (`allocations`); orders beyond it answer `ALLOCATION_EXCEEDED`.
    async fn allocated(&self) -> bool {
        self.0.allocated
    }
    /// What the distributor pays: staff only.
    #[graphql(guard = "RequirePermission(Permission::ProductsView)")]
    async fn unit_cost(&self) -> Option<Money> {
        self.0.unit_cost.map(Money)
    }
    async fn status(&self) -> ProductStatus {
        self.0.status.into()
    }
    async fn product(&self, ctx: &Context<'_>) -> ApiResult<Product> {
        let loader = Session::of(ctx)?.loader(ProductById);
        loader
            .load_one(self.0.product_id)
            .await?
            .map(Product)
            .ok_or_else(|| not_found("product"))
    }
    /// Below this many available units (`inventory.available`) the SKU is low on stock, and the
    /// fall below records an `inventory.low` webhook event; 0 means never. Staff only, like the
    /// counts on hand.
    #[graphql(guard = "RequirePermission(Permission::ProductsView)")]
    async fn low_stock_threshold(&self, ctx: &Context<'_>) -> ApiResult<Option<i32>> {
        let loader = Session::of(ctx)?.loader(LowStockThresholdOfSku);
        Ok(Some(loader.load_one(self.0.id).await?.unwrap_or(0)))
    }
    /// Stock summed over locations.
    async fn inventory(&self, ctx: &Context<'_>) -> ApiResult<StockLevel> {
        let loader = Session::of(ctx)?.loader(AvailabilityOfSku);
        Ok(StockLevel {
            sku_id: self.0.id,
            stock: loader.load_one(self.0.id).await?.unwrap_or_default(),
        })
    }
    /// The unit price a customer pays for `quantity` units. Portal users get their own
    /// customer's price (and may name no other customer); staff name the customer, or get the
    /// base price without one.
    async fn price(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<ID>,
        #[graphql(default = 1)] quantity: i32,
    ) -> ApiResult<Price> {
        if quantity < 1 {
            return Err(ResolverError::bad_input("quantity", "must be at least 1"));
        }
        let session = Session::of(ctx)?;
        let requested = customer_id
            .map(|id| parse_id("customerId", &id))
            .transpose()?;
        let Some(customer_id) = pricing::priced_customer(session.context(), requested)? else {
            return Ok(Price {
                id: format!("{}:base:{quantity}", self.0.id),
                quote: PriceQuote::base(self.0.base_price),
            });
        };
        let key = PriceKey {
            customer_id,
            sku_id: self.0.id,
            base_price: self.0.base_price,
            quantity,
        };
        let quote = session
            .loader(PriceOfSku)
            .load_one(key)
            .await?
            .ok_or_else(|| not_found("customer"))?;
        Ok(Price {
            id: format!("{}:{customer_id}:{quantity}", self.0.id),
            quote,
        })
    }
}

/// A SKU's stock; its `id` is the SKU's, so a client's cache keeps one per SKU.
pub struct StockLevel {
    pub sku_id: uuid::Uuid,
    pub stock: Availability,
}

#[Object]
impl StockLevel {
    async fn id(&self) -> ID {
        id(self.sku_id)
    }
    /// Staff only: customers see what they can order, `available`.
    #[graphql(guard = "RequirePermission(Permission::ProductsView)")]
    async fn on_hand(&self) -> Option<i64> {
        Some(self.stock.on_hand)
    }
    /// Staff only.
    #[graphql(guard = "RequirePermission(Permission::ProductsView)")]
    async fn reserved(&self) -> Option<i64> {
        Some(self.stock.reserved)
    }
    /// On hand less reserved: what can still be ordered.
    async fn available(&self) -> i64 {
        self.stock.available
    }
}

/// What a customer pays for a quantity of a SKU; its `id` names all three
/// (`<skuId>:<customerId or "base">:<quantity>`), so a client's cache keeps each apart.
pub struct Price {
    pub id: String,
    pub quote: PriceQuote,
}

#[Object]
impl Price {
    async fn id(&self) -> ID {
        ID(self.id.clone())
    }
    async fn unit_price(&self) -> Money {
        Money(self.quote.unit_price)
    }
    async fn source(&self) -> PriceSource {
        self.quote.rule.into()
    }
    async fn price_list_entry_id(&self) -> Option<ID> {
        self.quote.entry_id.map(id)
    }
}

pub struct Supplier(pub suppliers::Model);

#[Object]
impl Supplier {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn contact_name(&self) -> Option<&str> {
        self.0.contact_name.as_deref()
    }
    async fn contact_email(&self) -> Option<&str> {
        self.0.contact_email.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    async fn status(&self) -> SupplierStatus {
        self.0.status.into()
    }
    /// Shared directory entries are maintained for every tenant and cannot be changed.
    async fn is_shared(&self) -> bool {
        self.0.tenant_id.is_none()
    }
}

pub struct PriceListEntry(pub price_list_entries::Model);

#[Object]
impl PriceListEntry {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn sku_id(&self) -> ID {
        id(self.0.sku_id)
    }
    async fn price_tier(&self) -> Option<&str> {
        self.0.price_tier.as_deref()
    }
    async fn customer_id(&self) -> Option<ID> {
        self.0.customer_id.map(id)
    }
    async fn unit_price(&self) -> Money {
        Money(self.0.unit_price)
    }
    async fn min_quantity(&self) -> i32 {
        self.0.min_quantity
    }
    async fn valid_from(&self) -> Instant {
        self.0.valid_from.into()
    }
    async fn valid_until(&self) -> Option<Instant> {
        self.0.valid_until.map(Instant)
    }
}
