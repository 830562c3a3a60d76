//! Password resets: a token an admin issues, for a member of staff or a portal user, sets that
//! account's password once, ends its sessions, and is refused alike when used, expired, unknown or
//! superseded; only its hash is stored, and the outbox event does not carry it.

use crate::support::*;
use chrono::Duration;
use leora_identity::entities::enums::UserStatus;
use leora_identity::service::admin::{self, NewInvitation};
use leora_identity::service::password_reset::{
    IssuedReset, RESET_TOKEN_TTL, issue_password_reset, issue_portal_password_reset, reset_password,
};
use leora_identity::{IdentityError, PrincipalKind};
use leora_tenancy::{ApiError, ErrorCode, TenantContext};
use leora_test_db::errors::{assert_code, assert_code_and_field};
use leora_test_db::fixtures::{create_customer, create_tenant};
use leora_test_db::sql::{exec, scalar};
use serde_json::Value as Json;
use uuid::Uuid;

const NEW_PASSWORD: &str = "a brand new password";

impl World {
    /// Issues a reset for `user_id` as the tenant's admin `admin_id`.
    async fn issue(&self, admin_id: Uuid, user_id: Uuid) -> Result<IssuedReset, IdentityError> {
        self.run_in(TenantContext::user(self.tenant, admin_id), async |tx| {
            issue_password_reset(tx, user_id, RESET_TOKEN_TTL).await
        })
        .await
    }

    /// Issues a reset for the portal user `portal_user_id` in the context `ctx` (a staff admin's
    /// or a portal admin's).
    async fn issue_portal(
        &self,
        ctx: TenantContext,
        portal_user_id: Uuid,
    ) -> Result<IssuedReset, IdentityError> {
        self.run_in(ctx, async |tx| {
            issue_portal_password_reset(tx, portal_user_id, RESET_TOKEN_TTL).await
        })
        .await
    }

    async fn reset(&self, token: &str, password: &str) -> Result<(), IdentityError> {
        reset_password(&self.pools.db, token, password).await
    }
}

