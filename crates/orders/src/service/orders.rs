//! Orders: creating them (priced and taxed by the server, idempotent per key), moving them
//! through their lifecycle with its stock effects — submitting reserves, cancelling a submitted or
//! confirmed order releases, fulfilling consumes — and reading them.

use leora_tenancy::TenantTx;
use leora_tenancy::filter::FilterIfGiven;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use leora_catalog::entities::customers;
use leora_catalog::service::inventory;
use leora_tenancy::TenantContext;
use leora_tenancy::search::search_pattern;
use leora_tenancy::sql::stmt;
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseTransaction, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use super::access::{Actor, customer_rows};
use super::admission::{CreditDecision, require_credit, require_licence};
use super::allocations::{Demand, require_allocations};
use super::lifecycle::{Action, holds_reservation, next_status};
use super::placing::{
    LineRequest, OrderRequest, find_by_key, lines_of, place, price_request, record_status_change,
    record_submission, reserve_all, rewrite_draft,
};
use super::settings::{self, Lock};
use super::validate::{self, LINE_MONEY_LIMIT};
use crate::entities::order_lines;
use crate::entities::orders::{self, OrderStatus};
use crate::error::OrdersError;

/// More lines than any real order has; bounds the work one request can ask for.
pub const MAX_LINES: usize = 500;
const MAX_NOTES_CHARS: usize = 2000;

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub customer_id: Uuid,
    pub lines: Vec<NewLine>,
    pub requested_delivery_date: Option<NaiveDate>,
    /// A retry with the same key returns the order the first attempt created.
    pub idempotency_key: Option<String>,
    pub notes: Option<String>,
    /// Create the order submitted (stock reserved) rather than as a draft.
    pub submit: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct NewLine {
    pub sku_id: Uuid,
    pub quantity: i32,
    /// An amount off the whole line; staff only.
    pub discount: Option<Decimal>,
    /// Free samples for the customer (staff only): priced at zero by the `sample` rule, and
    /// counted against the placing rep's monthly sample allowance.
    pub is_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderWithLines {
    pub order: orders::Model,
    /// By line number.
    pub lines: Vec<order_lines::Model>,
}

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Any of these; empty means any status.
    pub statuses: Vec<OrderStatus>,
    pub customer_id: Option<Uuid>,
    /// Any of these customers; empty means any.
    pub customer_ids: Vec<Uuid>,
    /// Inclusive, on `created_at`.
    pub placed_from: Option<DateTime<Utc>>,
    /// Inclusive.
    pub placed_to: Option<DateTime<Utc>>,
    /// Inclusive, on `total`.
    pub total_from: Option<Decimal>,
    /// Inclusive.
    pub total_to: Option<Decimal>,
    /// Part of the order number, ignoring case; blank matches every order.
    pub search: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderSort {
    CreatedAt,
    OrderNumber,
    Total,
}

/// The orders the principal sees that match `filter`, sorted by `sort` in `direction` (the caller
/// breaks ties).
pub fn orders(
    ctx: &TenantContext,
    filter: &OrderFilter,
    sort: OrderSort,
    direction: Order,
) -> Select<orders::Entity> {
    let mut select = customer_rows(ctx, orders::Column::CustomerId)
        .filter_in(orders::Column::Status, filter.statuses.iter().copied())
        .filter_eq(orders::Column::CustomerId, filter.customer_id)
        .filter_in(
            orders::Column::CustomerId,
            filter.customer_ids.iter().copied(),
        )
        .filter_within(
            orders::Column::CreatedAt,
            filter.placed_from,
            filter.placed_to,
        )
        .filter_within(orders::Column::Total, filter.total_from, filter.total_to);
    if let Some(pattern) = search_pattern(filter.search.as_deref()) {
        select = select.filter(Expr::cust_with_values("order_number ILIKE $1", [pattern]));
    }
    select.order_by(sort_column(sort), direction)
}

/// The column an order sort sorts on.
pub fn sort_column(sort: OrderSort) -> orders::Column {
    match sort {
        OrderSort::CreatedAt => orders::Column::CreatedAt,
        OrderSort::OrderNumber => orders::Column::OrderNumber,
        OrderSort::Total => orders::Column::Total,
    }
}

/// One order the transaction can see; any other → `NotFound`.
pub async fn order(tx: &DatabaseTransaction, id: Uuid) -> Result<orders::Model, OrdersError> {
    orders::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("order"))
}

