//! Webhook subscriptions: where a tenant wants events posted, which events, and the secret that
//! signs them. The secret is generated here, shown to the caller once, and stored only sealed
//! (AES-256-GCM, bound to the tenant and row).

use super::validate::{distinct_names, json_strings};
use crate::crypto::{CryptoError, SecretBox, SecretSlot};
use crate::entities::webhook_subscriptions::{self, SubscriptionStatus};
use crate::error::IntegrationsError;
use crate::safety::{UrlPolicy, check_url_syntax};
use crate::signature::generate_secret;
use leora_tenancy::TenantTx;
use leora_tenancy::error::{find_visible, update_visible};
use leora_tenancy::events::EventType;
use leora_tenancy::filter::FilterIfGiven;
use leora_tenancy::sql::stmt;
use leora_tenancy::validate::optional_text;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ModelTrait, QueryOrder,
    Select, Set,
};
use serde_json::Value;
use uuid::Uuid;

const ENTITY: &str = "webhook subscription";
/// What sealed secrets of this table are bound to.
pub const SECRET_PURPOSE: &str = "webhook_subscriptions.secret";
const MAX_DESCRIPTION: usize = 500;

#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub url: String,
    pub description: Option<String>,
    /// Event type names (`order.placed` …); at least one.
    pub event_types: Vec<String>,
}

/// `None` leaves a field as it is; for the description `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionChanges {
    pub url: Option<String>,
    pub description: Option<Option<String>>,
    pub event_types: Option<Vec<String>>,
}

/// A subscription with its plaintext secret: returned only on creation and rotation.
#[derive(Debug, Clone)]
pub struct WithSecret {
    pub subscription: webhook_subscriptions::Model,
    pub secret: String,
}

fn slot(tenant_id: Uuid, id: Uuid) -> SecretSlot<'static> {
    SecretSlot {
        purpose: SECRET_PURPOSE,
        tenant_id,
        row_id: id,
    }
}

/// The subscription's signing secret, in plaintext.
pub fn open_secret(
    secrets: &SecretBox,
    subscription: &webhook_subscriptions::Model,
) -> Result<String, CryptoError> {
    secrets.open_string(
        &subscription.secret_key_id,
        &subscription.secret_ciphertext,
        slot(subscription.tenant_id, subscription.id),
    )
}

fn new_secret(
    secrets: &SecretBox,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<(String, crate::crypto::Sealed), IntegrationsError> {
    let secret = generate_secret().map_err(|e| CryptoError::Random(e.to_string()))?;
    let sealed = secrets.seal(secret.as_bytes(), slot(tenant_id, id))?;
    Ok((secret, sealed))
}

fn valid_url(policy: UrlPolicy, url: &str) -> Result<String, IntegrationsError> {
    check_url_syntax(policy, url)
        .map(String::from)
        .map_err(|problem| IntegrationsError::bad_input("url", problem))
}

/// A tenant holds a bounded number of subscriptions, so one cannot make the worker fan each event
/// out without end. Creations of one tenant queue on a transaction-scoped lock, so two at once
/// cannot both take the last place.
async fn within_subscription_cap(tx: &TenantTx, cap: usize) -> Result<(), IntegrationsError> {
    tx.execute_raw(stmt(
        "SELECT pg_advisory_xact_lock(hashtextextended('webhook_subscriptions:' || $1::text, 0))",
        [tx.tenant_id().into()],
    ))
    .await?;
    let held = leora_tenancy::sql::count(
        tx,
        stmt(
            "SELECT count(*) FROM webhook_subscriptions",
            Vec::<sea_orm::Value>::new(),
        ),
    )
    .await?;
    if held >= cap {
        return Err(IntegrationsError::bad_input(
            "input",
            format!("a tenant holds at most {cap} webhook subscriptions: delete one first"),
        ));
    }
    Ok(())
}

/// Known event type names, distinct, as the JSON array stored.
fn valid_event_types(names: Vec<String>) -> Result<Value, IntegrationsError> {
    let names = distinct_names("eventTypes", names, EventType::ALL.len(), 64)?;
    if names.is_empty() {
        return Err(IntegrationsError::bad_input(
            "eventTypes",
            "must name at least one event type",
        ));
    }
    if let Some(unknown) = names.iter().find(|n| EventType::from_name(n).is_none()) {
        let known: Vec<&str> = EventType::ALL.iter().map(|e| e.name()).collect();
        return Err(IntegrationsError::bad_input(
            "eventTypes",
            format!(
                "{unknown:?} is not an event type (known: {})",
                known.join(", ")
            ),
        ));
    }
    Ok(Value::from(names))
}

/// Creates an active subscription with a new secret. A URL the policy refuses → `BadInput` on
/// `url`; no or unknown event types → `BadInput` on `eventTypes`.
pub async fn create_subscription(
    tx: &TenantTx,
    secrets: &SecretBox,
    policy: UrlPolicy,
    max_per_tenant: usize,
    input: NewSubscription,
) -> Result<WithSecret, IntegrationsError> {
    let tenant_id = tx.tenant_id();
    let url = valid_url(policy, &input.url)?;
    within_subscription_cap(tx, max_per_tenant).await?;
    let event_types = valid_event_types(input.event_types)?;
    let description = optional_text("description", input.description, MAX_DESCRIPTION)?;
    let id = Uuid::now_v7();
    let (secret, sealed) = new_secret(secrets, tenant_id, id)?;
    let subscription = webhook_subscriptions::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant_id),
        url: Set(url),
        description: Set(description),
        event_types: Set(event_types),
        secret_ciphertext: Set(sealed.ciphertext),
        secret_key_id: Set(sealed.key_id),
        status: Set(SubscriptionStatus::Active),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(WithSecret {
        subscription,
        secret,
    })
}

