//! Batched reads for the GraphQL DataLoaders: one statement per call, whatever the number of keys,
//! so a page's SQL does not grow with its size. Keys without rows are absent from the result.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::NaiveDate;
use leora_tenancy::rows;
use leora_tenancy::sql::stmt;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::entities::invoices::InvoiceStatus;
use crate::entities::{cart_items, invoices, list_items, order_lines, payments};
use crate::error::OrdersError;

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

/// Each tenant's date today, in its time zone (UTC for a tenant without settings): the day an
/// invoice's due date is judged against.
pub async fn tenants_today(
    tx: &DatabaseTransaction,
    tenant_ids: &[Uuid],
) -> Result<HashMap<Uuid, NaiveDate>, OrdersError> {
    let rows = tx
        .query_all_raw(stmt(
            "SELECT id, (now() AT TIME ZONE coalesce(
                        (SELECT timezone FROM tenant_settings s WHERE s.tenant_id = t.id), 'UTC'))::date
               FROM unnest($1::uuid[]) AS t(id)",
            [tenant_ids.to_vec().into()],
        ))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}