/// Creates an order for `customer_id`, priced for that customer now and taxed for its state.
///
/// Refusals: a portal user ordering for another customer → `Forbidden`; no lines, a quantity
/// outside 1‥[`validate::MAX_QUANTITY`], a negative or sub-cent discount, a SKU on two lines, a
/// blank key, a delivery date in the past, an inactive customer or a SKU not for sale →
/// `BadInput` on the offending field; an unknown (or invisible) customer or SKU → `NotFound`;
/// short stock when `submit` → `InsufficientInventory`. A key already used for another
/// customer's order → `Conflict` on `idempotencyKey`.
///
/// Idempotency: the tenant's settings row is locked before the key is looked up, so concurrent
/// requests with one key run one after the other and the later returns the earlier's order,
/// unchanged and without reserving again.
pub async fn create_order(tx: &TenantTx, input: NewOrder) -> Result<OrderWithLines, OrdersError> {
    let ctx = tx.context();
    let actor = Actor::of(ctx)?;
    actor.may_act_for(input.customer_id)?;
    let request = validate_new_order(actor, input)?;
    let settings = settings::load(tx, Lock::ForUpdate).await?;
    if let Some(key) = &request.idempotency_key
        && let Some(existing) = find_by_key(tx, key, request.customer_id).await?
    {
        return Ok(existing);
    }
    place(tx, actor, ctx.tenant_id(), &settings, request).await
}

/// What `update_draft_order` changes; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct DraftChanges {
    /// Every line of the draft, replacing the lines it has.
    pub lines: Option<Vec<NewLine>>,
    /// `Some(None)` clears the notes.
    pub notes: Option<Option<String>>,
    /// `Some(None)` clears the date.
    pub requested_delivery_date: Option<Option<NaiveDate>>,
}

/// Edits a draft: its lines (replaced as a whole, and priced now), notes and requested delivery
/// date, under the rules of a new order (see [`create_order`]). Only a draft can be edited
/// (`InvalidTransition` otherwise); a portal user edits only its customer's drafts.
pub async fn update_draft_order(
    tx: &TenantTx,
    order_id: Uuid,
    changes: DraftChanges,
) -> Result<OrderWithLines, OrdersError> {
    let actor = Actor::of(tx.context())?;
    let order = locked_draft(tx, order_id, "edit").await?;
    let lines = match changes.lines {
        Some(lines) => lines,
        None => lines_of(tx, order.id)
            .await?
            .into_iter()
            .map(|line| NewLine {
                sku_id: line.sku_id,
                quantity: line.quantity,
                discount: Some(line.discount).filter(|discount| !discount.is_zero()),
                is_sample: line.is_sample,
            })
            .collect(),
    };
    let request = validate_new_order(
        actor,
        NewOrder {
            customer_id: order.customer_id,
            lines,
            requested_delivery_date: changes
                .requested_delivery_date
                .unwrap_or(order.requested_delivery_date),
            idempotency_key: None,
            notes: changes.notes.unwrap_or_else(|| order.notes.clone()),
            submit: false,
        },
    )?;
    let settings = settings::load(tx, Lock::None).await?;
    let priced = price_request(tx, &settings, &request).await?;
    priced.require_discounts_within(tx, actor, &request).await?;
    rewrite_draft(tx, &order, &request, &priced).await
}

/// Deletes a draft and its lines. Only a draft can be deleted (`InvalidTransition` otherwise):
/// a submitted order is cancelled instead, and keeps its history.
pub async fn delete_draft_order(tx: &TenantTx, order_id: Uuid) -> Result<Uuid, OrdersError> {
    let order = locked_draft(tx, order_id, "delete").await?;
    order_lines::Entity::delete_many()
        .filter(order_lines::Column::OrderId.eq(order.id))
        .exec(tx)
        .await?;
    orders::Entity::delete_by_id(order.id).exec(tx).await?;
    Ok(order.id)
}

/// The order, locked for a change, if it is a draft the actor may change.
async fn locked_draft(
    tx: &TenantTx,
    order_id: Uuid,
    action: &'static str,
) -> Result<orders::Model, OrdersError> {
    let actor = Actor::of(tx.context())?;
    let order = orders::Entity::find_by_id(order_id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("order"))?;
    actor.may_act_for(order.customer_id)?;
    if order.status != OrderStatus::Draft {
        return Err(OrdersError::InvalidTransition {
            entity: "an order",
            from: order.status.to_value(),
            action,
        });
    }
    Ok(order)
}

/// draft → submitted, reserving every line's stock (`InsufficientInventory` if any is short).
pub async fn submit_order(tx: &TenantTx, order_id: Uuid) -> Result<orders::Model, OrdersError> {
    transition(tx, order_id, Action::Submit).await
}

