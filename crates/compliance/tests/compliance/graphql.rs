//! The compliance schema: who may read and change what, and the codes its errors carry.

use crate::support::*;
use async_graphql::{EmptySubscription, Request, Response, Schema, Value as GqlValue};
use leora_compliance::graphql::{ComplianceMutation, ComplianceQuery};
use leora_tenancy::TenantContext;
use leora_tenancy::graphql::permission::PermissionSet;
use leora_tenancy::graphql::{RequestScope, Session};
use std::sync::Arc;
use uuid::Uuid;

fn schema() -> Schema<ComplianceQuery, ComplianceMutation, EmptySubscription> {
    Schema::build(ComplianceQuery, ComplianceMutation, EmptySubscription).finish()
}

/// Runs `query` as `ctx` holding `permissions`, in a transaction that is then dropped
/// (rolled back) unless `commit`.
async fn execute(
    world: &World,
    ctx: TenantContext,
    permissions: &[&str],
    query: &str,
    commit: bool,
) -> Response {
    let tx = Arc::new(world.pools.db.begin(&ctx).await.unwrap());
    let session = Session::new(
        Uuid::now_v7(),
        vec![],
        PermissionSet::from_keys(permissions.iter().copied()),
        Arc::clone(&tx),
    );
    let batching = session.batching();
    let response = batching
        .run(
            schema()
                .execute(Request::new(query).data(Arc::new(RequestScope::Authenticated(session)))),
        )
        .await;
    if commit && let Ok(tx) = Arc::try_unwrap(tx) {
        leora_tenancy::db::commit(tx).await.unwrap();
    }
    response
}

fn code(response: &Response) -> Option<String> {
    let error = response.errors.first()?;
    match error.extensions.as_ref()?.get("code")? {
        GqlValue::String(code) => Some(code.clone()),
        _ => None,
    }
}

const REP: &[&str] = &["activities.view", "activities.manage", "analytics.view"];
const MANAGER: &[&str] = &["compliance.view", "analytics.view"];
const ADMIN: &[&str] = &["compliance.view", "compliance.manage"];
const PORTAL: &[&str] = &["portal.catalog.view", "portal.orders.view"];

#[tokio::test]
async fn compliance_needs_its_permissions_and_reports_its_rules() {
    let world = two_tenants().await;
    let t = world.a;
    let staff = TenantContext::user(t, Uuid::now_v7());
    let portal = TenantContext::portal_user(t, Uuid::now_v7(), Uuid::now_v7());
    let create = "mutation { createStateTaxRate(input: { state: \"ca\", productCategory: WINE, \
                  rateKind: PER_GALLON, rate: \"0.20\", effectiveFrom: \"2020-01-01\" }) { id state } }";
    let list = "{ stateTaxRates(filter: { state: \"CA\", activeOn: \"2024-01-01\" }) { totalCount } \
                complianceFilings { totalCount } }";

    for (ctx, permissions) in [(staff, REP), (portal, PORTAL)] {
        assert_eq!(
            code(&execute(&world, ctx, permissions, list, false).await).as_deref(),
            Some("FORBIDDEN")
        );
    }
    assert_eq!(
        code(&execute(&world, staff, MANAGER, create, false).await).as_deref(),
        Some("FORBIDDEN")
    );
    let created = execute(&world, staff, ADMIN, create, true).await;
    assert!(created.errors.is_empty(), "{:?}", created.errors);
    let overlap = execute(&world, staff, ADMIN, create, false).await;
    assert_eq!(code(&overlap).as_deref(), Some("CONFLICT"));
    let listed = execute(&world, staff, MANAGER, list, false).await;
    assert!(listed.errors.is_empty(), "{:?}", listed.errors);
    let data = listed.data.into_json().unwrap();
    assert_eq!(data["stateTaxRates"]["totalCount"], 1);

    let filing = "mutation { createComplianceFiling(input: { state: \"CA\", filingType: \"excise_return\", \
                  periodStart: \"2020-01-01\", periodEnd: \"2020-01-31\", dueDate: \"2020-02-20\" }) { id status daysUntilDue } }";
    assert_eq!(
        code(&execute(&world, staff, MANAGER, filing, false).await).as_deref(),
        Some("FORBIDDEN")
    );
    let made = execute(&world, staff, ADMIN, filing, true).await;
    assert!(made.errors.is_empty(), "{:?}", made.errors);
    let made = made.data.into_json().unwrap();
    // Long past its due date, and nobody submitted it.
    assert_eq!(made["createComplianceFiling"]["status"], "OVERDUE");
    let id = made["createComplianceFiling"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let review = format!(
        "mutation {{ reviewComplianceFiling(id: \"{id}\", decision: ACCEPT) {{ status }} }}"
    );
    assert_eq!(
        code(&execute(&world, staff, ADMIN, &review, false).await).as_deref(),
        Some("INVALID_TRANSITION")
    );
    let submit = format!(
        "mutation {{ submitComplianceFiling(id: \"{id}\", input: {{ reference: \"R-1\" }}) {{ status reference }} }}"
    );
    let submitted = execute(&world, staff, ADMIN, &submit, false).await;
    assert!(submitted.errors.is_empty(), "{:?}", submitted.errors);
    assert_eq!(
        submitted.data.into_json().unwrap()["submitComplianceFiling"]["status"],
        "SUBMITTED"
    );

    let calendar = "{ complianceCalendar(from: \"2020-02-01\", to: \"2020-02-29\") { state outstanding filings { filingType } } }";
    let calendar = execute(&world, staff, MANAGER, calendar, false).await;
    assert!(calendar.errors.is_empty(), "{:?}", calendar.errors);
    let calendar = calendar.data.into_json().unwrap();
    assert_eq!(calendar["complianceCalendar"][0]["state"], "CA");
    assert_eq!(calendar["complianceCalendar"][0]["outstanding"], 1);
}
