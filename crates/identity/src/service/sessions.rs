//! Sign-in, refresh-token rotation, logout and per-request authentication, for internal users and
//! portal users alike.
//!
//! A login starts a session *family*: its first session row's id names the family, every refresh
//! rotates to a new row of the same family, and access tokens carry the family id (`sid`), so
//! revoking the family ends every token descended from that login. A refresh token presented a
//! second time means two parties hold it; the whole family is revoked.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use leora_tenancy::entities::tenants::TenantStatus;
use leora_tenancy::portal::PortalFeatures;
use leora_tenancy::{TenantContext, TenantDb, with_tenant};
use sea_orm::DatabaseTransaction;
use std::net::IpAddr;
use uuid::Uuid;

use super::passwords;
use super::refresh_token::RefreshToken;
use super::session_store::{self as store, Account, NewSession};
use super::sign_in_failures::{Allowance, FailedSignIns};
use super::tokens::{AccessClaims, JwtKeys, PrincipalKind};
use super::with_tenant_committing;
use crate::entities::enums::UserStatus;
use crate::error::IdentityError;

#[derive(Clone, Debug)]
pub struct AuthPolicy {
    pub access_ttl: Duration,
    /// How long a refresh token stays usable; each rotation starts the period again.
    pub refresh_ttl: Duration,
    /// How long a session family may be refreshed at all, from its sign-in: past it, sign in
    /// again, however recently the session was used.
    pub session_lifetime: Duration,
    /// Wrong passwords one client address may send one account within `lockout` before it must
    /// wait for the window to end (at least 1; see [`super::sign_in_failures`]).
    pub max_failed_logins: i32,
    pub lockout: Duration,
    /// Wrong passwords in a row, from any addresses, that lock the account for everyone for
    /// `lockout` (at least 1).
    pub account_failure_ceiling: i32,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            access_ttl: Duration::minutes(15),
            refresh_ttl: Duration::days(30),
            session_lifetime: Duration::days(90),
            max_failed_logins: 5,
            lockout: Duration::minutes(15),
            account_failure_ceiling: 50,
        }
    }
}

/// Where a sign-in came from, kept on the session so users can recognise their sessions.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub user_agent: Option<String>,
    pub ip_address: Option<IpAddr>,
}

#[derive(Clone, Debug)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    /// When the access token expires (whole seconds, like its `exp` claim).
    pub expires_at: DateTime<Utc>,
    pub claims: AccessClaims,
}

/// A request's verified principal and what it may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    pub kind: PrincipalKind,
    pub principal_id: Uuid,
    pub customer_id: Option<Uuid>,
    /// Role names, sorted.
    pub roles: Vec<String>,
    /// Permission keys.
    pub permissions: BTreeSet<String>,
    /// Which features the tenant's portal offers (what the guard `PortalFeature` checks).
    pub portal_features: PortalFeatures,
}

/// Signs in an internal user or a portal user ([`Attempt`]), in the attempt's tenant.
///
/// The email is matched case-insensitively. An unknown email and a wrong password both give
/// `InvalidCredentials`. A wrong password is counted twice: against the account and the client's
/// address in `failed` (past `policy.max_failed_logins` that address is stopped on that account
/// for the rest of `policy.lockout`), and on the account row (the failure that reaches
/// `policy.account_failure_ceiling` locks it for everyone for `policy.lockout`). Stopped or
/// locked, even the right password gives `AccountLocked`, which answers and costs exactly as a
/// wrong password does. A disabled or invited account
/// gives `AccountDisabled`, but only to a caller who knows its password. Counted failures are
/// committed (see [`IdentityError::commit_anyway`]).
///
/// The password is checked between two short transactions, holding neither a row lock nor a
/// pooled connection while argon2 runs: the first reads the account, the second locks it, checks
/// that the hash verified is still its hash, and records the outcome.
pub async fn sign_in(
    db: &TenantDb,
    keys: &JwtKeys,
    policy: &AuthPolicy,
    attempt: Attempt<'_>,
    client: &ClientInfo,
    failed: &FailedSignIns,
    now: DateTime<Utc>,
) -> Result<IssuedTokens, IdentityError> {
    let ctx = TenantContext::anonymous(attempt.tenant_id);
    let email = attempt.email.trim().to_lowercase();
    let seen = with_tenant(db, &ctx, async |tx| {
        Ok::<_, IdentityError>(store::account(tx, attempt.kind, &email).await?)
    })
    .await?;
    let Some(seen) = seen else {
        passwords::burn_verification_time(attempt.password).await?;
        return Err(IdentityError::InvalidCredentials);
    };
    let allowance = Allowance {
        failures: policy.max_failed_logins,
        window: policy.lockout,
    };
    let address = client.ip_address;
    let stopped = failed.blocked_until(seen.id, address, allowance, now);
    if let Some(until) = seen.locked_until.filter(|until| *until > now).or(stopped) {
        // As long as a wrong password takes, so that the answer's timing says nothing either.
        passwords::burn_verification_time(attempt.password).await?;
        return Err(IdentityError::AccountLocked { until });
    }
    let verified = passwords::verify_off_runtime(attempt.password, &seen.password_hash).await?;
    let signed_in = with_tenant_committing(db, &ctx, async |tx| {
        let issuer = Issuer::new(tx, keys, policy, client, now);
        issuer
            .record_sign_in(attempt, &email, &seen, verified)
            .await
    })
    .await;
    if !verified {
        failed.record(seen.id, address, allowance, now);
    } else if signed_in.is_ok() {
        failed.clear(seen.id, address);
    }
    signed_in
}

