//! Finding work: which tenants have any, fanning their new events out into deliveries, and
//! claiming due deliveries for this worker.
//!
//! A claim is a lease: in one short transaction the due rows are locked with `FOR UPDATE SKIP
//! LOCKED` (so concurrent workers take disjoint rows), counted as an attempt, and pushed `lease`
//! into the future; the transaction commits before anything is sent, so no lock is held across an
//! HTTP call. If the worker dies before recording the outcome, the row falls due again when the
//! lease runs out and another worker sends it: at least once, never lost.

use super::Job;
use crate::crypto::SecretBox;
use crate::entities::{webhook_events, webhook_subscriptions};
use crate::error::IntegrationsError;
use crate::service::subscriptions::open_secret;
use chrono::{DateTime, Utc};
use leora_tenancy::sql::stmt;
use leora_tenancy::{TenantContext, TenantDb, with_tenant};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::time::Duration;
use uuid::Uuid;

/// Tenants with undispatched events or due deliveries, longest waiting first. The worker has no
/// tenant, and `TenantDb` opens only tenant-scoped transactions: the nil id matches no tenant, so
/// this transaction sees no rows itself and learns only the ids the SECURITY DEFINER function
/// returns.
pub(super) async fn tenants_with_work(
    db: &TenantDb,
    limit: usize,
) -> Result<Vec<Uuid>, IntegrationsError> {
    let limit = i32::try_from(limit).unwrap_or(i32::MAX);
    with_tenant(db, &TenantContext::system(Uuid::nil()), async |tx| {
        let rows = tx
            .query_all_raw(stmt(
                "SELECT webhook_tenants_with_work($1) AS tenant_id",
                [limit.into()],
            ))
            .await?;
        rows.iter()
            .map(|row| row.try_get::<Uuid>("", "tenant_id"))
            .collect::<Result<Vec<_>, DbErr>>()
            .map_err(IntegrationsError::from)
    })
    .await
}

/// Turns up to `limit` of the tenant's undispatched events into one pending delivery per active
/// subscription whose event types include the event's, and marks them dispatched — all in one
/// transaction, so an event is either fanned out completely or not at all. Returns (events,
/// deliveries).
pub(super) async fn fan_out(
    db: &TenantDb,
    tenant_id: Uuid,
    limit: u64,
) -> Result<(i64, i64), IntegrationsError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    with_tenant(db, &TenantContext::system(tenant_id), async |tx| {
        let row = tx
            .query_one_raw(stmt(
                "WITH events AS (
                   SELECT id, tenant_id, event_type FROM webhook_events
                   WHERE dispatched_at IS NULL
                   ORDER BY occurred_at, id
                   LIMIT $1
                   FOR UPDATE SKIP LOCKED
                 ), fanned AS (
                   INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id)
                   SELECT e.tenant_id, s.id, e.id
                   FROM events e
                   JOIN webhook_subscriptions s
                     ON s.tenant_id = e.tenant_id
                    AND s.status = 'active'
                    AND s.event_types @> jsonb_build_array(e.event_type)
                   ON CONFLICT (tenant_id, subscription_id, event_id) DO NOTHING
                   RETURNING 1
                 ), dispatched AS (
                   UPDATE webhook_events w SET dispatched_at = now()
                   FROM events e WHERE w.id = e.id
                   RETURNING 1
                 )
                 SELECT (SELECT count(*) FROM dispatched) AS events,
                        (SELECT count(*) FROM fanned) AS deliveries",
                [limit.into()],
            ))
            .await?;
        let counts = match row {
            Some(row) => (row.try_get("", "events")?, row.try_get("", "deliveries")?),
            None => (0, 0),
        };
        Ok::<_, IntegrationsError>(counts)
    })
    .await
}

