//! Password resets: an admin (or the operator's `leora tenants create`, for a new tenant's first
//! admin) issues a single-use, expiring token for a member of staff or a portal user, and whoever
//! holds it sets the account's password with `resetPassword`, without the current one and without
//! signing in.
//!
//! Tokens are opaque strings `lpr1.<tenant>.<reset>.<secret>`: the tenant rides along so that
//! `resetPassword` can open that tenant's transaction with no session and no slug, the reset id
//! finds the row by primary key, and only the SHA-256 of the secret is stored (as for refresh
//! tokens, [`super::secret`]). Both kinds of account share one format and one table: the stored
//! row, not the token, says whose password it sets, so a token cannot be made to name another
//! kind of account. An account has at most one token: issuing one deletes the last, so the table
//! stays bounded by the number of accounts.
//!
//! Every way a token cannot be used (malformed, unknown, used, expired, its account disabled, its
//! tenant suspended) is the one [`IdentityError::ResetTokenInvalid`], so the answer tells a holder
//! nothing of which.

use chrono::{DateTime, Duration, Utc};
use leora_tenancy::events::{self, EventType};
use leora_tenancy::sql::stmt;
use leora_tenancy::{Principal, Refusal, TenantContext, TenantDb, TenantTx, with_tenant};
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, QuerySelect};
use serde_json::json;
use uuid::Uuid;

use super::passwords::{self, MIN_PASSWORD_CHARS};
use super::secret::{Secret, parse_simple_uuid};
use super::session_store::revoke_all_sessions;
use super::tokens::PrincipalKind;
use crate::entities::enums::UserStatus;
use crate::entities::{portal_users, users};
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
    /// Whose password it sets: a member of staff (`account_id` is a user's id) or a portal user
    /// (a portal user's id).
    pub kind: PrincipalKind,
    pub account_id: Uuid,
    pub email: String,
}

impl std::fmt::Debug for IssuedReset {
    /// Without the token, so that no log line can carry it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedReset")
            .field("expires_at", &self.expires_at)
            .field("kind", &self.kind)
            .field("account_id", &self.account_id)
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

/// Where each kind of account lives: its table, and the column of `password_resets` naming it.
struct Accounts {
    table: &'static str,
    column: &'static str,
    /// The argument that names such an account, for refusals.
    field: &'static str,
}

fn accounts(kind: PrincipalKind) -> Accounts {
    match kind {
        PrincipalKind::User => Accounts {
            table: "users",
            column: "user_id",
            field: "userId",
        },
        PrincipalKind::PortalUser => Accounts {
            table: "portal_users",
            column: "portal_user_id",
            field: "portalUserId",
        },
    }
}

/// The account a token is being issued for, as the issuing transaction read (and locked) it.
struct Holder {
    kind: PrincipalKind,
    id: Uuid,
    /// A portal user's customer; `None` for staff.
    customer_id: Option<Uuid>,
    email: String,
    status: UserStatus,
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
    // Locked, so that two issues for one account take turns and leave it one token.
    let user = users::Entity::find_by_id(user_id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(Refusal::NotFound { entity: "user" })?;
    let holder = Holder {
        kind: PrincipalKind::User,
        id: user.id,
        customer_id: None,
        email: user.email,
        status: user.status,
    };
    issue(tx, holder, ttl).await
}

/// Issues a reset token for the portal user `portal_user_id`, as [`issue_password_reset`] does
/// for staff, and records `portal_user.password_reset_requested` (without the token). The
/// transaction's user or portal user (a portal admin) is recorded as the one who asked.
///
/// Refusals: `NotFound` portal user (not visible: of another tenant, or of another customer than
/// a portal request's own); `BadInput` on `portalUserId` for a disabled account.
pub async fn issue_portal_password_reset(
    tx: &TenantTx,
    portal_user_id: Uuid,
    ttl: Duration,
) -> Result<IssuedReset, IdentityError> {
    let user = portal_users::Entity::find_by_id(portal_user_id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(Refusal::NotFound {
            entity: "portal user",
        })?;
    let holder = Holder {
        kind: PrincipalKind::PortalUser,
        id: user.id,
        customer_id: Some(user.customer_id),
        email: user.email,
        status: user.status,
    };
    issue(tx, holder, ttl).await
}

/// What both kinds of issue share: the refusal of a disabled account, the one-token rule, the row
/// and the event.
async fn issue(tx: &TenantTx, holder: Holder, ttl: Duration) -> Result<IssuedReset, IdentityError> {
    let names = accounts(holder.kind);
    if holder.status == UserStatus::Disabled {
        return Err(IdentityError::bad_input(
            names.field,
            "the account is disabled: enable it before resetting its password",
        ));
    }
    let token = ResetToken {
        tenant_id: tx.tenant_id(),
        reset_id: Uuid::now_v7(),
        secret: Secret::generate()?,
    };
    let (by_user, by_portal_user) = match tx.context().principal() {
        Principal::User { user_id } => (Some(user_id), None),
        Principal::PortalUser { portal_user_id, .. } => (None, Some(portal_user_id)),
        Principal::Anonymous | Principal::System => (None, None),
    };
    let column = names.column;
    tx.execute_raw(stmt(
        &format!("DELETE FROM password_resets WHERE {column} = $1"),
        [holder.id.into()],
    ))
    .await?;
    // The database's clock decides the expiry, as it decides every other instant a transaction
    // writes and the moment `resetPassword` compares it with.
    let issued = Issued::find_by_statement(stmt(
        &format!(
            "INSERT INTO password_resets (id, tenant_id, {column}, customer_id, token_hash, \
                                          expires_at, requested_by_user_id, \
                                          requested_by_portal_user_id) \
             VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7, $8) \
             RETURNING expires_at"
        ),
        [
            token.reset_id.into(),
            token.tenant_id.into(),
            holder.id.into(),
            holder.customer_id.into(),
            token.secret.hash().into(),
            ttl_seconds(ttl).into(),
            by_user.into(),
            by_portal_user.into(),
        ],
    ))
    .one(tx)
    .await?
    .ok_or(sea_orm::DbErr::RecordNotInserted)?;
    let (event, payload) = match holder.kind {
        PrincipalKind::User => (
            EventType::UserPasswordResetRequested,
            json!({
                "userId": holder.id,
                "email": holder.email,
                "expiresAt": issued.expires_at,
                "requestedByUserId": by_user,
            }),
        ),
        PrincipalKind::PortalUser => (
            EventType::PortalUserPasswordResetRequested,
            json!({
                "portalUserId": holder.id,
                "customerId": holder.customer_id,
                "email": holder.email,
                "expiresAt": issued.expires_at,
                "requestedByUserId": by_user,
                "requestedByPortalUserId": by_portal_user,
            }),
        ),
    };
    events::record(tx, token.tenant_id, event, payload).await?;
    Ok(IssuedReset {
        token: token.encode(),
        expires_at: issued.expires_at,
        kind: holder.kind,
        account_id: holder.id,
        email: holder.email,
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
    user_id: Option<Uuid>,
    portal_user_id: Option<Uuid>,
}

impl Usable {
    /// The account the row names. A CHECK holds a row to exactly one; a row that named none or
    /// both would be refused as any other unusable token.
    fn account(&self) -> Option<(PrincipalKind, Uuid)> {
        match (self.user_id, self.portal_user_id) {
            (Some(id), None) => Some((PrincipalKind::User, id)),
            (None, Some(id)) => Some((PrincipalKind::PortalUser, id)),
            _ => None,
        }
    }
}

/// Sets the password of the account (a member of staff or a portal user) a reset token was
/// issued for and uses the token up. An invited account becomes active (setting its first
/// password is accepting the invitation), a lock-out is lifted, and every session of the account
/// ends: whoever knew the old password is signed out.
///
/// `new_password` follows the policy of `changePassword` (at least [`MIN_PASSWORD_CHARS`]
/// characters; `BadInput` on `newPassword`), except that it is not compared with the current
/// one: that comparison would confirm the old password to whoever holds the token.
///
/// The account may sign in if it is not disabled and its tenant is active, as sign-in itself
/// decides: a portal user's customer's status is not consulted, since it does not stop the portal
/// user signing in either.
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
                "SELECT r.token_hash, r.user_id, r.portal_user_id FROM password_resets r \
                   JOIN tenants t ON t.id = r.tenant_id \
                   LEFT JOIN users u ON u.id = r.user_id \
                   LEFT JOIN portal_users p ON p.id = r.portal_user_id \
                  WHERE r.id = $1 AND r.used_at IS NULL AND r.expires_at > now() \
                    AND coalesce(u.status, p.status) <> 'disabled' AND t.status = 'active'",
                [token.reset_id.into()],
            ))
            .one(tx)
            .await?,
        )
    })
    .await?;
    let (kind, account_id) = usable
        .filter(|row| token.secret.matches(&row.token_hash))
        .and_then(|row| row.account())
        .ok_or(IdentityError::ResetTokenInvalid)?;
    let hash = passwords::hash_off_runtime(new_password).await?;
    with_tenant(db, &ctx, async |tx| {
        use_up(tx, &token, kind, account_id, &hash).await
    })
    .await
}

