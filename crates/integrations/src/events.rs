//! The outbox: domain events recorded in the same transaction as the change that caused them, so
//! an event exists exactly when its change committed. Delivery (webhook fan-out, notifications)
//! happens later, outside the request, from what was recorded here.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use serde_json::Value;
use uuid::Uuid;

/// The kinds of event the platform emits; webhook subscriptions filter on these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    OrderPlaced,
    OrderStatusChanged,
    InvoiceIssued,
    InvoicePaid,
    PaymentRecorded,
    InventoryLow,
    InventoryAdjusted,
    AccountAtRisk,
}

impl EventType {
    pub const ALL: &'static [EventType] = &[
        Self::OrderPlaced,
        Self::OrderStatusChanged,
        Self::InvoiceIssued,
        Self::InvoicePaid,
        Self::PaymentRecorded,
        Self::InventoryLow,
        Self::InventoryAdjusted,
        Self::AccountAtRisk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::OrderPlaced => "order.placed",
            Self::OrderStatusChanged => "order.status_changed",
            Self::InvoiceIssued => "invoice.issued",
            Self::InvoicePaid => "invoice.paid",
            Self::PaymentRecorded => "payment.recorded",
            Self::InventoryLow => "inventory.low",
            Self::InventoryAdjusted => "inventory.adjusted",
            Self::AccountAtRisk => "account.at_risk",
        }
    }
}

/// Appends an event to the outbox. No `RETURNING`: portal requests may append events but not read
/// the outbox back.
pub async fn record(
    tx: &impl ConnectionTrait,
    tenant_id: Uuid,
    event: EventType,
    payload: Value,
) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    tx.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO webhook_events (id, tenant_id, event_type, payload) VALUES ($1, $2, $3, $4)",
        [
            id.into(),
            tenant_id.into(),
            event.name().into(),
            payload.into(),
        ],
    ))
    .await?;
    Ok(id)
}
