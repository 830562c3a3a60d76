//! Commerce queries. Portal users hold the portal permissions and the database confines them to
//! their own customer's rows; staff need the matching view permission.

use super::inputs::{AllocationFilter, InvoiceFilter, InvoiceOrder, OrderFilter, OrderOrder};
use super::types::{Allocation, Cart, Invoice, Order, ProductList};
use crate::entities::{allocations, invoices, lists, orders};
use crate::service::{self, carts};
use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::ids::{parse_id, parse_optional_id};
use leora_tenancy::graphql::keyset::{
    Keyset, KeysetPage, paginate_keyset, paginate_keyset_by_position,
};
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{
    ApiResult, Feature, Permission, PortalFeature, RequirePermission, Session, StaffOrPortal,
};

#[derive(Default)]
pub struct OrdersQuery;

#[Object]
impl OrdersQuery {
    /// Orders, newest first unless sorted otherwise. Pages both ways with stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "StaffOrPortal(Permission::OrdersView, Permission::PortalOrdersView).and(PortalFeature(Feature::Orders))"
    )]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        filter: Option<OrderFilter>,
        order_by: Option<OrderOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Order>> {
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let (select, keyset) = orders_in_order(session.context(), &filter, order_by);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let page = paginate_keyset_by_position(session.tx(), select, &keyset, page, Order);
        Ok(page.await?)
    }

    /// Allocations of allocated SKUs, latest period first: staff see those of the accounts they
    /// see, a portal user its own customer's.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "StaffOrPortal(Permission::OrdersView, Permission::PortalOrdersView).and(PortalFeature(Feature::Orders))"
    )]
    async fn allocations(
        &self,
        ctx: &Context<'_>,
        filter: Option<AllocationFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<Allocation>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let select = service::allocations::allocations(&filter);
        Ok(paginate(
            session.tx(),
            select,
            allocations::Column::Id,
            page,
            Allocation,
        )
        .await?)
    }

    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersView, Permission::PortalOrdersView).and(PortalFeature(Feature::Orders))"
    )]
    async fn order(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Order> {
        let tx = Session::of(ctx)?.tx();
        Ok(Order(
            service::orders::order(tx, parse_id("id", &id)?).await?,
        ))
    }

    /// Invoices, newest first unless sorted otherwise. Pages both ways with stable cursors.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "StaffOrPortal(Permission::InvoicesView, Permission::PortalInvoicesView).and(PortalFeature(Feature::Invoices))"
    )]
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        filter: Option<InvoiceFilter>,
        order_by: Option<InvoiceOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Invoice>> {
        let session = Session::of(ctx)?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let keyset = invoices_in_order(order_by);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let select = service::invoices::invoices(session.context(), &filter);
        Ok(paginate_keyset(session.tx(), select, &keyset, page, Invoice).await?)
    }

    #[graphql(
        guard = "StaffOrPortal(Permission::InvoicesView, Permission::PortalInvoicesView).and(PortalFeature(Feature::Invoices))"
    )]
    async fn invoice(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Invoice> {
        let tx = Session::of(ctx)?.tx();
        Ok(Invoice(
            service::invoices::invoice(tx, parse_id("id", &id)?).await?,
        ))
    }

    /// The signed-in portal user's active cart (started empty on first use).
    #[graphql(
        guard = "RequirePermission(Permission::PortalOrdersCreate).and(PortalFeature(Feature::Cart))"
    )]
    async fn cart(&self, ctx: &Context<'_>) -> ApiResult<Cart> {
        let session = Session::of(ctx)?;
        Ok(Cart(carts::active_cart(session.tx()).await?))
    }

    /// One saved list: staff see those of the accounts they see, a portal user its customer's.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersView, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Lists))"
    )]
    async fn list(&self, ctx: &Context<'_>, id: ID) -> ApiResult<ProductList> {
        let tx = Session::of(ctx)?.tx();
        Ok(ProductList(
            service::lists::list(tx, parse_id("id", &id)?).await?,
        ))
    }

    /// Saved lists; a portal user sees its own customer's.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "StaffOrPortal(Permission::OrdersView, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Lists))"
    )]
    async fn lists(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<ProductList>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let customer_id = parse_optional_id("customerId", customer_id.as_ref())?;
        let select = service::lists::lists(customer_id);
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            lists::Column::Id,
            page,
            ProductList,
        )
        .await?)
    }
}

/// The orders `filter` selects, with the order `order_by` asks for (newest first by default):
/// shared by `orders` and `Customer.orders`.
pub(crate) fn orders_in_order(
    ctx: &leora_tenancy::TenantContext,
    filter: &service::orders::OrderFilter,
    order_by: Option<OrderOrder>,
) -> (sea_orm::Select<orders::Entity>, Keyset<orders::Column>) {
    let order = order_by.unwrap_or_default();
    let (sort, direction): (_, sea_orm::Order) = (order.field.into(), order.direction.into());
    let keyset = Keyset::by(
        service::orders::sort_column(sort),
        direction.clone(),
        orders::Column::Id,
    );
    (
        service::orders::orders(ctx, filter, sort, direction),
        keyset,
    )
}

/// The invoices' order `order_by` asks for: newest first by default.
pub(crate) fn invoices_in_order(order_by: Option<InvoiceOrder>) -> Keyset<invoices::Column> {
    let order = order_by.unwrap_or_default();
    Keyset::by(
        order.field.into(),
        order.direction.into(),
        invoices::Column::Id,
    )
}
