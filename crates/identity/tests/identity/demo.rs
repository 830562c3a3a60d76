//! The demo portal user: there in development, refused in production.

use crate::support::*;
use chrono::Utc;
use leora_identity::PrincipalKind;
use leora_identity::service::demo::{self, DEMO_PORTAL_EMAIL};
use leora_identity::service::sessions;
use leora_tenancy::{ApiError, ErrorCode, TenantContext};
use leora_test_db::fixtures::{create_customer, create_tenant};
use leora_test_db::sql::stmt;
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn demo_portal_user_is_provisioned_in_development_and_refused_in_production() {
    let w = world().await;
    let empty = create_tenant(&w.pools.owner, "empty").await;
    let in_empty = TenantContext::anonymous(empty);

    let error = w
        .run_in(in_empty, async |tx| {
            demo::provision_demo_portal_user(tx, PASSWORD, true).await
        })
        .await
        .unwrap_err();
    assert_forbidden(&error);
    assert_eq!(error.code(), ErrorCode::Forbidden);
    let written = w
        .count(
            "SELECT (SELECT count(*) FROM customers WHERE tenant_id = $1) \
                  + (SELECT count(*) FROM portal_users WHERE tenant_id = $1)",
            [empty.into()],
        )
        .await;
    assert_eq!(written, 0, "production writes nothing");

    // A tenant without customers gets a demo customer.
    let demo_user = w
        .run_in(in_empty, async |tx| {
            demo::provision_demo_portal_user(tx, PASSWORD, false).await
        })
        .await
        .unwrap();
    assert_eq!(demo_user.email, DEMO_PORTAL_EMAIL);
    assert_eq!(
        w.count(
            "SELECT count(*) FROM customers WHERE id = $1 AND name = 'Demo Customer' AND state = 'CA'",
            [demo_user.customer_id.into()],
        )
        .await,
        1
    );

    // Again, with another password: the same user, now with that password.
    let again = w
        .run_in(in_empty, async |tx| {
            demo::provision_demo_portal_user(tx, "another password", false).await
        })
        .await
        .unwrap();
    assert_eq!(
        (again.id, again.customer_id),
        (demo_user.id, demo_user.customer_id)
    );
    let (keys, policy, client) = (&w.keys, &w.policy, client());
    let tokens = sessions::sign_in(
        &w.pools.db,
        keys,
        policy,
        sessions::Attempt {
            kind: PrincipalKind::PortalUser,
            tenant_id: empty,
            email: DEMO_PORTAL_EMAIL,
            password: "another password",
        },
        &client,
        &w.failed,
        Utc::now(),
    )
    .await
    .unwrap();
    let auth = w.authenticate(&tokens.claims).await.unwrap();
    assert_eq!(auth.roles, ["portal_user"]);

    // A tenant with customers attaches it to the first active one by account number.
    create_customer(&w.pools.owner, w.tenant, "ACCT-0", None).await;
    w.pools
        .owner
        .execute_raw(stmt(
            "UPDATE customers SET status = 'inactive' WHERE account_number = 'ACCT-0'",
            [],
        ))
        .await
        .unwrap();
    let attached = w
        .run(async |tx| demo::provision_demo_portal_user(tx, PASSWORD, false).await)
        .await
        .unwrap();
    assert_eq!(attached.customer_id, w.customer);
}
