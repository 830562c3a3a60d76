//! Each request's authentication: the session and user must still be live, and roles and
//! permissions come with it.

use crate::support::*;
use chrono::{Duration, Utc};
use leora_identity::entities::enums::UserStatus;
use leora_identity::service::admin;
use leora_identity::{AccessClaims, IdentityError, PrincipalKind};
use leora_test_db::sql::scalar;
use leora_test_db::sql::stmt;
use sea_orm::ConnectionTrait;
use std::collections::BTreeSet;
use uuid::Uuid;

#[tokio::test]
async fn authenticate_refuses_a_revoked_session_and_a_disabled_user() {
    let w = world().await;
    let user = w.user("rep@acme.test", &["sales_rep"]).await;
    let tokens = w.login("rep@acme.test", PASSWORD).await.unwrap();
    w.authenticate(&tokens.claims).await.unwrap();

    // Disabled behind the service's back: the status alone refuses, for requests and refreshes.
    w.pools
        .owner
        .execute_raw(stmt(
            "UPDATE users SET status = 'disabled' WHERE id = $1",
            [user.id.into()],
        ))
        .await
        .unwrap();
    let error = w.authenticate(&tokens.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::AccountDisabled), "{error:?}");
    let error = w.refresh(&tokens.refresh_token).await.unwrap_err();
    assert!(matches!(error, IdentityError::AccountDisabled), "{error:?}");

    // Disabled through the service: the sessions end too, so re-enabling does not revive them.
    w.set_status(user.id, UserStatus::Active).await;
    w.authenticate(&tokens.claims).await.unwrap();
    w.set_status(user.id, UserStatus::Disabled).await;
    w.set_status(user.id, UserStatus::Active).await;
    let error = w.authenticate(&tokens.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");

    // A family whose sessions have all expired is over as well.
    let fresh = w.login("rep@acme.test", PASSWORD).await.unwrap();
    let later = Utc::now() + w.policy.refresh_ttl + Duration::minutes(1);
    let error = w.authenticate_at(&fresh.claims, later).await.unwrap_err();
    assert!(matches!(error, IdentityError::SessionRevoked), "{error:?}");

    // Claims naming no session of this user, or no user, are invalid.
    for claims in [
        AccessClaims {
            sid: Uuid::now_v7(),
            ..fresh.claims.clone()
        },
        AccessClaims {
            sub: Uuid::now_v7(),
            ..fresh.claims.clone()
        },
        AccessClaims {
            cid: Some(w.customer),
            ..fresh.claims.clone()
        },
    ] {
        let error = w.authenticate(&claims).await.unwrap_err();
        assert!(
            matches!(error, IdentityError::InvalidToken),
            "{claims:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn authenticate_loads_roles_and_permissions() {
    let w = world().await;
    let user = w.user("manager@acme.test", &["sales_rep"]).await;
    let buyer: Uuid = scalar(
        &w.pools.owner,
        "INSERT INTO roles (tenant_id, name, audience) VALUES ($1, 'buyer', 'internal') RETURNING id",
        [w.tenant.into()],
    )
    .await;
    w.pools
        .owner
        .execute_raw(stmt(
            "INSERT INTO role_permissions (tenant_id, role_id, permission_id) \
             SELECT $1, $2, id FROM permissions WHERE key IN ('orders.manage', 'orders.view')",
            [w.tenant.into(), buyer.into()],
        ))
        .await
        .unwrap();
    w.run(async |tx| admin::assign_role(tx, user.id, "buyer").await)
        .await
        .unwrap();
    let tokens = w.login("manager@acme.test", PASSWORD).await.unwrap();

    let auth = w.authenticate(&tokens.claims).await.unwrap();

    assert_eq!(auth.kind, PrincipalKind::User);
    assert_eq!(auth.principal_id, user.id);
    assert_eq!(auth.customer_id, None);
    assert_eq!(auth.roles, ["buyer", "sales_rep"]);
    let expected: BTreeSet<String> = [
        "activities.manage",
        "activities.view",
        "analytics.view",
        "customers.view",
        "invoices.view",
        "orders.create",
        "orders.manage",
        "orders.view",
        "products.view",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(auth.permissions, expected);
}
