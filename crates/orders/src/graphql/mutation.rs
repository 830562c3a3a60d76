//! Commerce mutations. The services hold the rules (pricing, stock, lifecycle, idempotency,
//! overpayment, refunds); the guards say who may ask.

use super::inputs::{
    CheckoutInput, CreateListInput, CreateOrderInput, ListItemInput, RecordPaymentInput,
    SetAllocationInput, UpdateDraftOrderInput, UpdateListInput,
};
use super::types::{Allocation, Cart, Invoice, Order, Payment, ProductList, ProductListItem};
use crate::service::invoices::NewRefund;
use crate::service::{allocations, carts, invoices, lists, orders};
use async_graphql::{Context, ID, Object, SimpleObject};
use leora_catalog::graphql::types::Sku;
use leora_catalog::service::skus;
use leora_tenancy::graphql::ids::parse_id;
use leora_tenancy::graphql::{
    ApiResult, Feature, Money, Permission, PortalFeature, RequirePermission, Session, StaffOrPortal,
};

/// A recorded payment and the invoice it was applied to.
#[derive(SimpleObject)]
pub struct PaymentRecorded {
    payment: Payment,
    invoice: Invoice,
}

/// A refunded payment and its invoice, whose balance and status followed.
#[derive(SimpleObject)]
pub struct PaymentRefunded {
    payment: Payment,
    invoice: Invoice,
}

/// A checkout: the order placed, and the buyer's cart as it now is (a new, empty one), so a
/// client's cached cart is current without asking again.
#[derive(SimpleObject)]
pub struct CheckedOut {
    order: Order,
    cart: Cart,
}

#[derive(Default)]
pub struct OrdersMutation;

