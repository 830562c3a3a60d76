//! Refresh tokens rotate, a reused one revokes its whole family, and logging out ends the session.

use crate::support::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use leora_identity::IdentityError;
use leora_identity::service::sessions::{self, refresh_token_tenant};
use leora_tenancy::{ApiError, AuthFailure, ErrorCode, TenantContext};
use leora_test_db::fixtures::create_tenant;

#[tokio::test]
async fn refresh_rotates_and_the_old_token_is_refused() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let first = w.login("rep@acme.test", PASSWORD).await.unwrap();

    let second = w.refresh(&first.refresh_token).await.unwrap();

    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.claims.sid, first.claims.sid, "same family");
    assert_eq!(second.claims.sub, user.id);
    w.authenticate(&second.claims).await.unwrap();
    assert_eq!(
        w.count(
            "SELECT count(*) FROM user_sessions WHERE family_id = $1 AND rotated_at IS NOT NULL",
            [first.claims.sid.into()],
        )
        .await,
        1
    );

    let replay = w.refresh(&first.refresh_token).await.unwrap_err();
    assert!(
        matches!(replay, IdentityError::RefreshTokenReused),
        "{replay:?}"
    );
    assert_eq!(replay.code(), ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_family() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let stolen = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let other_device = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let legitimate = w.refresh(&stolen.refresh_token).await.unwrap();

    let replay = w.refresh(&stolen.refresh_token).await.unwrap_err();

    assert!(
        matches!(replay, IdentityError::RefreshTokenReused),
        "{replay:?}"
    );
    assert!(replay.commit_anyway());
    let live = w
        .count(
            "SELECT count(*) FROM user_sessions WHERE family_id = $1 AND revoked_at IS NULL",
            [stolen.claims.sid.into()],
        )
        .await;
    assert_eq!(live, 0, "every session of the family is revoked");
    let error = w.refresh(&legitimate.refresh_token).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");
    let error = w.authenticate(&legitimate.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");

    // Another login of the same user is another family, untouched.
    w.authenticate(&other_device.claims).await.unwrap();
    w.refresh(&other_device.refresh_token).await.unwrap();
}

#[tokio::test]
async fn refresh_refuses_forged_expired_and_foreign_tokens() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let tokens = w.login("rep@acme.test", PASSWORD).await.unwrap();

    // The right session with a made-up secret: refused, and it revokes nothing.
    let (head, _secret) = tokens.refresh_token.rsplit_once('.').unwrap();
    let forged = format!("{head}.{}", URL_SAFE_NO_PAD.encode([7u8; 32]));
    let error = w.refresh(&forged).await.unwrap_err();
    assert!(matches!(error, IdentityError::InvalidToken), "{error:?}");

    // Past its expiry.
    let later = Utc::now() + w.policy.refresh_ttl + Duration::minutes(1);
    let error = w
        .refresh_at(&tokens.refresh_token, later)
        .await
        .unwrap_err();
    assert!(matches!(error, IdentityError::InvalidToken), "{error:?}");

    // Presented in another tenant's transaction: its session is invisible there.
    let other = create_tenant(&w.pools.owner, "globex").await;
    let (keys, policy, client) = (&w.keys, &w.policy, client());
    let error = w
        .run_in(TenantContext::anonymous(other), async |tx| {
            sessions::refresh(tx, keys, policy, &tokens.refresh_token, &client, Utc::now()).await
        })
        .await
        .unwrap_err();
    assert!(matches!(error, IdentityError::InvalidToken), "{error:?}");

    for garbage in ["", "lr1", "not-a-token", "lr1.u.x.y.z"] {
        assert!(matches!(
            refresh_token_tenant(garbage),
            Err(IdentityError::InvalidToken)
        ));
        let error = w
            .run(async |tx| sessions::refresh(tx, keys, policy, garbage, &client, Utc::now()).await)
            .await
            .unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidToken),
            "{garbage:?}: {error:?}"
        );
    }

    // None of that harmed the genuine token.
    w.refresh(&tokens.refresh_token).await.unwrap();
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let this_device = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let rotated = w.refresh(&this_device.refresh_token).await.unwrap();
    let other_device = w.login("rep@acme.test", PASSWORD).await.unwrap();

    w.logout(&rotated.claims).await.unwrap();

    let error = w.authenticate(&rotated.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");
    let error = w.refresh(&rotated.refresh_token).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");
    w.authenticate(&other_device.claims).await.unwrap();
    w.logout(&rotated.claims).await.unwrap();
}

async fn set_tenant_status(w: &World, status: &str) {
    use sea_orm::ConnectionTrait;
    w.pools
        .owner
        .execute_raw(leora_test_db::sql::stmt(
            "UPDATE tenants SET status = $2 WHERE id = $1",
            [w.tenant.into(), status.into()],
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn suspending_a_tenant_cuts_off_its_access_tokens_and_refresh_until_it_is_active_again() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let signed_in = w.login("rep@acme.test", PASSWORD).await.unwrap();
    for status in ["suspended", "cancelled"] {
        set_tenant_status(&w, status).await;
        let error = w.authenticate(&signed_in.claims).await.unwrap_err();
        assert!(
            matches!(error, IdentityError::TenantInactive),
            "{status}: {error:?}"
        );
        assert_eq!(error.auth_failure(), Some(AuthFailure::SessionEnded));
        let error = w.refresh(&signed_in.refresh_token).await.unwrap_err();
        assert!(
            matches!(error, IdentityError::TenantInactive),
            "{status}: {error:?}"
        );
    }
    set_tenant_status(&w, "active").await;
    w.authenticate(&signed_in.claims).await.unwrap();
    w.refresh(&signed_in.refresh_token).await.unwrap();
}

#[tokio::test]
async fn a_session_family_ends_at_its_absolute_lifetime_however_often_it_is_refreshed() {
    let mut w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;
    let start = Utc::now();
    let mut tokens = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let ends = start + w.policy.session_lifetime;
    for days in [25, 50, 75, 89] {
        tokens = w
            .refresh_at(&tokens.refresh_token, start + Duration::days(days))
            .await
            .unwrap_or_else(|error| panic!("day {days}: {error:?}"));
    }
    // Measured from the family's first session as the database recorded it, so a slow sign-in
    // (argon2 queues behind other tests' hashing) cannot make the bound look broken.
    let outliving = w
        .count(
            "SELECT count(*) FROM user_sessions s
              WHERE s.family_id = $1
                AND s.expires_at > (SELECT f.created_at FROM user_sessions f WHERE f.id = $1)
                                   + make_interval(secs => $2)",
            [
                tokens.claims.sid.into(),
                (w.policy.session_lifetime.num_seconds() as f64).into(),
            ],
        )
        .await;
    assert_eq!(
        outliving, 0,
        "no refresh token outlives its family's lifetime"
    );
    assert!(
        w.refresh_at(&tokens.refresh_token, ends + Duration::minutes(1))
            .await
            .is_err(),
        "past the lifetime, sign in again"
    );

    // An operator who shortens the lifetime ends families already older than it.
    let young = w.login("rep@acme.test", PASSWORD).await.unwrap();
    w.policy.session_lifetime = Duration::hours(1);
    let error = w
        .refresh_at(&young.refresh_token, Utc::now() + Duration::hours(2))
        .await
        .unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");
}
