//! Creating users and giving them roles: the checks on each field, taken emails and portal roles.

use crate::support::*;
use leora_identity::entities::enums::UserStatus;
use leora_identity::service::admin::{self, NewPortalUser, NewUser};
use leora_tenancy::{ApiError, ErrorCode, TenantContext};
use leora_test_db::errors::assert_code;
use leora_test_db::fixtures::create_tenant;
use leora_test_db::sql::scalar;
use uuid::Uuid;

#[tokio::test]
async fn portal_roles_cannot_be_given_to_internal_users() {
    let w = world().await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let buyer = w.portal_user("buyer@harbor.test", w.customer).await;

    let error = assert_code(
        w.run(async |tx| {
            admin::create_user(tx, new_user("x@acme.test", &["sales_rep", "portal_user"])).await
        })
        .await,
        ErrorCode::BadUserInput,
    );
    assert_eq!(error.field(), Some("roles"));

    let error = w
        .run(async |tx| admin::assign_role(tx, rep.id, "portal_admin").await)
        .await
        .unwrap_err();
    assert_forbidden(&error);

    // Nor internal roles to portal users.
    let error = w
        .run(async |tx| admin::assign_portal_role(tx, buyer.id, "admin").await)
        .await
        .unwrap_err();
    assert_forbidden(&error);
    let error = assert_code(
        w.run(async |tx| {
            let input = NewPortalUser {
                customer_id: w.customer,
                email: "y@harbor.test".to_owned(),
                full_name: "Y".to_owned(),
                password: PASSWORD.to_owned(),
                roles: vec!["sales_rep".to_owned()],
            };
            admin::create_portal_user(tx, input).await
        })
        .await,
        ErrorCode::BadUserInput,
    );
    assert_eq!(error.field(), Some("roles"));

    let roles = w
        .run(async |tx| admin::roles_of_users(tx, &[rep.id]).await)
        .await
        .unwrap();
    assert_eq!(roles[&rep.id], ["sales_rep"]);
}

#[tokio::test]
async fn creating_a_user_with_a_taken_email_conflicts() {
    let w = world().await;
    w.user("rep@acme.test", &["sales_rep"]).await;

    let error = assert_code(
        w.run(async |tx| admin::create_user(tx, new_user(" REP@acme.test", &[])).await)
            .await,
        ErrorCode::Conflict,
    );
    assert_eq!(error.field(), Some("email"));
    assert_eq!(
        w.count("SELECT count(*) FROM users", []).await,
        1,
        "nothing was written"
    );

    // Emails are unique per tenant only.
    let other = create_tenant(&w.pools.owner, "globex").await;
    w.run_in(TenantContext::anonymous(other), async |tx| {
        admin::create_user(tx, new_user("rep@acme.test", &[])).await
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn creating_a_user_validates_every_field() {
    let w = world().await;
    let cases = [
        (
            "email",
            NewUser {
                email: "not an email".to_owned(),
                ..new_user("", &[])
            },
        ),
        (
            "fullName",
            NewUser {
                full_name: "  ".to_owned(),
                ..new_user("a@acme.test", &[])
            },
        ),
        (
            "password",
            NewUser {
                password: "short".to_owned(),
                ..new_user("a@acme.test", &[])
            },
        ),
        ("roles", new_user("a@acme.test", &["no_such_role"])),
        (
            "managerId",
            NewUser {
                manager_id: Some(Uuid::now_v7()),
                ..new_user("a@acme.test", &[])
            },
        ),
    ];
    for (field, input) in cases {
        let error = assert_code(
            w.run(async |tx| admin::create_user(tx, input).await).await,
            ErrorCode::BadUserInput,
        );
        assert_eq!(error.field(), Some(field), "{error:?}");
    }
    assert_eq!(w.count("SELECT count(*) FROM users", []).await, 0);

    let manager = w.user("manager@acme.test", &["sales_manager"]).await;
    let rep = w
        .run(async |tx| {
            let input = NewUser {
                manager_id: Some(manager.id),
                ..new_user("Rep@Acme.test", &[])
            };
            admin::create_user(tx, input).await
        })
        .await
        .unwrap();
    assert_eq!(
        (rep.email.as_str(), rep.manager_id),
        ("rep@acme.test", Some(manager.id))
    );
    assert_eq!(rep.status, UserStatus::Active);
    assert_ne!(rep.password_hash, PASSWORD);
}

#[tokio::test]
async fn roles_are_assigned_idempotently_revoked_and_loaded_in_batches() {
    let w = world().await;
    let rep = w.user("rep@acme.test", &["sales_rep"]).await;
    let nobody = w.user("nobody@acme.test", &[]).await;

    w.run(async |tx| {
        admin::assign_role(tx, rep.id, "sales_manager").await?;
        admin::assign_role(tx, rep.id, "sales_manager").await
    })
    .await
    .unwrap();
    let roles = w
        .run(async |tx| admin::roles_of_users(tx, &[rep.id, nobody.id]).await)
        .await
        .unwrap();
    assert_eq!(roles[&rep.id], ["sales_manager", "sales_rep"]);
    assert!(!roles.contains_key(&nobody.id));

    w.run(async |tx| {
        admin::revoke_role(tx, rep.id, "sales_rep").await?;
        admin::revoke_role(tx, rep.id, "sales_rep").await
    })
    .await
    .unwrap();
    let roles = w
        .run(async |tx| admin::roles_of_users(tx, &[rep.id]).await)
        .await
        .unwrap();
    assert_eq!(roles[&rep.id], ["sales_manager"]);

    let error = w
        .run(async |tx| admin::assign_role(tx, rep.id, "no_such_role").await)
        .await
        .unwrap_err();
    assert_not_found(&error, "role");
    let error = w
        .run(async |tx| admin::assign_role(tx, Uuid::now_v7(), "admin").await)
        .await
        .unwrap_err();
    assert_not_found(&error, "user");
    let error = w
        .run(async |tx| admin::set_user_status(tx, Uuid::now_v7(), UserStatus::Disabled).await)
        .await
        .unwrap_err();
    assert_not_found(&error, "user");

    let mut role_ids = Vec::new();
    for name in ["sales_rep", "portal_user"] {
        let sql = "SELECT id FROM roles WHERE name = $1 AND tenant_id IS NULL";
        role_ids.push(scalar::<Uuid>(&w.pools.owner, sql, [name.into()]).await);
    }
    let permissions = w
        .run(async |tx| admin::permissions_of_roles(tx, &role_ids).await)
        .await
        .unwrap();
    assert_eq!(permissions[&role_ids[0]].len(), 8);
    assert_eq!(
        permissions[&role_ids[1]],
        [
            "portal.catalog.view",
            "portal.invoices.view",
            "portal.orders.create",
            "portal.orders.view"
        ]
    );
}
