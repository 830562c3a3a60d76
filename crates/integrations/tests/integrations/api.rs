//! The integrations schema: managing subscriptions and tokens, whose secrets it shows once.

use crate::receiver::*;
use crate::support::*;
use async_graphql::{EmptySubscription, Request, Schema, Variables};
use leora_integrations::graphql::{IntegrationsMutation, IntegrationsQuery};
use leora_integrations::signature;
use leora_integrations::{IntegrationsSettings, UrlPolicy, Worker};
use leora_tenancy::TenantContext;
use leora_tenancy::events::EventType;
use leora_tenancy::graphql::permission::PermissionSet;
use leora_tenancy::graphql::{RequestScope, Session};
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

type IntegrationsSchema = Schema<IntegrationsQuery, IntegrationsMutation, EmptySubscription>;

struct Api<'w> {
    world: &'w World,
    schema: IntegrationsSchema,
    settings: Arc<IntegrationsSettings>,
}

impl<'w> Api<'w> {
    fn new(world: &'w World) -> Self {
        Self {
            world,
            schema: Schema::new(IntegrationsQuery, IntegrationsMutation, EmptySubscription),
            settings: Arc::new(IntegrationsSettings::new(
                Arc::clone(&world.secrets),
                UrlPolicy::DEVELOPMENT,
                3,
            )),
        }
    }

    /// Runs one operation as a user of `tenant` holding `permissions`, in one transaction that
    /// commits when the operation reported no error, as the gateway does.
    async fn call(
        &self,
        tenant: Uuid,
        permissions: &[&str],
        query: &str,
        variables: Value,
    ) -> Value {
        let context = TenantContext::user(tenant, Uuid::now_v7());
        let tx = Arc::new(self.world.pools.db.begin(&context).await.unwrap());
        let session = Session::new(
            Uuid::now_v7(),
            vec!["admin".into()],
            PermissionSet::from_keys(permissions.iter().copied()),
            Arc::clone(&tx),
        );
        let batching = session.batching();
        let request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(Arc::new(RequestScope::Authenticated(session)))
            .data(Arc::clone(&self.settings));
        let response = batching.run(self.schema.execute(request)).await;
        let ok = response.errors.is_empty();
        let tx = Arc::try_unwrap(tx).expect("the request holds no handle on its transaction");
        if ok {
            leora_tenancy::db::commit(tx).await.unwrap();
        } else {
            leora_tenancy::db::rollback(tx).await.unwrap();
        }
        serde_json::to_value(&response).unwrap()
    }

    async fn admin(&self, query: &str, variables: Value) -> Value {
        let reply = self
            .call(self.world.a, &["integrations.manage"], query, variables)
            .await;
        assert!(reply.get("errors").is_none(), "{reply}");
        reply["data"].clone()
    }
}

fn error_code(reply: &Value) -> (&str, Option<&str>) {
    let extensions = &reply["errors"][0]["extensions"];
    (
        extensions["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error in {reply}")),
        extensions["field"].as_str(),
    )
}

