//! Commerce queries. Portal users hold the portal permissions and the database confines them to
//! their own customer's rows; staff need the matching view permission.

use super::inputs::{InvoiceFilter, OrderFilter, OrderOrder, OrderSortField};
use super::types::{Cart, Invoice, Order, ProductList};
use crate::entities::{invoices, lists, orders};
use crate::service::carts;
use async_graphql::{Context, ID, Object};
use leora_tenancy::graphql::ids::{not_found, parse_id};
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate, paginate_by_position};
use leora_tenancy::graphql::{ApiResult, Permission, RequirePermission, Session};
use leora_tenancy::search::search_pattern;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[derive(Default)]
pub struct OrdersQuery;

#[Object]
impl OrdersQuery {
    /// Orders, newest first unless sorted otherwise.
    #[graphql(
        guard = "RequirePermission(Permission::OrdersView).or(RequirePermission(Permission::PortalOrdersView))"
    )]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        filter: Option<OrderFilter>,
        order_by: Option<OrderOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<Order>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = filter.unwrap_or_default();
        let session = Session::of(ctx)?;
        // The database already confines portal users; saying so lets the planner use the
        // customer-leading index instead of filtering the tenant's every order.
        let mut select = match session.context().customer_id() {
            Some(own) => orders::Entity::find().filter(orders::Column::CustomerId.eq(own)),
            None => orders::Entity::find(),
        };
        if let Some(status) = filter.status {
            select = select.filter(orders::Column::Status.eq(orders::OrderStatus::from(status)));
        }
        if let Some(customer_id) = &filter.customer_id {
            select = select
                .filter(orders::Column::CustomerId.eq(parse_id("filter.customerId", customer_id)?));
        }
        if let Some(from) = filter.placed_from {
            select = select.filter(orders::Column::CreatedAt.gte(from));
        }
        if let Some(until) = filter.placed_until {
            select = select.filter(orders::Column::CreatedAt.lt(until));
        }
        if let Some(pattern) = search_pattern(filter.search.as_deref()) {
            select = select.filter(Expr::cust_with_values("order_number ILIKE $1", [pattern]));
        }
        let order = order_by.unwrap_or_default();
        let column = match order.field {
            OrderSortField::CreatedAt => orders::Column::CreatedAt,
            OrderSortField::OrderNumber => orders::Column::OrderNumber,
            OrderSortField::Total => orders::Column::Total,
        };
        let select = select.order_by(column, order.direction.into());
        Ok(paginate_by_position(
            Session::of(ctx)?.tx(),
            select,
            orders::Column::Id,
            page,
            Order,
        )
        .await?)
    }

    #[graphql(
        guard = "RequirePermission(Permission::OrdersView).or(RequirePermission(Permission::PortalOrdersView))"
    )]
    async fn order(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Order> {
        let tx = Session::of(ctx)?.tx();
        orders::Entity::find_by_id(parse_id("id", &id)?)
            .one(tx)
            .await?
            .map(Order)
            .ok_or_else(|| not_found("order"))
    }

    /// Invoices, newest first.
    #[graphql(
        guard = "RequirePermission(Permission::InvoicesView).or(RequirePermission(Permission::PortalInvoicesView))"
    )]
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        filter: Option<InvoiceFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<Invoice>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = filter.unwrap_or_default();
        let session = Session::of(ctx)?;
        let mut select = match session.context().customer_id() {
            Some(own) => invoices::Entity::find().filter(invoices::Column::CustomerId.eq(own)),
            None => invoices::Entity::find(),
        };
        if let Some(status) = filter.status {
            select =
                select.filter(invoices::Column::Status.eq(invoices::InvoiceStatus::from(status)));
        }
        if let Some(customer_id) = &filter.customer_id {
            select = select.filter(
                invoices::Column::CustomerId.eq(parse_id("filter.customerId", customer_id)?),
            );
        }
        if let Some(from) = filter.issued_from {
            select = select.filter(invoices::Column::IssuedAt.gte(from));
        }
        if let Some(until) = filter.issued_until {
            select = select.filter(invoices::Column::IssuedAt.lt(until));
        }
        let select = select.order_by_desc(invoices::Column::IssuedAt);
        Ok(paginate(
            Session::of(ctx)?.tx(),
            select,
            invoices::Column::Id,
            page,
            Invoice,
        )
        .await?)
    }

    #[graphql(
        guard = "RequirePermission(Permission::InvoicesView).or(RequirePermission(Permission::PortalInvoicesView))"
    )]
    async fn invoice(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Invoice> {
        let tx = Session::of(ctx)?.tx();
        invoices::Entity::find_by_id(parse_id("id", &id)?)
            .one(tx)
            .await?
            .map(Invoice)
            .ok_or_else(|| not_found("invoice"))
    }

    /// The signed-in portal user's active cart (started empty on first use).
    #[graphql(guard = "RequirePermission(Permission::PortalOrdersCreate)")]
    async fn cart(&self, ctx: &Context<'_>) -> ApiResult<Cart> {
        let session = Session::of(ctx)?;
        Ok(Cart(
            carts::active_cart(session.tx(), session.context()).await?,
        ))
    }

    /// Saved lists; a portal user sees its own customer's.
    #[graphql(
        guard = "RequirePermission(Permission::OrdersView).or(RequirePermission(Permission::PortalOrdersCreate))"
    )]
    async fn lists(
        &self,
        ctx: &Context<'_>,
        customer_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Page<ProductList>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let mut select = lists::Entity::find();
        if let Some(customer_id) = &customer_id {
            select =
                select.filter(lists::Column::CustomerId.eq(parse_id("customerId", customer_id)?));
        }
        let select = select.order_by_asc(lists::Column::Name);
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
