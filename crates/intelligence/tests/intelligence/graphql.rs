//! The intelligence schema: what each principal may reach, and the fields clients rely on.

use crate::support::*;
use async_graphql::{EmptySubscription, Request, Schema};
use leora_intelligence::entities::activities::SampleApprovalStatus;
use leora_intelligence::graphql::{IntelligenceMutation, IntelligenceQuery};
use leora_intelligence::refresh_account_health;
use leora_intelligence::service::activities::ActivityFilter;
use leora_intelligence::service::tasks::{NewTask, create_task};
use leora_tenancy::TenantContext;
use leora_tenancy::graphql::permission::PermissionSet;
use leora_tenancy::graphql::{Batching, RequestScope, Session};
use leora_test_db::fixtures::tenant_today;
use leora_test_db::sql::stmt;
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

type IntelligenceSchema = Schema<IntelligenceQuery, IntelligenceMutation, EmptySubscription>;

fn schema() -> IntelligenceSchema {
    Schema::build(IntelligenceQuery, IntelligenceMutation, EmptySubscription).finish()
}

impl World {
    /// The permission keys the principal's roles grant, as the gateway loads them at sign-in.
    async fn permissions_of(&self, ctx: &TenantContext) -> PermissionSet {
        let (sql, id) = match ctx.principal() {
            leora_tenancy::Principal::User { user_id } => (
                "SELECT p.key FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                  JOIN permissions p ON p.id = rp.permission_id WHERE ur.user_id = $1",
                user_id,
            ),
            leora_tenancy::Principal::PortalUser { portal_user_id, .. } => (
                "SELECT p.key FROM portal_user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                  JOIN permissions p ON p.id = rp.permission_id WHERE ur.portal_user_id = $1",
                portal_user_id,
            ),
            _ => return PermissionSet::default(),
        };
        let rows = self
            .pools
            .owner
            .query_all_raw(stmt(sql, [id.into()]))
            .await
            .unwrap();
        let keys: Vec<String> = rows
            .iter()
            .map(|r| r.try_get_by_index(0).unwrap())
            .collect();
        PermissionSet::from_keys(keys.iter().map(String::as_str))
    }

    /// Executes `query` as `ctx` in one transaction (rolled back afterwards), as the gateway does.
    async fn graphql(&self, ctx: Option<TenantContext>, query: &str) -> serde_json::Value {
        let scope = match ctx {
            None => RequestScope::Anonymous,
            Some(ctx) => {
                let permissions = self.permissions_of(&ctx).await;
                let tx = self.pools.db.begin(&ctx).await.unwrap();
                RequestScope::Authenticated(Session::new(
                    Uuid::now_v7(),
                    vec![],
                    permissions,
                    Arc::new(tx),
                ))
            }
        };
        let batching = match &scope {
            RequestScope::Authenticated(session) => session.batching(),
            _ => Batching::default(),
        };
        let response = batching
            .run(schema().execute(Request::new(query).data(Arc::new(scope))))
            .await;
        serde_json::to_value(&response).unwrap()
    }
}

fn error_code(response: &serde_json::Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}

