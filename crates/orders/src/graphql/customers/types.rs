//! The `Customer` type: the account's own fields from its catalog row, and connections to its
//! orders, invoices and portal users, each under the same guard and visibility as the top-level
//! list it mirrors (row-level security confines a rep to its team's accounts and a buyer to its
//! own). Nested under `customers`, each connection is one query per customer, which the cost of
//! `first` × the customer page bounds.

use super::super::inputs::{InvoiceOrder, OrderOrder};
use super::super::query::{invoices_in_order, orders_in_order};
use super::super::types::{Invoice, InvoiceStatus, Order, OrderStatus};
use crate::service;
use async_graphql::{Context, ID, Json, Object};
use leora_catalog::entities::customers::{
    self, CustomerStatus as StoredCustomerStatus, PaymentTerms as StoredPaymentTerms,
};
use leora_identity::entities::portal_users;
use leora_identity::graphql::{PortalUser, UserStatus};
use leora_identity::service::admin;
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::ids::id;
use leora_tenancy::graphql::keyset::{KeysetPage, paginate_keyset, paginate_keyset_by_position};
use leora_tenancy::graphql::pagination::{Page, PageRequest, paginate};
use leora_tenancy::graphql::{
    ApiResult, Feature, Permission, PortalFeature, RequirePermission, Session, StaffOrPortal,
};
use leora_tenancy::graphql::{Date, Instant, Money};
use leora_tenancy::mirror_enum;

mirror_enum!(CustomerStatus <=> StoredCustomerStatus { Active, OnHold, Inactive });
mirror_enum!(PaymentTerms <=> StoredPaymentTerms { Prepaid, Cod, Net15, Net30, Net60 });

pub struct Customer(pub customers::Model);

#[Object]
impl Customer {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn account_number(&self) -> &str {
        &self.0.account_number
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn license_number(&self) -> Option<&str> {
        self.0.license_number.as_deref()
    }
    async fn license_state(&self) -> Option<&str> {
        self.0.license_state.as_deref()
    }
    async fn license_expires_on(&self) -> Option<Date> {
        self.0.license_expires_on.map(Date)
    }
    /// Where the customer is, which decides its excise tax.
    async fn state(&self) -> &str {
        &self.0.state
    }
    async fn price_tier(&self) -> Option<&str> {
        self.0.price_tier.as_deref()
    }
    async fn payment_terms(&self) -> PaymentTerms {
        self.0.payment_terms.into()
    }
    /// Staff only.
    #[graphql(guard = "RequirePermission(Permission::CustomersView)")]
    async fn credit_limit(&self) -> Option<Money> {
        self.0.credit_limit.map(Money)
    }
    #[graphql(guard = "RequirePermission(Permission::CustomersView)")]
    async fn assigned_rep_id(&self) -> Option<ID> {
        self.0.assigned_rep_id.map(id)
    }
    async fn billing_address(&self) -> Option<Json<serde_json::Value>> {
        self.0.billing_address.clone().map(Json)
    }
    async fn shipping_address(&self) -> Option<Json<serde_json::Value>> {
        self.0.shipping_address.clone().map(Json)
    }
    async fn status(&self) -> CustomerStatus {
        self.0.status.into()
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }

    /// The customer's orders, newest first unless sorted otherwise: what `orders` answers for
    /// this customer. `null` with `FORBIDDEN` for a viewer who may not see orders.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "StaffOrPortal(Permission::OrdersView, Permission::PortalOrdersView).and(PortalFeature(Feature::Orders))"
    )]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Any of these; all statuses when absent or empty.")] statuses: Option<
            Vec<OrderStatus>,
        >,
        order_by: Option<OrderOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Option<Page<Order>>> {
        let session = Session::of(ctx)?;
        let filter = service::orders::OrderFilter {
            statuses: any_of(statuses),
            customer_id: Some(self.0.id),
            ..Default::default()
        };
        let (select, keyset) = orders_in_order(session.context(), &filter, order_by);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let page = paginate_keyset_by_position(session.tx(), select, &keyset, page, Order);
        Ok(Some(page.await?))
    }

    /// The customer's invoices, newest first unless sorted otherwise: what `invoices` answers for
    /// this customer. `null` with `FORBIDDEN` for a viewer who may not see invoices.
    #[graphql(
        complexity = "cost::page(first.or(last), child_complexity)",
        guard = "StaffOrPortal(Permission::InvoicesView, Permission::PortalInvoicesView).and(PortalFeature(Feature::Invoices))"
    )]
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Any of these; all statuses when absent or empty.")] statuses: Option<
            Vec<InvoiceStatus>,
        >,
        order_by: Option<InvoiceOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Option<Page<Invoice>>> {
        let session = Session::of(ctx)?;
        let filter = service::invoices::InvoiceFilter {
            statuses: any_of(statuses),
            customer_id: Some(self.0.id),
            ..Default::default()
        };
        let keyset = invoices_in_order(order_by);
        let page = KeysetPage::new(&keyset, first, after.as_deref(), last, before.as_deref())?
            .counting_if_selected(ctx);
        let select = service::invoices::invoices(session.context(), &filter);
        let page = paginate_keyset(session.tx(), select, &keyset, page, Invoice);
        Ok(Some(page.await?))
    }

    /// The customer's portal users: what `portalUsers` answers for this customer. `null` with
    /// `FORBIDDEN` for a viewer who may not manage them.
    #[graphql(
        complexity = "cost::page(first, child_complexity)",
        guard = "StaffOrPortal(Permission::UsersManage, Permission::PortalUsersManage)"
    )]
    async fn portal_users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Any of these; all statuses when absent or empty.")] statuses: Option<
            Vec<UserStatus>,
        >,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Option<Page<PortalUser>>> {
        let page = PageRequest::new(first, after.as_deref())?.counting_if_selected(ctx);
        let filter = admin::PortalUserFilter {
            customer_id: Some(self.0.id),
            statuses: any_of(statuses),
        };
        let select = admin::portal_users(&filter);
        let tx = Session::of(ctx)?.tx();
        let page = paginate(tx, select, portal_users::Column::Id, page, PortalUser);
        Ok(Some(page.await?))
    }
}
