//! `leora tenants create | list | suspend | activate | reset-password`, called as `main` calls them,
//! against the test database: the owner connection writes tenants, the application role the first
//! admin.

use crate::support::*;
use leora_gateway::commands::tenants::{self, CreateTenant, TenantsError};
use leora_tenancy::{Refusal, TenantDb};
use serde_json::json;

fn input(slug: &str) -> CreateTenant {
    CreateTenant {
        slug: slug.to_owned(),
        name: "Harbor Distributing".to_owned(),
        admin_email: "Ops@Harbor.example".to_owned(),
        timezone: Some("America/New_York".to_owned()),
        currency: Some("CAD".to_owned()),
    }
}

fn tenant_db(app: &TestApp) -> TenantDb {
    TenantDb::new(app.owner.clone(), config(&[]).app_role)
}

async fn create(app: &TestApp, input: CreateTenant) -> (Result<(), TenantsError>, String) {
    let mut out = Vec::new();
    let outcome = tenants::create(&app.owner, &tenant_db(app), input, &mut out).await;
    (outcome, String::from_utf8(out).unwrap())
}

/// The token `create` printed: the one line that is nothing but it.
fn printed_token(output: &str) -> String {
    output
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("lpr1.") && !line.contains(' '))
        .unwrap_or_else(|| panic!("no token in {output}"))
        .to_owned()
}

async fn tenants_named(app: &TestApp, slug: &str) -> i64 {
    app.scalar(&format!(
        "SELECT count(*) FROM tenants WHERE slug = '{slug}'"
    ))
    .await
}

#[tokio::test]
async fn creating_a_tenant_makes_its_settings_and_an_admin_who_sets_a_password_with_the_printed_token()
 {
    let app = app().await;
    let (outcome, output) = create(&app, input("harbor")).await;
    outcome.unwrap();

    assert_eq!(
        app.scalar_text(
            "SELECT t.status || ' ' || t.name || ' ' || s.timezone || ' ' || s.currency
               FROM tenants t JOIN tenant_settings s ON s.tenant_id = t.id WHERE t.slug = 'harbor'"
        )
        .await,
        "active Harbor Distributing America/New_York CAD"
    );
    assert_eq!(
        app.scalar_text(
            "SELECT u.email || ' ' || u.status || ' ' || r.name FROM users u
               JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
              WHERE u.tenant_id = (SELECT id FROM tenants WHERE slug = 'harbor')"
        )
        .await,
        "ops@harbor.example invited admin"
    );
    let token = printed_token(&output);
    assert!(output.contains("ops@harbor.example"), "{output}");
    assert!(
        output.contains(&format!("resetPassword(token: \"{token}\"")),
        "{output}"
    );
    let event = app
        .scalar_text(
            "SELECT payload::text FROM webhook_events WHERE event_type = 'user.password_reset_requested'",
        )
        .await;
    assert!(
        !event.contains(&token),
        "the event carries no token: {event}"
    );

    // Nobody can sign in before the admin sets a password with the token.
    let login = json!({ "input": { "tenantSlug": "harbor", "email": "ops@harbor.example", "password": "" } });
    let sign_in = "mutation($input: LoginInput!) { login(input: $input) { accessToken } }";
    assert_eq!(
        app.graphql(None, sign_in, login).await.code(),
        "UNAUTHENTICATED"
    );
    let reset = app
        .graphql(
            None,
            "mutation($t: String!) { resetPassword(token: $t, newPassword: \"harbor's first password\") }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(reset.data("resetPassword"), true, "{}", reset.body);
    let login = json!({ "input": { "tenantSlug": "harbor", "email": "ops@harbor.example", "password": "harbor's first password" } });
    let signed_in = app.graphql(None, sign_in, login).await;
    let access = signed_in.data("login")["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", signed_in.body));
    let me = app
        .ask(access, "{ me { roles tenant { slug } user { status } } }")
        .await;
    assert_eq!(me.data("me")["roles"], json!(["admin"]));
    assert_eq!(me.data("me")["tenant"]["slug"], "harbor");
    assert_eq!(me.data("me")["user"]["status"], "ACTIVE");
}

