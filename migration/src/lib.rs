//! Leora's database schema: tables, constraints, indexes, row-level security and grants.
//!
//! Every migration is plain SQL (checked in under `src/sql/`) plus the row-level-security policies
//! generated from [`isolation::tables`], so the whole schema can be read, reviewed and fingerprinted
//! as text.

/// A migration that runs checked-in SQL: `up` and `down` are the scripts (`&str` expressions,
/// evaluated when the migration runs, so they may use `?` on the application role's name).
macro_rules! sql_migration {
    (up: $up:expr, down: $down:expr $(,)?) => {
        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                manager.get_connection().execute_unprepared($up).await?;
                Ok(())
            }

            async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                manager.get_connection().execute_unprepared($down).await?;
                Ok(())
            }
        }
    };
}

pub mod app_role;
pub mod isolation;
mod m20261125_000001_schema;
mod m20261125_000002_reference_data;
mod m20261125_000003_document_numbers;
mod m20261125_000004_webhook_worker;
mod m20261125_000005_job_tenants;
mod m20261125_000006_reinvoice_after_void;
mod m20261125_000007_analytics_manage;

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_schema::Migration),
            Box::new(m20261125_000002_reference_data::Migration),
            Box::new(m20261125_000003_document_numbers::Migration),
            Box::new(m20261125_000004_webhook_worker::Migration),
            Box::new(m20261125_000005_job_tenants::Migration),
            Box::new(m20261125_000006_reinvoice_after_void::Migration),
            Box::new(m20261125_000007_analytics_manage::Migration),
        ]
    }
}

/// A stable digest of everything the migrations would execute for `app_role`.
///
/// Test harnesses name their migrated template database after it, so a changed migration gets a
/// fresh template instead of a stale one.
pub fn fingerprint(app_role: &app_role::AppRole) -> String {
    let mut text = String::new();
    text.push_str(&m20261125_000001_schema::up_sql(app_role));
    text.push_str(m20261125_000002_reference_data::UP_SQL);
    text.push_str(m20261125_000003_document_numbers::UP_SQL);
    text.push_str(&m20261125_000004_webhook_worker::up_sql(app_role));
    text.push_str(&m20261125_000005_job_tenants::up_sql(app_role));
    text.push_str(m20261125_000006_reinvoice_after_void::UP_SQL);
    text.push_str(m20261125_000007_analytics_manage::UP_SQL);
    // FNV-1a: stable across Rust releases, unlike `DefaultHasher`.
    let digest = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{digest:016x}")
}
