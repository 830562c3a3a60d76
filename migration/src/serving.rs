//! Which databases a binary may serve, so that deploys roll instead of stopping
//! (`docs/database/MIGRATION_GUIDE.md`, "Rolling deploys").
//!
//! Migrations are expand-then-contract. An *expand* migration (a new table, a nullable column, an
//! index, a new function) leaves every query of the previous release working, so a binary keeps
//! serving a database that has applied migrations newer than its own, while the new release rolls
//! out. A *contract* migration (dropping or renaming what an earlier release still reads, tightening
//! a constraint it may break) is named with the suffix [`BREAKING_SUFFIX`]: no binary that lacks it
//! may serve once it is applied, and it is applied only after every older binary has gone.
//!
//! A binary never serves a database that lacks one of its own migrations.

use sea_orm_migration::MigratorTrait;
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DbErr, Statement, TransactionSession, TransactionTrait,
};

use crate::Migrator;

/// Ends the name of a migration older binaries cannot serve (`m20270110_000021_drop_legacy_breaking`).
pub const BREAKING_SUFFIX: &str = "_breaking";

/// How the database's applied migrations compare with this binary's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaState {
    /// This binary's migrations the database has not applied.
    pub pending: Vec<String>,
    /// Applied migrations this binary does not know: a newer release's.
    pub newer: Vec<String>,
}

impl SchemaState {
    /// The newer migrations that forbid this binary to serve.
    pub fn breaking(&self) -> Vec<&str> {
        self.newer
            .iter()
            .map(String::as_str)
            .filter(|name| name.ends_with(BREAKING_SUFFIX))
            .collect()
    }

    /// Whether this binary may serve the database: nothing of its own pending, nothing newer that
    /// breaks it.
    pub fn servable(&self) -> bool {
        self.pending.is_empty() && self.breaking().is_empty()
    }
}

/// Reads the applied migrations (sea-orm's `seaql_migrations`; none on an empty database) and
/// compares them with [`Migrator`]'s. The reads run in a transaction of their own, so that they
/// may go through a transaction-mode pooler: a statement outside a transaction is prepared and
/// executed in two exchanges, which such a pooler may send to two different server connections
/// (`docs/database/README.md`, "Behind PgBouncer").
pub async fn schema_state(db: &impl TransactionTrait) -> Result<SchemaState, DbErr> {
    let tx = db.begin().await?;
    let state = read_schema_state(&tx).await?;
    tx.commit().await?;
    Ok(state)
}

async fn read_schema_state(db: &impl ConnectionTrait) -> Result<SchemaState, DbErr> {
    let sql = |text: &str| Statement::from_string(db.get_database_backend(), text.to_owned());
    let tracked = db
        .query_one_raw(sql(
            "SELECT to_regclass('seaql_migrations') IS NOT NULL AS tracked",
        ))
        .await?
        .map(|row| row.try_get::<bool>("", "tracked"))
        .transpose()?
        .unwrap_or(false);
    let applied: Vec<String> = if tracked {
        db.query_all_raw(sql("SELECT version FROM seaql_migrations ORDER BY version"))
            .await?
            .iter()
            .map(|row| row.try_get::<String>("", "version"))
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    let own: Vec<String> = Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect();
    Ok(compare(&own, &applied))
}

fn compare(own: &[String], applied: &[String]) -> SchemaState {
    SchemaState {
        pending: own
            .iter()
            .filter(|name| !applied.contains(name))
            .cloned()
            .collect(),
        newer: applied
            .iter()
            .filter(|name| !own.contains(name))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn newer_expand_migrations_are_served_and_a_newer_breaking_one_is_not() {
        let own = names(&["m1_schema", "m2_orders"]);
        let current = compare(&own, &own);
        assert!(current.servable() && current.newer.is_empty());
        let expanded = compare(&own, &names(&["m1_schema", "m2_orders", "m3_add_notes"]));
        assert_eq!(expanded.newer, names(&["m3_add_notes"]));
        assert!(expanded.servable());
        let contracted = compare(
            &own,
            &names(&[
                "m1_schema",
                "m2_orders",
                "m3_add_notes",
                "m4_drop_legacy_breaking",
            ]),
        );
        assert_eq!(contracted.breaking(), ["m4_drop_legacy_breaking"]);
        assert!(!contracted.servable());
        let behind = compare(&own, &names(&["m1_schema"]));
        assert_eq!(behind.pending, names(&["m2_orders"]));
        assert!(!behind.servable());
    }
}
