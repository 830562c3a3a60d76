//! Output types: newtypes over order, invoice, cart and list rows.

use super::customers::Customer;
use super::loaders::{
    InvoiceOfOrder, ItemsOfCart, ItemsOfList, LinesOfOrder, OrderById, PaymentsOfInvoice,
    TodayOfTenant, UsedOfAllocation,
};
use crate::entities::carts::CartStatus as StoredCartStatus;
use crate::entities::invoices::InvoiceStatus as StoredInvoiceStatus;
use crate::entities::lists::ListKind as StoredListKind;
use crate::entities::order_lines::PricingRule as StoredPricingRule;
use crate::entities::orders::OrderStatus as StoredOrderStatus;
use crate::entities::payments::{
    PaymentMethod as StoredPaymentMethod, PaymentStatus as StoredPaymentStatus,
};
use crate::entities::{
    allocations, cart_items, carts, invoices, list_items, lists, order_lines, orders, payments,
};
use crate::service::allocations::remaining;
use crate::service::invoices::effective_status;
use crate::service::orders::MAX_LINES;
use crate::service::{MAX_CART_ITEMS, MAX_LIST_ITEMS, MAX_PAYMENTS_PER_INVOICE};
use async_graphql::{Context, ID, Object};
use leora_catalog::graphql::loaders::{CustomerById, SkuById};
use leora_catalog::graphql::types::Sku;
use leora_tenancy::Principal;
use leora_tenancy::graphql::cost;
use leora_tenancy::graphql::ids::{id, not_found};
use leora_tenancy::graphql::{
    ApiResult, Feature, Permission, PortalFeature, RequirePermission, ResolverError, Session,
};
use leora_tenancy::graphql::{Date, Instant, Money};
use leora_tenancy::mirror_enum;

mirror_enum!(OrderStatus <=> StoredOrderStatus { Draft, Submitted, Confirmed, Fulfilled, Delivered, Cancelled });
mirror_enum!(InvoiceStatus <=> StoredInvoiceStatus { Draft, Issued, PartiallyPaid, Paid, Overdue, Void });
mirror_enum!(PaymentMethod <=> StoredPaymentMethod { Ach, Check, CreditCard, Wire, Cash, Other });
mirror_enum!(PaymentStatus <=> StoredPaymentStatus { Pending, Completed, Failed, Refunded });
mirror_enum!(CartStatus <=> StoredCartStatus { Active, Converted, Abandoned, Expired });
mirror_enum!(ListKind <=> StoredListKind { Favorites, Template, Custom });
mirror_enum!(
    /// Which rule priced a line.
    PricingRule <=> StoredPricingRule { BasePrice, PriceTier, CustomerPrice, Sample }
);

async fn sku(ctx: &Context<'_>, sku_id: uuid::Uuid) -> ApiResult<Sku> {
    let loader = Session::of(ctx)?.loader(SkuById);
    loader
        .load_one(sku_id)
        .await?
        .map(Sku)
        .ok_or_else(|| not_found("sku"))
}

async fn customer(ctx: &Context<'_>, customer_id: uuid::Uuid) -> ApiResult<Customer> {
    let loader = Session::of(ctx)?.loader(CustomerById);
    loader
        .load_one(customer_id)
        .await?
        .map(Customer)
        .ok_or_else(|| not_found("customer"))
}

pub struct Order(pub orders::Model);

impl Order {
    /// Whether what one buyer wrote on the order is shown to the viewer: always to staff, to a
    /// portal user only on the orders they placed themselves.
    fn shown_to_viewer(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(match Session::of(ctx)?.context().principal() {
            Principal::PortalUser { portal_user_id, .. } => {
                self.0.placed_by_portal_user_id == Some(portal_user_id)
            }
            _ => true,
        })
    }
}