#[tokio::test]
async fn a_tenant_without_time_zone_or_currency_gets_the_defaults() {
    let app = app().await;
    let (outcome, output) = create(
        &app,
        CreateTenant {
            timezone: None,
            currency: None,
            ..input("harbor")
        },
    )
    .await;
    outcome.unwrap();
    assert!(
        output.contains("time zone America/Los_Angeles, currency USD"),
        "{output}"
    );
}

#[tokio::test]
async fn a_taken_slug_is_refused_and_nothing_is_written() {
    let app = app().await;
    let users_before = app.scalar("SELECT count(*) FROM users").await;

    let (outcome, output) = create(&app, input("acme")).await;

    let error = outcome.unwrap_err();
    assert!(
        matches!(
            &error,
            TenantsError::Refused(Refusal::Conflict { field: "slug", .. })
        ),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "--slug: the slug \"acme\" is taken");
    assert!(output.is_empty(), "{output}");
    assert_eq!(tenants_named(&app, "acme").await, 1);
    assert_eq!(app.scalar("SELECT count(*) FROM users").await, users_before);
}

#[tokio::test]
async fn a_bad_slug_name_time_zone_currency_or_email_is_refused_naming_the_flag() {
    let app = app().await;
    let cases = [
        (
            CreateTenant {
                slug: "Harbor_Wines".into(),
                ..input("x")
            },
            "slug",
        ),
        (
            CreateTenant {
                slug: "harbor--wines".into(),
                ..input("x")
            },
            "slug",
        ),
        (
            CreateTenant {
                name: "   ".into(),
                ..input("harbor")
            },
            "name",
        ),
        (
            CreateTenant {
                timezone: Some("Mars/Olympus".into()),
                ..input("harbor")
            },
            "timezone",
        ),
        (
            CreateTenant {
                timezone: Some("UTC+3".into()),
                ..input("harbor")
            },
            "timezone",
        ),
        (
            CreateTenant {
                currency: Some("usd".into()),
                ..input("harbor")
            },
            "currency",
        ),
        (
            CreateTenant {
                currency: Some("EURO".into()),
                ..input("harbor")
            },
            "currency",
        ),
        (
            CreateTenant {
                admin_email: "ops-at-harbor".into(),
                ..input("harbor")
            },
            "adminEmail",
        ),
    ];
    for (case, field) in cases {
        let (outcome, output) = create(&app, case.clone()).await;
        let error = outcome.unwrap_err();
        assert!(
            matches!(&error, TenantsError::Refused(Refusal::BadInput { field: f, .. }) if *f == field),
            "{case:?}: {error:?}"
        );
        let flag = if field == "adminEmail" {
            "admin-email"
        } else {
            field
        };
        assert!(
            error.to_string().starts_with(&format!("--{flag}: ")),
            "{error}"
        );
        assert!(output.is_empty(), "{output}");
    }
    assert_eq!(
        app.scalar("SELECT count(*) FROM tenants").await,
        1,
        "only acme"
    );
}

#[tokio::test]
async fn tenants_are_listed_with_slug_name_status_and_creation() {
    let app = app().await;
    create(&app, input("harbor")).await.0.unwrap();
    let mut out = Vec::new();
    tenants::suspend(&app.owner, "harbor", &mut out)
        .await
        .unwrap();

    let mut out = Vec::new();
    tenants::list(&app.owner, &mut out).await.unwrap();
    let listing = String::from_utf8(out).unwrap();

    let lines: Vec<Vec<&str>> = listing
        .lines()
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(lines[0], ["SLUG", "NAME", "STATUS", "CREATED"], "{listing}");
    assert_eq!(lines[1][..3], ["acme", "acme", "active"], "{listing}");
    assert_eq!(
        lines[2][..3],
        ["harbor", "Harbor Distributing", "suspended"],
        "{listing}"
    );
    let today = app
        .scalar_text("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')")
        .await;
    assert!(
        lines[2][3].starts_with(&today) && lines[2][3].ends_with("UTC"),
        "{listing}"
    );
    assert_eq!(lines.len(), 3);
}