/// The subscriptions in any of `statuses` (all when empty), oldest first (the caller breaks ties).
pub fn subscriptions(statuses: &[SubscriptionStatus]) -> Select<webhook_subscriptions::Entity> {
    webhook_subscriptions::Entity::find()
        .filter_in(
            webhook_subscriptions::Column::Status,
            statuses.iter().copied(),
        )
        .order_by_asc(webhook_subscriptions::Column::CreatedAt)
}

pub async fn find_subscription(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<webhook_subscriptions::Model, IntegrationsError> {
    find_visible::<webhook_subscriptions::Entity, _>(tx, id, ENTITY).await
}

/// Changes URL, description or event types, with the rules of [`create_subscription`].
pub async fn update_subscription(
    tx: &DatabaseTransaction,
    policy: UrlPolicy,
    id: Uuid,
    changes: SubscriptionChanges,
) -> Result<webhook_subscriptions::Model, IntegrationsError> {
    let mut subscription: webhook_subscriptions::ActiveModel =
        find_subscription(tx, id).await?.into();
    if let Some(url) = changes.url {
        subscription.url = Set(valid_url(policy, &url)?);
    }
    if let Some(description) = changes.description {
        subscription.description = Set(optional_text("description", description, MAX_DESCRIPTION)?);
    }
    if let Some(event_types) = changes.event_types {
        subscription.event_types = Set(valid_event_types(event_types)?);
    }
    update_visible(subscription, tx, ENTITY).await
}

/// Stops new deliveries; those already queued wait for [`resume_subscription`]. A disabled
/// subscription cannot be paused (`InvalidTransition`): resume it, or delete it.
pub async fn pause_subscription(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<webhook_subscriptions::Model, IntegrationsError> {
    let subscription = find_subscription(tx, id).await?;
    match subscription.status {
        SubscriptionStatus::Paused => Ok(subscription),
        SubscriptionStatus::Disabled => Err(IntegrationsError::invalid_transition(
            "a disabled subscription cannot be paused: resume it or delete it",
        )),
        SubscriptionStatus::Active => {
            let mut subscription: webhook_subscriptions::ActiveModel = subscription.into();
            subscription.status = Set(SubscriptionStatus::Paused);
            update_visible(subscription, tx, ENTITY).await
        }
    }
}

/// Makes a paused or disabled subscription active again with a clean failure streak; deliveries
/// that waited meanwhile are sent from now on.
pub async fn resume_subscription(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<webhook_subscriptions::Model, IntegrationsError> {
    let subscription = find_subscription(tx, id).await?;
    if subscription.status == SubscriptionStatus::Active {
        return Ok(subscription);
    }
    let mut subscription: webhook_subscriptions::ActiveModel = subscription.into();
    subscription.status = Set(SubscriptionStatus::Active);
    subscription.consecutive_failures = Set(0);
    subscription.disabled_at = Set(None);
    update_visible(subscription, tx, ENTITY).await
}

/// Deletes a subscription and its deliveries (events stay: other subscriptions may use them).
pub async fn delete_subscription(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<(), IntegrationsError> {
    find_subscription(tx, id).await?.delete(tx).await?;
    Ok(())
}

/// Replaces the signing secret at once and returns the new one, the only time it is shown.
/// Deliveries from now on are signed with it.
pub async fn rotate_secret(
    tx: &DatabaseTransaction,
    secrets: &SecretBox,
    id: Uuid,
) -> Result<WithSecret, IntegrationsError> {
    let subscription = find_subscription(tx, id).await?;
    let (secret, sealed) = new_secret(secrets, subscription.tenant_id, subscription.id)?;
    let mut subscription: webhook_subscriptions::ActiveModel = subscription.into();
    subscription.secret_ciphertext = Set(sealed.ciphertext);
    subscription.secret_key_id = Set(sealed.key_id);
    let subscription = update_visible::<_, IntegrationsError>(subscription, tx, ENTITY).await?;
    Ok(WithSecret {
        subscription,
        secret,
    })
}

/// The event type names a subscription listens to.
pub fn event_types(subscription: &webhook_subscriptions::Model) -> Vec<String> {
    json_strings(&subscription.event_types)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_must_be_known_and_present() {
        assert_eq!(
            valid_event_types(vec!["order.placed".into(), "order.placed".into()]).unwrap(),
            serde_json::json!(["order.placed"])
        );
        let unknown = valid_event_types(vec!["order.eaten".into()]).unwrap_err();
        assert!(
            unknown.to_string().contains("known: order.placed"),
            "{unknown}"
        );
        assert!(valid_event_types(vec![]).is_err());
    }
}
