//! Password resets: an admin (or the operator's `leora tenants create`, for a new tenant's first
//! admin) issues a single-use, expiring token for a member of staff, and whoever holds it sets the
//! account's password with `resetPassword`, without the current one and without signing in.
//!
//! Tokens are opaque strings `lpr1.<tenant>.<reset>.<secret>`: the tenant rides along so that
//! `resetPassword` can open that tenant's transaction with no session and no slug, the reset id
//! finds the row by primary key, and only the SHA-256 of the secret is stored (as for refresh
//! tokens, [`super::secret`]). A user has at most one token: issuing one deletes the last, so the
//! table stays bounded by the number of staff.
//!
//! Every way a token cannot be used (malformed, unknown, used, expired, its account disabled, its
//! tenant suspended) is the one [`IdentityError::ResetTokenInvalid`], so the answer tells a holder
//! nothing of which.

use chrono::{DateTime, Duration, Utc};
use leora_integrations::events::{self, EventType};
use leora_tenancy::error::find_visible;
use leora_tenancy::sql::stmt;
use leora_tenancy::{TenantContext, TenantDb, TenantTx, with_tenant};
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde_json::json;
use uuid::Uuid;

use super::passwords::{self, MIN_PASSWORD_CHARS};
use super::secret::{Secret, parse_simple_uuid};
use super::session_store::revoke_all_sessions;
use super::tokens::PrincipalKind;
use crate::entities::enums::UserStatus;
use crate::entities::users;
use crate::error::IdentityError;

const VERSION: &str = "lpr1";

/// How long a token an admin issues stays usable: long enough to pass it on and use it, short
/// enough that one forgotten in a chat is soon worthless.
pub const RESET_TOKEN_TTL: Duration = Duration::hours(1);

/// A token just issued: the only time its text exists outside the caller's hands.
#[derive(Clone)]
pub struct IssuedReset {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user_id: Uuid,
    pub email: String,
}

impl std::fmt::Debug for IssuedReset {
    /// Without the token, so that no log line can carry it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedReset")
            .field("expires_at", &self.expires_at)
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

struct ResetToken {
    tenant_id: Uuid,
    reset_id: Uuid,
    secret: Secret,
}

impl ResetToken {
    fn parse(token: &str) -> Result<Self, IdentityError> {
        Self::try_parse(token.trim()).ok_or(IdentityError::ResetTokenInvalid)
    }