/// One sign-in: an internal user (`login`) or a portal user (`portalLogin`, whose access token
/// names its customer, `cid`), of one tenant, with an email and a password.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub kind: PrincipalKind,
    pub tenant_id: Uuid,
    pub email: &'a str,
    pub password: &'a str,
}

/// The tenant a refresh token belongs to, read from the token itself so the caller can open that
/// tenant's transaction before calling [`refresh`].
pub fn refresh_token_tenant(refresh_token: &str) -> Result<Uuid, IdentityError> {
    RefreshToken::parse(refresh_token).map(|token| token.tenant_id)
}

/// Exchanges a refresh token for a new pair, rotating its session.
///
/// Unknown, forged and expired tokens give `InvalidToken`; a token of a revoked family gives
/// `SessionRevoked`. A token that was already rotated is being replayed, by its thief or by its
/// owner after the thief: the whole family is revoked and `RefreshTokenReused` returned (commit
/// it). A disabled account gives `AccountDisabled`; a locked one may still refresh, since a lock
/// stops password guessing, not the sessions of whoever already knew the password.
pub async fn refresh(
    tx: &DatabaseTransaction,
    keys: &JwtKeys,
    policy: &AuthPolicy,
    refresh_token: &str,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> Result<IssuedTokens, IdentityError> {
    let presented = RefreshToken::parse(refresh_token)?;
    let kind = presented.kind;
    let session = store::session_for_update(tx, kind, presented.session_id)
        .await?
        .filter(|session| presented.matches(&session.refresh_token_hash))
        .ok_or(IdentityError::InvalidToken)?;
    if session.revoked_at.is_some() {
        return Err(IdentityError::SessionRevoked);
    }
    if session.rotated_at.is_some() {
        store::revoke_family(tx, kind, session.principal_id, session.family_id, now).await?;
        return Err(IdentityError::RefreshTokenReused);
    }
    if session.expires_at <= now {
        return Err(IdentityError::InvalidToken);
    }
    if session.status != UserStatus::Active {
        return Err(IdentityError::AccountDisabled);
    }
    if session.tenant_status != TenantStatus::Active {
        return Err(IdentityError::TenantInactive);
    }
    let family_ends = session.family_started_at + policy.session_lifetime;
    if family_ends <= now {
        return Err(IdentityError::SessionRevoked);
    }
    store::mark_rotated(tx, kind, presented.session_id, now).await?;
    let issuer = Issuer::new(tx, keys, policy, client, now);
    let principal = Principal {
        kind,
        tenant_id: session.tenant_id,
        id: session.principal_id,
        customer_id: session.customer_id,
    };
    issuer
        .start_session(&principal, Some((session.family_id, family_ends)))
        .await
}

/// Ends every session of the access token's family. Idempotent.
pub async fn logout(
    tx: &DatabaseTransaction,
    claims: &AccessClaims,
    now: DateTime<Utc>,
) -> Result<(), IdentityError> {
    store::revoke_family(tx, claims.kind, claims.sub, claims.sid, now).await?;
    Ok(())
}

/// Authenticates a request whose access token `keys.verify` accepted, in one statement inside the
/// request's tenant transaction (tenant and principal taken from the claims).
///
/// A principal that does not exist for this tenant (or a portal user whose customer is not the
/// claimed one) gives `InvalidToken`; a disabled or invited one `AccountDisabled`; a family whose
/// sessions were all revoked or have expired `SessionRevoked`. A locked account keeps its
/// sessions: the lock only stops password guessing.
pub async fn authenticate(
    tx: &DatabaseTransaction,
    claims: &AccessClaims,
    now: DateTime<Utc>,
) -> Result<Authenticated, IdentityError> {
    let customer_matches_kind = match claims.kind {
        PrincipalKind::User => claims.cid.is_none(),
        PrincipalKind::PortalUser => claims.cid.is_some(),
    };
    if !customer_matches_kind {
        return Err(IdentityError::InvalidToken);
    }
    let access = store::access(tx, claims, now)
        .await?
        .ok_or(IdentityError::InvalidToken)?;
    if access.status != UserStatus::Active {
        return Err(IdentityError::AccountDisabled);
    }
    if access.tenant_status != TenantStatus::Active {
        return Err(IdentityError::TenantInactive);
    }
    match access.session_live {
        Some(true) => {}
        Some(false) => return Err(IdentityError::SessionRevoked),
        None => return Err(IdentityError::InvalidToken),
    }
    let mut roles = access.roles.0;
    roles.sort_unstable();
    Ok(Authenticated {
        kind: claims.kind,
        principal_id: claims.sub,
        customer_id: claims.cid,
        roles,
        permissions: access.permissions.0.into_iter().collect(),
        portal_features: access
            .portal_features
            .as_ref()
            .map_or_else(PortalFeatures::default, PortalFeatures::from_json),
    })
}

struct Principal {
    kind: PrincipalKind,
    tenant_id: Uuid,
    id: Uuid,
    customer_id: Option<Uuid>,
}

/// What every sign-in and refresh shares: the transaction, keys, policy, client and clock.
struct Issuer<'a> {
    tx: &'a DatabaseTransaction,
    keys: &'a JwtKeys,
    policy: &'a AuthPolicy,
    client: &'a ClientInfo,
    now: DateTime<Utc>,
}

