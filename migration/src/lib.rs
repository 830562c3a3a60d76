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
mod m20261204_000008_suspended_tenants_rest;
mod m20261204_000009_idempotency_per_customer;
mod m20261204_000010_rls_defence_in_depth;
mod m20261204_000011_order_obligations;
mod m20261204_000012_payment_refunds;
mod m20261204_000013_account_scope;
mod m20261204_000014_allocations;
mod m20261204_000015_password_resets;
mod m20261205_000016_portal_password_resets;
mod m20261205_000017_live_events;
mod m20261205_000018_queue_metrics;
mod m20261205_000019_list_sort_indexes;
pub mod serving;

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

pub struct Migrator;

/// The SQL a migration's `up` runs: fixed, or written for the application role.
enum UpSql {
    Fixed(&'static str),
    ForRole(fn(&app_role::AppRole) -> String),
}

type NewMigration = fn() -> Box<dyn MigrationTrait>;

/// Every migration in order, with its `up` SQL: the one list both the migrator and the
/// fingerprint read, so neither can miss a migration the other has.
const MIGRATIONS: [(NewMigration, UpSql); 19] = [
    (
        || Box::new(m20261125_000001_schema::Migration),
        UpSql::ForRole(m20261125_000001_schema::up_sql),
    ),
    (
        || Box::new(m20261125_000002_reference_data::Migration),
        UpSql::Fixed(m20261125_000002_reference_data::UP_SQL),
    ),
    (
        || Box::new(m20261125_000003_document_numbers::Migration),
        UpSql::Fixed(m20261125_000003_document_numbers::UP_SQL),
    ),
    (
        || Box::new(m20261125_000004_webhook_worker::Migration),
        UpSql::ForRole(m20261125_000004_webhook_worker::up_sql),
    ),
    (
        || Box::new(m20261125_000005_job_tenants::Migration),
        UpSql::ForRole(m20261125_000005_job_tenants::up_sql),
    ),
    (
        || Box::new(m20261125_000006_reinvoice_after_void::Migration),
        UpSql::Fixed(m20261125_000006_reinvoice_after_void::UP_SQL),
    ),
    (
        || Box::new(m20261125_000007_analytics_manage::Migration),
        UpSql::Fixed(m20261125_000007_analytics_manage::UP_SQL),
    ),
    (
        || Box::new(m20261204_000008_suspended_tenants_rest::Migration),
        UpSql::Fixed(m20261204_000008_suspended_tenants_rest::UP_SQL),
    ),
    (
        || Box::new(m20261204_000009_idempotency_per_customer::Migration),
        UpSql::Fixed(m20261204_000009_idempotency_per_customer::UP_SQL),
    ),
    (
        || Box::new(m20261204_000010_rls_defence_in_depth::Migration),
        UpSql::ForRole(m20261204_000010_rls_defence_in_depth::up_sql),
    ),
    (
        || Box::new(m20261204_000011_order_obligations::Migration),
        UpSql::Fixed(m20261204_000011_order_obligations::UP_SQL),
    ),
    (
        || Box::new(m20261204_000012_payment_refunds::Migration),
        UpSql::Fixed(m20261204_000012_payment_refunds::UP_SQL),
    ),
    (
        || Box::new(m20261204_000013_account_scope::Migration),
        UpSql::ForRole(|_| m20261204_000013_account_scope::up_sql()),
    ),
    (
        || Box::new(m20261204_000014_allocations::Migration),
        UpSql::ForRole(m20261204_000014_allocations::up_sql),
    ),
    (
        || Box::new(m20261204_000015_password_resets::Migration),
        UpSql::ForRole(m20261204_000015_password_resets::up_sql),
    ),
    (
        || Box::new(m20261205_000016_portal_password_resets::Migration),
        UpSql::ForRole(|_| m20261205_000016_portal_password_resets::up_sql()),
    ),
    (
        || Box::new(m20261205_000017_live_events::Migration),
        UpSql::ForRole(m20261205_000017_live_events::up_sql),
    ),
    (
        || Box::new(m20261205_000018_queue_metrics::Migration),
        UpSql::ForRole(m20261205_000018_queue_metrics::up_sql),
    ),
    (
        || Box::new(m20261205_000019_list_sort_indexes::Migration),
        UpSql::Fixed(m20261205_000019_list_sort_indexes::UP_SQL),
    ),
];

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        MIGRATIONS
            .iter()
            .map(|(migration, _)| migration())
            .collect()
    }
}

/// A stable digest of everything the migrations would execute for `app_role`.
///
/// Test harnesses name their migrated template database after it, so a changed migration gets a
/// fresh template instead of a stale one.
pub fn fingerprint(app_role: &app_role::AppRole) -> String {
    let text: String = MIGRATIONS
        .iter()
        .map(|(_, up)| match up {
            UpSql::Fixed(sql) => (*sql).to_owned(),
            UpSql::ForRole(sql) => sql(app_role),
        })
        .collect();
    // FNV-1a: stable across Rust releases, unlike `DefaultHasher`.
    let digest = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{digest:016x}")
}