/// submitted → confirmed: the distributor accepts the order. Staff only.
pub async fn confirm_order(tx: &TenantTx, order_id: Uuid) -> Result<orders::Model, OrdersError> {
    transition(tx, order_id, Action::Confirm).await
}

/// confirmed → fulfilled: the goods ship, consuming the reserved stock. Staff only.
pub async fn fulfill_order(tx: &TenantTx, order_id: Uuid) -> Result<orders::Model, OrdersError> {
    transition(tx, order_id, Action::Fulfill).await
}

/// fulfilled → delivered. Staff only.
pub async fn deliver_order(tx: &TenantTx, order_id: Uuid) -> Result<orders::Model, OrdersError> {
    transition(tx, order_id, Action::Deliver).await
}

/// draft, submitted or confirmed → cancelled, releasing any reserved stock.
pub async fn cancel_order(tx: &TenantTx, order_id: Uuid) -> Result<orders::Model, OrdersError> {
    transition(tx, order_id, Action::Cancel).await
}

fn validate_new_order(actor: Actor, input: NewOrder) -> Result<OrderRequest, OrdersError> {
    if input.lines.is_empty() {
        return Err(OrdersError::bad_input(
            "lines",
            "an order needs at least one line",
        ));
    }
    if input.lines.len() > MAX_LINES {
        return Err(OrdersError::bad_input(
            "lines",
            format!("an order may have at most {MAX_LINES} lines"),
        ));
    }
    // A SKU may stand once as sold and once as samples.
    let mut first_line_of: HashMap<(Uuid, bool), usize> = HashMap::with_capacity(input.lines.len());
    let mut lines = Vec::with_capacity(input.lines.len());
    for (index, line) in input.lines.iter().enumerate() {
        if let Some(first) = first_line_of.insert((line.sku_id, line.is_sample), index) {
            return Err(OrdersError::bad_input(
                format!("lines[{index}].skuId"),
                format!("the same sku is on lines[{first}]: put the whole quantity on one line"),
            ));
        }
        if line.is_sample {
            if matches!(actor, Actor::Portal { .. }) {
                return Err(OrdersError::Forbidden {
                    reason: "samples are given by the distributor's staff",
                });
            }
            if line.discount.is_some_and(|discount| !discount.is_zero()) {
                return Err(OrdersError::bad_input(
                    format!("lines[{index}].discount"),
                    "a sample line is free: it takes no discount",
                ));
            }
        }
        let quantity = validate::quantity(&format!("lines[{index}].quantity"), line.quantity)?;
        let discount = match line.discount {
            None => Decimal::ZERO,
            // Prices are the distributor's to set: a customer cannot discount its own order.
            Some(discount)
                if discount != Decimal::ZERO && matches!(actor, Actor::Portal { .. }) =>
            {
                return Err(OrdersError::Forbidden {
                    reason: "portal users cannot give discounts",
                });
            }
            Some(discount) => validate::money(
                &format!("lines[{index}].discount"),
                discount,
                LINE_MONEY_LIMIT,
            )?,
        };
        lines.push(LineRequest {
            sku_id: line.sku_id,
            quantity,
            discount,
            is_sample: line.is_sample,
        });
    }
    Ok(OrderRequest {
        customer_id: input.customer_id,
        lines,
        requested_delivery_date: input.requested_delivery_date,
        idempotency_key: validate::idempotency_key(input.idempotency_key)?,
        notes: validate::optional_text("notes", input.notes, MAX_NOTES_CHARS)?,
        submit: input.submit,
        source: "lines",
    })
}

/// Locks the order, checks the move, applies its stock effect and records it. The row lock makes
/// concurrent transitions of one order run one after the other, so the second sees the first's
/// status and stock is never reserved or released twice.
async fn transition(
    tx: &TenantTx,
    order_id: Uuid,
    action: Action,
) -> Result<orders::Model, OrdersError> {
    let ctx = tx.context();
    let actor = Actor::of(ctx)?;
    if matches!(actor, Actor::Portal { .. }) && !matches!(action, Action::Submit | Action::Cancel) {
        return Err(OrdersError::Forbidden {
            reason: "only the distributor confirms, fulfils and delivers orders",
        });
    }
    let order = orders::Entity::find_by_id(order_id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("order"))?;
    let to = next_status(order.status, action)?;
    let mut credit = CreditDecision::Within;
    match action {
        Action::Submit => {
            let repriced = reprice_draft(tx, &order).await?;
            credit = admit_submission(tx, actor, &repriced).await?;
            reserve_all(tx, stock_lines(tx, order.id).await?).await?;
        }
        Action::Cancel if holds_reservation(order.status) => {
            for (sku_id, quantity) in stock_lines(tx, order.id).await? {
                inventory::release(tx, sku_id, quantity).await?;
            }
        }
        Action::Fulfill => {
            for (sku_id, quantity) in stock_lines(tx, order.id).await? {
                inventory::consume(tx, sku_id, quantity).await?;
            }
        }
        Action::Confirm | Action::Deliver | Action::Cancel => {}
    }
    let updated = set_status(tx, order.id, to, credit.overridden_by()).await?;
    if action == Action::Submit {
        record_submission(tx, &updated, order.status, credit).await?;
    } else {
        record_status_change(tx, &updated, order.status, action.verb()).await?;
    }
    Ok(updated)
}

