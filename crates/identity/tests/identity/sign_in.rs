//! Signing in: the right password, the wrong one, lockouts, disabled users and the tenant a
//! login is confined to.

use crate::support::*;
use chrono::{Duration, Utc};
use leora_identity::entities::enums::UserStatus;
use leora_identity::service::sessions::{self, ClientInfo, refresh_token_tenant};
use leora_identity::{IdentityError, PrincipalKind};
use leora_tenancy::{ApiError, ErrorCode};
use leora_test_db::fixtures::create_tenant;

#[tokio::test]
async fn login_succeeds_with_the_right_password() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let before = Utc::now();

    let tokens = w.login(" Rep@ACME.test ", PASSWORD).await.unwrap();

    let claims = &tokens.claims;
    assert_eq!(
        (claims.sub, claims.tid, claims.kind, claims.cid),
        (user.id, w.tenant, PrincipalKind::User, None)
    );
    assert_eq!(w.keys.verify(&tokens.access_token).unwrap(), *claims);
    assert_eq!(tokens.expires_at.timestamp(), claims.exp);
    assert!(tokens.expires_at > before + Duration::minutes(14));
    assert!(tokens.expires_at <= Utc::now() + Duration::minutes(15));
    assert!(tokens.refresh_token.starts_with("lr1.u."));
    assert_eq!(
        refresh_token_tenant(&tokens.refresh_token).unwrap(),
        w.tenant
    );

    // The first session of a login names its family; only a hash of the secret is stored.
    let stored = w
        .count(
            "SELECT count(*) FROM user_sessions WHERE user_id = $1 AND id = family_id AND family_id = $2 \
               AND length(refresh_token_hash) = 64 AND strpos($3, refresh_token_hash) = 0 \
               AND user_agent = 'integration-test/1.0' AND ip_address = '203.0.113.7' \
               AND expires_at > now() + interval '29 days'",
            [user.id.into(), claims.sid.into(), tokens.refresh_token.clone().into()],
        )
        .await;
    assert_eq!(stored, 1);
    let logged_in = w
        .count(
            "SELECT count(*) FROM users WHERE id = $1 AND last_login_at IS NOT NULL",
            [user.id.into()],
        )
        .await;
    assert_eq!(logged_in, 1);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_are_indistinguishable() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;

    let wrong_password = w
        .login("rep@acme.test", "not the password")
        .await
        .unwrap_err();
    let unknown_email = w.login("nobody@acme.test", PASSWORD).await.unwrap_err();

    for error in [&wrong_password, &unknown_email] {
        assert!(
            matches!(error, IdentityError::InvalidCredentials),
            "{error:?}"
        );
        assert_eq!(error.code(), ErrorCode::Unauthenticated);
        assert_eq!(error.field(), None);
    }
    assert_eq!(wrong_password.to_string(), unknown_email.to_string());
    // Only the known account counts the failure.
    let failures = w
        .count("SELECT sum(failed_login_count) FROM users", [])
        .await;
    assert_eq!(failures, 1);
    let counted = w
        .count(
            "SELECT failed_login_count::bigint FROM users WHERE id = $1",
            [user.id.into()],
        )
        .await;
    assert_eq!(counted, 1);
}

fn from(address: &str) -> ClientInfo {
    ClientInfo {
        ip_address: Some(address.parse().unwrap()),
        ..client()
    }
}

