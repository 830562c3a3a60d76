//! Filters, sort orders and mutation inputs of the commerce API.

use super::types::{InvoiceStatus, ListKind, OrderStatus, PaymentMethod};
use crate::entities::invoices as invoices_entity;
use crate::service::allocations::{self, AllocationInput};
use crate::service::carts::Checkout;
use crate::service::invoices::{self, NewPayment};
use crate::service::lists::{ListChanges, NewList, NewListItem};
use crate::service::orders::{self, DraftChanges, NewLine, NewOrder, OrderSort};
use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use leora_tenancy::filter::any_of;
use leora_tenancy::graphql::ApiResult;
use leora_tenancy::graphql::ids::{parse_id, parse_ids, parse_optional_id};
use leora_tenancy::graphql::pagination::SortDirection;
use leora_tenancy::graphql::{Date, Instant, Money};

#[derive(InputObject, Default)]
pub struct OrderFilter {
    /// Any of these; all statuses when absent or empty.
    pub statuses: Option<Vec<OrderStatus>>,
    pub customer_id: Option<ID>,
    /// Any of these customers (at most 100).
    pub customer_ids: Option<Vec<ID>>,
    /// Placed at or after this instant.
    pub placed_from: Option<Instant>,
    /// Placed at or before this instant.
    pub placed_to: Option<Instant>,
    /// A total of at least this much.
    pub total_from: Option<Money>,
    /// A total of at most this much.
    pub total_to: Option<Money>,
    /// Part of the order number.
    pub search: Option<String>,
}

