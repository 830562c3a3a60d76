//! Writing a new order: the one path shared by `create_order` and `checkout_cart`.
//!
//! The caller has validated the input's shape and holds the tenant's settings row lock (taken
//! before the idempotency look-up, so two requests with one key cannot both miss it). Here the
//! order is checked against the database, priced, taxed, optionally reserved, numbered and written.

use leora_tenancy::TenantTx;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use leora_catalog::entities::customers::{self, CustomerStatus};
use leora_catalog::service::inventory;
use leora_catalog::service::pricing::{PriceSource, quote_many};
use leora_compliance::entities::enums::ProductCategory;
use leora_compliance::service::tax::rates_on;
use leora_tenancy::events::{self, EventType};
use leora_tenancy::sql::{Violation, stmt, violated_constraint};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::access::Actor;
use super::admission::{CreditDecision, require_credit, require_licence};
use super::allocations::{Demand, demand, require_allocations};
use super::discounts::{LineDiscount, require_within_limit};
use super::money_json;
use super::numbers::next_order_number;
use super::orders::OrderWithLines;
use super::sellable::{Sellable, sellable_skus};
use super::settings::TenantSettings;
use super::totals::{PricedLine, TaxRate, Totals, totals};
use super::validate::DOCUMENT_MONEY_LIMIT;
use crate::entities::order_lines::{self, PricingRule};
use crate::entities::orders::{self, OrderStatus};
use crate::error::OrdersError;

const IDEMPOTENCY_CONSTRAINT: &str = "orders_customer_idempotency_key_key";

/// An order whose input has passed the shape checks.
#[derive(Debug, Clone)]
pub(crate) struct OrderRequest {
    pub customer_id: Uuid,
    pub lines: Vec<LineRequest>,
    pub requested_delivery_date: Option<NaiveDate>,
    pub idempotency_key: Option<String>,
    pub notes: Option<String>,
    pub submit: bool,
    /// The input list the lines came from (`lines`, or `items` at checkout), for field paths.
    pub source: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct LineRequest {
    pub sku_id: Uuid,
    pub quantity: i32,
    pub discount: Decimal,
    pub is_sample: bool,
}

/// The order an idempotency key already produced, if any. Another customer's order under the same
/// key is a `Conflict`: a retry never changes whom an order is for.
pub(crate) async fn find_by_key(
    tx: &DatabaseTransaction,
    key: &str,
    customer_id: Uuid,
) -> Result<Option<OrderWithLines>, OrdersError> {
    let Some(order) = orders::Entity::find()
        .filter(orders::Column::CustomerId.eq(customer_id))
        .filter(orders::Column::IdempotencyKey.eq(key))
        .one(tx)
        .await?
    else {
        return Ok(None);
    };
    let lines = lines_of(tx, order.id).await?;
    Ok(Some(OrderWithLines { order, lines }))
}

/// An order's lines priced and taxed now, with its totals, for its customer.
pub(crate) struct Priced {
    pub customer: customers::Model,
    lines: Vec<(PricedLine, Quote)>,
    pub amounts: Totals,
    /// What the order asks of allocated SKUs, checked at submission.
    pub allocated: Vec<Demand>,
}

/// Checks `request` against the database and prices it as of `settings.now`: the customer may
/// order, the delivery date is not past, every SKU is for sale (`BadInput` on `<source>[i].skuId`
/// otherwise) and the total fits. Nothing is written; whoever sets the discounts checks them
/// ([`Priced::require_discounts_within`]).
pub(crate) async fn price_request(
    tx: &TenantTx,
    settings: &TenantSettings,
    request: &OrderRequest,
) -> Result<Priced, OrdersError> {
    let customer = orderable_customer(tx, request.customer_id).await?;
    if let Some(date) = request.requested_delivery_date
        && date < settings.today
    {
        return Err(OrdersError::bad_input(
            "requestedDeliveryDate",
            format!("must not be before today ({})", settings.today),
        ));
    }
    let sku_ids: Vec<Uuid> = request.lines.iter().map(|l| l.sku_id).collect();
    let source = request.source;
    let skus = sellable_skus(tx, &sku_ids, |index| format!("{source}[{index}].skuId")).await?;
    let lines = price(tx, &customer, request, &skus, settings).await?;
    let amounts = totals(&lines.iter().map(|(line, _)| *line).collect::<Vec<_>>());
    let allocated = demand(
        request
            .lines
            .iter()
            .map(|line| (line.sku_id, line.quantity))
            .enumerate()
            .filter(|(_, (sku_id, _))| skus.get(sku_id).is_some_and(|sku| sku.allocated)),
        |index| format!("{source}[{index}].quantity"),
    );
    if amounts.total >= DOCUMENT_MONEY_LIMIT {
        return Err(OrdersError::bad_input(
            request.source,
            format!("the order total must be less than {DOCUMENT_MONEY_LIMIT}"),
        ));
    }
    Ok(Priced {
        customer,
        lines,
        amounts,
        allocated,
    })
}

impl Priced {
    /// `FORBIDDEN` on the first line whose discount is above what `actor` may give.
    pub(crate) async fn require_discounts_within(
        &self,
        tx: &TenantTx,
        actor: Actor,
        request: &OrderRequest,
    ) -> Result<(), OrdersError> {
        require_within_limit(tx, actor, &line_discounts(request, &self.lines)).await
    }
}

/// Replaces `order`'s lines with `request`'s as `priced`, and sets its totals, notes and delivery
/// date from them: a draft's edit, or its re-pricing when it is submitted.
pub(crate) async fn rewrite_draft(
    tx: &TenantTx,
    order: &orders::Model,
    request: &OrderRequest,
    priced: &Priced,
) -> Result<OrderWithLines, OrdersError> {
    order_lines::Entity::delete_many()
        .filter(order_lines::Column::OrderId.eq(order.id))
        .exec(tx)
        .await?;
    let amounts = &priced.amounts;
    let updated = orders::Entity::find()
        .from_raw_sql(stmt(
            "UPDATE orders SET subtotal = $2, tax_total = $3, total = $4, notes = $5,
                    requested_delivery_date = $6
              WHERE id = $1 RETURNING *",
            [
                order.id.into(),
                amounts.subtotal.into(),
                amounts.tax_total.into(),
                amounts.total.into(),
                request.notes.clone().into(),
                request.requested_delivery_date.into(),
            ],
        ))
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found("order"))?;
    let lines = insert_lines(tx, &updated, request, &priced.lines, amounts).await?;
    Ok(OrderWithLines {
        order: updated,
        lines,
    })
}

