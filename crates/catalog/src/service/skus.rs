//! SKUs: a sellable size and pack of a product, with its base price.

use leora_tenancy::error::{find_visible, not_found_unless_updated};
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::search::search_pattern;
use leora_tenancy::sql::{Violation, count, stmt, violated_constraint};
use leora_tenancy::{TenantContext, TenantTx};
use rust_decimal::Decimal;
use sea_orm::sea_query::extension::postgres::PgExpr;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Select, Set,
};
use uuid::Uuid;

use super::inventory;
use super::validate::{money, non_negative, optional_text, positive, required_text};
use crate::entities::enums::ProductStatus;
use crate::entities::{products, skus};
use crate::error::CatalogError;

const ENTITY: &str = "sku";
/// `base_price` and `unit_cost` are numeric(12, 2).
const PRICE_PRECISION: u32 = 12;
/// The most SKUs (sizes and packs) one product has.
pub const MAX_SKUS_PER_PRODUCT: usize = 50;
/// The usual case of wine and spirits.
pub const DEFAULT_UNITS_PER_CASE: i32 = 12;

#[derive(Debug, Clone, Default)]
pub struct SkuFilter {
    /// Any of these; every status when empty. Portal users see active SKUs of active products
    /// only.
    pub statuses: Vec<ProductStatus>,
    pub product_id: Option<Uuid>,
    /// Matches the SKU's code or UPC, or its product's name, brand or varietal, ignoring case.
    pub search: Option<String>,
    pub allocated: Option<bool>,
}

/// SKUs matching `filter` as far as `ctx` may see them, by code.
pub fn skus(ctx: &TenantContext, filter: &SkuFilter) -> Select<skus::Entity> {
    let mut select = visible_skus(ctx, &filter.statuses)
        .filter_eq(skus::Column::ProductId, filter.product_id)
        .filter_eq(skus::Column::Allocated, filter.allocated);
    if let Some(pattern) = search_pattern(filter.search.as_deref()) {
        // The product side is the products' trigram expression, so its index serves it.
        let matching_products = Query::select()
            .column(products::Column::Id)
            .from(products::Entity)
            .and_where(Expr::cust_with_values(
                "(name || ' ' || coalesce(brand, '') || ' ' || coalesce(varietal, '')) ILIKE $1",
                [pattern.clone()],
            ))
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(Expr::col(skus::Column::Code).ilike(pattern.clone()))
                .add(Expr::col(skus::Column::Upc).ilike(pattern))
                .add(skus::Column::ProductId.in_subquery(matching_products)),
        );
    }
    select.order_by_asc(skus::Column::Code)
}

/// One SKU `tx` may see; any other → `NotFound`.
pub async fn sku(tx: &TenantTx, id: Uuid) -> Result<skus::Model, CatalogError> {
    visible_skus(tx.context(), &[])
        .filter(skus::Column::Id.eq(id))
        .one(tx)
        .await?
        .ok_or(CatalogError::not_found(ENTITY))
}

/// SKUs in any of the statuses asked for (every status when none is), as far as `ctx` may see
/// them: a portal user sees active SKUs of active products only, whatever it asks for.
fn visible_skus(ctx: &TenantContext, asked: &[ProductStatus]) -> Select<skus::Entity> {
    let select = skus::Entity::find();
    match ctx.customer_id() {
        Some(_) => select
            .filter(skus::Column::Status.eq(ProductStatus::Active))
            .filter(
                skus::Column::ProductId.in_subquery(
                    Query::select()
                        .column(products::Column::Id)
                        .from(products::Entity)
                        .and_where(products::Column::Status.eq(ProductStatus::Active))
                        .to_owned(),
                ),
            ),
        None => select.filter_in(skus::Column::Status, asked.iter().copied()),
    }
}

#[derive(Debug, Clone)]
pub struct NewSku {
    pub product_id: Uuid,
    /// Unique within the tenant.
    pub code: String,
    pub size_ml: i32,
    /// `None` is [`DEFAULT_UNITS_PER_CASE`].
    pub units_per_case: Option<i32>,
    /// UPC-A, EAN-13 or GTIN digits.
    pub upc: Option<String>,
    pub base_price: Decimal,
    pub unit_cost: Option<Decimal>,
    /// Below this many available units the SKU is low (see `inventory::set_low_stock_threshold`);
    /// `None` is 0, never low.
    pub low_stock_threshold: Option<i32>,
}

/// Changes to a SKU: `None` leaves a field as it is; for optional fields `Some(None)` clears it.
/// A SKU stays with its product.
#[derive(Debug, Clone, Default)]
pub struct SkuChanges {
    pub code: Option<String>,
    pub size_ml: Option<i32>,
    pub units_per_case: Option<i32>,
    pub upc: Option<Option<String>>,
    pub base_price: Option<Decimal>,
    pub unit_cost: Option<Option<Decimal>>,
    pub status: Option<ProductStatus>,
    pub low_stock_threshold: Option<i32>,
}

