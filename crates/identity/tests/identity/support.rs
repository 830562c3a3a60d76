//! One tenant with a customer, and the world's ways to sign in, refresh and authenticate as the
//! gateway does.

use chrono::{DateTime, Utc};
use leora_identity::entities::enums::UserStatus;
use leora_identity::entities::{portal_users, users};
use leora_identity::service::admin::{self, NewPortalUser, NewUser};
use leora_identity::service::sessions::{self, refresh_token_tenant};
use leora_identity::service::sign_in_failures::FailedSignIns;
use leora_identity::{
    AccessClaims, AuthPolicy, Authenticated, ClientInfo, IdentityError, IssuedTokens, JwtKeys,
    PrincipalKind, with_tenant_committing,
};
use leora_tenancy::TenantTx;
use leora_tenancy::{Refusal, TenantContext};
use leora_test_db::Pools;
use leora_test_db::fixtures::{create_customer, create_tenant};
use leora_test_db::sql::scalar;
use sea_orm::Value;
use uuid::Uuid;

pub const SECRET: &[u8] = b"a test secret of at least thirty-two bytes";
pub const PASSWORD: &str = "correct horse battery";

pub struct World {
    pub pools: Pools,
    pub tenant: Uuid,
    pub customer: Uuid,
    pub keys: JwtKeys,
    pub policy: AuthPolicy,
    pub failed: FailedSignIns,
}

pub async fn world() -> World {
    let pools = Pools::new().await;
    let tenant = create_tenant(&pools.owner, "acme").await;
    let customer = create_customer(&pools.owner, tenant, "ACCT-1", None).await;
    World {
        pools,
        tenant,
        customer,
        keys: JwtKeys::new(SECRET),
        // A ceiling a test reaches with a few argon2 verifications.
        policy: AuthPolicy {
            account_failure_ceiling: 8,
            ..AuthPolicy::default()
        },
        failed: FailedSignIns::default(),
    }
}

pub fn client() -> ClientInfo {
    ClientInfo {
        user_agent: Some("integration-test/1.0".to_owned()),
        ip_address: Some("203.0.113.7".parse().unwrap()),
    }
}

pub fn new_user(email: &str, roles: &[&str]) -> NewUser {
    NewUser {
        email: email.to_owned(),
        full_name: "Test User".to_owned(),
        password: PASSWORD.to_owned(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        manager_id: None,
    }
}

impl World {
    /// Runs `work` in a transaction of this world's tenant with an anonymous principal, committing
    /// the failures the services say must stand, as the server does.
    pub async fn run<T>(
        &self,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, IdentityError>,
    ) -> Result<T, IdentityError> {
        self.run_in(TenantContext::anonymous(self.tenant), work)
            .await
    }

    pub async fn run_in<T>(
        &self,
        ctx: TenantContext,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, IdentityError>,
    ) -> Result<T, IdentityError> {
        with_tenant_committing(&self.pools.db, &ctx, work).await
    }

    pub async fn user(&self, email: &str, roles: &[&str]) -> users::Model {
        self.run(async |tx| admin::create_user(tx, new_user(email, roles)).await)
            .await
            .unwrap()
    }

    pub async fn portal_user(&self, email: &str, customer_id: Uuid) -> portal_users::Model {
        let input = NewPortalUser {
            customer_id,
            email: email.to_owned(),
            full_name: "Portal Buyer".to_owned(),
            password: PASSWORD.to_owned(),
            roles: Vec::new(),
        };
        self.run(async |tx| admin::create_portal_user(tx, input).await)
            .await
            .unwrap()
    }

    pub async fn login_at(
        &self,
        email: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedTokens, IdentityError> {
        self.login_from(email, password, &client(), now).await
    }

    pub async fn login_from(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
        now: DateTime<Utc>,
    ) -> Result<IssuedTokens, IdentityError> {
        self.sign_in(PrincipalKind::User, email, password, client, now)
            .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<IssuedTokens, IdentityError> {
        self.login_at(email, password, Utc::now()).await
    }

    pub async fn portal_login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<IssuedTokens, IdentityError> {
        self.sign_in(
            PrincipalKind::PortalUser,
            email,
            password,
            &client(),
            Utc::now(),
        )
        .await
    }

    async fn sign_in(
        &self,
        kind: PrincipalKind,
        email: &str,
        password: &str,
        client: &ClientInfo,
        now: DateTime<Utc>,
    ) -> Result<IssuedTokens, IdentityError> {
        let (keys, policy, failed) = (&self.keys, &self.policy, &self.failed);
        let attempt = sessions::Attempt {
            kind,
            tenant_id: self.tenant,
            email,
            password,
        };
        sessions::sign_in(&self.pools.db, keys, policy, attempt, client, failed, now).await
    }

    pub async fn refresh_at(
        &self,
        refresh_token: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedTokens, IdentityError> {
        let tenant = refresh_token_tenant(refresh_token)?;
        let (keys, policy, client) = (&self.keys, &self.policy, client());
        self.run_in(TenantContext::anonymous(tenant), async |tx| {
            sessions::refresh(tx, keys, policy, refresh_token, &client, now).await
        })
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<IssuedTokens, IdentityError> {
        self.refresh_at(refresh_token, Utc::now()).await
    }

    /// Authenticates as the gateway does: in a transaction scoped to the token's principal.
    pub async fn authenticate_at(
        &self,
        claims: &AccessClaims,
        now: DateTime<Utc>,
    ) -> Result<Authenticated, IdentityError> {
        let ctx = match (claims.kind, claims.cid) {
            (PrincipalKind::PortalUser, Some(customer)) => {
                TenantContext::portal_user(claims.tid, claims.sub, customer)
            }
            _ => TenantContext::user(claims.tid, claims.sub),
        };
        self.run_in(ctx, async |tx| {
            sessions::authenticate(tx, claims, now).await
        })
        .await
    }

    pub async fn authenticate(
        &self,
        claims: &AccessClaims,
    ) -> Result<Authenticated, IdentityError> {
        self.authenticate_at(claims, Utc::now()).await
    }

    pub async fn logout(&self, claims: &AccessClaims) -> Result<(), IdentityError> {
        self.run(async |tx| sessions::logout(tx, claims, Utc::now()).await)
            .await
    }

    pub async fn set_status(&self, user_id: Uuid, status: UserStatus) -> users::Model {
        self.run(async |tx| admin::set_user_status(tx, user_id, status).await)
            .await
            .unwrap()
    }

    pub async fn count(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> i64 {
        scalar(&self.pools.owner, sql, values).await
    }
}

/// `error` is `Forbidden`.
#[track_caller]
pub fn assert_forbidden(error: &IdentityError) {
    assert!(
        matches!(error, IdentityError::Forbidden { .. }),
        "{error:?}"
    );
}

/// `error` is `NotFound` of `entity`.
#[track_caller]
pub fn assert_not_found(error: &IdentityError, entity: &str) {
    assert!(
        matches!(error, IdentityError::Refused(Refusal::NotFound { entity: found }) if *found == entity),
        "{error:?}"
    );
}