pub(crate) async fn place(
    tx: &TenantTx,
    actor: Actor,
    tenant_id: Uuid,
    settings: &TenantSettings,
    request: OrderRequest,
) -> Result<OrderWithLines, OrdersError> {
    let pricing = price_request(tx, settings, &request).await?;
    pricing
        .require_discounts_within(tx, actor, &request)
        .await?;
    let Priced {
        customer,
        lines: priced,
        amounts,
        allocated,
    } = pricing;
    let credit = if request.submit {
        require_licence(&customer, settings.today)?;
        require_allocations(tx, customer.id, settings.today, &allocated, None).await?;
        require_credit(tx, actor, &customer, amounts.total, None).await?
    } else {
        CreditDecision::Within
    };
    if request.submit {
        reserve_all(
            tx,
            request
                .lines
                .iter()
                .map(|l| (l.sku_id, l.quantity))
                .collect(),
        )
        .await?;
    }

    let order_number = next_order_number(tx).await?;
    let order = insert_order(
        tx,
        actor,
        settings,
        &request,
        order_number,
        &amounts,
        credit,
    )
    .await?;
    let lines = insert_lines(tx, &order, &request, &priced, &amounts).await?;

    events::record(
        tx,
        tenant_id,
        EventType::OrderPlaced,
        placed_payload(&order, &lines, credit),
    )
    .await?;
    if request.submit {
        record_submission(tx, &order, OrderStatus::Draft, credit).await?;
    }
    Ok(OrderWithLines { order, lines })
}

/// Appends `order.status_changed` for an order that just moved from `from` to its status.
pub(crate) async fn record_status_change(
    tx: &DatabaseTransaction,
    order: &orders::Model,
    from: OrderStatus,
    action: &str,
) -> Result<(), OrdersError> {
    let payload = status_change_payload(order, from, action);
    events::record(tx, order.tenant_id, EventType::OrderStatusChanged, payload).await?;
    Ok(())
}

/// Appends `order.status_changed` for a submission, with the credit override that let it
/// through, if one did.
pub(crate) async fn record_submission(
    tx: &DatabaseTransaction,
    order: &orders::Model,
    from: OrderStatus,
    credit: CreditDecision,
) -> Result<(), OrdersError> {
    let mut payload = status_change_payload(order, from, "submit");
    if let Some(overridden) = credit.event_json() {
        payload["creditOverride"] = overridden;
    }
    events::record(tx, order.tenant_id, EventType::OrderStatusChanged, payload).await?;
    Ok(())
}

