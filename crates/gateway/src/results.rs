//! What every result a client receives looks like, whatever went wrong on the way (see
//! `docs/api.md`, "Errors"):
//!
//! - every error carries an `extensions.code`: a document that does not parse is
//!   `GRAPHQL_PARSE_FAILED`, one that fails validation `GRAPHQL_VALIDATION_FAILED`, an argument or
//!   variable value that cannot be read as its type `BAD_USER_INPUT` (with the `argument` named);
//!   an error nothing here recognises is reported as `INTERNAL` and its text logged, not sent;
//! - a field that failed is `null` in `data`, and a `null` where the schema promises a value
//!   travels up to the nearest field that may be `null` (the whole `data` when there is none), as
//!   the GraphQL specification's "Handling Field Errors" says;
//! - a request that never began to execute answers without a `data` entry.
//!
//! async-graphql leaves a failed field out of its parent instead of nulling it, and codes none of
//! its own errors; the gateway completes each response here, once, after execution.

use crate::cost::selected_operation;
use crate::errors::coded;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{
    BatchResponse, ErrorExtensionValues, OutputType, PathSegment, Response, ServerError,
    ServerResult, ValidationResult, Value, Variables,
};
use leora_tenancy::ErrorCode;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::HashMap;
use std::sync::Arc;

/// Codes the errors of the two phases before execution, where async-graphql reports them.
pub struct PhaseCodes;

impl ExtensionFactory for PhaseCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PhaseCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for PhaseCodes {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut error| {
            set_code(&mut error, ErrorCode::GraphqlParseFailed);
            error
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            let mut errors = errors;
            for error in &mut errors {
                match coercion(error) {
                    Some(argument) => set_bad_input(error, argument),
                    None => set_code(error, ErrorCode::GraphqlValidationFailed),
                }
            }
            errors
        })
    }
}

/// Whether an error of async-graphql's says a value could not be read as its type, and the
/// argument it names if any (`Invalid value for argument "first", expected type "Int"`,
/// `Expected input type "Int", found "x".` for a variable, `Failed to parse "Date": …`).
fn coercion(error: &ServerError) -> Option<Option<String>> {
    let message = error.message.as_str();
    if message.starts_with("Expected input type ") || message.starts_with("Failed to parse ") {
        return Some(None);
    }
    let rest = message.strip_prefix("Invalid value for argument ")?;
    Some(
        rest.strip_prefix('"')
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned),
    )
}

fn set_bad_input(error: &mut ServerError, argument: Option<String>) {
    set_code(error, ErrorCode::BadUserInput);
    if let (Some(extensions), Some(argument)) = (error.extensions.as_mut(), argument) {
        extensions.set("argument", argument);
    }
}

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some())
}

fn set_code(error: &mut ServerError, code: ErrorCode) {
    if !has_code(error) {
        error
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("code", code.as_str());
    }
}

/// Whether execution began: a response whose every error has no path and whose data is empty
/// was refused before it (parse, validation, cost, operation selection).
pub fn executed(response: &Response) -> bool {
    response.errors.is_empty()
        || response.data != Value::Null
        || response.errors.iter().any(|error| !error.path.is_empty())
}

/// Every object type's fields and their types, to know where a `null` may stand.
pub struct ResultTypes {
    fields: HashMap<String, HashMap<String, String>>,
}