#[tokio::test]
async fn the_api_manages_subscriptions_and_shows_a_secret_only_once() {
    let w = world().await;
    let api = Api::new(&w);
    let receiver = Receiver::start(Behaviour::default()).await;

    let data = api.admin("{ webhookEventTypes }", json!({})).await;
    assert!(
        data["webhookEventTypes"]
            .as_array()
            .unwrap()
            .contains(&json!("order.placed"))
    );

    let create = "mutation($input: CreateWebhookSubscriptionInput!) {
        createWebhookSubscription(input: $input) { secret subscription { id url status eventTypes description } } }";
    let created = api
        .admin(
            create,
            json!({ "input": { "url": receiver.url, "eventTypes": ["order.placed", "invoice.paid"], "description": "ERP" } }),
        )
        .await;
    let created = &created["createWebhookSubscription"];
    let secret = created["secret"].as_str().unwrap().to_owned();
    let id = created["subscription"]["id"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    assert_eq!(created["subscription"]["status"], json!("ACTIVE"));
    assert_eq!(
        created["subscription"]["eventTypes"],
        json!(["order.placed", "invoice.paid"])
    );

    // No field reads the secret back.
    let sdl = api.schema.sdl();
    let subscription_type = sdl
        .split("type WebhookSubscription {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .unwrap();
    assert!(
        !subscription_type.to_lowercase().contains("secret"),
        "{subscription_type}"
    );
    let listed = api
        .admin(
            "{ webhookSubscriptions { totalCount edges { node { id url } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["webhookSubscriptions"]["totalCount"], json!(1));
    assert!(!listed.to_string().contains(&secret));

    let bad = api
        .call(
            w.a,
            &["integrations.manage"],
            create,
            json!({ "input": { "url": receiver.url, "eventTypes": ["order.eaten"] } }),
        )
        .await;
    assert_eq!(error_code(&bad), ("BAD_USER_INPUT", Some("eventTypes")));

    // A test webhook is queued, not sent inside the request; the worker delivers it signed with
    // the secret shown at creation.
    let test = "mutation($id: ID!) { sendTestWebhook(subscriptionId: $id) {
        id status attempts event { id eventType } } }";
    let queued = api.admin(test, json!({ "id": id })).await;
    let queued = &queued["sendTestWebhook"];
    assert_eq!(queued["status"], json!("PENDING"), "{queued}");
    assert_eq!(queued["attempts"], json!(0));
    assert_eq!(queued["event"]["eventType"], json!("webhook.test"));
    assert!(
        receiver.hits().is_empty(),
        "nothing is sent before the worker runs"
    );
    let worker = Worker::new(w.pools.db.clone(), w.config()).unwrap();
    assert_eq!(worker.run_once().await.unwrap(), 1);
    let delivered = api
        .admin(
            "query($event: ID!) { webhookDeliveries(filter: { eventId: $event }) {
                nodes { status attempts lastStatusCode } } }",
            json!({ "event": queued["event"]["id"] }),
        )
        .await;
    let delivered = &delivered["webhookDeliveries"]["nodes"][0];
    assert_eq!(delivered["status"], json!("SUCCEEDED"), "{delivered}");
    assert_eq!(delivered["lastStatusCode"], json!(200));
    let hit = receiver.hits().pop().unwrap();
    assert_eq!(hit.header(signature::EVENT_TYPE_HEADER), "webhook.test");
    assert_eq!(
        hit.header(signature::SIGNATURE_HEADER),
        expected_signature(&secret, &hit)
    );

    // Rotation: the new secret signs from now on, the old one no longer does.
    let rotated = api
        .admin(
            "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }",
            json!({ "id": id }),
        )
        .await;
    let new_secret = rotated["rotateWebhookSecret"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_secret, secret);
    api.admin(test, json!({ "id": id })).await;
    assert_eq!(worker.run_once().await.unwrap(), 1);
    let hit = receiver.hits().pop().unwrap();
    assert_eq!(
        hit.header(signature::SIGNATURE_HEADER),
        expected_signature(&new_secret, &hit)
    );
    assert_ne!(
        hit.header(signature::SIGNATURE_HEADER),
        expected_signature(&secret, &hit)
    );

    // Pause, resume, update.
    let status = "mutation($id: ID!) { pauseWebhookSubscription(id: $id) { status } }";
    assert_eq!(
        api.admin(status, json!({ "id": id })).await["pauseWebhookSubscription"]["status"],
        json!("PAUSED")
    );
    let resume = "mutation($id: ID!) { resumeWebhookSubscription(id: $id) { status } }";
    assert_eq!(
        api.admin(resume, json!({ "id": id })).await["resumeWebhookSubscription"]["status"],
        json!("ACTIVE")
    );
    let updated = api
        .admin(
            "mutation($id: ID!) { updateWebhookSubscription(id: $id, input: { eventTypes: [\"order.placed\"], description: null }) { eventTypes description } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        updated["updateWebhookSubscription"],
        json!({ "eventTypes": ["order.placed"], "description": null })
    );

    // Deliveries by status, with their event and subscription, and a redelivery.
    let deliveries = api
        .admin(
            "{ webhookDeliveries(filter: { statuses: [SUCCEEDED] }) { totalCount edges { node {
                 id attempts lastStatusCode nextAttemptAt subscription { url } event { eventType } } } } }",
            json!({}),
        )
        .await;
    let deliveries = &deliveries["webhookDeliveries"];
    assert_eq!(deliveries["totalCount"], json!(2));
    let first = &deliveries["edges"][0]["node"];
    assert_eq!(first["subscription"]["url"], json!(receiver.url));
    assert_eq!(first["nextAttemptAt"], Value::Null);
    let dead = api
        .admin(
            "{ webhookDeliveries(filter: { statuses: [DEAD] }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(dead["webhookDeliveries"]["totalCount"], json!(0));
    let redelivered = api
        .admin(
            "mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status attempts } }",
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(
        redelivered["redeliverWebhook"],
        json!({ "status": "PENDING", "attempts": 0 })
    );
    let events = api
        .admin(
            "{ webhookEvents { totalCount edges { node { eventType deliveries { status } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(events["webhookEvents"]["totalCount"], json!(2));

    // Another tenant's subscription is not there; without the permission nothing is.
    let theirs = w
        .subscribe(w.b, &receiver.url, &[EventType::OrderPlaced])
        .await;
    let reply = api
        .call(
            w.a,
            &["integrations.manage"],
            "query($id: ID!) { webhookSubscription(id: $id) { id } }",
            json!({ "id": theirs.subscription.id.to_string() }),
        )
        .await;
    assert_eq!(error_code(&reply).0, "NOT_FOUND");
    for query in [
        "{ webhookSubscriptions { totalCount } }",
        "{ integrationTokens { totalCount } }",
        "{ webhookDeliveries { totalCount } }",
    ] {
        let reply = api.call(w.a, &["orders.view"], query, json!({})).await;
        assert_eq!(error_code(&reply).0, "FORBIDDEN", "{query}");
    }

    let deleted = api
        .admin(
            "mutation($id: ID!) { deleteWebhookSubscription(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(deleted["deleteWebhookSubscription"], json!(true));
    assert_eq!(
        w.count(
            "SELECT count(*) FROM webhook_subscriptions WHERE tenant_id = $1",
            [w.a.into()]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_api_shows_tokens_only_by_their_last_four_characters() {
    let w = world().await;
    let api = Api::new(&w);
    let token = "sk_live_51HxYzAbCdEf9876";
    let stored = api
        .admin(
            "mutation($input: StoreIntegrationTokenInput!) { storeIntegrationToken(input: $input) {
                 id provider scopes lastFour status expiresAt lastUsedAt } }",
            json!({ "input": { "provider": "Stripe", "token": token, "scopes": ["charges", "charges"], "expiresAt": "2999-01-01T00:00:00Z" } }),
        )
        .await;
    let stored = &stored["storeIntegrationToken"];
    assert!(!stored.to_string().contains(token));
    assert_eq!(stored["provider"], json!("stripe"));
    assert_eq!(stored["scopes"], json!(["charges"]));
    assert_eq!(stored["lastFour"], json!("9876"));
    assert_eq!(stored["status"], json!("ACTIVE"));
    assert_eq!(stored["lastUsedAt"], Value::Null);

    let short = api
        .call(
            w.a,
            &["integrations.manage"],
            "mutation { storeIntegrationToken(input: { provider: \"stripe\", token: \"abc\" }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&short), ("BAD_USER_INPUT", Some("token")));

    let listed = api
        .admin(
            "{ integrationTokens { totalCount edges { node { lastFour } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["integrationTokens"]["totalCount"], json!(1));
    assert!(!listed.to_string().contains(token));

    let revoked = api
        .admin(
            "mutation($id: ID!) { revokeIntegrationToken(id: $id) { status revokedAt } }",
            json!({ "id": stored["id"] }),
        )
        .await;
    assert_eq!(
        revoked["revokeIntegrationToken"]["status"],
        json!("REVOKED")
    );
    let active = api
        .admin("{ integrationTokens { totalCount } }", json!({}))
        .await;
    assert_eq!(active["integrationTokens"]["totalCount"], json!(0));
    let all = api
        .admin(
            "{ integrationTokens(filter: { includeRevoked: true }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(all["integrationTokens"]["totalCount"], json!(1));
}

#[tokio::test]
async fn a_tenant_holds_a_bounded_number_of_subscriptions() {
    let w = world().await;
    let api = Api::new(&w);
    let create = "mutation($input: CreateWebhookSubscriptionInput!) {
        createWebhookSubscription(input: $input) { subscription { id } } }";
    let input = json!({ "input": { "url": "https://hooks.example.com/x", "eventTypes": ["order.placed"] } });
    for _ in 0..3 {
        api.admin(create, input.clone()).await;
    }
    let refused = api
        .call(w.a, &["integrations.manage"], create, input.clone())
        .await;
    assert_eq!(error_code(&refused).0, "BAD_USER_INPUT", "{refused}");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 3"),
        "{refused}"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM webhook_subscriptions", [])
            .await,
        3
    );
    let other = api.call(w.b, &["integrations.manage"], create, input).await;
    assert!(
        other.get("errors").is_none(),
        "another tenant has its own allowance: {other}"
    );
}
