//! Catalog administration. Every mutation needs the matching manage permission; the services
//! validate and name the offending field.

use super::inputs::{
    CreateProductInput, CreateSkuInput, CreateSupplierInput, PriceListEntryImport,
    PriceListEntryUpsert, UpdateProductInput, UpdateSkuInput, UpdateSupplierInput,
    imported_entries,
};
use super::types::{PriceListEntry, Product, Sku, StockLevel, Supplier, parse_id};
use crate::service::{inventory, price_lists, products, skus, suppliers};
use async_graphql::{Context, ID, Object, SimpleObject};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, Session};

#[derive(Default)]
pub struct CatalogMutation;

/// What an import added.
#[derive(SimpleObject)]
pub struct PriceListImport {
    /// How many entries were added.
    imported: usize,
}

#[Object]
impl CatalogMutation {
    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn create_product(
        &self,
        ctx: &Context<'_>,
        input: CreateProductInput,
    ) -> ApiResult<Product> {
        let session = Session::of(ctx)?;
        Ok(Product(
            products::create_product(session.tx(), input.into_new()?).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn update_product(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateProductInput,
    ) -> ApiResult<Product> {
        let tx = Session::of(ctx)?.tx();
        Ok(Product(
            products::update_product(tx, parse_id("id", &id)?, input.into_changes()?).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn deactivate_product(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Product> {
        let tx = Session::of(ctx)?.tx();
        Ok(Product(
            products::deactivate_product(tx, parse_id("id", &id)?).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn create_sku(&self, ctx: &Context<'_>, input: CreateSkuInput) -> ApiResult<Sku> {
        let session = Session::of(ctx)?;
        Ok(Sku(skus::create_sku(session.tx(), input.into_new()?).await?))
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn update_sku(&self, ctx: &Context<'_>, id: ID, input: UpdateSkuInput) -> ApiResult<Sku> {
        let tx = Session::of(ctx)?.tx();
        Ok(Sku(skus::update_sku(
            tx,
            parse_id("id", &id)?,
            input.into(),
        )
        .await?))
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn deactivate_sku(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Sku> {
        let tx = Session::of(ctx)?.tx();
        Ok(Sku(skus::deactivate_sku(tx, parse_id("id", &id)?).await?))
    }

    /// Change the stock on hand at a location (a delivery, a count correction, breakage); the
    /// reason is recorded with the change.
    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn adjust_inventory(
        &self,
        ctx: &Context<'_>,
        sku_id: ID,
        #[graphql(default = "main")] location: String,
        delta: i32,
        reason: String,
    ) -> ApiResult<StockLevel> {
        let tx = Session::of(ctx)?.tx();
        let sku_id = parse_id("skuId", &sku_id)?;
        inventory::adjust(tx, sku_id, &location, delta, &reason).await?;
        let stock = inventory::availability(tx, &[sku_id]).await?;
        Ok(StockLevel {
            sku_id,
            stock: stock.get(&sku_id).copied().unwrap_or_default(),
        })
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn upsert_price_list_entry(
        &self,
        ctx: &Context<'_>,
        input: PriceListEntryUpsert,
    ) -> ApiResult<PriceListEntry> {
        let session = Session::of(ctx)?;
        let entry = price_lists::upsert_price_list_entry(session.tx(), input.into_input()?).await?;
        Ok(PriceListEntry(entry))
    }

    /// Add up to 5,000 price-list entries at once, all or none: every entry is checked before any
    /// is written, and the first bad one is answered with `BAD_USER_INPUT` at its path
    /// (`extensions.field`: `entries.412.unitPrice`).
    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn import_price_list(
        &self,
        ctx: &Context<'_>,
        entries: Vec<PriceListEntryImport>,
    ) -> ApiResult<PriceListImport> {
        let session = Session::of(ctx)?;
        let imported =
            price_lists::import_price_list(session.tx(), imported_entries(entries)?).await?;
        Ok(PriceListImport { imported })
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn delete_price_list_entry(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let tx = Session::of(ctx)?.tx();
        price_lists::delete_price_list_entry(tx, parse_id("id", &id)?).await?;
        Ok(true)
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn create_supplier(
        &self,
        ctx: &Context<'_>,
        input: CreateSupplierInput,
    ) -> ApiResult<Supplier> {
        let session = Session::of(ctx)?;
        Ok(Supplier(
            suppliers::create_supplier(session.tx(), input.into()).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn update_supplier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateSupplierInput,
    ) -> ApiResult<Supplier> {
        let tx = Session::of(ctx)?.tx();
        Ok(Supplier(
            suppliers::update_supplier(tx, parse_id("id", &id)?, input.into()).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsManage)")]
    async fn deactivate_supplier(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Supplier> {
        let tx = Session::of(ctx)?.tx();
        Ok(Supplier(
            suppliers::deactivate_supplier(tx, parse_id("id", &id)?).await?,
        ))
    }
}
