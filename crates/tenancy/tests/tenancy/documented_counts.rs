//! The counts the docs quote (tables, tenant tables, permissions, indexes, policies) are the
//! migrated database's, so a migration that changes one fails here until the
//! docs say so.

use super::count;
use leora_test_db::TestDatabase;

/// Every "<number> <noun>" in README.md and docs/, as (file, number, noun).
fn quoted_counts(nouns: &[&str]) -> Vec<(String, i64, String)> {
    let mut found = Vec::new();
    for (file, text) in leora_test_db::docs::markdown_files().unwrap() {
        for noun in nouns {
            let phrase = format!(" {noun}");
            for (at, _) in text.match_indices(&phrase) {
                // The digits right before the space, as a word of their own ("37 tables").
                let before = &text[..at];
                let digits: String = before
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_digit)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let word_start = before[..before.len() - digits.len()].chars().next_back();
                let standalone = word_start.is_none_or(|c| c == ' ' || c == '(' || c == '\n');
                if let (Ok(number), true) = (digits.parse::<i64>(), standalone) {
                    found.push((file.clone(), number, (*noun).to_owned()));
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn the_counts_the_docs_quote_are_the_migrated_databases() {
    let database = TestDatabase::new().await;
    let owner = database.connect().await;
    let tables = count(
        &owner,
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'seaql_migrations'",
        [],
    )
    .await;
    let tenant_tables = count(
        &owner,
        "SELECT count(*) FROM information_schema.columns c JOIN pg_tables t
           ON t.schemaname = c.table_schema AND t.tablename = c.table_name
          WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'",
        [],
    )
    .await;
    let permissions = count(&owner, "SELECT count(*) FROM permissions", []).await;
    let indexes = count(
        &owner,
        "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'seaql_migrations'",
        [],
    )
    .await;
    let policies = count(
        &owner,
        "SELECT count(*) FROM pg_policies WHERE schemaname = 'public'",
        [],
    )
    .await;
    // "Migration 10 adds N restrictive policies": the docs quote those too.
    let restrictive = count(
        &owner,
        "SELECT count(*) FROM pg_policies WHERE schemaname = 'public' AND permissive = 'RESTRICTIVE'",
        [],
    )
    .await;
    let quoted = quoted_counts(&[
        "tables",
        "tenant tables",
        "permissions",
        "indexes",
        "policies",
    ]);
    assert!(quoted.len() >= 8, "{quoted:?}");
    let wrong: Vec<_> = quoted
        .into_iter()
        .filter(|(_, number, noun)| {
            let actual = match noun.as_str() {
                "tables" => [tables, tenant_tables].contains(number),
                "tenant tables" => *number == tenant_tables,
                "permissions" => *number == permissions,
                "policies" => [policies, restrictive].contains(number),
                _ => *number == indexes,
            };
            !actual
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "the database has {tables} tables ({tenant_tables} with tenant_id), {permissions} \
         permissions, {indexes} indexes and {policies} policies; the docs say otherwise in \
         {wrong:?}"
    );
}
