//! Filters, sort orders and mutation inputs. Updates use `MaybeUndefined` for nullable fields:
//! omitted leaves a field as it is, `null` clears it.

use super::types::{ProductStatus, SupplierStatus, parse_id};

use crate::service::price_lists::{ImportedEntry, PriceListEntryInput, PriceListFilter, SkuRef};
use crate::service::products::{self, NewProduct, ProductChanges, ProductSort};
use crate::service::skus::{self, NewSku, SkuChanges};
use crate::service::suppliers::{NewSupplier, SupplierChanges};
use async_graphql::{Enum, ID, InputObject, Json, MaybeUndefined};
use leora_compliance::graphql::ProductCategory;
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::ids::parse_optional_id;
use leora_tenancy::graphql::pagination::SortDirection;
use leora_tenancy::graphql::patch::{patch, patch_id};
use leora_tenancy::graphql::{ApiResult, ResolverError};
use leora_tenancy::graphql::{Exact, Instant, Money};
use serde_json::Value;

#[derive(InputObject, Default)]
pub struct ProductFilter {
    /// Any of these; all statuses when absent or empty. Portal users see active products only.
    pub statuses: Option<Vec<ProductStatus>>,
    pub category: Option<ProductCategory>,
    pub supplier_id: Option<ID>,
    /// Matches name, brand or varietal, ignoring case.
    pub search: Option<String>,
}

