//! A signed-in user (staff or portal) changing their own password. The current password must be
//! given: a stolen access token alone cannot take the account over. Wrong current passwords count
//! against the (account, address) throttle sign-in uses, so the form cannot be used to guess it.
//! The change ends every other session of the user (another device, or whoever stole a refresh
//! token); the asking session stays signed in.
//!
//! The hashes are checked and made on the blocking pool, bounded as sign-in's are
//! (`passwords`); the row is not locked meanwhile: the update applies only if the hash is still
//! the one verified, so a concurrent change makes this one a `CONFLICT`, never a lost update.

use chrono::{DateTime, Utc};
use leora_tenancy::Refusal;
use sea_orm::DatabaseTransaction;

use super::passwords;
use super::session_store as store;
use super::sessions::{AuthPolicy, ClientInfo};
use super::sign_in_failures::{Allowance, FailedSignIns};
use super::tokens::AccessClaims;
use crate::error::IdentityError;

/// What a password change needs besides the transaction and the passwords.
pub struct PasswordChange<'a> {
    pub claims: &'a AccessClaims,
    pub policy: &'a AuthPolicy,
    pub client: &'a ClientInfo,
    pub failed: &'a FailedSignIns,
    pub now: DateTime<Utc>,
}

/// Sets the signed-in principal's password to `new` once `current` is verified. Refusals:
/// `BadInput` on `currentPassword` (wrong, or too many wrong ones from this address lately) or
/// `newPassword` (too short, or the same as the current one); `Conflict` when the password
/// changed meanwhile. Returns how many other sessions were ended.
pub async fn change_password(
    tx: &DatabaseTransaction,
    change: PasswordChange<'_>,
    current: &str,
    new: &str,
) -> Result<u64, IdentityError> {
    let PasswordChange {
        claims,
        policy,
        client,
        failed,
        now,
    } = change;
    if new.chars().count() < passwords::MIN_PASSWORD_CHARS {
        return Err(IdentityError::bad_input(
            "newPassword",
            format!(
                "must be at least {} characters long",
                passwords::MIN_PASSWORD_CHARS
            ),
        ));
    }
    if new == current {
        return Err(IdentityError::bad_input(
            "newPassword",
            "must differ from the current password",
        ));
    }
    let allowance = Allowance {
        failures: policy.max_failed_logins,
        window: policy.lockout,
    };
    let address = client.ip_address;
    let stored = store::password_hash(tx, claims.kind, claims.sub)
        .await?
        .ok_or(IdentityError::InvalidToken)?;
    let blocked = failed
        .blocked_until(claims.sub, address, allowance, now)
        .is_some();
    let verified = !blocked && passwords::verify_off_runtime(current, &stored).await?;
    if !verified {
        if !blocked {
            failed.record(claims.sub, address, allowance, now);
        }
        return Err(IdentityError::bad_input(
            "currentPassword",
            "is not your current password",
        ));
    }
    failed.clear(claims.sub, address);
    let hash = passwords::hash_off_runtime(new).await?;
    if store::replace_password_hash(tx, claims.kind, claims.sub, &stored, &hash).await? == 0 {
        return Err(Refusal::conflict(
            "currentPassword",
            "your password changed meanwhile: sign in again",
        )
        .into());
    }
    Ok(store::revoke_other_families(tx, claims.kind, claims.sub, claims.sid, now).await?)
}