#[Object]
impl Order {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn order_number(&self) -> &str {
        &self.0.order_number
    }
    async fn status(&self) -> OrderStatus {
        self.0.status.into()
    }
    /// Sum of the line totals, before tax.
    async fn subtotal(&self) -> Money {
        Money(self.0.subtotal)
    }
    async fn tax_total(&self) -> Money {
        Money(self.0.tax_total)
    }
    async fn total(&self) -> Money {
        Money(self.0.total)
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn requested_delivery_date(&self) -> Option<Date> {
        self.0.requested_delivery_date.map(Date)
    }
    /// The key the order was placed with. A portal user sees it only on orders they placed.
    async fn idempotency_key(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        Ok(self
            .shown_to_viewer(ctx)?
            .then_some(self.0.idempotency_key.as_deref())
            .flatten())
    }
    /// Notes on the order. A portal user sees them only on orders they placed (others may carry
    /// the distributor's own notes).
    async fn notes(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        Ok(self
            .shown_to_viewer(ctx)?
            .then_some(self.0.notes.as_deref())
            .flatten())
    }
    /// Who submitted it beyond the customer's credit limit (holding `orders.override_credit`);
    /// null when it was within the limit. Staff only.
    #[graphql(guard = "RequirePermission(Permission::OrdersView)")]
    async fn credit_override_by_user_id(&self) -> Option<ID> {
        self.0.credit_override_by_user_id.map(id)
    }
    /// The staff member who placed it: staff only.
    #[graphql(guard = "RequirePermission(Permission::OrdersView)")]
    async fn placed_by_user_id(&self) -> Option<ID> {
        self.0.placed_by_user_id.map(id)
    }
    async fn placed_by_portal_user_id(&self) -> Option<ID> {
        self.0.placed_by_portal_user_id.map(id)
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
    async fn submitted_at(&self) -> Option<Instant> {
        self.0.submitted_at.map(Instant)
    }
    async fn confirmed_at(&self) -> Option<Instant> {
        self.0.confirmed_at.map(Instant)
    }
    async fn fulfilled_at(&self) -> Option<Instant> {
        self.0.fulfilled_at.map(Instant)
    }
    async fn delivered_at(&self) -> Option<Instant> {
        self.0.delivered_at.map(Instant)
    }
    async fn cancelled_at(&self) -> Option<Instant> {
        self.0.cancelled_at.map(Instant)
    }
    async fn customer_id(&self) -> ID {
        id(self.0.customer_id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Customer> {
        customer(ctx, self.0.customer_id).await
    }
    #[graphql(complexity = "cost::capped(MAX_LINES, child_complexity)")]
    async fn lines(&self, ctx: &Context<'_>) -> ApiResult<Vec<OrderLine>> {
        let loader = Session::of(ctx)?.loader(LinesOfOrder);
        Ok(loader.load_many(self.0.id, OrderLine).await?)
    }
    /// The order's invoice, once issued: the live one, or the last one voided when none is live.
    /// `null` with `FORBIDDEN` for a portal user while the portal's invoices are turned off.
    #[graphql(guard = "PortalFeature(Feature::Invoices)")]
    async fn invoice(&self, ctx: &Context<'_>) -> ApiResult<Option<Invoice>> {
        let loader = Session::of(ctx)?.loader(InvoiceOfOrder);
        Ok(loader.load_one(self.0.id).await?.map(Invoice))
    }
}

pub struct OrderLine(pub order_lines::Model);

#[Object]
impl OrderLine {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn line_number(&self) -> i32 {
        self.0.line_number
    }
    async fn sku_id(&self) -> ID {
        id(self.0.sku_id)
    }
    async fn sku(&self, ctx: &Context<'_>) -> ApiResult<Sku> {
        sku(ctx, self.0.sku_id).await
    }
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    /// The price charged per unit, fixed when the order was placed.
    async fn unit_price(&self) -> Money {
        Money(self.0.unit_price)
    }
    async fn discount(&self) -> Money {
        Money(self.0.discount)
    }
    async fn line_total(&self) -> Money {
        Money(self.0.line_total)
    }
    async fn tax_amount(&self) -> Money {
        Money(self.0.tax_amount)
    }
    async fn pricing_rule(&self) -> PricingRule {
        self.0.pricing_rule.into()
    }
    async fn is_sample(&self) -> bool {
        self.0.is_sample
    }
}

pub struct Invoice(pub invoices::Model);

#[Object]
impl Invoice {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn invoice_number(&self) -> &str {
        &self.0.invoice_number
    }
    /// As of today on the tenant's calendar: an unpaid invoice past its due date reads as overdue.
    async fn status(&self, ctx: &Context<'_>) -> ApiResult<InvoiceStatus> {
        let today = Session::of(ctx)?
            .loader(TodayOfTenant)
            .load_one(self.0.tenant_id)
            .await?
            .ok_or_else(ResolverError::internal)?;
        Ok(effective_status(&self.0, today).into())
    }
    async fn issued_at(&self) -> Instant {
        self.0.issued_at.into()
    }
    async fn due_date(&self) -> Date {
        self.0.due_date.into()
    }
    async fn subtotal(&self) -> Money {
        Money(self.0.subtotal)
    }
    async fn tax_total(&self) -> Money {
        Money(self.0.tax_total)
    }
    async fn total(&self) -> Money {
        Money(self.0.total)
    }
    /// What stays paid: the payments less what was refunded of them.
    async fn amount_paid(&self) -> Money {
        Money(self.0.amount_paid)
    }
    /// `total` less `amountPaid`.
    async fn balance(&self) -> Money {
        Money(self.0.balance)
    }
    async fn paid_at(&self) -> Option<Instant> {
        self.0.paid_at.map(Instant)
    }
    async fn voided_at(&self) -> Option<Instant> {
        self.0.voided_at.map(Instant)
    }
    async fn order(&self, ctx: &Context<'_>) -> ApiResult<Order> {
        let loader = Session::of(ctx)?.loader(OrderById);
        loader
            .load_one(self.0.order_id)
            .await?
            .map(Order)
            .ok_or_else(|| not_found("order"))
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Customer> {
        customer(ctx, self.0.customer_id).await
    }
    /// The payments applied to the invoice. `null` with `FORBIDDEN` for a portal user while the
    /// portal's payments are turned off (the invoice itself stays readable).
    #[graphql(
        complexity = "cost::capped(MAX_PAYMENTS_PER_INVOICE, child_complexity)",
        guard = "PortalFeature(Feature::Payments)"
    )]
    async fn payments(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<Payment>>> {
        let loader = Session::of(ctx)?.loader(PaymentsOfInvoice);
        Ok(Some(loader.load_many(self.0.id, Payment).await?))
    }
}

pub struct Payment(pub payments::Model);

#[Object]
impl Payment {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn amount(&self) -> Money {
        Money(self.0.amount)
    }
    /// How much of `amount` was returned to the customer (`refundPayment`); all of it once the
    /// status is `REFUNDED`.
    async fn refunded_amount(&self) -> Money {
        Money(self.0.refunded_amount)
    }
    async fn method(&self) -> PaymentMethod {
        self.0.method.into()
    }
    async fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }
    async fn received_at(&self) -> Instant {
        self.0.received_at.into()
    }
    async fn status(&self) -> PaymentStatus {
        self.0.status.into()
    }
}

pub struct Cart(pub carts::Model);

#[Object]
impl Cart {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn status(&self) -> CartStatus {
        self.0.status.into()
    }
    /// After this the cart can no longer be checked out.
    async fn expires_at(&self) -> Instant {
        self.0.expires_at.into()
    }
    async fn converted_order_id(&self) -> Option<ID> {
        self.0.converted_order_id.map(id)
    }
    #[graphql(complexity = "cost::capped(MAX_CART_ITEMS, child_complexity)")]
    async fn items(&self, ctx: &Context<'_>) -> ApiResult<Vec<CartItem>> {
        let loader = Session::of(ctx)?.loader(ItemsOfCart);
        Ok(loader.load_many(self.0.id, CartItem).await?)
    }
}

pub struct CartItem(pub cart_items::Model);

#[Object]
impl CartItem {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    async fn sku(&self, ctx: &Context<'_>) -> ApiResult<Sku> {
        sku(ctx, self.0.sku_id).await
    }
}

/// A saved list of SKUs (favourites, reorder templates).
pub struct ProductList(pub lists::Model);

#[Object]
impl ProductList {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> ListKind {
        self.0.kind.into()
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn customer_id(&self) -> ID {
        id(self.0.customer_id)
    }
    async fn created_at(&self) -> Instant {
        self.0.created_at.into()
    }
    #[graphql(complexity = "cost::capped(MAX_LIST_ITEMS, child_complexity)")]
    async fn items(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProductListItem>> {
        let loader = Session::of(ctx)?.loader(ItemsOfList);
        Ok(loader.load_many(self.0.id, ProductListItem).await?)
    }
}

pub struct ProductListItem(pub list_items::Model);

#[Object]
impl ProductListItem {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn default_quantity(&self) -> i32 {
        self.0.default_quantity
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn sku(&self, ctx: &Context<'_>) -> ApiResult<Sku> {
        sku(ctx, self.0.sku_id).await
    }
}

/// How much of an allocated SKU a customer may buy in a period.
pub struct Allocation(pub allocations::Model);

impl Allocation {
    async fn used_of(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let loader = Session::of(ctx)?.loader(UsedOfAllocation);
        Ok(loader.load_one(self.0.id).await?.unwrap_or(0))
    }
}

#[Object]
impl Allocation {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn customer_id(&self) -> ID {
        id(self.0.customer_id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> ApiResult<Customer> {
        customer(ctx, self.0.customer_id).await
    }
    async fn sku_id(&self) -> ID {
        id(self.0.sku_id)
    }
    async fn sku(&self, ctx: &Context<'_>) -> ApiResult<Sku> {
        sku(ctx, self.0.sku_id).await
    }
    /// The first day the quantity covers (the tenant's date).
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }
    /// The last day the quantity covers.
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }
    /// Units allocated for the period.
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    /// Units of the SKU in the customer's submitted, confirmed, fulfilled and delivered orders
    /// submitted within the period (cancelled orders give theirs back).
    async fn used(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        self.used_of(ctx).await
    }
    /// What may still be ordered in the period; never below 0.
    async fn remaining(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        Ok(remaining(self.0.quantity, self.used_of(ctx).await?))
    }
}
