//! The outbox: domain events recorded in the same transaction as the change that caused them, so
//! an event exists exactly when its change committed. It is the kernel's, so that every domain
//! crate can record without depending on what consumes events: webhook delivery
//! (`leora-integrations`) and GraphQL subscriptions (the gateway's live events) both read what was
//! recorded here, later and outside the request.

use crate::sql::stmt;
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::{Map, Value};
use uuid::Uuid;

/// The largest payload stored as recorded. A webhook body is this payload plus a small envelope,
/// so the cap bounds what receivers must accept.
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// The kinds of event the platform emits; webhook subscriptions filter on these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    OrderPlaced,
    OrderStatusChanged,
    InvoiceIssued,
    InvoicePaid,
    PaymentRecorded,
    PaymentRefunded,
    InventoryLow,
    InventoryAdjusted,
    AccountAtRisk,
    /// An admin (or the operator's `leora tenants create`) issued a password-reset token for a
    /// member of staff. The payload never carries the token (docs/webhooks.md).
    UserPasswordResetRequested,
    /// A staff admin or a portal admin issued a password-reset token for a customer's portal
    /// user. A type of its own, with the customer in its payload, so that a subscriber to staff
    /// resets is not sent buyers' (docs/webhooks.md). The payload never carries the token.
    PortalUserPasswordResetRequested,
}

impl EventType {
    pub const ALL: &'static [EventType] = &[
        Self::OrderPlaced,
        Self::OrderStatusChanged,
        Self::InvoiceIssued,
        Self::InvoicePaid,
        Self::PaymentRecorded,
        Self::PaymentRefunded,
        Self::InventoryLow,
        Self::InventoryAdjusted,
        Self::AccountAtRisk,
        Self::UserPasswordResetRequested,
        Self::PortalUserPasswordResetRequested,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::OrderPlaced => "order.placed",
            Self::OrderStatusChanged => "order.status_changed",
            Self::InvoiceIssued => "invoice.issued",
            Self::InvoicePaid => "invoice.paid",
            Self::PaymentRecorded => "payment.recorded",
            Self::PaymentRefunded => "payment.refunded",
            Self::InventoryLow => "inventory.low",
            Self::InventoryAdjusted => "inventory.adjusted",
            Self::AccountAtRisk => "account.at_risk",
            Self::UserPasswordResetRequested => "user.password_reset_requested",
            Self::PortalUserPasswordResetRequested => "portal_user.password_reset_requested",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|event| event.name() == name)
    }
}

/// The type of the events `sendTestWebhook` queues. Not an [`EventType`]: nothing subscribes to
/// it, and it is never fanned out.
pub const TEST_EVENT_TYPE: &str = "webhook.test";

/// Appends an event to the outbox. No `RETURNING`: portal requests may append events but not read
/// the outbox back.
///
/// A payload over [`MAX_PAYLOAD_BYTES`] is stored cut down (see [`cap_payload`]) rather than
/// refused: a webhook's size must never fail the order or payment that caused it.
pub async fn record(
    tx: &impl ConnectionTrait,
    tenant_id: Uuid,
    event: EventType,
    payload: Value,
) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    tx.execute_raw(stmt(
        "INSERT INTO webhook_events (id, tenant_id, event_type, payload) VALUES ($1, $2, $3, $4)",
        [
            id.into(),
            tenant_id.into(),
            event.name().into(),
            cap_payload(payload).into(),
        ],
    ))
    .await?;
    Ok(id)
}

/// `payload` when it fits in [`MAX_PAYLOAD_BYTES`]; otherwise its top-level scalar fields (the ids
/// and totals a receiver needs to fetch the rest through the API) with `"truncated": true`, or
/// only that marker when even those do not fit.
pub fn cap_payload(payload: Value) -> Value {
    let size = serialized_len(&payload);
    if size <= MAX_PAYLOAD_BYTES {
        return payload;
    }
    tracing::warn!(
        size,
        cap = MAX_PAYLOAD_BYTES,
        "event payload over the cap; storing its scalar fields only"
    );
    let mut kept = Map::new();
    if let Value::Object(fields) = payload {
        kept.extend(
            fields
                .into_iter()
                .filter(|(_, value)| !matches!(value, Value::Array(_) | Value::Object(_))),
        );
    }
    kept.insert("truncated".to_owned(), Value::Bool(true));
    let kept = Value::Object(kept);
    if serialized_len(&kept) <= MAX_PAYLOAD_BYTES {
        kept
    } else {
        serde_json::json!({ "truncated": true })
    }
}

fn serialized_len(value: &Value) -> usize {
    serde_json::to_vec(value).map_or(usize::MAX, |bytes| bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_round_trip_and_fit_the_database_pattern() {
        for event in EventType::ALL {
            assert_eq!(EventType::from_name(event.name()), Some(*event));
            let (head, tail) = event.name().split_once('.').unwrap();
            assert!(!head.is_empty() && !tail.is_empty());
        }
        assert_eq!(EventType::from_name(TEST_EVENT_TYPE), None);
    }

    #[test]
    fn small_payloads_are_kept_whole() {
        let payload = json!({ "orderId": "x", "lines": [1, 2, 3] });
        assert_eq!(cap_payload(payload.clone()), payload);
    }

    #[test]
    fn oversized_payloads_keep_their_scalars_and_say_so() {
        let lines: Vec<_> = (0..10_000)
            .map(|i| json!({ "line": i, "sku": "CAB-750" }))
            .collect();
        let payload = json!({ "orderId": "o-1", "total": "12.50", "lines": lines });
        let capped = cap_payload(payload);
        assert_eq!(
            capped,
            json!({ "orderId": "o-1", "total": "12.50", "truncated": true })
        );

        let huge = json!({ "note": "x".repeat(MAX_PAYLOAD_BYTES) });
        assert_eq!(cap_payload(huge), json!({ "truncated": true }));
    }
}