impl<'a> Issuer<'a> {
    fn new(
        tx: &'a DatabaseTransaction,
        keys: &'a JwtKeys,
        policy: &'a AuthPolicy,
        client: &'a ClientInfo,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            tx,
            keys,
            policy,
            client,
            now,
        }
    }

    /// The second half of [`sign_in`]: `seen` is the account as read before its password hash
    /// was checked (`verified`), and is compared under the row lock with the account as it
    /// stands, so concurrent attempts count their failures one after another.
    async fn record_sign_in(
        &self,
        attempt: Attempt<'_>,
        email: &str,
        seen: &Account,
        verified: bool,
    ) -> Result<IssuedTokens, IdentityError> {
        let kind = attempt.kind;
        let account = store::account_for_update(self.tx, kind, email)
            .await?
            .filter(|account| account.id == seen.id && account.password_hash == seen.password_hash)
            // Deleted, or its password changed while the old one was being checked.
            .ok_or(IdentityError::InvalidCredentials)?;
        if let Some(until) = account.locked_until.filter(|until| *until > self.now) {
            return Err(IdentityError::AccountLocked { until });
        }
        if !verified {
            return Err(self.count_failure(kind, &account).await?);
        }
        if account.status != UserStatus::Active {
            return Err(IdentityError::AccountDisabled);
        }
        store::record_login(self.tx, kind, account.id, self.now).await?;
        let principal = Principal {
            kind,
            tenant_id: attempt.tenant_id,
            id: account.id,
            customer_id: account.customer_id,
        };
        self.start_session(&principal, None).await
    }

    /// Records a wrong password on the account and returns the error to report: the failure that
    /// reaches the ceiling locks the account and starts the count again.
    async fn count_failure(
        &self,
        kind: PrincipalKind,
        account: &Account,
    ) -> Result<IdentityError, IdentityError> {
        let failures = account.failed_login_count.saturating_add(1);
        if failures < self.policy.account_failure_ceiling {
            store::record_failed_login(self.tx, kind, account.id, failures, None).await?;
            return Ok(IdentityError::InvalidCredentials);
        }
        let until = self.now + self.policy.lockout;
        store::record_failed_login(self.tx, kind, account.id, 0, Some(until)).await?;
        Ok(IdentityError::AccountLocked { until })
    }

    /// Inserts a session (the first of a new family when `family_id` is None) and issues its
    /// tokens.
    /// Starts a session: a new family at sign-in, or the next session of `family` (its id and
    /// the end of its absolute lifetime) at a refresh. A refresh token never outlives its family.
    async fn start_session(
        &self,
        principal: &Principal,
        family: Option<(Uuid, DateTime<Utc>)>,
    ) -> Result<IssuedTokens, IdentityError> {
        let session_id = Uuid::now_v7();
        let (family_id, family_ends) =
            family.unwrap_or((session_id, self.now + self.policy.session_lifetime));
        let refresh = RefreshToken::generate(principal.kind, principal.tenant_id, session_id)?;
        let session = NewSession {
            id: session_id,
            family_id,
            principal_id: principal.id,
            refresh_token_hash: refresh.secret_hash(),
            expires_at: (self.now + self.policy.refresh_ttl).min(family_ends),
            user_agent: self.client.user_agent.as_deref(),
            ip_address: self.client.ip_address.map(|ip| ip.to_string()),
        };
        store::insert_session(self.tx, principal.kind, session).await?;
        let expires_at = (self.now + self.policy.access_ttl).trunc_subsecs(0);
        let claims = AccessClaims {
            sub: principal.id,
            tid: principal.tenant_id,
            kind: principal.kind,
            cid: principal.customer_id,
            sid: family_id,
            iat: self.now.timestamp(),
            exp: expires_at.timestamp(),
        };
        Ok(IssuedTokens {
            access_token: self.keys.issue(&claims)?,
            refresh_token: refresh.encode(),
            expires_at,
            claims,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::admin::{self, NewUser};
    use leora_tenancy::AppRole;
    use leora_test_db::TestDatabase;
    use leora_test_db::fixtures::create_tenant;
    use leora_test_db::sql::scalar;
    use sea_orm::{ConnectOptions, ConnectionTrait, FromQueryResult};
    use std::time::Duration as StdDuration;

    #[derive(FromQueryResult)]
    struct Backend {
        state: Option<String>,
        query: Option<String>,
    }

    /// On a pool of one connection, a sign-in is stopped at its password check (the test holds
    /// every place in the hashing queue). Meanwhile its read has committed, the connection serves
    /// another tenant transaction and the account's row can be locked by anyone: argon2 runs
    /// holding neither a connection nor a row lock. Then the sign-in completes.
    #[tokio::test]
    async fn sign_in_holds_no_connection_and_no_row_lock_while_the_password_is_checked() {
        let database = TestDatabase::new().await;
        let owner = database.connect().await;
        let mut options = ConnectOptions::new(database.url().to_owned());
        options
            .max_connections(1)
            .acquire_timeout(StdDuration::from_secs(5));
        let pool = leora_tenancy::db::connect(options).await.unwrap();
        let db = TenantDb::new(pool, AppRole::from_env().unwrap());
        let tenant = create_tenant(&owner, "acme").await;
        let user = with_tenant_committing(&db, &TenantContext::system(tenant), async |tx| {
            let user = NewUser {
                email: "ada@acme.test".into(),
                full_name: "Ada".into(),
                password: "correct horse battery".into(),
                roles: vec!["admin".into()],
                manager_id: None,
            };
            admin::create_user(tx, user).await
        })
        .await
        .unwrap();
        let backend_of = async |db: &TenantDb| -> i32 {
            with_tenant(db, &TenantContext::anonymous(tenant), async |tx| {
                Ok::<_, IdentityError>(scalar::<i32>(tx, "SELECT pg_backend_pid()", []).await)
            })
            .await
            .unwrap()
        };
        let pid = backend_of(&db).await;
        let before: DateTime<Utc> = scalar(&owner, "SELECT clock_timestamp()", []).await;

        let queue = passwords::hold_every_hashing_place().await;
        let signing_in = {
            let db = db.clone();
            tokio::spawn(async move {
                let attempt = Attempt {
                    kind: PrincipalKind::User,
                    tenant_id: tenant,
                    email: "ada@acme.test",
                    password: "correct horse battery",
                };
                let keys = JwtKeys::new(b"a test secret of at least thirty-two bytes");
                let (policy, failed, client) = (
                    AuthPolicy::default(),
                    FailedSignIns::default(),
                    ClientInfo::default(),
                );
                sign_in(&db, &keys, &policy, attempt, &client, &failed, Utc::now()).await
            })
        };
        // The connection goes idle (outside a transaction) once the account read has committed and
        // the connection is back in the pool; the sign-in then waits for the queue.
        let mut seen = None;
        for _ in 0..300 {
            let backend = Backend::find_by_statement(leora_tenancy::sql::stmt(
                "SELECT state, query FROM pg_stat_activity WHERE pid = $1 AND state_change > $2",
                [pid.into(), before.into()],
            ))
            .one(&owner)
            .await
            .unwrap();
            if let Some(backend) = &backend
                && backend.state.as_deref() == Some("idle")
            {
                seen = None;
                break;
            }
            seen = backend.map(|backend| (backend.state, backend.query));
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        assert!(
            seen.is_none() && !signing_in.is_finished(),
            "the sign-in should have read the account and committed, then waited to hash: {seen:?}"
        );
        assert_eq!(
            backend_of(&db).await,
            pid,
            "the one connection serves another request"
        );
        owner
            .execute_raw(leora_tenancy::sql::stmt(
                "SELECT 1 FROM users WHERE id = $1 FOR UPDATE NOWAIT",
                [user.id.into()],
            ))
            .await
            .expect("nobody holds the account's row");

        drop(queue);
        let signed_in = signing_in.await.unwrap();
        assert!(signed_in.is_ok(), "{signed_in:?}");
    }
}