async fn use_up(
    tx: &TenantTx,
    token: &ResetToken,
    kind: PrincipalKind,
    account_id: Uuid,
    hash: &str,
) -> Result<(), IdentityError> {
    let Accounts { table, column, .. } = accounts(kind);
    // The account before the token: issuing locks the account before it replaces the token, so
    // taking them in the same order keeps a reset and a new issue from deadlocking.
    let changed = tx
        .execute_raw(stmt(
            &format!(
                "UPDATE {table} SET password_hash = $2, failed_login_count = 0, \
                        locked_until = NULL, \
                        status = CASE status WHEN 'invited' THEN 'active' ELSE status END \
                  WHERE id = $1 AND status <> 'disabled' \
                    AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = {table}.tenant_id \
                                                        AND t.status = 'active')"
            ),
            [account_id.into(), hash.into()],
        ))
        .await?
        .rows_affected();
    if changed == 0 {
        // Disabled, or its tenant suspended, since the token was checked: the token is refused
        // as any other, and rolling back leaves it as it was.
        return Err(IdentityError::ResetTokenInvalid);
    }
    let used = tx
        .execute_raw(stmt(
            &format!(
                "UPDATE password_resets SET used_at = now() \
                  WHERE id = $1 AND token_hash = $2 AND used_at IS NULL AND expires_at > now() \
                    AND {column} = $3"
            ),
            [
                token.reset_id.into(),
                token.secret.hash().into(),
                account_id.into(),
            ],
        ))
        .await?
        .rows_affected();
    if used == 0 {
        // Used by a concurrent reset (which waited for, then won, the account's row), expired or
        // replaced meanwhile: rolling back undoes the password set above.
        return Err(IdentityError::ResetTokenInvalid);
    }
    revoke_all_sessions(tx, kind, account_id, Utc::now()).await?;
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
            kind: PrincipalKind::PortalUser,
            account_id: Uuid::now_v7(),
            email: "ada@example.com".to_owned(),
        };
        assert!(!format!("{issued:?}").contains("secret-text"));
    }
}
