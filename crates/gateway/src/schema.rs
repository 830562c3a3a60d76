//! The one GraphQL schema: every domain crate's Query and Mutation objects merged. It is built
//! without request data, so the same function serves the server, the SDL export (`just schema`)
//! and the `schema_is_current` test; each request brings its own scope, transaction and loaders.

use crate::config::GraphqlConfig;
use crate::cost::CostLimit;
use crate::results::{PhaseCodes, ResultTypes};
use crate::savepoints::Savepointed;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::{
    Data, MergedObject, MergedSubscription, Response, SDLExportOptions, Schema, SchemaBuilder,
};
use leora_catalog::graphql::{CatalogMutation, CatalogQuery, CatalogSubscription};
use leora_compliance::graphql::{ComplianceMutation, ComplianceQuery};
use leora_identity::graphql::{IdentityMutation, IdentityQuery};
use leora_integrations::graphql::{
    IntegrationsMutation, IntegrationsQuery, IntegrationsSubscription,
};
use leora_intelligence::graphql::{
    IntelligenceMutation, IntelligenceQuery, IntelligenceSubscription,
};
use leora_orders::graphql::{
    CustomersMutation, CustomersQuery, OrdersMutation, OrdersQuery, OrdersSubscription,
};
use leora_tenancy::graphql::RequestScope;
use leora_tenancy::graphql::live::{EventScope, end_event};
use std::sync::Arc;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    IdentityQuery,
    CatalogQuery,
    CustomersQuery,
    OrdersQuery,
    IntelligenceQuery,
    ComplianceQuery,
    IntegrationsQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    IdentityMutation,
    CatalogMutation,
    CustomersMutation,
    OrdersMutation,
    IntelligenceMutation,
    ComplianceMutation,
    IntegrationsMutation,
);

/// Subscriptions, served over WebSocket (`crate::live`).
#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(
    CatalogSubscription,
    OrdersSubscription,
    IntelligenceSubscription,
    IntegrationsSubscription,
);

pub type LeoraSchema = Schema<QueryRoot, Savepointed<MutationRoot>, SubscriptionRoot>;

fn builder() -> SchemaBuilder<QueryRoot, Savepointed<MutationRoot>, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        Savepointed::default(),
        SubscriptionRoot::default(),
    )
}

/// The serving schema, with the configured limits.
pub fn build_schema(limits: &GraphqlConfig) -> LeoraSchema {
    let builder = builder()
        .limit_depth(limits.max_depth)
        .extension(PhaseCodes)
        .extension(EventSessions)
        .extension(CostLimit {
            limit: limits.max_cost,
        });
    // Suggestions ("did you mean …") would name fields introspection is meant to hide.
    let builder = if limits.introspection {
        builder
    } else {
        builder.disable_introspection().disable_suggestions()
    };
    builder.finish()
}

/// The types of the serving schema's results, to complete each response (`crate::results`).
pub fn result_types() -> ResultTypes {
    ResultTypes::of::<QueryRoot, Savepointed<MutationRoot>>()
}

/// The SDL clients generate types from, sorted so that it diffs cleanly.
pub fn sdl() -> String {
    builder().finish().sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items()
            .include_specified_by(),
    )
}

/// Resolves each value a subscription yields in the transaction the subscription read it in
/// (`leora_tenancy::graphql::live`): the event's session becomes the request scope of that one
/// execution, its loaders are driven as a request's are, and it is rolled back afterwards. Other
/// executions pass through untouched.
struct EventSessions;

impl ExtensionFactory for EventSessions {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(EventSessions)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for EventSessions {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let Some(event) = ctx
            .data_opt::<Arc<EventScope>>()
            .and_then(|scope| scope.take())
        else {
            return next.run(ctx, operation_name).await;
        };
        let (session, held) = event.into_parts();
        let batching = session.batching();
        let scope = Arc::new(RequestScope::Authenticated(session));
        let mut data = Data::default();
        data.insert(Arc::clone(&scope));
        let response = batching
            .run(next.run_with_data(ctx, operation_name, data))
            .await;
        match Arc::try_unwrap(scope) {
            Ok(RequestScope::Authenticated(session)) => end_event(session).await,
            // Another handle outlived the execution; the last one to go rolls back.
            _ => tracing::debug!("an event's scope outlived its execution"),
        }
        drop(held);
        response
    }
}
