//! Integration tokens: third-party credentials (an accounting system's API token …) sealed with
//! AES-256-GCM. Only the provider, scopes, expiry, last use and the last four characters are ever
//! shown; the token itself leaves this module only through [`use_token`], for the code that calls
//! the provider.

use super::validate::{distinct_names, json_strings};
use crate::crypto::{SecretBox, SecretSlot};
use crate::entities::integration_tokens;
use crate::error::IntegrationsError;
use chrono::{DateTime, Utc};
use leora_tenancy::TenantTx;
use leora_tenancy::error::{find_visible, update_visible};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, Select, Set,
};
use serde_json::Value;
use uuid::Uuid;

const ENTITY: &str = "integration token";
/// What sealed tokens are bound to.
pub const TOKEN_PURPOSE: &str = "integration_tokens.token";
const MIN_TOKEN_CHARS: usize = 8;
const MAX_TOKEN_CHARS: usize = 8192;
const SHOWN_CHARS: usize = 4;

/// No `Debug`: it holds the token in plaintext.
#[derive(Clone)]
pub struct NewToken {
    /// Lower-case letters, digits and `_` (`quickbooks`, `vinosmith` …).
    pub provider: String,
    pub token: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

pub(crate) fn slot(tenant_id: Uuid, id: Uuid) -> SecretSlot<'static> {
    SecretSlot {
        purpose: TOKEN_PURPOSE,
        tenant_id,
        row_id: id,
    }
}

fn valid_provider(provider: &str) -> Result<String, IntegrationsError> {
    let provider = provider.trim().to_ascii_lowercase();
    let valid = !provider.is_empty()
        && provider.len() <= 64
        && provider
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(provider)
    } else {
        Err(IntegrationsError::bad_input(
            "provider",
            "must be 1 to 64 lower-case letters, digits or underscores",
        ))
    }
}

/// Stores a provider's token, replacing (revoking) the provider's previous one: a tenant has one
/// live credential per provider. Too short or long a token → `BadInput` on `token`; an expiry in
/// the past → `BadInput` on `expiresAt`.
pub async fn store_token(
    tx: &TenantTx,
    secrets: &SecretBox,
    input: NewToken,
) -> Result<integration_tokens::Model, IntegrationsError> {
    let tenant_id = tx.tenant_id();
    let provider = valid_provider(&input.provider)?;
    let token = input.token.trim();
    let length = token.chars().count();
    if !(MIN_TOKEN_CHARS..=MAX_TOKEN_CHARS).contains(&length) {
        return Err(IntegrationsError::bad_input(
            "token",
            format!("must be {MIN_TOKEN_CHARS} to {MAX_TOKEN_CHARS} characters"),
        ));
    }
    if input.expires_at.is_some_and(|at| at <= Utc::now()) {
        return Err(IntegrationsError::bad_input(
            "expiresAt",
            "must be in the future",
        ));
    }
    let scopes = distinct_names("scopes", input.scopes, 100, 200)?;
    let last_four: String = {
        let mut tail: Vec<char> = token.chars().rev().take(SHOWN_CHARS).collect();
        tail.reverse();
        tail.into_iter().collect()
    };

    integration_tokens::Entity::update_many()
        .col_expr(
            integration_tokens::Column::RevokedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(integration_tokens::Column::Provider.eq(provider.as_str()))
        .filter(integration_tokens::Column::RevokedAt.is_null())
        .exec(tx)
        .await?;

    let id = Uuid::now_v7();
    let sealed = secrets.seal(token.as_bytes(), slot(tenant_id, id))?;
    Ok(integration_tokens::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant_id),
        provider: Set(provider),
        token_ciphertext: Set(sealed.ciphertext),
        key_id: Set(sealed.key_id),
        token_last4: Set(last_four),
        scopes: Set(Value::from(scopes)),
        expires_at: Set(input.expires_at),
        ..Default::default()
    }
    .insert(tx)
    .await?)
}

/// Revokes a token; revoking a revoked token changes nothing.
pub async fn revoke_token(
    tx: &DatabaseTransaction,
    id: Uuid,
) -> Result<integration_tokens::Model, IntegrationsError> {
    let token =
        find_visible::<integration_tokens::Entity, IntegrationsError>(tx, id, ENTITY).await?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut token: integration_tokens::ActiveModel = token.into();
    token.revoked_at = Set(Some(Utc::now()));
    update_visible(token, tx, ENTITY).await
}

/// The provider's live token in plaintext (not revoked, not expired), noting its use; `None` when
/// there is none.
pub async fn use_token(
    tx: &DatabaseTransaction,
    secrets: &SecretBox,
    provider: &str,
) -> Result<Option<String>, IntegrationsError> {
    let now = Utc::now();
    let Some(token) = integration_tokens::Entity::find()
        .filter(integration_tokens::Column::Provider.eq(provider))
        .filter(integration_tokens::Column::RevokedAt.is_null())
        .filter(
            integration_tokens::Column::ExpiresAt
                .is_null()
                .or(integration_tokens::Column::ExpiresAt.gt(now)),
        )
        .order_by_desc(integration_tokens::Column::CreatedAt)
        .one(tx)
        .await?
    else {
        return Ok(None);
    };
    let plaintext = secrets.open_string(
        &token.key_id,
        &token.token_ciphertext,
        slot(token.tenant_id, token.id),
    )?;
    let mut token: integration_tokens::ActiveModel = token.into();
    token.last_used_at = Set(Some(now));
    token.update(tx).await?;
    Ok(Some(plaintext))
}

#[derive(Debug, Clone, Default)]
pub struct TokenFilter {
    /// A provider name, in any case.
    pub provider: Option<String>,
    pub include_revoked: bool,
}

/// The tokens matching `filter`, newest first (the caller breaks ties).
pub fn tokens(filter: &TokenFilter) -> Select<integration_tokens::Entity> {
    let mut select =
        integration_tokens::Entity::find().order_by_desc(integration_tokens::Column::CreatedAt);
    if let Some(provider) = &filter.provider {
        select = select
            .filter(integration_tokens::Column::Provider.eq(provider.trim().to_ascii_lowercase()));
    }
    if !filter.include_revoked {
        select = select.filter(integration_tokens::Column::RevokedAt.is_null());
    }
    select
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

/// Where a token stands at `now`: revocation outranks expiry.
pub fn status(token: &integration_tokens::Model, now: DateTime<Utc>) -> TokenStatus {
    if token.revoked_at.is_some() {
        TokenStatus::Revoked
    } else if token.expires_at.is_some_and(|at| at <= now) {
        TokenStatus::Expired
    } else {
        TokenStatus::Active
    }
}

/// The token's scope names.
pub fn scopes(token: &integration_tokens::Model) -> Vec<String> {
    json_strings(&token.scopes)
}

#[cfg(test)]
mod tests {
    use super::valid_provider;

    #[test]
    fn providers_are_normalised_slugs() {
        assert_eq!(valid_provider(" QuickBooks ").unwrap(), "quickbooks");
        assert!(valid_provider("quick books").is_err());
        assert!(valid_provider("").is_err());
    }
}