/// `outcome` is the one answer every unusable token gets.
#[track_caller]
fn assert_invalid_token(outcome: Result<(), IdentityError>) {
    let error = assert_code_and_field(outcome, ErrorCode::BadUserInput, Some("token"));
    assert!(
        matches!(error, IdentityError::ResetTokenInvalid),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_reset_token_sets_the_password_and_ends_every_session() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let phone = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let laptop = w.login("rep@acme.test", PASSWORD).await.unwrap();

    let issued = w.issue(admin.id, rep.id).await.unwrap();
    assert_eq!(
        (issued.account_id, issued.email.as_str()),
        (rep.id, "rep@acme.test")
    );
    w.reset(&issued.token, NEW_PASSWORD).await.unwrap();

    w.login("rep@acme.test", NEW_PASSWORD).await.unwrap();
    assert!(matches!(
        w.login("rep@acme.test", PASSWORD).await,
        Err(IdentityError::InvalidCredentials)
    ));
    for signed_in in [&phone, &laptop] {
        assert!(matches!(
            w.authenticate(&signed_in.claims).await,
            Err(IdentityError::SessionRevoked)
        ));
    }
    assert_eq!(
        w.count(
            "SELECT count(*) FROM password_resets WHERE user_id = $1 AND used_at IS NOT NULL",
            [rep.id.into()],
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_used_reset_token_is_refused() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let issued = w.issue(admin.id, rep.id).await.unwrap();
    w.reset(&issued.token, NEW_PASSWORD).await.unwrap();

    assert_invalid_token(w.reset(&issued.token, "another new password").await);
    w.login("rep@acme.test", NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn an_expired_reset_token_is_refused_and_changes_nothing() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let issued = w.issue(admin.id, rep.id).await.unwrap();
    exec(
        &w.pools.owner,
        "UPDATE password_resets SET created_at = now() - interval '2 hours', \
                expires_at = now() - interval '1 second'",
        [],
    )
    .await;

    assert_invalid_token(w.reset(&issued.token, NEW_PASSWORD).await);
    w.login("rep@acme.test", PASSWORD).await.unwrap();
}

#[tokio::test]
async fn unknown_forged_and_malformed_tokens_get_the_same_answer() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let issued = w.issue(admin.id, rep.id).await.unwrap();
    let (head, secret) = issued.token.rsplit_once('.').unwrap();
    let forged_secret = format!("{head}.{}", "A".repeat(secret.len()));
    let other_reset = issued.token.replacen(
        &issued.token.split('.').nth(2).unwrap().to_owned(),
        &Uuid::now_v7().simple().to_string(),
        1,
    );
    let other_tenant = issued.token.replacen(
        &w.tenant.simple().to_string(),
        &Uuid::now_v7().simple().to_string(),
        1,
    );
    let mut answers = Vec::new();
    for token in [
        forged_secret.as_str(),
        other_reset.as_str(),
        other_tenant.as_str(),
        "lpr1.nonsense",
        "",
    ] {
        let error = assert_code(w.reset(token, NEW_PASSWORD).await, ErrorCode::BadUserInput);
        assert_eq!(error.field(), Some("token"), "{token:?}");
        answers.push(error.to_string());
    }
    assert!(
        answers.windows(2).all(|pair| pair[0] == pair[1]),
        "{answers:?}"
    );
    // None of them used the real token up.
    w.reset(&issued.token, NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn issuing_a_new_token_makes_the_earlier_one_useless() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let first = w.issue(admin.id, rep.id).await.unwrap();
    let second = w.issue(admin.id, rep.id).await.unwrap();

    assert_invalid_token(w.reset(&first.token, NEW_PASSWORD).await);
    w.reset(&second.token, NEW_PASSWORD).await.unwrap();
    assert_eq!(
        w.count("SELECT count(*) FROM password_resets", []).await,
        1,
        "one row per user"
    );
}

#[tokio::test]
async fn only_a_hash_of_the_token_is_stored_and_the_event_does_not_carry_it() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let issued = w.issue(admin.id, rep.id).await.unwrap();
    let secret = issued.token.rsplit('.').next().unwrap().to_owned();

    let stored: String = scalar(&w.pools.owner, "SELECT token_hash FROM password_resets", []).await;
    assert_eq!(stored.len(), 64);
    assert!(!stored.contains(&secret) && !issued.token.contains(&stored));
    let (expires_at, requested_by): (chrono::DateTime<chrono::Utc>, Uuid) = (
        scalar(&w.pools.owner, "SELECT expires_at FROM password_resets", []).await,
        scalar(
            &w.pools.owner,
            "SELECT requested_by_user_id FROM password_resets",
            [],
        )
        .await,
    );
    assert_eq!(expires_at, issued.expires_at);
    assert_eq!(requested_by, admin.id);
    let lifetime = issued.expires_at - chrono::Utc::now();
    assert!(
        lifetime > Duration::minutes(59) && lifetime <= Duration::hours(1),
        "{lifetime}"
    );

    let payload: Json = scalar(
        &w.pools.owner,
        "SELECT payload FROM webhook_events WHERE event_type = 'user.password_reset_requested'",
        [],
    )
    .await;
    assert_eq!(payload["userId"], rep.id.to_string());
    assert_eq!(payload["email"], "rep@acme.test");
    assert_eq!(payload["requestedByUserId"], admin.id.to_string());
    assert!(payload["expiresAt"].is_string(), "{payload}");
    let text = payload.to_string();
    assert!(
        !text.contains(&secret) && !text.contains(&issued.token),
        "{text}"
    );
}

#[tokio::test]
async fn a_disabled_account_gets_no_token_and_its_token_stops_working() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let issued = w.issue(admin.id, rep.id).await.unwrap();
    w.set_status(rep.id, UserStatus::Disabled).await;

    assert_invalid_token(w.reset(&issued.token, NEW_PASSWORD).await);
    let error = assert_code(w.issue(admin.id, rep.id).await, ErrorCode::BadUserInput);
    assert_eq!(error.field(), Some("userId"));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM password_resets WHERE used_at IS NULL",
            []
        )
        .await,
        1,
        "the earlier token is neither used nor replaced"
    );
}

#[tokio::test]
async fn an_invited_user_becomes_active_by_setting_a_password() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let invited = w
        .run_in(TenantContext::system(w.tenant), async |tx| {
            let invitation = NewInvitation {
                email: "new.rep@acme.test".to_owned(),
                full_name: "New Rep".to_owned(),
                roles: vec!["sales_rep".to_owned()],
            };
            admin::invite_user(tx, invitation).await
        })
        .await
        .unwrap();
    assert_eq!(invited.status, UserStatus::Invited);
    assert!(
        matches!(
            w.login("new.rep@acme.test", "").await,
            Err(IdentityError::InvalidCredentials)
        ),
        "no password signs in an invited user"
    );

    let issued = w.issue(admin.id, invited.id).await.unwrap();
    w.reset(&issued.token, NEW_PASSWORD).await.unwrap();

    let tokens = w.login("new.rep@acme.test", NEW_PASSWORD).await.unwrap();
    assert_eq!(
        w.authenticate(&tokens.claims).await.unwrap().roles,
        ["sales_rep"]
    );
}