/// A draft about to be submitted, priced and taxed again at today's prices and rates (its lines
/// keep their SKUs, quantities and discounts); a line whose SKU is no longer for sale is refused
/// with `BadInput` on `lines[i].skuId`.
async fn reprice_draft(tx: &TenantTx, order: &orders::Model) -> Result<Submission, OrdersError> {
    let lines = lines_of(tx, order.id).await?;
    let request = OrderRequest {
        customer_id: order.customer_id,
        lines: lines
            .iter()
            .map(|line| LineRequest {
                sku_id: line.sku_id,
                quantity: line.quantity,
                discount: line.discount,
                is_sample: line.is_sample,
            })
            .collect(),
        requested_delivery_date: order.requested_delivery_date,
        idempotency_key: order.idempotency_key.clone(),
        notes: order.notes.clone(),
        submit: true,
        source: "lines",
    };
    let settings = settings::load(tx, Lock::None).await?;
    let priced = price_request(tx, &settings, &request).await?;
    let rewritten = rewrite_draft(tx, order, &request, &priced).await?;
    Ok(Submission {
        order: rewritten.order,
        customer: priced.customer,
        today: settings.today,
        allocated: priced.allocated,
    })
}

/// A draft priced for submission, with its customer, the tenant's today and what it asks of
/// allocated SKUs.
struct Submission {
    order: orders::Model,
    customer: customers::Model,
    today: NaiveDate,
    allocated: Vec<Demand>,
}

/// A draft about to be submitted: its customer must be licensed today and have the credit, as for
/// an order submitted when it is created.
async fn admit_submission(
    tx: &TenantTx,
    actor: Actor,
    submission: &Submission,
) -> Result<CreditDecision, OrdersError> {
    require_licence(&submission.customer, submission.today)?;
    let order = &submission.order;
    require_allocations(
        tx,
        order.customer_id,
        submission.today,
        &submission.allocated,
        Some(order.id),
    )
    .await?;
    require_credit(tx, actor, &submission.customer, order.total, Some(order.id)).await
}

/// The order's `(sku, quantity)` pairs in SKU order (the global lock order of inventory rows).
async fn stock_lines(
    tx: &DatabaseTransaction,
    order_id: Uuid,
) -> Result<Vec<(Uuid, i32)>, OrdersError> {
    Ok(order_lines::Entity::find()
        .select_only()
        .column(order_lines::Column::SkuId)
        .column(order_lines::Column::Quantity)
        .filter(order_lines::Column::OrderId.eq(order_id))
        .order_by_asc(order_lines::Column::SkuId)
        .into_tuple()
        .all(tx)
        .await?)
}

async fn set_status(
    tx: &DatabaseTransaction,
    order_id: Uuid,
    to: OrderStatus,
    credit_override_by: Option<Uuid>,
) -> Result<orders::Model, OrdersError> {
    let stamp = match to {
        OrderStatus::Draft => "",
        OrderStatus::Submitted => ", submitted_at = now()",
        OrderStatus::Confirmed => ", confirmed_at = now()",
        OrderStatus::Fulfilled => ", fulfilled_at = now()",
        OrderStatus::Delivered => ", delivered_at = now()",
        OrderStatus::Cancelled => ", cancelled_at = now()",
    };
    orders::Entity::find()
        .from_raw_sql(stmt(
            &format!(
                "UPDATE orders SET status = $2{stamp},
                        credit_override_by_user_id = coalesce($3, credit_override_by_user_id)
                  WHERE id = $1 RETURNING *"
            ),
            [
                order_id.into(),
                to.to_value().into(),
                credit_override_by.into(),
            ],
        ))
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("order"))
}
