//! Raw SQL shared by every crate: building a PostgreSQL statement, reading which integrity
//! constraint refused one, and telling a statement cut off by its deadline.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, RuntimeErr, Statement, Value, sqlx};

/// A PostgreSQL statement with `$n` parameters.
pub fn stmt(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// The number a `SELECT count(*) …` statement answers (0 when it answers no row), for the caps
/// that bound what one list of the API can return.
pub async fn count(db: &impl ConnectionTrait, statement: Statement) -> Result<usize, DbErr> {
    let row = db.query_one_raw(statement).await?;
    let count = row
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// An integrity constraint that refused a statement, by name, so a write can say which field
/// conflicts or which referenced row is missing. Only for explaining the refusal: the transaction
/// is aborted and must be rolled back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Violation<'a> {
    /// SQLSTATE 23505.
    Unique(&'a str),
    /// SQLSTATE 23503.
    ForeignKey(&'a str),
    /// SQLSTATE 23P01.
    Exclusion(&'a str),
}

/// The constraint PostgreSQL named when it refused a statement with a unique, foreign-key or
/// exclusion violation; `None` for every other error. The SQLSTATE is read from the driver's error
/// because SeaORM's `DbErr::sql_err` does not classify exclusion violations.
pub fn violated_constraint(error: &DbErr) -> Option<Violation<'_>> {
    let driver = database_error(error)?;
    let constraint = driver.constraint()?;
    match driver.code()?.as_ref() {
        "23505" => Some(Violation::Unique(constraint)),
        "23503" => Some(Violation::ForeignKey(constraint)),
        "23P01" => Some(Violation::Exclusion(constraint)),
        _ => None,
    }
}

/// Whether PostgreSQL cancelled the statement (SQLSTATE 57014): a request transaction's
/// `statement_timeout` ran out (see `docs/architecture.md`, "Deadlines").
pub fn is_statement_timeout(error: &DbErr) -> bool {
    database_error(error)
        .and_then(|driver| driver.code())
        .as_deref()
        == Some("57014")
}

/// Whether `error` says PostgreSQL could not be reached or went away: no connection within the
/// pool's acquire timeout, a connection that broke (I/O), or the server refusing or ending
/// sessions while it shuts down or starts up (SQLSTATE class 08, 57P01–57P03). Such a request
/// may be sent again once the database is back (see `docs/architecture.md`, "When PostgreSQL
/// goes away").
pub fn is_database_unavailable(error: &DbErr) -> bool {
    let driver = match error {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(driver))
        | DbErr::Exec(RuntimeErr::SqlxError(driver))
        | DbErr::Query(RuntimeErr::SqlxError(driver)) => driver.as_ref(),
        _ => return false,
    };
    match driver {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(database) => database.code().is_some_and(|code| {
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

/// The first [`DbErr`] in `error`'s chain of sources: crates wrap it in their own enums.
pub fn database_cause<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a DbErr> {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(database) = error.downcast_ref::<DbErr>() {
            return Some(database);
        }
        cause = error.source();
    }
    None
}

fn database_error(error: &DbErr) -> Option<&dyn sqlx::error::DatabaseError> {
    let (DbErr::Exec(RuntimeErr::SqlxError(driver))
    | DbErr::Query(RuntimeErr::SqlxError(driver))
    | DbErr::Conn(RuntimeErr::SqlxError(driver))) = error
    else {
        return None;
    };
    match driver.as_ref() {
        sqlx::Error::Database(driver) => Some(driver.as_ref()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_that_are_not_the_database_refusing_a_statement_name_no_constraint() {
        assert_eq!(violated_constraint(&DbErr::RecordNotUpdated), None);
        assert_eq!(
            violated_constraint(&DbErr::Custom("duplicate key".into())),
            None
        );
        assert!(!is_statement_timeout(&DbErr::Custom("timeout".into())));
    }
}