    fn try_parse(token: &str) -> Option<Self> {
        let mut parts = token.split('.');
        let (Some(VERSION), Some(tenant), Some(reset), Some(secret), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        Some(Self {
            tenant_id: parse_simple_uuid(tenant)?,
            reset_id: parse_simple_uuid(reset)?,
            secret: Secret::decode(secret)?,
        })
    }

    fn encode(&self) -> String {
        format!(
            "{VERSION}.{}.{}.{}",
            self.tenant_id.simple(),
            self.reset_id.simple(),
            self.secret.encode()
        )
    }
}

#[derive(FromQueryResult)]
struct Issued {
    expires_at: DateTime<Utc>,
}

/// Issues a reset token for the member of staff `user_id`, usable once within `ttl`, replacing
/// any earlier token of theirs, and records `user.password_reset_requested` (without the token).
/// The transaction's user, if any, is recorded as the one who asked.
///
/// Refusals: `NotFound` user (not of this tenant, or no such user); `BadInput` on `userId` for a
/// disabled account, which a new password would not let in (enable it first).
pub async fn issue_password_reset(
    tx: &TenantTx,
    user_id: Uuid,
    ttl: Duration,
) -> Result<IssuedReset, IdentityError> {
    let user = find_visible::<users::Entity, IdentityError>(tx, user_id, "user").await?;
    if user.status == UserStatus::Disabled {
        return Err(IdentityError::bad_input(
            "userId",
            "the account is disabled: enable it before resetting its password",
        ));
    }
    let token = ResetToken {
        tenant_id: tx.tenant_id(),
        reset_id: Uuid::now_v7(),
        secret: Secret::generate()?,
    };
    let requested_by = tx.context().user_id();
    tx.execute_raw(stmt(
        "DELETE FROM password_resets WHERE user_id = $1",
        [user.id.into()],
    ))
    .await?;
    // The database's clock decides the expiry, as it decides every other instant a transaction
    // writes and the moment `resetPassword` compares it with.
    let issued = Issued::find_by_statement(stmt(
        "INSERT INTO password_resets (id, tenant_id, user_id, token_hash, expires_at, \
                                      requested_by_user_id) \
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), $6) RETURNING expires_at",
        [
            token.reset_id.into(),
            token.tenant_id.into(),
            user.id.into(),
            token.secret.hash().into(),
            ttl_seconds(ttl).into(),
            requested_by.into(),
        ],
    ))
    .one(tx)
    .await?
    .ok_or(sea_orm::DbErr::RecordNotInserted)?;
    events::record(
        tx,
        token.tenant_id,
        EventType::UserPasswordResetRequested,
        json!({
            "userId": user.id,
            "email": user.email,
            "expiresAt": issued.expires_at,
            "requestedByUserId": requested_by,
        }),
    )
    .await?;
    Ok(IssuedReset {
        token: token.encode(),
        expires_at: issued.expires_at,
        user_id: user.id,
        email: user.email,
    })
}

/// At least a second, at most a year: an expiry outside that is a caller's mistake.
fn ttl_seconds(ttl: Duration) -> f64 {
    ttl.num_seconds().clamp(1, 366 * 24 * 3600) as f64
}

/// What [`reset_password`] reads before hashing the new password.
#[derive(FromQueryResult)]
struct Usable {
    token_hash: String,
}

/// Sets the password of the user a reset token was issued for and uses the token up. An invited
/// account becomes active (setting its first password is accepting the invitation), a lock-out is
/// lifted, and every session of the user ends: whoever knew the old password is signed out.
///
/// `new_password` follows the policy of `changePassword` (at least [`MIN_PASSWORD_CHARS`]
/// characters; `BadInput` on `newPassword`), except that it is not compared with the current
/// one: that comparison would confirm the old password to whoever holds the token.
///
/// Runs in two short transactions of the token's tenant, with no session, and hashes the new
/// password between them holding no connection: the first checks the token, the second uses it up
/// only if it is still unused and unexpired, so of two concurrent uses one wins and the other is
/// refused. A token that cannot be used costs no hash.
pub async fn reset_password(
    db: &TenantDb,
    token: &str,
    new_password: &str,
) -> Result<(), IdentityError> {
    if new_password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(IdentityError::bad_input(
            "newPassword",
            format!("must be at least {MIN_PASSWORD_CHARS} characters long"),
        ));
    }
    let token = ResetToken::parse(token)?;
    let ctx = TenantContext::anonymous(token.tenant_id);
    let usable = with_tenant(db, &ctx, async |tx| {
        Ok::<_, IdentityError>(
            Usable::find_by_statement(stmt(
                "SELECT r.token_hash FROM password_resets r \
                   JOIN users u ON u.id = r.user_id \
                   JOIN tenants t ON t.id = r.tenant_id \
                  WHERE r.id = $1 AND r.used_at IS NULL AND r.expires_at > now() \
                    AND u.status <> 'disabled' AND t.status = 'active'",
                [token.reset_id.into()],
            ))
            .one(tx)
            .await?,
        )
    })
    .await?;
    if !usable.is_some_and(|row| token.secret.matches(&row.token_hash)) {
        return Err(IdentityError::ResetTokenInvalid);
    }
    let hash = passwords::hash_off_runtime(new_password).await?;
    with_tenant(db, &ctx, async |tx| use_up(tx, &token, &hash).await).await
}

#[derive(FromQueryResult)]
struct UsedUp {
    user_id: Uuid,
}

async fn use_up(tx: &TenantTx, token: &ResetToken, hash: &str) -> Result<(), IdentityError> {
    let used = UsedUp::find_by_statement(stmt(
        "UPDATE password_resets SET used_at = now() \
          WHERE id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > now() \
          RETURNING user_id",
        [token.reset_id.into(), token.secret.hash().into()],
    ))
    .one(tx)
    .await?
    .ok_or(IdentityError::ResetTokenInvalid)?;
    let changed = tx
        .execute_raw(stmt(
            "UPDATE users SET password_hash = $2, failed_login_count = 0, locked_until = NULL, \
                    status = CASE status WHEN 'invited' THEN 'active' ELSE status END \
              WHERE id = $1 AND status <> 'disabled' \
                AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = users.tenant_id \
                                                    AND t.status = 'active')",
            [used.user_id.into(), hash.into()],
        ))
        .await?
        .rows_affected();
    if changed == 0 {
        // Disabled, or its tenant suspended, since the token was checked: the token is refused
        // as any other, and rolling back leaves it as it was.
        return Err(IdentityError::ResetTokenInvalid);
    }
    revoke_all_sessions(tx, PrincipalKind::User, used.user_id, Utc::now()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ResetToken {
        ResetToken {
            tenant_id: Uuid::now_v7(),
            reset_id: Uuid::now_v7(),
            secret: Secret::generate().unwrap(),
        }
    }

    #[test]
    fn a_token_round_trips_through_its_string() {
        let token = sample();
        let text = token.encode();
        assert!(text.starts_with("lpr1."), "{text}");
        let parsed = ResetToken::parse(&text).unwrap();
        assert_eq!(parsed.tenant_id, token.tenant_id);
        assert_eq!(parsed.reset_id, token.reset_id);
        assert!(parsed.secret.matches(&token.secret.hash()));
        assert!(!parsed.secret.matches(&sample().secret.hash()));
    }

    #[test]
    fn malformed_tokens_are_the_one_invalid_token_answer() {
        let good = sample().encode();
        let parts: Vec<&str> = good.split('.').collect();
        for token in [
            String::new(),
            "lpr1".to_owned(),
            good.replacen("lpr1", "lr1", 1),
            format!("{good}.extra"),
            good.replacen(parts[3], &parts[3][..parts[3].len() - 2], 1),
            good.replacen(parts[2], "not-a-uuid", 1),
        ] {
            assert!(
                matches!(
                    ResetToken::parse(&token),
                    Err(IdentityError::ResetTokenInvalid)
                ),
                "{token:?}"
            );
        }
    }

    #[test]
    fn an_issued_reset_never_prints_its_token() {
        let issued = IssuedReset {
            token: "lpr1.secret-text".to_owned(),
            expires_at: Utc::now(),
            user_id: Uuid::now_v7(),
            email: "ada@example.com".to_owned(),
        };
        assert!(!format!("{issued:?}").contains("secret-text"));
    }
}
