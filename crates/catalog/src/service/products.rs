//! Products: what a tenant sells, before size and pack (those are SKUs). Portal users see active
//! products only; staff see every status.

use leora_compliance::entities::enums::ProductCategory;
use leora_tenancy::TenantContext;
use leora_tenancy::TenantTx;
use leora_tenancy::error::{find_visible, update_visible};
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::search::search_pattern;
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, Order, QueryFilter,
    QueryOrder, Select, Set,
};
use serde_json::Value;
use uuid::Uuid;

use super::validate::{json_object, optional_text, required_text};
use crate::entities::enums::ProductStatus;
use crate::entities::{products, suppliers};
use crate::error::CatalogError;

const ENTITY: &str = "product";
const VINTAGES: std::ops::RangeInclusive<i32> = 1800..=2200;

#[derive(Debug, Clone)]
pub struct NewProduct {
    /// A supplier of the tenant or of the shared directory.
    pub supplier_id: Option<Uuid>,
    pub name: String,
    pub brand: Option<String>,
    pub category: ProductCategory,
    pub varietal: Option<String>,
    pub vintage: Option<i32>,
    pub region: Option<String>,
    pub country: Option<String>,
    /// Alcohol by volume in percent, 0–100, at most 2 decimal places.
    pub abv: Option<Decimal>,
    pub description: Option<String>,
    /// A JSON object; `None` is `{}`.
    pub metadata: Option<Value>,
}

/// Changes to a product: `None` leaves a field as it is; for optional fields `Some(None)` clears
/// it.
#[derive(Debug, Clone, Default)]
pub struct ProductChanges {
    pub supplier_id: Option<Option<Uuid>>,
    pub name: Option<String>,
    pub brand: Option<Option<String>>,
    pub category: Option<ProductCategory>,
    pub varietal: Option<Option<String>>,
    pub vintage: Option<Option<i32>>,
    pub region: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub abv: Option<Option<Decimal>>,
    pub description: Option<Option<String>>,
    pub metadata: Option<Value>,
    pub status: Option<ProductStatus>,
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Any of these; empty means any status. Staff only: a portal user sees active products
    /// whatever it asks for.
    pub statuses: Vec<ProductStatus>,
    pub category: Option<ProductCategory>,
    pub supplier_id: Option<Uuid>,
    /// Matches name, brand or varietal, ignoring case; blank matches every product.
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductSort {
    Name,
    Brand,
    Vintage,
    CreatedAt,
}

/// The products `ctx` may see that match `filter`, sorted by `sort` in `direction` (the caller
/// breaks ties).
pub fn products(
    ctx: &TenantContext,
    filter: &ProductFilter,
    sort: ProductSort,
    direction: Order,
) -> Select<products::Entity> {
    let mut select = with_visible_status(ctx, &filter.statuses)
        .filter_eq(products::Column::Category, filter.category)
        .filter_eq(products::Column::SupplierId, filter.supplier_id);
    if let Some(pattern) = search_pattern(filter.search.as_deref()) {
        // The same expression as the trigram index, so the index serves the search.
        select = select.filter(Expr::cust_with_values(
            "(name || ' ' || coalesce(brand, '') || ' ' || coalesce(varietal, '')) ILIKE $1",
            [pattern],
        ));
    }
    select.order_by(sort_column(sort), direction)
}

/// The column a product sort sorts on; `Brand` and `Vintage` may be null.
pub fn sort_column(sort: ProductSort) -> products::Column {
    match sort {
        ProductSort::Name => products::Column::Name,
        ProductSort::Brand => products::Column::Brand,
        ProductSort::Vintage => products::Column::Vintage,
        ProductSort::CreatedAt => products::Column::CreatedAt,
    }
}

/// One product `ctx` may see; any other → `NotFound`.
pub async fn product(tx: &TenantTx, id: Uuid) -> Result<products::Model, CatalogError> {
    let ctx = tx.context();
    with_visible_status(ctx, &[])
        .filter(products::Column::Id.eq(id))
        .one(tx)
        .await?
        .ok_or(CatalogError::not_found(ENTITY))
}

/// Products in any of the statuses asked for (every status when none is), as far as `ctx` may
/// see them: a portal user sees active products only, whatever it asks for.
fn with_visible_status(ctx: &TenantContext, asked: &[ProductStatus]) -> Select<products::Entity> {
    let select = products::Entity::find();
    match ctx.customer_id() {
        Some(_) => select.filter(products::Column::Status.eq(ProductStatus::Active)),
        None => select.filter_in(products::Column::Status, asked.iter().copied()),
    }
}

/// Adds an active product. Bad input → `BadInput` on `name`, `vintage`, `abv` or `metadata`; a
/// supplier the tenant cannot see → `NotFound` supplier.
pub async fn create_product(
    tx: &TenantTx,
    input: NewProduct,
) -> Result<products::Model, CatalogError> {
    let tenant_id = tx.tenant_id();
    let product = products::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        supplier_id: Set(input.supplier_id),
        name: Set(required_text("name", &input.name)?),
        brand: Set(optional_text(input.brand)),
        category: Set(input.category),
        varietal: Set(optional_text(input.varietal)),
        vintage: Set(vintage(input.vintage)?),
        region: Set(optional_text(input.region)),
        country: Set(optional_text(input.country)),
        abv: Set(abv(input.abv)?),
        description: Set(optional_text(input.description)),
        metadata: Set(json_object(
            "metadata",
            input
                .metadata
                .unwrap_or_else(|| Value::Object(Default::default())),
        )?),
        status: Set(ProductStatus::Active),
        ..Default::default()
    };
    check_supplier(tx, input.supplier_id).await?;
    Ok(product.insert(tx).await?)
}