fn status_change_payload(
    order: &orders::Model,
    from: OrderStatus,
    action: &str,
) -> serde_json::Value {
    json!({
        "orderId": order.id,
        "orderNumber": order.order_number,
        "customerId": order.customer_id,
        "action": action,
        "from": from.to_value(),
        "to": order.status.to_value(),
    })
}

/// Each line's discount with its field path and the price it is a share of.
fn line_discounts(request: &OrderRequest, priced: &[(PricedLine, Quote)]) -> Vec<LineDiscount> {
    priced
        .iter()
        .enumerate()
        .map(|(index, (line, _))| LineDiscount {
            field: format!("{}[{index}].discount", request.source),
            discount: line.discount,
            unit_price: line.unit_price,
            quantity: line.quantity,
        })
        .collect()
}

/// Reserves stock for `(sku, quantity)` pairs in SKU order: transactions touching several SKUs
/// then lock their inventory rows in one global order and cannot deadlock.
pub(crate) async fn reserve_all(
    tx: &DatabaseTransaction,
    mut items: Vec<(Uuid, i32)>,
) -> Result<(), OrdersError> {
    items.sort_unstable();
    for (sku_id, quantity) in items {
        inventory::reserve(tx, sku_id, quantity).await?;
    }
    Ok(())
}

pub(crate) async fn lines_of(
    tx: &DatabaseTransaction,
    order_id: Uuid,
) -> Result<Vec<order_lines::Model>, OrdersError> {
    Ok(order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.eq(order_id))
        .order_by_asc(order_lines::Column::LineNumber)
        .all(tx)
        .await?)
}

fn key_in_use() -> OrdersError {
    OrdersError::conflict(
        "idempotencyKey",
        "this idempotency key was already used for another order",
    )
}

/// The customer, visible to this transaction (row-level security hides other tenants' and, for
/// portal users, other customers') and active.
async fn orderable_customer(
    tx: &DatabaseTransaction,
    customer_id: Uuid,
) -> Result<customers::Model, OrdersError> {
    let customer = customers::Entity::find_by_id(customer_id)
        .one(tx)
        .await?
        .ok_or_else(|| OrdersError::not_found_at("customer", "customerId"))?;
    if customer.status != CustomerStatus::Active {
        return Err(OrdersError::bad_input(
            "customerId",
            format!(
                "the customer's account is {}: it cannot order",
                customer.status.to_value()
            ),
        ));
    }
    Ok(customer)
}

/// Each line priced for the customer now, and taxed at the rate in force today in the customer's
/// state for the product's category (no rate: untaxed), with the rule that set the price.
async fn price(
    tx: &DatabaseTransaction,
    customer: &customers::Model,
    request: &OrderRequest,
    skus: &HashMap<Uuid, Sellable>,
    settings: &TenantSettings,
) -> Result<Vec<(PricedLine, Quote)>, OrdersError> {
    // Samples are free: only the sold lines are quoted (each SKU once, as validation ensured).
    let items: Vec<(Uuid, i32)> = request
        .lines
        .iter()
        .filter(|l| !l.is_sample)
        .map(|l| (l.sku_id, l.quantity))
        .collect();
    let quotes = quote_many(tx, customer.id, &items, settings.now).await?;
    let categories: Vec<ProductCategory> = skus
        .values()
        .map(|s| s.category)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let rates = rates_on(tx, &customer.state, &categories, settings.today).await?;

    request
        .lines
        .iter()
        .map(|line| {
            let sku = skus
                .get(&line.sku_id)
                .ok_or_else(|| OrdersError::not_found("sku"))?;
            let tax = rates.get(&sku.category).map(|rate| TaxRate {
                kind: rate.rate_kind,
                rate: rate.rate,
            });
            let (unit_price, quote) = if line.is_sample {
                let free = Quote {
                    rule: PricingRule::Sample,
                    entry_id: None,
                };
                (Decimal::ZERO, free)
            } else {
                let quote = quotes
                    .get(&line.sku_id)
                    .ok_or_else(|| OrdersError::not_found("sku"))?;
                let rule = match quote.rule {
                    PriceSource::BasePrice => PricingRule::BasePrice,
                    PriceSource::PriceTier => PricingRule::PriceTier,
                    PriceSource::CustomerPrice => PricingRule::CustomerPrice,
                };
                let sold = Quote {
                    rule,
                    entry_id: quote.entry_id,
                };
                (quote.unit_price, sold)
            };
            // Per-gallon excise is owed on samples' volume too; a percentage of nothing is nothing.
            let priced = PricedLine {
                unit_price,
                quantity: line.quantity,
                discount: line.discount,
                size_ml: sku.size_ml,
                tax,
            };
            Ok((priced, quote))
        })
        .collect()
}