impl OrderFilter {
    pub fn into_filter(self) -> ApiResult<orders::OrderFilter> {
        Ok(orders::OrderFilter {
            statuses: any_of(self.statuses),
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            customer_ids: parse_ids("filter.customerIds", self.customer_ids)?,
            placed_from: self.placed_from.map(|value| value.0),
            placed_to: self.placed_to.map(|value| value.0),
            total_from: self.total_from.map(|value| value.0),
            total_to: self.total_to.map(|value| value.0),
            search: self.search,
        })
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderSortField {
    #[default]
    CreatedAt,
    OrderNumber,
    Total,
}

impl From<OrderSortField> for OrderSort {
    fn from(field: OrderSortField) -> Self {
        match field {
            OrderSortField::CreatedAt => Self::CreatedAt,
            OrderSortField::OrderNumber => Self::OrderNumber,
            OrderSortField::Total => Self::Total,
        }
    }
}

#[derive(InputObject)]
pub struct OrderOrder {
    #[graphql(default)]
    pub field: OrderSortField,
    #[graphql(default_with = "SortDirection::Desc")]
    pub direction: SortDirection,
}

impl Default for OrderOrder {
    /// Newest first.
    fn default() -> Self {
        Self {
            field: OrderSortField::CreatedAt,
            direction: SortDirection::Desc,
        }
    }
}

#[derive(InputObject, Default)]
pub struct InvoiceFilter {
    /// Any of these; all statuses when absent or empty. Matched against the stored status, which
    /// the daily job moves to `OVERDUE` once an invoice is past due.
    pub statuses: Option<Vec<InvoiceStatus>>,
    pub customer_id: Option<ID>,
    /// Any of these customers (at most 100).
    pub customer_ids: Option<Vec<ID>>,
    /// Issued at or after this instant.
    pub issued_from: Option<Instant>,
    /// Issued at or before this instant.
    pub issued_to: Option<Instant>,
    /// Due on or after this day.
    pub due_from: Option<Date>,
    /// Due on or before this day.
    pub due_to: Option<Date>,
    /// Still owing at least this much.
    pub balance_from: Option<Money>,
    /// Still owing at most this much.
    pub balance_to: Option<Money>,
}

impl InvoiceFilter {
    pub fn into_filter(self) -> ApiResult<invoices::InvoiceFilter> {
        Ok(invoices::InvoiceFilter {
            statuses: any_of(self.statuses),
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            customer_ids: parse_ids("filter.customerIds", self.customer_ids)?,
            issued_from: self.issued_from.map(|value| value.0),
            issued_to: self.issued_to.map(|value| value.0),
            due_from: self.due_from.map(|value| value.0),
            due_to: self.due_to.map(|value| value.0),
            balance_from: self.balance_from.map(|value| value.0),
            balance_to: self.balance_to.map(|value| value.0),
        })
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvoiceSortField {
    #[default]
    IssuedAt,
    DueDate,
    Total,
    Balance,
}

impl From<InvoiceSortField> for invoices_entity::Column {
    fn from(field: InvoiceSortField) -> Self {
        match field {
            InvoiceSortField::IssuedAt => Self::IssuedAt,
            InvoiceSortField::DueDate => Self::DueDate,
            InvoiceSortField::Total => Self::Total,
            InvoiceSortField::Balance => Self::Balance,
        }
    }
}

#[derive(InputObject)]
pub struct InvoiceOrder {
    #[graphql(default)]
    pub field: InvoiceSortField,
    #[graphql(default_with = "SortDirection::Desc")]
    pub direction: SortDirection,
}

impl Default for InvoiceOrder {
    /// Newest first.
    fn default() -> Self {
        Self {
            field: InvoiceSortField::IssuedAt,
            direction: SortDirection::Desc,
        }
    }
}

#[derive(InputObject)]
pub struct OrderLineInput {
    pub sku_id: ID,
    pub quantity: i32,
    /// An amount off the whole line (staff only).
    pub discount: Option<Money>,
    /// Free samples for the customer (staff only): priced at zero by the `SAMPLE` rule, and
    /// counted against your monthly sample allowance. A SKU may stand once sold and once as
    /// samples.
    #[graphql(default)]
    pub is_sample: bool,
}

#[derive(InputObject)]
pub struct CreateOrderInput {
    pub customer_id: ID,
    pub lines: Vec<OrderLineInput>,
    pub requested_delivery_date: Option<Date>,
    /// Retrying with the same key returns the same order instead of placing another.
    pub idempotency_key: Option<String>,
    pub notes: Option<String>,
    /// Submit at once (reserving stock) instead of saving a draft.
    #[graphql(default)]
    pub submit: bool,
}

impl CreateOrderInput {
    pub fn into_new(self) -> ApiResult<NewOrder> {
        let lines = new_lines(self.lines)?;
        Ok(NewOrder {
            customer_id: parse_id("customerId", &self.customer_id)?,
            lines,
            requested_delivery_date: self.requested_delivery_date.map(|date| date.0),
            idempotency_key: self.idempotency_key,
            notes: self.notes,
            submit: self.submit,
        })
    }
}

/// Omitted fields stay as they are; `null` clears `notes` or `requestedDeliveryDate`.
#[derive(InputObject, Default)]
pub struct UpdateDraftOrderInput {
    /// Every line of the draft, replacing the lines it has; priced now.
    pub lines: Option<Vec<OrderLineInput>>,
    pub notes: MaybeUndefined<String>,
    pub requested_delivery_date: MaybeUndefined<Date>,
}

impl UpdateDraftOrderInput {
    pub fn into_changes(self) -> ApiResult<DraftChanges> {
        Ok(DraftChanges {
            lines: self.lines.map(new_lines).transpose()?,
            notes: self.notes.into(),
            requested_delivery_date: Option::from(self.requested_delivery_date)
                .map(|date: Option<Date>| date.map(|date| date.0)),
        })
    }
}

/// The lines of an input, their ids parsed (`lines[i].skuId` when one is not an id).
fn new_lines(lines: Vec<OrderLineInput>) -> ApiResult<Vec<NewLine>> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            Ok(NewLine {
                sku_id: parse_id(&format!("lines[{i}].skuId"), &line.sku_id)?,
                quantity: line.quantity,
                discount: line.discount.map(|value| value.0),
                is_sample: line.is_sample,
            })
        })
        .collect()
}

#[derive(InputObject, Default)]
pub struct CheckoutInput {
    /// Retrying with the same key returns the same order.
    pub idempotency_key: Option<String>,
    pub requested_delivery_date: Option<Date>,
    pub notes: Option<String>,
}

impl From<CheckoutInput> for Checkout {
    fn from(input: CheckoutInput) -> Self {
        Checkout {
            idempotency_key: input.idempotency_key,
            requested_delivery_date: input.requested_delivery_date.map(|date| date.0),
            notes: input.notes,
        }
    }
}

#[derive(InputObject)]
pub struct RecordPaymentInput {
    pub amount: Money,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub received_at: Option<Instant>,
}

impl From<RecordPaymentInput> for NewPayment {
    fn from(input: RecordPaymentInput) -> Self {
        NewPayment {
            amount: input.amount.0,
            method: input.method.into(),
            reference: input.reference,
            received_at: input.received_at.map(|value| value.0),
        }
    }
}

#[derive(InputObject)]
pub struct CreateListInput {
    /// Portal users may leave it out: their own customer.
    pub customer_id: Option<ID>,
    pub name: String,
    pub kind: Option<ListKind>,
    pub description: Option<String>,
}

impl CreateListInput {
    pub fn into_new(self, own_customer: Option<uuid::Uuid>) -> ApiResult<NewList> {
        let customer_id = match (self.customer_id, own_customer) {
            (Some(id), _) => parse_id("customerId", &id)?,
            (None, Some(own)) => own,
            (None, None) => {
                return Err(leora_tenancy::graphql::ResolverError::bad_input(
                    "customerId",
                    "is required for staff",
                ));
            }
        };
        Ok(NewList {
            customer_id,
            name: self.name,
            kind: self.kind.map(Into::into),
            description: self.description,
        })
    }
}

#[derive(InputObject)]
pub struct ListItemInput {
    pub sku_id: ID,
    pub default_quantity: Option<i32>,
    pub note: Option<String>,
}

impl ListItemInput {
    pub fn into_new(self) -> ApiResult<NewListItem> {
        Ok(NewListItem {
            sku_id: parse_id("skuId", &self.sku_id)?,
            default_quantity: self.default_quantity,
            note: self.note,
        })
    }
}

#[derive(InputObject, Default)]
pub struct AllocationFilter {
    pub customer_id: Option<ID>,
    pub sku_id: Option<ID>,
    /// Only allocations whose period includes this day.
    pub active_on: Option<Date>,
}

impl AllocationFilter {
    pub fn into_filter(self) -> ApiResult<allocations::AllocationFilter> {
        Ok(allocations::AllocationFilter {
            customer_id: parse_optional_id("filter.customerId", self.customer_id.as_ref())?,
            sku_id: parse_optional_id("filter.skuId", self.sku_id.as_ref())?,
            active_on: self.active_on.map(|day| day.0),
        })
    }
}

/// A customer's allocation of a SKU: the allocation starting on `periodStart` is changed when
/// there is one, otherwise one is added.
#[derive(InputObject)]
pub struct SetAllocationInput {
    pub customer_id: ID,
    pub sku_id: ID,
    /// The first day covered (the tenant's date).
    pub period_start: Date,
    /// The last day covered.
    pub period_end: Date,
    /// Units the customer may order in the period.
    pub quantity: i32,
}

impl SetAllocationInput {
    pub fn into_input(self) -> ApiResult<AllocationInput> {
        Ok(AllocationInput {
            customer_id: parse_id("customerId", &self.customer_id)?,
            sku_id: parse_id("skuId", &self.sku_id)?,
            period_start: self.period_start.0,
            period_end: self.period_end.0,
            quantity: self.quantity,
        })
    }
}

/// Omitted fields stay as they are; `null` clears `description`.
#[derive(InputObject)]
pub struct UpdateListInput {
    pub name: Option<String>,
    pub kind: Option<ListKind>,
    pub description: MaybeUndefined<String>,
}

impl UpdateListInput {
    pub fn into_changes(self) -> ListChanges {
        ListChanges {
            name: self.name,
            kind: self.kind.map(Into::into),
            description: self.description.into(),
        }
    }
}
