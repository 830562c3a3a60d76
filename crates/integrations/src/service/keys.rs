//! The start-up check that the configured keys open what the database holds: for every key id in
//! use, one sample per table is decrypted. A key id missing from the ring, or a different key
//! under a known id, stops the server with one clear message instead of failing every delivery.

use super::subscriptions::open_secret;
use super::tokens;
use crate::crypto::{CryptoError, ENCRYPTION_KEYS_ENV, SecretBox};
use crate::entities::{integration_tokens, webhook_subscriptions};
use crate::error::IntegrationsError;
use leora_tenancy::{TenantContext, TenantDb, with_tenant};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Statement};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum KeyCheckError {
    #[error("{ENCRYPTION_KEYS_ENV} cannot decrypt the stored {source_table}: {error}")]
    Key {
        source_table: String,
        error: CryptoError,
    },
    #[error("the encryption key check could not read the database: {0}")]
    Database(#[from] IntegrationsError),
}

/// Checks every key id in use against `secrets`; returns the key ids in use (an old key may leave
/// the ring once it is no longer among them).
pub async fn verify_encryption_keys(
    db: &TenantDb,
    secrets: &SecretBox,
) -> Result<Vec<String>, KeyCheckError> {
    // No tenant yet: the nil id matches none, and the function returns ids only.
    let samples = with_tenant(db, &TenantContext::system(Uuid::nil()), async |tx| {
        let rows = tx
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT key_id, source, tenant_id, row_id FROM encryption_key_samples()",
            ))
            .await?;
        let mut samples = Vec::with_capacity(rows.len());
        for row in rows {
            samples.push((
                row.try_get::<String>("", "key_id")?,
                row.try_get::<String>("", "source")?,
                row.try_get::<Uuid>("", "tenant_id")?,
                row.try_get::<Uuid>("", "row_id")?,
            ));
        }
        Ok::<_, IntegrationsError>(samples)
    })
    .await?;

    let mut in_use: Vec<String> = Vec::new();
    for (key_id, source, tenant_id, row_id) in samples {
        let opened = with_tenant(db, &TenantContext::system(tenant_id), async |tx| {
            let result = match source.as_str() {
                "webhook_subscriptions" => webhook_subscriptions::Entity::find_by_id(row_id)
                    .one(tx)
                    .await?
                    .map(|row| open_secret(secrets, &row).map(drop)),
                _ => integration_tokens::Entity::find_by_id(row_id)
                    .one(tx)
                    .await?
                    .map(|row| {
                        secrets
                            .open(
                                &row.key_id,
                                &row.token_ciphertext,
                                tokens::slot(row.tenant_id, row.id),
                            )
                            .map(drop)
                    }),
            };
            Ok::<_, IntegrationsError>(result)
        })
        .await?;
        // A row deleted since the sample was taken proves nothing either way.
        if let Some(Err(error)) = opened {
            return Err(KeyCheckError::Key {
                source_table: source.replace('_', " "),
                error,
            });
        }
        if !in_use.contains(&key_id) {
            in_use.push(key_id);
        }
    }
    Ok(in_use)
}