/// Where a line's price came from, as stored on the line.
#[derive(Debug, Clone, Copy)]
struct Quote {
    rule: PricingRule,
    entry_id: Option<Uuid>,
}

async fn insert_order(
    tx: &TenantTx,
    actor: Actor,
    settings: &TenantSettings,
    request: &OrderRequest,
    order_number: String,
    amounts: &Totals,
    credit: CreditDecision,
) -> Result<orders::Model, OrdersError> {
    let status = if request.submit {
        OrderStatus::Submitted
    } else {
        OrderStatus::Draft
    };
    orders::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tx.tenant_id()),
        order_number: Set(order_number),
        customer_id: Set(request.customer_id),
        placed_by_user_id: Set(actor.user_id()),
        placed_by_portal_user_id: Set(actor.portal_user_id()),
        status: Set(status),
        subtotal: Set(amounts.subtotal),
        tax_total: Set(amounts.tax_total),
        total: Set(amounts.total),
        currency: Set(settings.currency.clone()),
        requested_delivery_date: Set(request.requested_delivery_date),
        idempotency_key: Set(request.idempotency_key.clone()),
        notes: Set(request.notes.clone()),
        submitted_at: Set(request.submit.then_some(settings.now)),
        credit_override_by_user_id: Set(credit.overridden_by()),
        ..Default::default()
    }
    .insert(tx)
    .await
    // Only a concurrent placement of the same customer's key gets here: retries queue on the
    // tenant's counter and find the first order.
    .map_err(|error| {
        if violated_constraint(&error) == Some(Violation::Unique(IDEMPOTENCY_CONSTRAINT)) {
            key_in_use()
        } else {
            error.into()
        }
    })
}

async fn insert_lines(
    tx: &DatabaseTransaction,
    order: &orders::Model,
    request: &OrderRequest,
    priced: &[(PricedLine, Quote)],
    amounts: &Totals,
) -> Result<Vec<order_lines::Model>, OrdersError> {
    let models = request
        .lines
        .iter()
        .zip(priced)
        .zip(&amounts.lines)
        .zip(1..)
        .map(
            |(((line, (price, quote)), amount), line_number)| order_lines::ActiveModel {
                id: Set(Uuid::now_v7()),
                tenant_id: Set(order.tenant_id),
                customer_id: Set(order.customer_id),
                order_id: Set(order.id),
                line_number: Set(line_number),
                sku_id: Set(line.sku_id),
                quantity: Set(line.quantity),
                unit_price: Set(price.unit_price),
                discount: Set(amount.discount),
                line_total: Set(amount.line_total),
                tax_amount: Set(amount.tax_amount),
                pricing_rule: Set(quote.rule),
                price_list_entry_id: Set(quote.entry_id),
                is_sample: Set(line.is_sample),
                ..Default::default()
            },
        );
    let mut lines = order_lines::Entity::insert_many(models)
        .exec_with_returning(tx)
        .await?;
    lines.sort_unstable_by_key(|line| line.line_number);
    Ok(lines)
}

fn placed_payload(
    order: &orders::Model,
    lines: &[order_lines::Model],
    credit: CreditDecision,
) -> serde_json::Value {
    let mut payload = json!({
        "orderId": order.id,
        "orderNumber": order.order_number,
        "customerId": order.customer_id,
        "status": order.status.to_value(),
        "placedByUserId": order.placed_by_user_id,
        "placedByPortalUserId": order.placed_by_portal_user_id,
        "currency": order.currency,
        "subtotal": money_json(order.subtotal),
        "taxTotal": money_json(order.tax_total),
        "total": money_json(order.total),
        "lines": lines.iter().map(|line| json!({
            "skuId": line.sku_id,
            "quantity": line.quantity,
            "unitPrice": money_json(line.unit_price),
            "lineTotal": money_json(line.line_total),
        })).collect::<Vec<_>>(),
    });
    if let Some(overridden) = credit.event_json() {
        payload["creditOverride"] = overridden;
    }
    payload
}