/// Changes a product, with the rules of [`create_product`].
pub async fn update_product(
    tx: &DatabaseTransaction,
    id: Uuid,
    changes: ProductChanges,
) -> Result<products::Model, CatalogError> {
    let mut product: products::ActiveModel =
        find_visible::<products::Entity, CatalogError>(tx, id, ENTITY)
            .await?
            .into();
    if let Some(supplier_id) = changes.supplier_id {
        check_supplier(tx, supplier_id).await?;
        product.supplier_id = Set(supplier_id);
    }
    if let Some(name) = changes.name {
        product.name = Set(required_text("name", &name)?);
    }
    if let Some(brand) = changes.brand {
        product.brand = Set(optional_text(brand));
    }
    if let Some(category) = changes.category {
        product.category = Set(category);
    }
    if let Some(varietal) = changes.varietal {
        product.varietal = Set(optional_text(varietal));
    }
    if let Some(value) = changes.vintage {
        product.vintage = Set(vintage(value)?);
    }
    if let Some(region) = changes.region {
        product.region = Set(optional_text(region));
    }
    if let Some(country) = changes.country {
        product.country = Set(optional_text(country));
    }
    if let Some(value) = changes.abv {
        product.abv = Set(abv(value)?);
    }
    if let Some(description) = changes.description {
        product.description = Set(optional_text(description));
    }
    if let Some(metadata) = changes.metadata {
        product.metadata = Set(json_object("metadata", metadata)?);
    }
    if let Some(status) = changes.status {
        product.status = Set(status);
    }
    update_visible(product, tx, ENTITY).await
}

/// Marks a product inactive. Its SKUs keep their own status.
pub async fn deactivate_product(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<products::Model, CatalogError> {
    let changes = ProductChanges {
        status: Some(ProductStatus::Inactive),
        ..Default::default()
    };
    update_product(tx, id, changes).await
}

/// The row policy refuses a product whose supplier the tenant cannot see; checking first turns
/// that refusal into a `NotFound` the caller can act on.
async fn check_supplier(
    tx: &DatabaseTransaction,
    supplier_id: Option<Uuid>,
) -> Result<(), CatalogError> {
    let Some(supplier_id) = supplier_id else {
        return Ok(());
    };
    match suppliers::Entity::find_by_id(supplier_id).one(tx).await? {
        Some(_) => Ok(()),
        None => Err(CatalogError::not_found("supplier")),
    }
}

fn vintage(vintage: Option<i32>) -> Result<Option<i32>, CatalogError> {
    match vintage {
        Some(year) if !VINTAGES.contains(&year) => Err(CatalogError::bad_input(
            "vintage",
            format!(
                "must be a year from {} to {}",
                VINTAGES.start(),
                VINTAGES.end()
            ),
        )),
        _ => Ok(vintage),
    }
}

fn abv(abv: Option<Decimal>) -> Result<Option<Decimal>, CatalogError> {
    match abv {
        Some(abv)
            if abv < Decimal::ZERO || abv > Decimal::ONE_HUNDRED || abv.normalize().scale() > 2 =>
        {
            Err(CatalogError::bad_input(
                "abv",
                "must be a percentage from 0 to 100 with at most 2 decimal places",
            ))
        }
        _ => Ok(abv),
    }
}
