//! Batched reads for the GraphQL DataLoaders: one statement per call, whatever the number of keys,
//! so a page's SQL does not grow with its size. Keys without rows are absent from the result.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::NaiveDate;
use leora_tenancy::TenantTx;
use leora_tenancy::rows;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entities::invoices::InvoiceStatus;
use crate::entities::{cart_items, invoices, list_items, order_lines, payments};
use crate::error::OrdersError;
use crate::service::settings::{self, Lock};

/// Each order's lines, by line number.
pub async fn lines_of_orders(
    tx: &DatabaseTransaction,
    order_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<order_lines::Model>>, OrdersError> {
    if order_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let select = order_lines::Entity::find()
        .filter(order_lines::Column::OrderId.is_in(order_ids.iter().copied()))
        .order_by_asc(order_lines::Column::OrderId)
        .order_by_asc(order_lines::Column::LineNumber);
    let lines = rows::all(tx, select).await?;
    Ok(group(lines, |line| line.order_id))
}

/// Each order's invoice: its live one (an order has at most one), else the last one voided.
pub async fn invoices_of_orders(
    tx: &DatabaseTransaction,
    order_ids: &[Uuid],
) -> Result<HashMap<Uuid, invoices::Model>, OrdersError> {
    if order_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let invoices = invoices::Entity::find()
        .filter(invoices::Column::OrderId.is_in(order_ids.iter().copied()))
        .order_by_asc(invoices::Column::IssuedAt)
        .order_by_asc(invoices::Column::Id)
        .all(tx)
        .await?;
    let mut by_order: HashMap<Uuid, invoices::Model> = HashMap::new();
    for invoice in invoices {
        let replaces = by_order
            .get(&invoice.order_id)
            .is_none_or(|kept| kept.status == InvoiceStatus::Void);
        if replaces {
            by_order.insert(invoice.order_id, invoice);
        }
    }
    Ok(by_order)
}

/// Each invoice's payments, oldest received first.
pub async fn payments_of_invoices(
    tx: &DatabaseTransaction,
    invoice_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<payments::Model>>, OrdersError> {
    if invoice_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let payments = payments::Entity::find()
        .filter(payments::Column::InvoiceId.is_in(invoice_ids.iter().copied()))
        .order_by_asc(payments::Column::ReceivedAt)
        .order_by_asc(payments::Column::Id)
        .all(tx)
        .await?;
    Ok(group(payments, |payment| payment.invoice_id))
}

/// Each cart's items, in the order they were first added.
pub async fn items_of_carts(
    tx: &DatabaseTransaction,
    cart_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<cart_items::Model>>, OrdersError> {
    if cart_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let items = cart_items::Entity::find()
        .filter(cart_items::Column::CartId.is_in(cart_ids.iter().copied()))
        .order_by_asc(cart_items::Column::CreatedAt)
        .order_by_asc(cart_items::Column::Id)
        .all(tx)
        .await?;
    Ok(group(items, |item| item.cart_id))
}

/// Each list's items, by position.
pub async fn items_of_lists(
    tx: &DatabaseTransaction,
    list_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<list_items::Model>>, OrdersError> {
    if list_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let items = list_items::Entity::find()
        .filter(list_items::Column::ListId.is_in(list_ids.iter().copied()))
        .order_by_asc(list_items::Column::Position)
        .order_by_asc(list_items::Column::Id)
        .all(tx)
        .await?;
    Ok(group(items, |item| item.list_id))
}

/// Groups rows by key, keeping their order within each group.
fn group<K: Eq + Hash, T>(rows: Vec<T>, key: impl Fn(&T) -> K) -> HashMap<K, Vec<T>> {
    let mut groups: HashMap<K, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(row);
    }
    groups
}

/// Today on the tenant's calendar, the day an invoice's due date is judged against, read as
/// every order service reads it. A transaction sees one tenant, so only its own id gets a date.
pub async fn tenants_today(
    tx: &TenantTx,
    tenant_ids: &[Uuid],
) -> Result<HashMap<Uuid, NaiveDate>, OrdersError> {
    let today = settings::load(tx, Lock::None).await?.today;
    Ok(tenant_ids
        .iter()
        .filter(|id| **id == tx.tenant_id())
        .map(|id| (*id, today))
        .collect())
}
