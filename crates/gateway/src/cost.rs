//! What one HTTP request may cost, checked before anything executes. Each field is priced by
//! the rows it may produce (`leora_tenancy::graphql::cost`: a page costs `first` × its items, a
//! capped list its cap × its items); the operations of one request, batched or not, share one
//! budget; and an operation names a bounded number of root fields (aliases included). Past
//! either, the request is refused with `QUERY_TOO_EXPENSIVE`, the computed cost and the limit in
//! `extensions`. See `docs/architecture.md`, "What a request may cost".

use crate::errors::coded;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Positioned, ServerError, ValidationResult};
use leora_tenancy::ErrorCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cost the operations of one request have spent so far; shared by a batch's operations.
#[derive(Debug, Default)]
pub struct RequestBudget {
    spent: AtomicUsize,
}

/// Prices every operation after validation and refuses those the request cannot afford.
pub struct CostLimit {
    pub limit: usize,
}

impl ExtensionFactory for CostLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostCheck { limit: self.limit })
    }
}

struct CostCheck {
    limit: usize,
}

#[async_graphql::async_trait::async_trait]
impl Extension for CostCheck {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let spent = match ctx.data_opt::<Arc<RequestBudget>>() {
            Some(budget) => budget
                .spent
                .fetch_add(result.complexity, Ordering::Relaxed)
                .saturating_add(result.complexity),
            None => result.complexity,
        };
        if spent > self.limit {
            return Err(vec![too_expensive(
                format!(
                    "the request would cost {spent}, more than the {} one request may spend: ask \
                     for smaller pages (`first`), fewer nested lists or fewer operations",
                    self.limit
                ),
                spent,
                self.limit,
            )]);
        }
        Ok(result)
    }
}

/// The error of a request refused for its cost.
pub fn too_expensive(message: String, cost: usize, limit: usize) -> ServerError {
    let mut error = coded(ErrorCode::QueryTooExpensive, message);
    if let Some(extensions) = error.extensions.as_mut() {
        extensions.set("cost", cost);
        extensions.set("limit", limit);
    }
    error
}

/// The names of the root fields (aliases and fragments spread at the root included, so one name
/// may stand several times) the operation a request runs selects; `None` when the document names
/// no single operation to run, which execution then reports.
pub fn root_fields<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<Vec<&'a str>> {
    let operation = selected_operation(document, operation_name)?;
    let mut names = Vec::new();
    collect_fields(document, &operation.node.selection_set, 0, &mut names);
    Some(names)
}

/// The operation a request runs: the one named, or the document's only one.
pub fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match &document.operations {
        DocumentOperations::Single(operation) => Some(operation),
        DocumentOperations::Multiple(operations) => match operation_name {
            Some(name) => operations.get(name),
            None if operations.len() == 1 => operations.values().next(),
            None => None,
        },
    }
}

/// Fragment cycles are refused by validation; the depth guard only keeps this walk finite
/// before validation has run.
fn collect_fields<'a>(
    document: &'a ExecutableDocument,
    selection_set: &'a Positioned<SelectionSet>,
    depth: usize,
    names: &mut Vec<&'a str>,
) {
    if depth > 16 {
        return;
    }
    for selection in &selection_set.node.items {
        match &selection.node {
            Selection::Field(field) => names.push(field.node.name.node.as_str()),
            Selection::InlineFragment(fragment) => {
                collect_fields(document, &fragment.node.selection_set, depth + 1, names);
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    collect_fields(document, &fragment.node.selection_set, depth + 1, names);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn roots(query: &str, operation: Option<&str>) -> Option<usize> {
        root_fields(&parse_query(query).unwrap(), operation).map(|names| names.len())
    }

    #[test]
    fn root_fields_count_aliases_and_fragments_spread_at_the_root() {
        assert_eq!(
            roots("{ a: me { id } b: me { id } __typename }", None),
            Some(3)
        );
        assert_eq!(
            roots(
                "query Q { ...F ... on Query { me { id } } } fragment F on Query { x y }",
                None
            ),
            Some(3)
        );
        assert_eq!(roots("query A { a } query B { b c }", Some("B")), Some(2));
        assert_eq!(roots("query A { a } query B { b c }", None), None);
        let document = parse_query(
            "mutation { x: login { a } ...F } fragment F on Mutation { refreshSession }",
        )
        .unwrap();
        assert_eq!(
            root_fields(&document, None),
            Some(vec!["login", "refreshSession"])
        );
    }
}