/// Claims up to `limit` due deliveries of the tenant (see the module docs) and loads what sending
/// them needs.
pub(super) async fn claim(
    db: &TenantDb,
    secrets: &SecretBox,
    tenant_id: Uuid,
    limit: usize,
    lease: Duration,
) -> Result<Vec<Job>, IntegrationsError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    with_tenant(db, &TenantContext::system(tenant_id), async |tx| {
        let rows = tx
            .query_all_raw(stmt(
                "WITH due AS (
                   SELECT d.id FROM webhook_deliveries d
                   JOIN webhook_subscriptions s
                     ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id
                   WHERE d.status IN ('pending', 'failed')
                     AND d.next_attempt_at <= now()
                     AND s.status = 'active'
                   ORDER BY d.next_attempt_at, d.id
                   LIMIT $1
                   FOR UPDATE OF d SKIP LOCKED
                 )
                 UPDATE webhook_deliveries d
                 SET attempts = d.attempts + 1,
                     last_attempt_at = now(),
                     next_attempt_at = now() + make_interval(secs => $2)
                 FROM due WHERE d.id = due.id
                 RETURNING d.id, d.subscription_id, d.event_id, d.attempts, d.last_attempt_at",
                [limit.into(), lease.as_secs_f64().into()],
            ))
            .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            claimed.push(Claimed {
                delivery_id: row.try_get("", "id")?,
                subscription_id: row.try_get("", "subscription_id")?,
                event_id: row.try_get("", "event_id")?,
                attempt: row.try_get("", "attempts")?,
                claimed_at: row.try_get("", "last_attempt_at")?,
            });
        }
        jobs(tx, secrets, tenant_id, claimed).await
    })
    .await
}

struct Claimed {
    delivery_id: Uuid,
    subscription_id: Uuid,
    event_id: Uuid,
    attempt: i32,
    claimed_at: DateTime<Utc>,
}

async fn jobs(
    tx: &DatabaseTransaction,
    secrets: &SecretBox,
    tenant_id: Uuid,
    claimed: Vec<Claimed>,
) -> Result<Vec<Job>, IntegrationsError> {
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let events: HashMap<Uuid, webhook_events::Model> = webhook_events::Entity::find()
        .filter(webhook_events::Column::Id.is_in(claimed.iter().map(|c| c.event_id)))
        .all(tx)
        .await?
        .into_iter()
        .map(|event| (event.id, event))
        .collect();
    let subscriptions: HashMap<Uuid, webhook_subscriptions::Model> =
        webhook_subscriptions::Entity::find()
            .filter(
                webhook_subscriptions::Column::Id.is_in(claimed.iter().map(|c| c.subscription_id)),
            )
            .all(tx)
            .await?
            .into_iter()
            .map(|subscription| (subscription.id, subscription))
            .collect();
    let mut jobs = Vec::with_capacity(claimed.len());
    for claim in claimed {
        // Both are the delivery's foreign keys, locked with it: neither can be missing.
        let (Some(event), Some(subscription)) = (
            events.get(&claim.event_id),
            subscriptions.get(&claim.subscription_id),
        ) else {
            continue;
        };
        let secret = match open_secret(secrets, subscription) {
            Ok(secret) => secret,
            Err(error) => {
                // A key problem, not the receiver's: the claim's attempt is given back, so the
                // delivery keeps all its retries, and the lease brings it back once the keys are
                // fixed.
                tracing::error!(%error, subscription_id = %subscription.id, "webhook secret does not decrypt; delivery postponed");
                tx.execute_raw(stmt(
                    "UPDATE webhook_deliveries SET attempts = attempts - 1 WHERE id = $1",
                    [claim.delivery_id.into()],
                ))
                .await?;
                continue;
            }
        };
        jobs.push(Job {
            tenant_id,
            delivery_id: claim.delivery_id,
            subscription_id: claim.subscription_id,
            event_id: event.id,
            event_type: event.event_type.clone(),
            attempt: claim.attempt,
            claimed_at: claim.claimed_at,
            url: subscription.url.clone(),
            secret,
            body: envelope(event),
        });
    }
    Ok(jobs)
}

/// The JSON body receivers get: the event's id (for de-duplication), type, time, tenant and its
/// payload. The same bytes on every attempt; only the timestamp header and signature change.
pub fn envelope(event: &webhook_events::Model) -> Vec<u8> {
    let body = serde_json::json!({
        "id": event.id,
        "type": event.event_type,
        "occurredAt": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "tenantId": event.tenant_id,
        "data": event.payload,
    });
    // Serialising a `Value` cannot fail.
    serde_json::to_vec(&body).unwrap_or_default()
}
