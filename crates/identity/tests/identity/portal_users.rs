//! Portal users: signing in for their customer, being disabled, and needing a customer the caller
//! can see.

use crate::support::*;
use leora_identity::entities::enums::UserStatus;
use leora_identity::service::admin::{self, NewPortalUser};
use leora_identity::{AccessClaims, IdentityError, PrincipalKind};
use leora_tenancy::TenantContext;
use leora_test_db::fixtures::create_customer;
use std::collections::BTreeSet;
use uuid::Uuid;

#[tokio::test]
async fn portal_login_carries_the_customer() {
    let w = world().await;
    let buyer = w.portal_user("Buyer@Harbor.test", w.customer).await;
    assert_eq!(buyer.email, "buyer@harbor.test");

    let tokens = w.portal_login("buyer@harbor.test", PASSWORD).await.unwrap();

    assert_eq!(tokens.claims.kind, PrincipalKind::PortalUser);
    assert_eq!(tokens.claims.sub, buyer.id);
    assert_eq!(tokens.claims.cid, Some(w.customer));
    assert!(tokens.refresh_token.starts_with("lr1.p."));
    let auth = w.authenticate(&tokens.claims).await.unwrap();
    assert_eq!(auth.customer_id, Some(w.customer));
    assert_eq!(auth.roles, ["portal_user"]);
    let expected: BTreeSet<String> = [
        "portal.catalog.view",
        "portal.invoices.view",
        "portal.orders.create",
        "portal.orders.view",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(auth.permissions, expected);

    // Refreshing keeps the customer; claiming another customer is refused.
    let refreshed = w.refresh(&tokens.refresh_token).await.unwrap();
    assert_eq!(refreshed.claims.cid, Some(w.customer));
    let other_customer = create_customer(&w.pools.owner, w.tenant, "ACCT-2", None).await;
    let lying = AccessClaims {
        cid: Some(other_customer),
        ..refreshed.claims.clone()
    };
    let error = w.authenticate(&lying).await.unwrap_err();
    assert!(matches!(error, IdentityError::InvalidToken), "{error:?}");

    // Portal users and internal users are separate accounts.
    let error = w.login("buyer@harbor.test", PASSWORD).await.unwrap_err();
    assert!(
        matches!(error, IdentityError::InvalidCredentials),
        "{error:?}"
    );
}

#[tokio::test]
async fn disabling_a_portal_user_ends_its_sessions_and_locks_it_out() {
    let w = world().await;
    let buyer = w.portal_user("buyer@harbor.test", w.customer).await;
    let tokens = w.portal_login("buyer@harbor.test", PASSWORD).await.unwrap();

    let disabled = w
        .run(async |tx| admin::set_portal_user_status(tx, buyer.id, UserStatus::Disabled).await)
        .await
        .unwrap();

    assert_eq!(disabled.status, UserStatus::Disabled);
    let error = w.authenticate(&tokens.claims).await.unwrap_err();
    assert!(matches!(error, IdentityError::AccountDisabled), "{error:?}");
    let error = w
        .portal_login("buyer@harbor.test", PASSWORD)
        .await
        .unwrap_err();
    assert!(matches!(error, IdentityError::AccountDisabled), "{error:?}");
    assert_eq!(
        w.count(
            "SELECT count(*) FROM portal_sessions WHERE portal_user_id = $1 AND revoked_at IS NULL",
            [buyer.id.into()],
        )
        .await,
        0
    );
}

#[tokio::test]
async fn portal_users_need_a_customer_the_caller_can_see() {
    let w = world().await;
    let other_customer = create_customer(&w.pools.owner, w.tenant, "ACCT-2", None).await;
    let admin_of_first = w.portal_user("admin@harbor.test", w.customer).await;
    let tenant = w.tenant;
    let input = |customer_id: Uuid| NewPortalUser {
        customer_id,
        email: "new@harbor.test".to_owned(),
        full_name: "New Buyer".to_owned(),
        password: PASSWORD.to_owned(),
        roles: vec!["portal_admin".to_owned()],
    };

    let error = w
        .run(async |tx| admin::create_portal_user(tx, input(Uuid::now_v7())).await)
        .await
        .unwrap_err();
    assert_not_found(&error, "customer");

    // A portal request sees only its own customer.
    let portal_ctx = TenantContext::portal_user(tenant, admin_of_first.id, w.customer);
    let error = w
        .run_in(portal_ctx, async |tx| {
            admin::create_portal_user(tx, input(other_customer)).await
        })
        .await
        .unwrap_err();
    assert_not_found(&error, "customer");

    let created = w
        .run_in(portal_ctx, async |tx| {
            admin::create_portal_user(tx, input(w.customer)).await
        })
        .await
        .unwrap();
    let roles = w
        .run(async |tx| admin::roles_of_portal_users(tx, &[created.id, admin_of_first.id]).await)
        .await
        .unwrap();
    assert_eq!(roles[&created.id], ["portal_admin"]);
    assert_eq!(roles[&admin_of_first.id], ["portal_user"]);
}