#[tokio::test]
async fn suspending_shuts_the_tenant_out_idempotently_and_activating_brings_it_back() {
    let app = app().await;
    let admin = app.token("admin@acme.test").await;
    let me = "{ me { user { email } } }";

    let mut out = Vec::new();
    tenants::suspend(&app.owner, "acme", &mut out)
        .await
        .unwrap();
    tenants::suspend(&app.owner, "acme", &mut out)
        .await
        .unwrap();
    let said = String::from_utf8(out).unwrap();
    let said: Vec<&str> = said.lines().collect();
    assert!(
        said[0].starts_with("Tenant acme is suspended (it was active)"),
        "{said:?}"
    );
    assert_eq!(
        said[1],
        "Tenant acme is already suspended; nothing changed."
    );
    assert_eq!(
        app.scalar_text("SELECT status FROM tenants").await,
        "suspended"
    );
    assert_eq!(app.ask(&admin, me).await.code(), "UNAUTHENTICATED");

    let mut out = Vec::new();
    tenants::activate(&app.owner, "acme", &mut out)
        .await
        .unwrap();
    tenants::activate(&app.owner, "acme", &mut out)
        .await
        .unwrap();
    let said = String::from_utf8(out).unwrap();
    assert_eq!(
        said,
        "Tenant acme is active again (it was suspended).\nTenant acme is already active; nothing changed.\n"
    );
    let back = app.ask(&admin, me).await;
    assert_eq!(
        back.data("me")["user"]["email"],
        "admin@acme.test",
        "{}",
        back.body
    );
}

#[tokio::test]
async fn an_unknown_slug_is_refused_and_nothing_changes() {
    let app = app().await;
    let mut out = Vec::new();
    let error = tenants::suspend(&app.owner, "nobody", &mut out)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, TenantsError::UnknownSlug(slug) if slug == "nobody"),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "no tenant has the slug \"nobody\"");
    assert!(out.is_empty());
    assert_eq!(
        app.scalar_text("SELECT status FROM tenants").await,
        "active"
    );
}

#[tokio::test]
async fn a_tenant_whose_admin_cannot_be_created_is_removed_again() {
    let app = app().await;
    // A role that does not exist: the first admin's transaction cannot even begin.
    let role = leora_tenancy::AppRole::parse("leora_no_such_role").unwrap();
    let broken = TenantDb::new(app.owner.clone(), role);
    let mut out = Vec::new();

    let error = tenants::create(&app.owner, &broken, input("harbor"), &mut out)
        .await
        .unwrap_err();

    assert!(
        matches!(error, TenantsError::Identity(_) | TenantsError::Tenancy(_)),
        "{error:?}"
    );
    assert!(out.is_empty());
    assert_eq!(tenants_named(&app, "harbor").await, 0);
    assert_eq!(app.scalar("SELECT count(*) FROM tenant_settings").await, 0);
    // So the same command can be run again once the fault is fixed.
    create(&app, input("harbor")).await.0.unwrap();
}

#[tokio::test]
async fn an_operator_issues_a_new_token_and_the_old_one_stops_working() {
    let app = app().await;
    let (outcome, output) = create(&app, input("harbor")).await;
    outcome.unwrap();
    let first = printed_token(&output);
    let reset = async |slug: &str, email: &str| {
        let mut out = Vec::new();
        let outcome =
            tenants::reset_password(&app.owner, &tenant_db(&app), slug, email, &mut out).await;
        (outcome, String::from_utf8(out).unwrap())
    };
    let (outcome, output) = reset("harbor", " OPS@harbor.example ").await;
    outcome.unwrap();
    let second = printed_token(&output);
    assert_ne!(first, second);
    let set =
        "mutation($t: String!) { resetPassword(token: $t, newPassword: \"a fresh password\") }";
    let stale = app.graphql(None, set, json!({ "t": first })).await;
    assert_eq!(stale.code(), "BAD_USER_INPUT", "{}", stale.body);
    let used = app.graphql(None, set, json!({ "t": second })).await;
    assert_eq!(used.data("resetPassword"), true, "{}", used.body);

    let (unknown_email, printed) = reset("harbor", "nobody@harbor.example").await;
    assert!(
        matches!(
            &unknown_email,
            Err(TenantsError::Refused(Refusal::BadInput {
                field: "email",
                ..
            }))
        ),
        "{unknown_email:?}"
    );
    assert!(printed.is_empty());
    let (unknown_slug, _) = reset("nowhere", "ops@harbor.example").await;
    assert!(
        matches!(&unknown_slug, Err(TenantsError::UnknownSlug(slug)) if slug == "nowhere"),
        "{unknown_slug:?}"
    );
}