/// Adds an active SKU. Bad input → `BadInput` on `code`, `sizeMl`, `unitsPerCase`, `upc`,
/// `basePrice`, `unitCost` or `lowStockThreshold`; a code the tenant already uses → `Conflict`
/// on `code`; a product the tenant does not have → `NotFound` product.
///
/// A new SKU has no stock, so one created with a threshold above 0 is low from the start and
/// records `inventory.low` (the rule of `inventory::set_low_stock_threshold`).
pub async fn create_sku(tx: &TenantTx, input: NewSku) -> Result<skus::Model, CatalogError> {
    let tenant_id = tx.tenant_id();
    let threshold = low_stock_threshold(input.low_stock_threshold)?;
    within_sku_cap(tx, input.product_id).await?;
    let sku = skus::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        product_id: Set(input.product_id),
        code: Set(required_text("code", &input.code)?),
        size_ml: Set(positive("sizeMl", input.size_ml)?),
        units_per_case: Set(positive(
            "unitsPerCase",
            input.units_per_case.unwrap_or(DEFAULT_UNITS_PER_CASE),
        )?),
        upc: Set(upc(input.upc)?),
        base_price: Set(money("basePrice", input.base_price, PRICE_PRECISION)?),
        unit_cost: Set(unit_cost(input.unit_cost)?),
        status: Set(ProductStatus::Active),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(write_error)?;
    if let Some(threshold) = threshold {
        inventory::set_low_stock_threshold(tx, sku.id, threshold).await?;
    }
    Ok(sku)
}

/// Refuses a SKU beyond [`MAX_SKUS_PER_PRODUCT`]. The product row is locked (in a mode the new
/// SKU's foreign-key check does not wait for), so concurrent additions queue and cannot both
/// slip under the cap; the cap bounds what `Product.skus` returns (see `docs/architecture.md`,
/// "What a request may cost"). An unknown product is left to the insert to report.
async fn within_sku_cap(tx: &TenantTx, product_id: Uuid) -> Result<(), CatalogError> {
    let skus = count(
        tx,
        stmt(
            "SELECT count(*) FROM skus
              WHERE product_id = (SELECT id FROM products WHERE id = $1 FOR NO KEY UPDATE)",
            [product_id.into()],
        ),
    )
    .await?;
    if skus >= MAX_SKUS_PER_PRODUCT {
        return Err(CatalogError::bad_input(
            "productId",
            format!("a product has at most {MAX_SKUS_PER_PRODUCT} SKUs"),
        ));
    }
    Ok(())
}

/// Changes a SKU, with the rules of [`create_sku`]. A new threshold that makes the SKU low records
/// `inventory.low` (see `inventory::set_low_stock_threshold`).
pub async fn update_sku(
    tx: &DatabaseTransaction,
    id: Uuid,
    changes: SkuChanges,
) -> Result<skus::Model, CatalogError> {
    let threshold = low_stock_threshold(changes.low_stock_threshold)?;
    let mut sku: skus::ActiveModel = find_visible::<skus::Entity, CatalogError>(tx, id, ENTITY)
        .await?
        .into();
    if let Some(code) = changes.code {
        sku.code = Set(required_text("code", &code)?);
    }
    if let Some(size_ml) = changes.size_ml {
        sku.size_ml = Set(positive("sizeMl", size_ml)?);
    }
    if let Some(units_per_case) = changes.units_per_case {
        sku.units_per_case = Set(positive("unitsPerCase", units_per_case)?);
    }
    if let Some(value) = changes.upc {
        sku.upc = Set(upc(value)?);
    }
    if let Some(base_price) = changes.base_price {
        sku.base_price = Set(money("basePrice", base_price, PRICE_PRECISION)?);
    }
    if let Some(value) = changes.unit_cost {
        sku.unit_cost = Set(unit_cost(value)?);
    }
    if let Some(status) = changes.status {
        sku.status = Set(status);
    }
    let sku = sku.update(tx).await.map_err(write_error)?;
    if let Some(threshold) = threshold {
        inventory::set_low_stock_threshold(tx, sku.id, threshold).await?;
    }
    Ok(sku)
}

/// Marks a SKU allocated (sold to each customer only within its allocation) or releases it.
pub async fn set_allocated(
    tx: &DatabaseTransaction,
    id: Uuid,
    allocated: bool,
) -> Result<skus::Model, CatalogError> {
    let mut sku: skus::ActiveModel = find_visible::<skus::Entity, CatalogError>(tx, id, ENTITY)
        .await?
        .into();
    sku.allocated = Set(allocated);
    sku.update(tx).await.map_err(write_error)
}

/// Marks a SKU inactive: it keeps its stock and prices but should no longer be sold.
pub async fn deactivate_sku(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<skus::Model, CatalogError> {
    let changes = SkuChanges {
        status: Some(ProductStatus::Inactive),
        ..Default::default()
    };
    update_sku(tx, id, changes).await
}

fn upc(upc: Option<String>) -> Result<Option<String>, CatalogError> {
    let Some(upc) = optional_text(upc) else {
        return Ok(None);
    };
    if !(matches!(upc.len(), 8 | 12 | 13 | 14) && upc.bytes().all(|b| b.is_ascii_digit())) {
        return Err(CatalogError::bad_input(
            "upc",
            "must be 8, 12, 13 or 14 digits (UPC, EAN or GTIN)",
        ));
    }
    Ok(Some(upc))
}

/// Checked before anything is written, with the SKU's other fields.
fn low_stock_threshold(threshold: Option<i32>) -> Result<Option<i32>, CatalogError> {
    threshold
        .map(|threshold| non_negative("lowStockThreshold", threshold))
        .transpose()
}

fn unit_cost(cost: Option<Decimal>) -> Result<Option<Decimal>, CatalogError> {
    cost.map(|cost| money("unitCost", cost, PRICE_PRECISION))
        .transpose()
}

fn write_error(error: DbErr) -> CatalogError {
    match violated_constraint(&error) {
        Some(Violation::Unique("skus_tenant_id_code_key")) => {
            CatalogError::conflict("code", "a sku with this code already exists")
        }
        Some(Violation::ForeignKey("skus_tenant_id_product_id_fkey")) => {
            CatalogError::not_found("product")
        }
        _ => not_found_unless_updated(ENTITY, error),
    }
}