#[tokio::test]
async fn a_short_password_is_refused_and_the_token_kept() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let issued = w.issue(admin.id, rep.id).await.unwrap();

    assert_code_and_field(
        w.reset(&issued.token, "short").await,
        ErrorCode::BadUserInput,
        Some("newPassword"),
    );
    w.reset(&issued.token, NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn another_tenants_user_gets_no_token() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let other_tenant = create_tenant(&w.pools.owner, "globex").await;
    let stranger = leora_test_db::fixtures::create_user(
        &w.pools.owner,
        other_tenant,
        "rep@globex.test",
        "Globex Rep",
        None,
    )
    .await;

    let error = w.issue(admin.id, stranger).await.unwrap_err();
    assert_not_found(&error, "user");
    assert_eq!(w.count("SELECT count(*) FROM password_resets", []).await, 0);
}

#[tokio::test]
async fn of_two_concurrent_resets_with_one_token_exactly_one_succeeds() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let issued = w.issue(admin.id, rep.id).await.unwrap();

    let (first, second) = tokio::join!(
        w.reset(&issued.token, "the first new password"),
        w.reset(&issued.token, "the second new password"),
    );

    let outcomes = [first.is_ok(), second.is_ok()];
    assert_eq!(
        outcomes.iter().filter(|ok| **ok).count(),
        1,
        "{first:?} {second:?}"
    );
    for outcome in [first, second].into_iter().filter(Result::is_err) {
        assert_invalid_token(outcome);
    }
    let winner = if outcomes[0] {
        "the first new password"
    } else {
        "the second new password"
    };
    w.login("rep@acme.test", winner).await.unwrap();
}

#[tokio::test]
async fn a_portal_users_token_sets_its_password_lifts_its_lock_and_ends_its_sessions() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let buyer = w.portal_user("buyer@harbor.test", w.customer).await;
    let signed_in = w.portal_login("buyer@harbor.test", PASSWORD).await.unwrap();
    exec(
        &w.pools.owner,
        "UPDATE portal_users SET status = 'invited', failed_login_count = 3, \
                locked_until = now() + interval '1 hour'",
        [],
    )
    .await;

    let issued = w
        .issue_portal(TenantContext::user(w.tenant, admin.id), buyer.id)
        .await
        .unwrap();
    assert_eq!(
        (issued.kind, issued.account_id, issued.email.as_str()),
        (PrincipalKind::PortalUser, buyer.id, "buyer@harbor.test")
    );
    w.reset(&issued.token, NEW_PASSWORD).await.unwrap();

    let tokens = w
        .portal_login("buyer@harbor.test", NEW_PASSWORD)
        .await
        .unwrap();
    assert_eq!(tokens.claims.cid, Some(w.customer));
    assert!(matches!(
        w.authenticate(&signed_in.claims).await,
        Err(IdentityError::SessionRevoked)
    ));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM portal_users WHERE status = 'active' AND locked_until IS NULL \
                AND failed_login_count = 0",
            [],
        )
        .await,
        1,
        "active and unlocked"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM password_resets WHERE portal_user_id = $1 AND used_at IS NOT NULL",
            [buyer.id.into()],
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_portal_admin_issues_for_its_own_customers_portal_users_only() {
    let w = world().await;
    let portal_admin = w.portal_user("owner@harbor.test", w.customer).await;
    let colleague = w.portal_user("buyer@harbor.test", w.customer).await;
    let elsewhere = create_customer(&w.pools.owner, w.tenant, "ACCT-2", None).await;
    let stranger = w.portal_user("buyer@elsewhere.test", elsewhere).await;
    let as_portal_admin = TenantContext::portal_user(w.tenant, portal_admin.id, w.customer);

    let error = w
        .issue_portal(as_portal_admin, stranger.id)
        .await
        .unwrap_err();
    assert_not_found(&error, "portal user");
    let issued = w.issue_portal(as_portal_admin, colleague.id).await.unwrap();
    w.reset(&issued.token, NEW_PASSWORD).await.unwrap();
    w.portal_login("buyer@harbor.test", NEW_PASSWORD)
        .await
        .unwrap();

    let payload: Json = scalar(
        &w.pools.owner,
        "SELECT payload FROM webhook_events \
          WHERE event_type = 'portal_user.password_reset_requested'",
        [],
    )
    .await;
    assert_eq!(payload["portalUserId"], colleague.id.to_string());
    assert_eq!(payload["customerId"], w.customer.to_string());
    assert_eq!(payload["email"], "buyer@harbor.test");
    assert_eq!(
        payload["requestedByPortalUserId"],
        portal_admin.id.to_string()
    );
    assert_eq!(payload["requestedByUserId"], Json::Null);
    assert!(payload["expiresAt"].is_string(), "{payload}");
    let secret = issued.token.rsplit('.').next().unwrap();
    assert!(!payload.to_string().contains(secret), "{payload}");
    assert_eq!(
        w.count(
            "SELECT count(*) FROM webhook_events \
              WHERE event_type = 'user.password_reset_requested'",
            [],
        )
        .await,
        0,
        "staff resets' subscribers are not sent buyers'"
    );
}