impl ProductFilter {
    pub fn into_filter(self) -> ApiResult<products::ProductFilter> {
        Ok(products::ProductFilter {
            statuses: any_of(self.statuses),
            category: self.category.map(Into::into),
            supplier_id: parse_optional_id("filter.supplierId", self.supplier_id.as_ref())?,
            search: self.search,
        })
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductSortField {
    #[default]
    Name,
    Brand,
    Vintage,
    CreatedAt,
}

impl From<ProductSortField> for ProductSort {
    fn from(field: ProductSortField) -> Self {
        match field {
            ProductSortField::Name => Self::Name,
            ProductSortField::Brand => Self::Brand,
            ProductSortField::Vintage => Self::Vintage,
            ProductSortField::CreatedAt => Self::CreatedAt,
        }
    }
}

#[derive(InputObject, Default)]
pub struct ProductOrder {
    #[graphql(default)]
    pub field: ProductSortField,
    #[graphql(default)]
    pub direction: SortDirection,
}

#[derive(InputObject)]
pub struct CreateProductInput {
    pub supplier_id: Option<ID>,
    pub name: String,
    pub brand: Option<String>,
    pub category: ProductCategory,
    pub varietal: Option<String>,
    pub vintage: Option<i32>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub abv: Option<Exact>,
    pub description: Option<String>,
    pub metadata: Option<Json<Value>>,
}

impl CreateProductInput {
    pub fn into_new(self) -> ApiResult<NewProduct> {
        Ok(NewProduct {
            supplier_id: parse_optional_id("supplierId", self.supplier_id.as_ref())?,
            name: self.name,
            brand: self.brand,
            category: self.category.into(),
            varietal: self.varietal,
            vintage: self.vintage,
            region: self.region,
            country: self.country,
            abv: self.abv.map(|abv| abv.0),
            description: self.description,
            metadata: self.metadata.map(|m| m.0),
        })
    }
}

#[derive(InputObject)]
pub struct UpdateProductInput {
    pub supplier_id: MaybeUndefined<ID>,
    pub name: Option<String>,
    pub brand: MaybeUndefined<String>,
    pub category: Option<ProductCategory>,
    pub varietal: MaybeUndefined<String>,
    pub vintage: MaybeUndefined<i32>,
    pub region: MaybeUndefined<String>,
    pub country: MaybeUndefined<String>,
    pub abv: MaybeUndefined<Exact>,
    pub description: MaybeUndefined<String>,
    pub metadata: Option<Json<Value>>,
    pub status: Option<ProductStatus>,
}

impl UpdateProductInput {
    pub fn into_changes(self) -> ApiResult<ProductChanges> {
        Ok(ProductChanges {
            supplier_id: patch_id("supplierId", self.supplier_id)?,
            name: self.name,
            brand: patch(self.brand),
            category: self.category.map(Into::into),
            varietal: patch(self.varietal),
            vintage: patch(self.vintage),
            region: patch(self.region),
            country: patch(self.country),
            abv: patch(self.abv.map_value(|abv| abv.0)),
            description: patch(self.description),
            metadata: self.metadata.map(|m| m.0),
            status: self.status.map(Into::into),
        })
    }
}

#[derive(InputObject)]
pub struct CreateSkuInput {
    pub product_id: ID,
    pub code: String,
    pub size_ml: i32,
    pub units_per_case: Option<i32>,
    pub upc: Option<String>,
    pub base_price: Money,
    pub unit_cost: Option<Money>,
    /// Below this many available units the SKU is low on stock and `inventory.low` is recorded;
    /// 0 or more, 0 (the default) meaning never. A new SKU has no stock yet, so a threshold above
    /// 0 records `inventory.low` at once.
    pub low_stock_threshold: Option<i32>,
}

impl CreateSkuInput {
    pub fn into_new(self) -> ApiResult<NewSku> {
        Ok(NewSku {
            product_id: parse_id("productId", &self.product_id)?,
            code: self.code,
            size_ml: self.size_ml,
            units_per_case: self.units_per_case,
            upc: self.upc,
            base_price: self.base_price.0,
            unit_cost: self.unit_cost.map(|value| value.0),
            low_stock_threshold: self.low_stock_threshold,
        })
    }
}

#[derive(InputObject)]
pub struct UpdateSkuInput {
    pub code: Option<String>,
    pub size_ml: Option<i32>,
    pub units_per_case: Option<i32>,
    pub upc: MaybeUndefined<String>,
    pub base_price: Option<Money>,
    pub unit_cost: MaybeUndefined<Money>,
    pub status: Option<ProductStatus>,
    /// 0 or more; 0 means never low. A threshold that puts what is available now below it (where
    /// the old one did not) records `inventory.low` at once.
    pub low_stock_threshold: Option<i32>,
}

impl From<UpdateSkuInput> for SkuChanges {
    fn from(input: UpdateSkuInput) -> Self {
        SkuChanges {
            code: input.code,
            size_ml: input.size_ml,
            units_per_case: input.units_per_case,
            upc: patch(input.upc),
            base_price: input.base_price.map(|value| value.0),
            unit_cost: patch(input.unit_cost.map_value(|value| value.0)),
            status: input.status.map(Into::into),
            low_stock_threshold: input.low_stock_threshold,
        }
    }
}

#[derive(InputObject)]
pub struct CreateSupplierInput {
    pub name: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub country: Option<String>,
}

impl From<CreateSupplierInput> for NewSupplier {
    fn from(input: CreateSupplierInput) -> Self {
        NewSupplier {
            name: input.name,
            contact_name: input.contact_name,
            contact_email: input.contact_email,
            phone: input.phone,
            website: input.website,
            country: input.country,
        }
    }
}

#[derive(InputObject)]
pub struct UpdateSupplierInput {
    pub name: Option<String>,
    pub contact_name: MaybeUndefined<String>,
    pub contact_email: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub website: MaybeUndefined<String>,
    pub country: MaybeUndefined<String>,
    pub status: Option<SupplierStatus>,
}

impl From<UpdateSupplierInput> for SupplierChanges {
    fn from(input: UpdateSupplierInput) -> Self {
        SupplierChanges {
            name: input.name,
            contact_name: patch(input.contact_name),
            contact_email: patch(input.contact_email),
            phone: patch(input.phone),
            website: patch(input.website),
            country: patch(input.country),
            status: input.status.map(Into::into),
        }
    }
}

#[derive(InputObject)]
pub struct PriceListEntryUpsert {
    /// Replaces this entry when given; adds one otherwise.
    pub id: Option<ID>,
    pub sku_id: ID,
    /// Exactly one of `priceTier` and `customerId`.
    pub price_tier: Option<String>,
    pub customer_id: Option<ID>,
    pub unit_price: Money,
    #[graphql(default = 1)]
    pub min_quantity: i32,
    pub valid_from: Option<Instant>,
    /// Exclusive.
    pub valid_until: Option<Instant>,
}

impl PriceListEntryUpsert {
    pub fn into_input(self) -> ApiResult<PriceListEntryInput> {
        Ok(PriceListEntryInput {
            id: parse_optional_id("id", self.id.as_ref())?,
            sku_id: parse_id("skuId", &self.sku_id)?,
            price_tier: self.price_tier,
            customer_id: parse_optional_id("customerId", self.customer_id.as_ref())?,
            unit_price: self.unit_price.0,
            min_quantity: self.min_quantity,
            valid_from: self.valid_from.map(|value| value.0),
            valid_until: self.valid_until.map(|value| value.0),
        })
    }
}

#[derive(InputObject, Default)]
pub struct PriceListEntryFilter {
    pub sku_id: Option<ID>,
    pub price_tier: Option<String>,
    pub customer_id: Option<ID>,
    /// Only entries in force at this instant (`validFrom` ≤ it < `validUntil`).
    pub active_at: Option<Instant>,
}

impl PriceListEntryFilter {
    pub fn into_filter(self) -> ApiResult<PriceListFilter> {
        Ok(PriceListFilter {
            sku_id: parse_optional_id("filter.skuId", self.sku_id.as_ref())?,
            price_tier: self.price_tier,
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            active_at: self.active_at.map(|at| at.0),
        })
    }
}

/// One entry of a price-list import: always a new entry.
#[derive(InputObject)]
pub struct PriceListEntryImport {
    /// Exactly one of `skuId` and `skuCode` (the tenant's SKU code, as on a supplier's sheet).
    pub sku_id: Option<ID>,
    pub sku_code: Option<String>,
    /// Exactly one of `priceTier` and `customerId`.
    pub price_tier: Option<String>,
    pub customer_id: Option<ID>,
    pub unit_price: Money,
    #[graphql(default = 1)]
    pub min_quantity: i32,
    /// From the import's time when absent.
    pub valid_from: Option<Instant>,
    /// Exclusive.
    pub valid_until: Option<Instant>,
}

/// The import's entries as the service takes them; an id that does not parse, or a SKU named
/// both or neither way, is refused at its path (`entries.3.skuId`).
pub fn imported_entries(entries: Vec<PriceListEntryImport>) -> ApiResult<Vec<ImportedEntry>> {
    entries
        .into_iter()
        .enumerate()
        .map(|(index, entry)| {
            let at = |field: &str| format!("entries.{index}.{field}");
            let sku = match (entry.sku_id, entry.sku_code) {
                (Some(id), None) => SkuRef::Id(parse_id(&at("skuId"), &id)?),
                (None, Some(code)) => SkuRef::Code(code),
                _ => {
                    return Err(ResolverError::bad_input(
                        &at("skuId"),
                        "give exactly one of skuId and skuCode",
                    ));
                }
            };
            Ok(ImportedEntry {
                sku,
                price_tier: entry.price_tier,
                customer_id: parse_optional_id(&at("customerId"), entry.customer_id.as_ref())?,
                unit_price: entry.unit_price.0,
                min_quantity: entry.min_quantity,
                valid_from: entry.valid_from.map(|at| at.0),
                valid_until: entry.valid_until.map(|at| at.0),
            })
        })
        .collect()
}

#[derive(InputObject, Default)]
pub struct SkuFilter {
    /// Any of these; all statuses when absent or empty. Portal users see active SKUs of active
    /// products only.
    pub statuses: Option<Vec<ProductStatus>>,
    pub product_id: Option<ID>,
    /// Matches the code or UPC, or the product's name, brand or varietal, ignoring case.
    pub search: Option<String>,
    pub allocated: Option<bool>,
}

impl SkuFilter {
    pub fn into_filter(self) -> ApiResult<skus::SkuFilter> {
        Ok(skus::SkuFilter {
            statuses: any_of(self.statuses),
            product_id: parse_optional_id("filter.productId", self.product_id.as_ref())?,
            search: self.search,
            allocated: self.allocated,
        })
    }
}