impl ResultTypes {
    pub fn of<Q: OutputType, M: OutputType>() -> Self {
        let mut registry = Registry::default();
        Q::create_type_info(&mut registry);
        M::create_type_info(&mut registry);
        let fields = registry
            .types
            .into_iter()
            .filter_map(|(name, ty)| match ty {
                MetaType::Object { fields, .. } => Some((
                    name,
                    fields
                        .into_iter()
                        .map(|(field, meta)| (field, meta.ty))
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        Self { fields }
    }

    /// Completes an executed response: codes what async-graphql left uncoded, and nulls each
    /// failed field and what a `null` there must take with it. `query` and `operation_name` are
    /// what the request ran.
    pub fn complete(&self, response: &mut Response, query: &str, operation_name: Option<&str>) {
        if response.errors.is_empty() {
            return;
        }
        let executed = executed(response);
        for error in &mut response.errors {
            if has_code(error) {
                continue;
            }
            match (coercion(error), executed) {
                (Some(argument), _) => set_bad_input(error, argument),
                (None, false) => set_code(error, ErrorCode::GraphqlValidationFailed),
                (None, true) => {
                    tracing::error!(message = %error.message, path = ?error.path, "an error without a code");
                    let mut internal = coded(ErrorCode::Internal, "internal error");
                    internal.locations = std::mem::take(&mut error.locations);
                    internal.path = std::mem::take(&mut error.path);
                    *error = internal;
                }
            }
        }
        if !executed {
            return;
        }
        let Ok(document) = async_graphql::parser::parse_query(query) else {
            return;
        };
        let Some(operation) = selected_operation(&document, operation_name) else {
            return;
        };
        let root = match operation.node.ty {
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
            OperationType::Subscription => return,
        };
        let mut nulled: Vec<&[PathSegment]> = Vec::new();
        for error in &response.errors {
            let Some(non_null) = self.non_null_positions(
                &document,
                root,
                &operation.node.selection_set.node,
                &error.path,
            ) else {
                continue;
            };
            match non_null.iter().rposition(|non_null| !non_null) {
                Some(position) => {
                    let path = &error.path[..=position];
                    if null_at(&mut response.data, path, &nulled) {
                        nulled.push(path);
                    }
                }
                None => {
                    response.data = Value::Null;
                    return;
                }
            }
        }
    }

    /// For each position of `path` (a field, or an index into a list), whether the schema
    /// promises a value there.
    fn non_null_positions(
        &self,
        document: &ExecutableDocument,
        root: &str,
        selection: &SelectionSet,
        path: &[PathSegment],
    ) -> Option<Vec<bool>> {
        let mut positions = Vec::with_capacity(path.len());
        let mut object = root;
        let mut selections = vec![selection];
        let mut ty = "";
        for segment in path {
            match segment {
                PathSegment::Field(key) => {
                    let mut name = None;
                    let mut inner = Vec::new();
                    for set in &selections {
                        fields_named(document, set, key, 0, &mut |field_name, set| {
                            name = Some(field_name);
                            inner.push(set);
                        });
                    }
                    ty = self.fields.get(object)?.get(name?)?;
                    object = MetaTypeName::concrete_typename(ty);
                    selections = inner;
                }
                PathSegment::Index(_) => {
                    let list = ty.strip_suffix('!').unwrap_or(ty);
                    ty = list.strip_prefix('[')?.strip_suffix(']')?;
                }
            }
            positions.push(ty.ends_with('!'));
        }
        Some(positions)
    }
}

/// Calls `found` with the field name and sub-selection of each field `set` selects under the
/// response key `key`, through fragments. The schema has no interfaces or unions, so every
/// fragment of a selection applies to its object.
fn fields_named<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    key: &str,
    depth: usize,
    found: &mut impl FnMut(&'a str, &'a SelectionSet),
) {
    if depth > 16 {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                if field.node.response_key().node.as_str() == key {
                    found(
                        field.node.name.node.as_str(),
                        &field.node.selection_set.node,
                    );
                }
            }
            Selection::InlineFragment(fragment) => {
                fields_named(
                    document,
                    &fragment.node.selection_set.node,
                    key,
                    depth + 1,
                    found,
                );
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    fields_named(
                        document,
                        &fragment.node.selection_set.node,
                        key,
                        depth + 1,
                        found,
                    );
                }
            }
        }
    }
}