#[tokio::test]
async fn a_disabled_portal_user_gets_no_token_and_its_token_stops_working() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let buyer = w.portal_user("buyer@harbor.test", w.customer).await;
    let as_admin = TenantContext::user(w.tenant, admin.id);
    let issued = w.issue_portal(as_admin, buyer.id).await.unwrap();
    exec(
        &w.pools.owner,
        "UPDATE portal_users SET status = 'disabled'",
        [],
    )
    .await;

    assert_invalid_token(w.reset(&issued.token, NEW_PASSWORD).await);
    let error = assert_code(
        w.issue_portal(as_admin, buyer.id).await,
        ErrorCode::BadUserInput,
    );
    assert_eq!(error.field(), Some("portalUserId"));
}

#[tokio::test]
async fn a_portal_users_token_stops_working_when_its_tenant_is_suspended() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let buyer = w.portal_user("buyer@harbor.test", w.customer).await;
    let issued = w
        .issue_portal(TenantContext::user(w.tenant, admin.id), buyer.id)
        .await
        .unwrap();
    exec(
        &w.pools.owner,
        "UPDATE tenants SET status = 'suspended'",
        [],
    )
    .await;

    assert_invalid_token(w.reset(&issued.token, NEW_PASSWORD).await);
    exec(&w.pools.owner, "UPDATE tenants SET status = 'active'", []).await;
    w.reset(&issued.token, NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn each_kind_of_token_keeps_to_its_own_account_and_its_own_last_token() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    // The same email for a member of staff and a portal user: separate accounts.
    let rep = w.user("pat@acme.test", &["sales_rep"]).await;
    let buyer = w.portal_user("pat@acme.test", w.customer).await;
    let as_admin = TenantContext::user(w.tenant, admin.id);
    let staff_token = w.issue(admin.id, rep.id).await.unwrap();
    let first = w.issue_portal(as_admin, buyer.id).await.unwrap();
    let portal_token = w.issue_portal(as_admin, buyer.id).await.unwrap();

    assert_invalid_token(w.reset(&first.token, NEW_PASSWORD).await);
    w.reset(&portal_token.token, NEW_PASSWORD).await.unwrap();
    w.portal_login("pat@acme.test", NEW_PASSWORD).await.unwrap();
    w.login("pat@acme.test", PASSWORD).await.unwrap();
    assert!(matches!(
        w.login("pat@acme.test", NEW_PASSWORD).await,
        Err(IdentityError::InvalidCredentials)
    ));
    w.reset(&staff_token.token, "the staff password")
        .await
        .unwrap();
    w.login("pat@acme.test", "the staff password")
        .await
        .unwrap();
    w.portal_login("pat@acme.test", NEW_PASSWORD).await.unwrap();
    assert_eq!(
        w.count("SELECT count(*) FROM password_resets", []).await,
        2,
        "one row per account"
    );
}

#[tokio::test]
async fn two_issues_at_once_for_one_portal_user_leave_it_one_token() {
    let w = world().await;
    let admin = w.user("admin@acme.test", &["admin"]).await;
    let buyer = w.portal_user("buyer@harbor.test", w.customer).await;
    let as_admin = TenantContext::user(w.tenant, admin.id);

    let (first, second) = tokio::join!(
        w.issue_portal(as_admin, buyer.id),
        w.issue_portal(as_admin, buyer.id),
    );

    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(w.count("SELECT count(*) FROM password_resets", []).await, 1);
    // Whichever committed last holds the one row; the other token was replaced.
    let outcomes = [
        w.reset(&first.token, NEW_PASSWORD).await.is_ok(),
        w.reset(&second.token, NEW_PASSWORD).await.is_ok(),
    ];
    assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{outcomes:?}");
}