#[Object]
impl OrdersMutation {
    /// Place an order, priced and taxed by the server; a draft unless `submit` is set.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Orders))"
    )]
    async fn create_order(&self, ctx: &Context<'_>, input: CreateOrderInput) -> ApiResult<Order> {
        let session = Session::of(ctx)?;
        let placed = orders::create_order(session.tx(), input.into_new()?).await?;
        Ok(Order(placed.order))
    }

    /// Edit a draft: `lines` (when given) replaces all its lines, priced now; `notes` and
    /// `requestedDeliveryDate` change when given.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Orders))"
    )]
    async fn update_draft_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateDraftOrderInput,
    ) -> ApiResult<Order> {
        let session = Session::of(ctx)?;
        let id = parse_id("id", &id)?;
        let edited = orders::update_draft_order(session.tx(), id, input.into_changes()?).await?;
        Ok(Order(edited.order))
    }

    /// Delete a draft (a submitted order is cancelled instead); answers the deleted order's id.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Orders))"
    )]
    async fn delete_draft_order(&self, ctx: &Context<'_>, id: ID) -> ApiResult<ID> {
        let session = Session::of(ctx)?;
        let deleted = orders::delete_draft_order(session.tx(), parse_id("id", &id)?).await?;
        Ok(ID(deleted.to_string()))
    }

    /// draft → submitted, re-priced and re-taxed at today's prices and rates, reserving stock.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Orders))"
    )]
    async fn submit_order(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Order> {
        let session = Session::of(ctx)?;
        Ok(Order(
            orders::submit_order(session.tx(), parse_id("id", &id)?).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::OrdersManage)")]
    async fn confirm_order(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Order> {
        let session = Session::of(ctx)?;
        Ok(Order(
            orders::confirm_order(session.tx(), parse_id("id", &id)?).await?,
        ))
    }

    /// Ship the order, consuming its reserved stock.
    #[graphql(guard = "RequirePermission(Permission::OrdersManage)")]
    async fn fulfill_order(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Order> {
        let session = Session::of(ctx)?;
        Ok(Order(
            orders::fulfill_order(session.tx(), parse_id("id", &id)?).await?,
        ))
    }

    #[graphql(guard = "RequirePermission(Permission::OrdersManage)")]
    async fn deliver_order(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Order> {
        let session = Session::of(ctx)?;
        Ok(Order(
            orders::deliver_order(session.tx(), parse_id("id", &id)?).await?,
        ))
    }

    /// Cancel before fulfilment, releasing reserved stock.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersManage, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Orders))"
    )]
    async fn cancel_order(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Order> {
        let session = Session::of(ctx)?;
        Ok(Order(
            orders::cancel_order(session.tx(), parse_id("id", &id)?).await?,
        ))
    }

    /// Add to the cart; the same SKU again adds to its quantity.
    #[graphql(
        guard = "RequirePermission(Permission::PortalOrdersCreate).and(PortalFeature(Feature::Cart))"
    )]
    async fn add_to_cart(
        &self,
        ctx: &Context<'_>,
        sku_id: ID,
        #[graphql(default = 1)] quantity: i32,
    ) -> ApiResult<Cart> {
        let session = Session::of(ctx)?;
        Ok(Cart(
            carts::add_to_cart(session.tx(), parse_id("skuId", &sku_id)?, quantity).await?,
        ))
    }

    /// Set an item's quantity; zero removes it.
    #[graphql(
        guard = "RequirePermission(Permission::PortalOrdersCreate).and(PortalFeature(Feature::Cart))"
    )]
    async fn update_cart_item(
        &self,
        ctx: &Context<'_>,
        sku_id: ID,
        quantity: i32,
    ) -> ApiResult<Cart> {
        let session = Session::of(ctx)?;
        let sku_id = parse_id("skuId", &sku_id)?;
        Ok(Cart(
            carts::update_cart_item(session.tx(), sku_id, quantity).await?,
        ))
    }

    #[graphql(
        guard = "RequirePermission(Permission::PortalOrdersCreate).and(PortalFeature(Feature::Cart))"
    )]
    async fn remove_from_cart(&self, ctx: &Context<'_>, sku_id: ID) -> ApiResult<Cart> {
        let session = Session::of(ctx)?;
        Ok(Cart(
            carts::remove_from_cart(session.tx(), parse_id("skuId", &sku_id)?).await?,
        ))
    }

    /// Turn the cart into a submitted order, atomically; retrying with the same key returns the
    /// same order.
    #[graphql(
        guard = "RequirePermission(Permission::PortalOrdersCreate).and(PortalFeature(Feature::Cart))"
    )]
    async fn checkout_cart(
        &self,
        ctx: &Context<'_>,
        input: Option<CheckoutInput>,
    ) -> ApiResult<CheckedOut> {
        let session = Session::of(ctx)?;
        let checkout = input.unwrap_or_default().into();
        let placed = carts::checkout_cart(session.tx(), checkout).await?;
        Ok(CheckedOut {
            order: Order(placed.order),
            cart: Cart(carts::active_cart(session.tx()).await?),
        })
    }

    /// Issue the invoice of a fulfilled or delivered order; `CONFLICT` while it has a live
    /// (not void) invoice.
    #[graphql(guard = "RequirePermission(Permission::InvoicesManage)")]
    async fn issue_invoice(&self, ctx: &Context<'_>, order_id: ID) -> ApiResult<Invoice> {
        let session = Session::of(ctx)?;
        Ok(Invoice(
            invoices::issue_invoice(session.tx(), parse_id("orderId", &order_id)?).await?,
        ))
    }

    /// Apply a payment to an invoice; more than the balance is refused.
    #[graphql(guard = "RequirePermission(Permission::InvoicesManage)")]
    async fn record_payment(
        &self,
        ctx: &Context<'_>,
        invoice_id: ID,
        input: RecordPaymentInput,
    ) -> ApiResult<PaymentRecorded> {
        let session = Session::of(ctx)?;
        let invoice_id = parse_id("invoiceId", &invoice_id)?;
        let recorded = invoices::record_payment(session.tx(), invoice_id, input.into()).await?;
        Ok(PaymentRecorded {
            payment: Payment(recorded.payment),
            invoice: Invoice(recorded.invoice),
        })
    }

    /// Mark a SKU allocated (sold to each customer only within its allocation, `setAllocation`)
    /// or release it (`allocated: false`).
    #[graphql(guard = "RequirePermission(Permission::AllocationsManage)")]
    async fn set_sku_allocated(
        &self,
        ctx: &Context<'_>,
        sku_id: ID,
        allocated: bool,
    ) -> ApiResult<Sku> {
        let session = Session::of(ctx)?;
        let sku = skus::set_allocated(session.tx(), parse_id("skuId", &sku_id)?, allocated).await?;
        Ok(Sku(sku))
    }

    /// Set how much of an allocated SKU a customer may order from `periodStart` to `periodEnd`
    /// (the tenant's dates). Periods of one customer and SKU may not overlap (`CONFLICT` on
    /// `periodStart`).
    #[graphql(guard = "RequirePermission(Permission::AllocationsManage)")]
    async fn set_allocation(
        &self,
        ctx: &Context<'_>,
        input: SetAllocationInput,
    ) -> ApiResult<Allocation> {
        let session = Session::of(ctx)?;
        let allocation = allocations::set_allocation(session.tx(), input.into_input()?).await?;
        Ok(Allocation(allocation))
    }

    /// Return money against a completed payment: more than its amount less what was already
    /// refunded of it is refused (`BAD_USER_INPUT` on `amount`). The invoice's balance grows back
    /// and its status follows; a payment refunded in full is `REFUNDED`. `reason` is kept in the
    /// `payment.refunded` event.
    #[graphql(guard = "RequirePermission(Permission::PaymentsRefund)")]
    async fn refund_payment(
        &self,
        ctx: &Context<'_>,
        payment_id: ID,
        amount: Money,
        reason: String,
    ) -> ApiResult<PaymentRefunded> {
        let session = Session::of(ctx)?;
        let payment_id = parse_id("paymentId", &payment_id)?;
        let refund = NewRefund {
            amount: amount.0,
            reason,
        };
        let refunded = invoices::refund_payment(session.tx(), payment_id, refund).await?;
        Ok(PaymentRefunded {
            payment: Payment(refunded.payment),
            invoice: Invoice(refunded.invoice),
        })
    }

    /// Void an invoice without completed payments (`CONFLICT` otherwise: refund them in full
    /// first). Its order can then be invoiced again, under a new number.
    #[graphql(guard = "RequirePermission(Permission::InvoicesManage)")]
    async fn void_invoice(&self, ctx: &Context<'_>, invoice_id: ID) -> ApiResult<Invoice> {
        let session = Session::of(ctx)?;
        Ok(Invoice(
            invoices::void_invoice(session.tx(), parse_id("invoiceId", &invoice_id)?).await?,
        ))
    }

    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Lists))"
    )]
    async fn create_list(
        &self,
        ctx: &Context<'_>,
        input: CreateListInput,
    ) -> ApiResult<ProductList> {
        let session = Session::of(ctx)?;
        let new_list = input.into_new(session.context().customer_id())?;
        Ok(ProductList(
            lists::create_list(session.tx(), new_list).await?,
        ))
    }

    /// Rename or redescribe a list: staff, or the portal user who owns it.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Lists))"
    )]
    async fn update_list(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateListInput,
    ) -> ApiResult<ProductList> {
        let session = Session::of(ctx)?;
        let list =
            lists::update_list(session.tx(), parse_id("id", &id)?, input.into_changes()).await?;
        Ok(ProductList(list))
    }

    /// Delete a list and its items: staff, or the portal user who owns it.
    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Lists))"
    )]
    async fn delete_list(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let session = Session::of(ctx)?;
        lists::delete_list(session.tx(), parse_id("id", &id)?).await?;
        Ok(true)
    }

    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Lists))"
    )]
    async fn add_list_item(
        &self,
        ctx: &Context<'_>,
        list_id: ID,
        input: ListItemInput,
    ) -> ApiResult<ProductListItem> {
        let session = Session::of(ctx)?;
        let list_id = parse_id("listId", &list_id)?;
        Ok(ProductListItem(
            lists::add_list_item(session.tx(), list_id, input.into_new()?).await?,
        ))
    }

    #[graphql(
        guard = "StaffOrPortal(Permission::OrdersCreate, Permission::PortalOrdersCreate).and(PortalFeature(Feature::Lists))"
    )]
    async fn remove_list_item(
        &self,
        ctx: &Context<'_>,
        list_id: ID,
        sku_id: ID,
    ) -> ApiResult<bool> {
        let session = Session::of(ctx)?;
        let (list_id, sku_id) = (parse_id("listId", &list_id)?, parse_id("skuId", &sku_id)?);
        lists::remove_list_item(session.tx(), list_id, sku_id).await?;
        Ok(true)
    }

    /// Put every item of a list into the cart at its default quantity.
    #[graphql(
        guard = "RequirePermission(Permission::PortalOrdersCreate).and(PortalFeature(Feature::Lists)).and(PortalFeature(Feature::Cart))"
    )]
    async fn add_list_to_cart(&self, ctx: &Context<'_>, list_id: ID) -> ApiResult<Cart> {
        let session = Session::of(ctx)?;
        Ok(Cart(
            lists::add_list_to_cart(session.tx(), parse_id("listId", &list_id)?).await?,
        ))
    }
}