#[tokio::test]
async fn graphql_guards_let_each_principal_reach_only_its_fields() {
    let w = world().await;
    let t = w.t;
    let mine = w.log(t.as_user(t.rep1), visit(t.c1)).await.unwrap();
    w.log(t.as_user(t.rep2), visit(t.c2)).await.unwrap();
    w.log(
        t.as_user(t.rep1),
        pull(t.c1, t.sku, 6, "2025-06-10T09:00:00Z"),
    )
    .await
    .unwrap();
    let pending = w
        .activity_ids(
            t.system(),
            ActivityFilter {
                approval_statuses: vec![SampleApprovalStatus::Pending],
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    w.run(t.as_user(t.manager), async |tx| {
        create_task(
            tx,
            NewTask {
                assignee_id: Some(t.rep1),
                ..task("Call", None)
            },
        )
        .await
    })
    .await
    .unwrap();

    let rep1 = Some(t.as_user(t.rep1));
    let manager = Some(t.as_user(t.manager));
    let buyer = Some(t.as_portal(t.portal1, t.c1));

    let anonymous = w.graphql(None, "{ notifications { totalCount } }").await;
    assert_eq!(error_code(&anonymous), Some("UNAUTHENTICATED"));

    let list = "{ activities { totalCount edges { node { id kind rep { fullName } customer { name } sampleSku { code } } } } }";
    let as_rep = w.graphql(rep1, list).await;
    assert_eq!(as_rep["errors"], serde_json::Value::Null, "{as_rep}");
    assert_eq!(as_rep["data"]["activities"]["totalCount"], 2);
    let nodes = as_rep["data"]["activities"]["edges"].as_array().unwrap();
    assert!(
        nodes
            .iter()
            .any(|e| e["node"]["id"] == json!(mine.id.to_string()))
    );
    assert!(
        nodes
            .iter()
            .all(|e| e["node"]["rep"]["fullName"] == "alpha-rep1")
    );
    assert!(
        nodes
            .iter()
            .any(|e| e["node"]["sampleSku"]["code"] == "CAB-750")
    );
    assert_eq!(
        w.graphql(manager, "{ activities { totalCount } }").await["data"]["activities"]["totalCount"],
        3
    );

    // Portal users reach no rep workflow, health or metrics, but do reach their notifications.
    for query in [
        "{ activities { totalCount } }",
        "{ tasks { totalCount } }",
        "{ callPlans { totalCount } }",
        &format!(
            "{{ accountHealth(customerId: \"{}\") {{ customerId }} }}",
            t.c1
        ),
        "{ salesMetrics(filter: { period: MONTH }) { totalCount } }",
        "{ expiringLicenses { totalCount } }",
    ] {
        let response = w.graphql(buyer, query).await;
        assert_eq!(
            error_code(&response),
            Some("FORBIDDEN"),
            "{query}: {response}"
        );
    }
    let portal_inbox = w
        .graphql(
            buyer,
            "{ notifications { totalCount } unreadNotificationCount }",
        )
        .await;
    assert_eq!(
        portal_inbox["data"]["notifications"]["totalCount"], 0,
        "{portal_inbox}"
    );

    // Reps may not approve samples, nor see licence expiries.
    let approve = format!(
        "mutation {{ approveSamplePull(activityId: \"{pending}\") {{ sampleApprovalStatus approvedById }} }}"
    );
    assert_eq!(
        error_code(&w.graphql(rep1, &approve).await),
        Some("FORBIDDEN")
    );
    assert_eq!(
        error_code(&w.graphql(rep1, "{ expiringLicenses { totalCount } }").await),
        Some("FORBIDDEN")
    );
    let approved = w.graphql(manager, &approve).await;
    assert_eq!(
        approved["data"]["approveSamplePull"]["sampleApprovalStatus"], "APPROVED",
        "{approved}"
    );
    assert_eq!(
        approved["data"]["approveSamplePull"]["approvedById"],
        json!(t.manager.to_string())
    );

    // A rep's own notifications, through the API.
    let rep_inbox = w.graphql(rep1, "{ notifications(unreadOnly: true) { totalCount edges { node { kind priority read } } } }").await;
    assert_eq!(
        rep_inbox["data"]["notifications"]["totalCount"], 1,
        "{rep_inbox}"
    );
    assert_eq!(
        rep_inbox["data"]["notifications"]["edges"][0]["node"]["kind"],
        "task.assigned"
    );
    let marked = w
        .graphql(rep1, "mutation { markAllNotificationsRead }")
        .await;
    assert_eq!(marked["data"]["markAllNotificationsRead"], 1, "{marked}");

    // Bad input names the field; services' errors keep their codes.
    let bad = w
        .graphql(
            rep1,
            "mutation { logActivity(input: { customerId: \"nope\", kind: VISIT }) { id } }",
        )
        .await;
    assert_eq!(error_code(&bad), Some("BAD_USER_INPUT"));
    assert_eq!(bad["errors"][0]["extensions"]["field"], "customerId");
    let by_rep = w
        .graphql(rep1, "mutation { refreshAccountHealth { snapshots } }")
        .await;
    assert_eq!(
        error_code(&by_rep),
        Some("FORBIDDEN"),
        "a rep views account health but does not rerun the tenant's job: {by_rep}"
    );
    let refresh = w
        .graphql(
            manager,
            "mutation { refreshAccountHealth { snapshots atRisk } }",
        )
        .await;
    assert_eq!(
        refresh["data"]["refreshAccountHealth"]["snapshots"], 4,
        "{refresh}"
    );
    // Each call above ran in its own rolled-back transaction; commit a run to read it back.
    refresh_account_health(
        &w.pools.db,
        t.tenant,
        tenant_today(&w.pools.owner, t.tenant).await,
    )
    .await
    .unwrap();
    let health = w.graphql(manager, &format!("{{ accountHealth(customerId: \"{}\") {{ latest {{ healthScore paceStatus riskFlags }} history {{ totalCount }} }} }}", t.c1)).await;
    assert_eq!(
        health["data"]["accountHealth"]["latest"]["healthScore"], 70,
        "{health}"
    );
    assert_eq!(health["data"]["accountHealth"]["history"]["totalCount"], 1);
    let hidden = w
        .graphql(
            rep1,
            &format!(
                "{{ accountHealth(customerId: \"{}\") {{ customerId }} }}",
                t.c2
            ),
        )
        .await;
    assert_eq!(error_code(&hidden), Some("NOT_FOUND"));
}

#[test]
fn the_schema_builds_and_names_the_fields_clients_rely_on() {
    let sdl = schema().sdl();
    for name in [
        "activities(",
        "callPlans(",
        "tasks(",
        "accountHealth(",
        "salesMetrics(",
        "notifications(",
        "expiringLicenses(",
        "logActivity(",
        "approveSamplePull(",
        "scheduleCall(",
        "completeCall(",
        "createTask(",
        "completeTask(",
        "reassignTask(",
        "refreshAccountHealth",
        "markNotificationRead(",
        "markAllNotificationsRead",
    ] {
        assert!(sdl.contains(name), "{name} missing from the schema");
    }
}
