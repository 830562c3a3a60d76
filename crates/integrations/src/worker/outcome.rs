//! Recording an attempt: the delivery's new state, the subscription's failure streak, and — when
//! the streak reaches the limit — disabling the subscription and telling the tenant's admins.

use super::{Job, WorkerConfig};
use crate::error::IntegrationsError;
use crate::worker::sender::AttemptOutcome;
use leora_tenancy::sql::stmt;
use leora_tenancy::{TenantContext, TenantDb, with_tenant};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde_json::json;
use uuid::Uuid;

/// The `notifications.kind` admins get when a subscription is disabled.
pub const SUBSCRIPTION_DISABLED_KIND: &str = "webhook.subscription_disabled";

const MAX_ERROR_LEN: usize = 1000;

/// What recording did, for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recorded {
    Succeeded,
    Retrying,
    Dead,
    /// The lease ran out and another worker re-claimed the delivery (or it was redelivered or
    /// deleted meanwhile): its state is theirs now.
    Stale,
}

pub(super) async fn record(
    db: &TenantDb,
    config: &WorkerConfig,
    job: &Job,
    outcome: &AttemptOutcome,
) -> Result<Recorded, IntegrationsError> {
    with_tenant(db, &TenantContext::system(job.tenant_id), async |tx| {
        // The subscription first, then the delivery: the order a subscription's deletion (which
        // cascades to its deliveries) locks them in, so the two never deadlock. NO KEY UPDATE
        // leaves the fan-out's foreign-key checks (KEY SHARE) free to proceed meanwhile.
        let Some(row) = tx
            .query_one_raw(stmt(
                "SELECT status, consecutive_failures, url FROM webhook_subscriptions
                 WHERE id = $1 FOR NO KEY UPDATE",
                [job.subscription_id.into()],
            ))
            .await?
        else {
            return Ok(Recorded::Stale);
        };
        let subscription = Streak {
            status: row.try_get("", "status")?,
            failures: row.try_get("", "consecutive_failures")?,
            url: row.try_get("", "url")?,
        };
        if outcome.succeeded() {
            record_success(tx, job, outcome).await
        } else {
            record_failure(tx, config, job, outcome, subscription).await
        }
    })
    .await
}

/// The subscription's state a failure is counted against.
struct Streak {
    status: String,
    failures: i32,
    url: String,
}

async fn record_success(
    tx: &DatabaseTransaction,
    job: &Job,
    outcome: &AttemptOutcome,
) -> Result<Recorded, IntegrationsError> {
    let updated = tx
        .execute_raw(stmt(
            "UPDATE webhook_deliveries
             SET status = 'succeeded', delivered_at = now(), next_attempt_at = now(),
                 last_status_code = $4, last_error = NULL
             WHERE id = $1 AND attempts = $2 AND last_attempt_at = $3",
            [
                job.delivery_id.into(),
                job.attempt.into(),
                job.claimed_at.into(),
                outcome.status_code.map(i32::from).into(),
            ],
        ))
        .await?;
    if updated.rows_affected() == 0 {
        return Ok(Recorded::Stale);
    }
    tx.execute_raw(stmt(
        "UPDATE webhook_subscriptions SET consecutive_failures = 0, last_success_at = now()
         WHERE id = $1",
        [job.subscription_id.into()],
    ))
    .await?;
    Ok(Recorded::Succeeded)
}

async fn record_failure(
    tx: &DatabaseTransaction,
    config: &WorkerConfig,
    job: &Job,
    outcome: &AttemptOutcome,
    subscription: Streak,
) -> Result<Recorded, IntegrationsError> {
    let attempts = u32::try_from(job.attempt).unwrap_or(u32::MAX);
    let dead = config.retry.exhausted(attempts);
    let delay = config.retry.random_delay(attempts);
    let error = outcome.error.as_deref().map(|e| truncate(e, MAX_ERROR_LEN));
    let updated = tx
        .execute_raw(stmt(
            "UPDATE webhook_deliveries
             SET status = CASE WHEN $4 THEN 'dead' ELSE 'failed' END,
                 next_attempt_at = now() + make_interval(secs => $5),
                 last_status_code = $6, last_error = $7
             WHERE id = $1 AND attempts = $2 AND last_attempt_at = $3",
            [
                job.delivery_id.into(),
                job.attempt.into(),
                job.claimed_at.into(),
                dead.into(),
                delay.as_secs_f64().into(),
                outcome.status_code.map(i32::from).into(),
                error.into(),
            ],
        ))
        .await?;
    if updated.rows_affected() == 0 {
        return Ok(Recorded::Stale);
    }
    count_failure(tx, config, job, subscription).await?;
    Ok(if dead {
        Recorded::Dead
    } else {
        Recorded::Retrying
    })
}

/// Adds one to the subscription's failure streak (its row is locked by [`record`], so concurrent
/// attempts to the same endpoint count every failure and only one of them disables it).
async fn count_failure(
    tx: &DatabaseTransaction,
    config: &WorkerConfig,
    job: &Job,
    subscription: Streak,
) -> Result<(), IntegrationsError> {
    let failures = subscription.failures.saturating_add(1);
    let limit = i32::try_from(config.disable_after_failures).unwrap_or(i32::MAX);
    let disable = subscription.status == "active" && failures >= limit;
    tx.execute_raw(stmt(
        "UPDATE webhook_subscriptions
         SET consecutive_failures = $2, last_failure_at = now(),
             status = CASE WHEN $3 THEN 'disabled' ELSE status END,
             disabled_at = CASE WHEN $3 THEN now() ELSE disabled_at END
         WHERE id = $1",
        [job.subscription_id.into(), failures.into(), disable.into()],
    ))
    .await?;
    if disable {
        tracing::warn!(
            subscription_id = %job.subscription_id,
            tenant_id = %job.tenant_id,
            failures,
            "webhook subscription disabled after consecutive failures"
        );
        notify_admins(tx, job.subscription_id, &subscription.url, failures).await?;
    }
    Ok(())
}

/// One notification for each active user holding the admin role (the shared system role or a
/// tenant role of that name).
async fn notify_admins(
    tx: &DatabaseTransaction,
    subscription_id: Uuid,
    url: &str,
    failures: i32,
) -> Result<(), IntegrationsError> {
    let title = "Webhook endpoint disabled";
    let body = format!(
        "Deliveries to {url} failed {failures} times in a row, so the subscription was disabled. \
         Fix the endpoint, then resume the subscription: pending deliveries are sent then."
    );
    let data =
        json!({ "subscriptionId": subscription_id, "url": url, "consecutiveFailures": failures });
    tx.execute_raw(stmt(
        "INSERT INTO notifications (tenant_id, recipient_user_id, kind, title, body, priority, data)
         SELECT DISTINCT u.tenant_id, u.id, $1, $2, $3, 'high', $4::jsonb
         FROM users u
         JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id
         JOIN roles r ON r.id = ur.role_id
         WHERE r.name = 'admin' AND r.audience = 'internal' AND u.status = 'active'",
        [
            SUBSCRIPTION_DISABLED_KIND.into(),
            title.into(),
            body.into(),
            data.into(),
        ],
    ))
    .await?;
    Ok(())
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn long_errors_are_cut_on_a_character_boundary() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("ééééé", 3), "ééé…");
    }
}
