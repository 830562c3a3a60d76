//! The one GraphQL schema: every domain crate's Query and Mutation objects merged. It is built
//! without request data, so the same function serves the server, the SDL export (`just schema`)
//! and the `schema_is_current` test; each request brings its own scope, transaction and loaders.

use crate::config::GraphqlConfig;
use crate::cost::CostLimit;
use crate::results::{PhaseCodes, ResultTypes};
use crate::savepoints::Savepointed;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    Data, MergedObject, MergedSubscription, Response, SDLExportOptions, Schema, SchemaBuilder,
    ValidationMode,
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
    serving(limits).finish()
}

/// The schema trusted documents run on. Each was checked against every validation rule when the
/// manifest loaded ([`validate_once`]), so a request naming one runs only what its variables
/// decide: its depth and its cost (async-graphql's `ValidationMode::Fast`). A variable of the
/// wrong type is refused as the field that reads it runs, with the same `BAD_USER_INPUT`.
pub fn build_trusted_schema(limits: &GraphqlConfig) -> LeoraSchema {
    serving(limits)
        .validation_mode(ValidationMode::Fast)
        .finish()
}

fn serving(
    limits: &GraphqlConfig,
) -> SchemaBuilder<QueryRoot, Savepointed<MutationRoot>, SubscriptionRoot> {
    let builder = builder()
        .limit_depth(limits.max_depth)
        .extension(PhaseCodes)
        .extension(EventSessions)
        .extension(CostLimit {
            limit: limits.max_cost,
        });
    // Suggestions ("did you mean …") would name fields introspection is meant to hide.
    if limits.introspection {
        builder
    } else {
        builder.disable_introspection().disable_suggestions()
    }
}

/// Checks documents against every validation rule of the schema, once (see
/// [`build_trusted_schema`]); nothing executes.
pub struct Validator(LeoraSchema);

impl Default for Validator {
    fn default() -> Self {
        Self(builder().extension(ValidationOnly).finish())
    }
}

impl Validator {
    /// The validation errors of `document`'s operation `operation` (its only one when `None`),
    /// as their messages.
    pub fn validate(
        &self,
        document: &ExecutableDocument,
        operation: Option<&str>,
    ) -> Result<(), Vec<String>> {
        let mut request = async_graphql::Request::new("");
        request.set_parsed_query(document.clone());
        if let Some(operation) = operation {
            request = request.operation_name(operation);
        }
        // Validation awaits nothing: the execution is complete when first polled.
        let mut execution = std::pin::pin!(self.0.execute(request));
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        let std::task::Poll::Ready(response) = execution.as_mut().poll(&mut context) else {
            return Err(vec!["the validation did not complete".to_owned()]);
        };
        // The cost is priced after the rules, with the request's variables; here there are none,
        // so a required variable the pricing reads (`first: $first`) is reported missing. Each
        // request supplies it and is priced then; every other error stands.
        let unsupplied: Vec<String> = declared_variables(document, operation)
            .map(|name| format!("Variable {name} is not defined."))
            .collect();
        let errors: Vec<String> = response
            .errors
            .into_iter()
            .map(|error| error.message)
            .filter(|message| !unsupplied.contains(message))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The names of the variables `operation` of `document` declares.
fn declared_variables<'a>(
    document: &'a ExecutableDocument,
    operation: Option<&str>,
) -> impl Iterator<Item = &'a str> {
    document
        .operations
        .iter()
        .filter(move |(name, _)| operation.is_none() || name.map(|n| n.as_str()) == operation)
        .flat_map(|(_, definition)| definition.node.variable_definitions.iter())
        .map(|variable| variable.node.name.node.as_str())
}

/// Stops every operation once validated.
struct ValidationOnly;

impl ExtensionFactory for ValidationOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ValidationOnly)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ValidationOnly {
    async fn execute(
        &self,
        _ctx: &ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: NextExecute<'_>,
    ) -> Response {
        Response::default()
    }
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