/// Sets `null` at `path` in `data`, making the objects on the way that async-graphql reported as
/// `null` only because every field of them failed. False when a `null` set before already covers
/// the place.
fn null_at(data: &mut Value, path: &[PathSegment], nulled: &[&[PathSegment]]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut value = data;
    for (depth, segment) in parents.iter().enumerate() {
        if *value == Value::Null {
            if nulled.contains(&&parents[..depth]) {
                return false;
            }
            *value = Value::Object(Default::default());
        }
        let next = match (segment, value) {
            (PathSegment::Field(key), Value::Object(fields)) => fields.get_mut(key.as_str()),
            (PathSegment::Index(index), Value::List(items)) => items.get_mut(*index),
            _ => None,
        };
        let Some(next) = next else {
            return false;
        };
        value = next;
    }
    if *value == Value::Null {
        if nulled.contains(&parents) {
            return false;
        }
        *value = Value::Object(Default::default());
    }
    match (last, value) {
        (PathSegment::Field(key), Value::Object(fields)) => {
            fields.insert(async_graphql::Name::new(key), Value::Null);
            true
        }
        (PathSegment::Index(index), Value::List(items)) => match items.get_mut(*index) {
            Some(item) => {
                *item = Value::Null;
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// A response as it is sent: without `data` when execution never began.
pub struct Sent<'a>(pub &'a BatchResponse);

impl Serialize for Sent<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            BatchResponse::Single(response) => One(response).serialize(serializer),
            BatchResponse::Batch(responses) => serializer.collect_seq(responses.iter().map(One)),
        }
    }
}

struct One<'a>(&'a Response);

impl Serialize for One<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let response = self.0;
        if executed(response) {
            return response.serialize(serializer);
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("errors", &response.errors)?;
        if !response.extensions.is_empty() {
            map.serialize_entry("extensions", &response.extensions)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROOT: &str = "01936b2e-0000-7000-8000-000000000001";

    fn failed_at(
        data: serde_json::Value,
        path: serde_json::Value,
        query: &str,
    ) -> serde_json::Value {
        let mut response = Response::new(Value::from_json(data).unwrap());
        let mut error = coded(ErrorCode::Forbidden, "forbidden");
        error.path = serde_json::from_value(path).unwrap();
        response.errors.push(error);
        crate::schema::result_types().complete(&mut response, query, None);
        response.data.into_json().unwrap()
    }

    #[test]
    fn a_failed_nullable_field_is_null_beside_its_siblings() {
        let data = failed_at(
            json!({ "customers": { "edges": [{ "node": { "id": ROOT } }] } }),
            json!(["customers", "edges", 0, "node", "creditLimit"]),
            "{ customers { edges { node { id creditLimit } } } }",
        );
        assert_eq!(
            data,
            json!({ "customers": { "edges": [{ "node": { "id": ROOT, "creditLimit": null } }] } })
        );
    }

    #[test]
    fn a_failed_field_is_found_through_aliases_and_fragments() {
        let data = failed_at(
            json!({ "c": { "edges": [{ "node": null }] } }),
            json!(["c", "edges", 0, "node", "limit"]),
            "{ c: customers { ...F } } fragment F on CustomerConnection { edges { node { ... on Customer { limit: creditLimit } } } }",
        );
        assert_eq!(
            data,
            json!({ "c": { "edges": [{ "node": { "limit": null } }] } })
        );
    }

    #[test]
    fn a_null_where_the_schema_promises_a_value_travels_up_to_the_nearest_nullable_place() {
        let data = failed_at(
            json!({ "customers": { "edges": [{ "node": { "id": ROOT } }] } }),
            json!(["customers", "edges", 0, "node", "name"]),
            "{ customers { edges { node { id name } } } }",
        );
        assert_eq!(data, json!(null), "every place up to the root is non-null");
    }

    #[test]
    fn a_failed_mutation_field_is_null_and_its_siblings_stand() {
        let data = failed_at(
            json!({ "a": { "id": ROOT } }),
            json!(["b"]),
            "mutation { a: addToCart(skuId: \"x\") { id } b: addToCart(skuId: \"y\") { id } }",
        );
        assert_eq!(data, json!({ "a": { "id": ROOT }, "b": null }));
    }
}