#[tokio::test]
async fn wrong_passwords_stop_one_address_on_one_account_never_its_owner() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let (guesser, owner) = (from("203.0.113.66"), from("198.51.100.10"));
    let now = Utc::now();

    for attempt in 1..=w.policy.max_failed_logins {
        let error = w
            .login_from("rep@acme.test", "wrong", &guesser, now)
            .await
            .unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidCredentials),
            "attempt {attempt}: {error:?}"
        );
    }
    // Stopped: even the right password, from the guessing address, until the window ends.
    let stopped = w
        .login_from(
            "rep@acme.test",
            PASSWORD,
            &guesser,
            now + Duration::minutes(14),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(stopped, IdentityError::AccountLocked { until } if until == now + w.policy.lockout),
        "{stopped:?}"
    );
    assert_eq!(stopped.code(), ErrorCode::Unauthenticated);
    assert_eq!(
        stopped.to_string(),
        IdentityError::InvalidCredentials.to_string()
    );

    w.login_from(
        "rep@acme.test",
        PASSWORD,
        &owner,
        now + Duration::minutes(1),
    )
    .await
    .expect("the owner, elsewhere, is not locked out by someone else's guesses");
    assert_eq!(
        w.count(
            "SELECT count(*) FROM users WHERE id = $1 AND locked_until IS NULL",
            [user.id.into()],
        )
        .await,
        1,
        "the account itself is not locked"
    );
    w.login_from("rep@acme.test", PASSWORD, &guesser, now + w.policy.lockout)
        .await
        .expect("the window over, the address may try again");
}

#[tokio::test]
async fn an_account_locks_for_everyone_at_its_ceiling_of_wrong_passwords_from_any_addresses() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let earlier_session = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let now = Utc::now();

    // One wrong password from each of many addresses: no address is stopped, the account counts.
    for n in 1..w.policy.account_failure_ceiling {
        let error = w
            .login_from(
                "rep@acme.test",
                "wrong",
                &from(&format!("192.0.2.{n}")),
                now,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidCredentials),
            "attempt {n}: {error:?}"
        );
    }
    let locked = w
        .login_from("rep@acme.test", "wrong", &from("192.0.2.200"), now)
        .await
        .unwrap_err();
    let until = now + w.policy.lockout;
    assert!(
        matches!(locked, IdentityError::AccountLocked { until: u } if u == until),
        "{locked:?}"
    );

    // While locked, the right password does not help, from anywhere.
    let error = w
        .login_from(
            "rep@acme.test",
            PASSWORD,
            &from("198.51.100.10"),
            now + Duration::minutes(14),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, IdentityError::AccountLocked { .. }),
        "{error:?}"
    );
    assert_eq!(
        w.count(
            "SELECT count(*) FROM users WHERE id = $1 AND failed_login_count = 0 AND locked_until = $2",
            [user.id.into(), until.into()],
        )
        .await,
        1
    );
    // A lock stops password guessing, not the sessions of whoever already knew the password.
    w.refresh(&earlier_session.refresh_token).await.unwrap();

    let after = until + Duration::seconds(1);
    w.login_from("rep@acme.test", PASSWORD, &from("198.51.100.10"), after)
        .await
        .unwrap();
    assert_eq!(
        w.count(
            "SELECT count(*) FROM users WHERE id = $1 AND failed_login_count = 0 AND locked_until IS NULL",
            [user.id.into()],
        )
        .await,
        1
    );
}

#[tokio::test]
async fn disabled_user_cannot_log_in() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;

    for status in [UserStatus::Disabled, UserStatus::Invited] {
        w.set_status(user.id, status).await;
        let error = w.login("rep@acme.test", PASSWORD).await.unwrap_err();
        assert!(
            matches!(error, IdentityError::AccountDisabled),
            "{status:?}: {error:?}"
        );
        // Without the password, a disabled account looks like any other failure.
        let error = w.login("rep@acme.test", "wrong").await.unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidCredentials),
            "{error:?}"
        );
    }

    w.set_status(user.id, UserStatus::Active).await;
    w.login("rep@acme.test", PASSWORD).await.unwrap();
}

#[tokio::test]
async fn login_is_confined_to_its_tenant() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let other = create_tenant(&w.pools.owner, "globex").await;
    let (keys, policy, client) = (&w.keys, &w.policy, client());

    let error = sessions::sign_in(
        &w.pools.db,
        keys,
        policy,
        sessions::Attempt {
            kind: PrincipalKind::User,
            tenant_id: other,
            email: "rep@acme.test",
            password: PASSWORD,
        },
        &client,
        &w.failed,
        Utc::now(),
    )
    .await
    .unwrap_err();

    assert!(
        matches!(error, IdentityError::InvalidCredentials),
        "{error:?}"
    );
}
