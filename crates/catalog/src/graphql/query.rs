//! Catalog queries. Portal users reach the catalog (active products only); staff need the matching
//! view permission.

use super::inputs::{PriceListEntryFilter, ProductFilter, ProductOrder, SkuFilter};
use super::types::{PriceListEntry, Product, Sku, Supplier, parse_id};
use crate::entities::{price_list_entries, products, skus, suppliers};
use crate::service;
use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::keyset::{Keyset, KeysetPage, paginate_keyset_by_position};
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{
    ApiResult, Feature, Permission, PortalFeature, RequirePermission, Session, StaffOrPortal,
};

#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// The price book: tier and customer prices, by SKU. Staff see every entry of the accounts
    /// they see; a portal user its own customer's entries and its tier's.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "StaffOrPortal(Permission::ProductsView, Permission::PortalCatalogView).and(PortalFeature(Feature::Catalog))"
    )]
    async fn price_list_entries(
        &self,
        ctx: &Context<'_>,
        filter: Option<PriceListEntryFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<PriceListEntry>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = service::price_lists::entries(&filter);
        Ok(paginate(
            session.tx(),
            select,
            price_list_entries::Column::Id,
            page,
            PriceListEntry,
        )
        .await?)
    }

    /// Products, filtered and sorted (a product without the brand or vintage sorted on comes
    /// last); portal users see active products only. Pages both ways with stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "StaffOrPortal(Permission::ProductsView, Permission::PortalCatalogView).and(PortalFeature(Feature::Catalog))"
    )]
    async fn products(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProductFilter>,
        order_by: Option<ProductOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Product>> {
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let order = order_by.unwrap_or_default();
        let (sort, direction): (_, sea_orm::Order) = (order.field.into(), order.direction.into());
        let column = service::products::sort_column(sort);
        let keyset = Keyset::by(column, direction.clone(), products::Column::Id);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let select = service::products::products(session.context(), &filter, sort, direction);
        let page = paginate_keyset_by_position(session.tx(), select, &keyset, page, Product);
        Ok(page.await?)
    }

    #[graphql(
        guard = "StaffOrPortal(Permission::ProductsView, Permission::PortalCatalogView).and(PortalFeature(Feature::Catalog))"
    )]
    async fn product(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Product> {
        let session = Session::of(ctx)?;
        let product = service::products::product(session.tx(), parse_id("id", &id)?).await?;
        Ok(Product(product))
    }

    /// SKUs by code, searched by code, UPC or product; portal users see active SKUs of active
    /// products only. Pages both ways with stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "StaffOrPortal(Permission::ProductsView, Permission::PortalCatalogView).and(PortalFeature(Feature::Catalog))"
    )]
    async fn skus(
        &self,
        ctx: &Context<'_>,
        filter: Option<SkuFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Sku>> {
        let keyset = Keyset::by(skus::Column::Code, sea_orm::Order::Asc, skus::Column::Id);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = service::skus::skus(session.context(), &filter);
        Ok(paginate_keyset_by_position(session.tx(), select, &keyset, page, Sku).await?)
    }

    #[graphql(
        guard = "StaffOrPortal(Permission::ProductsView, Permission::PortalCatalogView).and(PortalFeature(Feature::Catalog))"
    )]
    async fn sku(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Sku> {
        let session = Session::of(ctx)?;
        Ok(Sku(
            service::skus::sku(session.tx(), parse_id("id", &id)?).await?
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::ProductsView)")]
    async fn supplier(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Supplier> {
        let tx = Session::of(ctx)?.tx();
        Ok(Supplier(
            service::suppliers::supplier(tx, parse_id("id", &id)?).await?,
        ))
    }

    /// The tenant's suppliers and the shared supplier directory, by name.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "RequirePermission(Permission::ProductsView)"
    )]
    async fn suppliers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<Supplier>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let select = service::suppliers::suppliers();
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            suppliers::Column::Id,
            page,
            Supplier,
        )
        .await?)
    }
}
