//! What a field costs in the query-cost count (async-graphql's complexity), so a query is priced
//! by the rows it may produce, not by the fields it names. A connection costs its page size times
//! what is selected inside it; a list capped by a domain rule costs that cap times its items; so
//! nested lists multiply. The gateway refuses, before execution, a request whose operations
//! together cost more than the configured limit (see `docs/architecture.md`, "What a request may
//! cost").
//!
//! Use on a resolver: `#[graphql(complexity = "cost::page(first, child_complexity)")]` or
//! `#[graphql(complexity = "cost::capped(MAX_LINES, child_complexity)")]`.

use super::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// A connection field: `first` (the default page when absent; out-of-range values are refused
/// by the resolver, and priced here at the largest page) items, each costing what is selected.
pub fn page(first: Option<i32>, child_complexity: usize) -> usize {
    let size = first.map_or(DEFAULT_PAGE_SIZE, |n| {
        u64::try_from(n).map_or(MAX_PAGE_SIZE, |n| n.min(MAX_PAGE_SIZE))
    });
    capped(
        usize::try_from(size).unwrap_or(usize::MAX),
        child_complexity,
    )
}

/// A list a domain rule caps at `cap` items.
pub fn capped(cap: usize, child_complexity: usize) -> usize {
    cap.saturating_mul(child_complexity.max(1))
        .saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_costs_its_size_times_its_items_and_nested_lists_multiply() {
        assert_eq!(page(Some(10), 3), 31);
        assert_eq!(page(None, 3), 61);
        assert_eq!(page(Some(1000), 1), 101);
        assert_eq!(page(Some(-5), 1), 101);
        assert_eq!(page(Some(100), capped(500, 4)), 100 * 2001 + 1);
        assert_eq!(capped(usize::MAX, 2), usize::MAX);
    }
}
