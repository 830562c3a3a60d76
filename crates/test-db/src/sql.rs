//! Raw-SQL helpers for tests' fixtures and assertions. They panic with the statement on failure:
//! a fixture that does not apply is a broken test, never a skipped one.

pub use leora_tenancy::sql::stmt;
use sea_orm::{ConnectionTrait, TryGetable, Value};
use uuid::Uuid;

/// Runs a statement that returns nothing the test needs.
pub async fn exec(conn: &impl ConnectionTrait, sql: &str, values: impl IntoIterator<Item = Value>) {
    if let Err(error) = conn.execute_raw(stmt(sql, values)).await {
        panic!("fixture statement failed: {error}\n{sql}");
    }
}

/// Runs an `INSERT … RETURNING id` and returns the id.
pub async fn insert(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> Uuid {
    scalar(conn, sql, values).await
}

/// Runs a statement that returns one row and returns its first column.
pub async fn scalar<T: TryGetable>(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> T {
    match conn.query_one_raw(stmt(sql, values)).await {
        Ok(Some(row)) => row.try_get_by_index(0).unwrap_or_else(|error| {
            let wanted = std::any::type_name::<T>();
            panic!("the statement's first column is not a {wanted}: {error}\n{sql}")
        }),
        Ok(None) => panic!("the statement returned no row\n{sql}"),
        Err(error) => panic!("fixture statement failed: {error}\n{sql}"),
    }
}
