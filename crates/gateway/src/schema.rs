//! The one GraphQL schema: every domain crate's Query and Mutation objects merged. It is built
//! without request data, so the same function serves the server, the SDL export (`just schema`)
//! and the `schema_is_current` test; each request brings its own scope, transaction and loaders.

use crate::config::GraphqlConfig;
use crate::cost::CostLimit;
use crate::results::{PhaseCodes, ResultTypes};
use crate::savepoints::Savepointed;
use async_graphql::{EmptySubscription, MergedObject, SDLExportOptions, Schema, SchemaBuilder};
use leora_catalog::graphql::{CatalogMutation, CatalogQuery};
use leora_compliance::graphql::{ComplianceMutation, ComplianceQuery};
use leora_identity::graphql::{IdentityMutation, IdentityQuery};
use leora_integrations::graphql::{IntegrationsMutation, IntegrationsQuery};
use leora_intelligence::graphql::{IntelligenceMutation, IntelligenceQuery};
use leora_orders::graphql::{CustomersMutation, CustomersQuery, OrdersMutation, OrdersQuery};

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

pub type LeoraSchema = Schema<QueryRoot, Savepointed<MutationRoot>, EmptySubscription>;

fn builder() -> SchemaBuilder<QueryRoot, Savepointed<MutationRoot>, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        Savepointed::default(),
        EmptySubscription,
    )
}

/// The serving schema, with the configured limits.
pub fn build_schema(limits: &GraphqlConfig) -> LeoraSchema {
    let builder = builder()
        .limit_depth(limits.max_depth)
        .extension(PhaseCodes)
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
