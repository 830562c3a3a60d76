//! Catalog queries. Portal users reach the catalog (active products only) and their own customer
//! account; staff need the matching view permission.

use super::inputs::{
    CustomerFilter, CustomerOrder, CustomerSortField, ProductFilter, ProductOrder, ProductSortField,
};
use super::types::{Customer, Product, Supplier, not_found, parse_id};
use crate::entities::enums::ProductStatus as StoredProductStatus;
use crate::entities::{customers, products, suppliers};
use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::pagination::{
    Page, PageRequest, contains_pattern, paginate, paginate_by_position,
};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, Session, StaffOrPortal};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Products, filtered and sorted; portal users see active products only.
    #[graphql(guard = "StaffOrPortal(Permission::ProductsView, Permission::PortalCatalogView)")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProductFilter>,
        order_by: Option<ProductOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<Product>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let mut select = products::Entity::find();
        if session.context().customer_id().is_some() {
            select = select.filter(products::Column::Status.eq(StoredProductStatus::Active));
        } else if let Some(status) = filter.status {
            select = select.filter(products::Column::Status.eq(StoredProductStatus::from(status)));
        }
        if let Some(category) = filter.category {
            let category: leora_compliance::entities::enums::ProductCategory = category.into();
            select = select.filter(products::Column::Category.eq(category));
        }
        if let Some(supplier_id) = &filter.supplier_id {
            select = select.filter(
                products::Column::SupplierId.eq(parse_id("filter.supplierId", supplier_id)?),
            );
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            // The same expression as the trigram index, so the index serves the search.
            select = select.filter(Expr::cust_with_values(
                "(name || ' ' || coalesce(brand, '') || ' ' || coalesce(varietal, '')) ILIKE $1",
                [contains_pattern(search)],
            ));
        }
        let order = order_by.unwrap_or_default();
        let column = match order.field {
            ProductSortField::Name => products::Column::Name,
            ProductSortField::Brand => products::Column::Brand,
            ProductSortField::Vintage => products::Column::Vintage,
            ProductSortField::CreatedAt => products::Column::CreatedAt,
        };
        let select = select.order_by(column, order.direction.into());
        Ok(paginate_by_position(session.tx(), select, products::Column::Id, page, Product).await?)
    }

    #[graphql(guard = "StaffOrPortal(Permission::ProductsView, Permission::PortalCatalogView)")]
    async fn product(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Product> {
        let session = Session::of(ctx)?;
        let product = products::Entity::find_by_id(parse_id("id", &id)?)
            .one(session.tx())
            .await?
            .filter(|p| {
                session.context().customer_id().is_none() || p.status == StoredProductStatus::Active
            })
            .ok_or_else(|| not_found("product"))?;
        Ok(Product(product))
    }

    /// The tenant's suppliers and the shared supplier directory, by name.
    #[graphql(guard = "RequirePermission(Permission::ProductsView)")]
    async fn suppliers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<Supplier>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let select = suppliers::Entity::find().order_by_asc(suppliers::Column::Name);
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            suppliers::Column::Id,
            page,
            Supplier,
        )
        .await?)
    }

    /// Customer accounts; a portal user sees only its own.
    #[graphql(guard = "StaffOrPortal(Permission::CustomersView, Permission::PortalCatalogView)")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        filter: Option<CustomerFilter>,
        order_by: Option<CustomerOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<Customer>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = filter.unwrap_or_default();
        let mut select = customers::Entity::find();
        if let Some(status) = filter.status {
            select = select
                .filter(customers::Column::Status.eq(customers::CustomerStatus::from(status)));
        }
        if let Some(rep) = &filter.assigned_rep_id {
            select = select.filter(
                customers::Column::AssignedRepId.eq(parse_id("filter.assignedRepId", rep)?),
            );
        }
        if let Some(state) = &filter.state {
            select = select.filter(customers::Column::State.eq(state.trim().to_uppercase()));
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
            select = select.filter(Expr::cust_with_values(
                "name ILIKE $1",
                [contains_pattern(search)],
            ));
        }
        let order = order_by.unwrap_or_default();
        let column = match order.field {
            CustomerSortField::Name => customers::Column::Name,
            CustomerSortField::AccountNumber => customers::Column::AccountNumber,
            CustomerSortField::CreatedAt => customers::Column::CreatedAt,
        };
        let select = select.order_by(column, order.direction.into());
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            customers::Column::Id,
            page,
            Customer,
        )
        .await?)
    }

    #[graphql(guard = "StaffOrPortal(Permission::CustomersView, Permission::PortalCatalogView)")]
    async fn customer(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Customer> {
        let session = Session::of(ctx)?;
        customers::Entity::find_by_id(parse_id("id", &id)?)
            .one(session.tx())
            .await?
            .map(Customer)
            .ok_or_else(|| not_found("customer"))
    }
}
