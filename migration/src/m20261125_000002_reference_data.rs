//! The permission catalogue and the five system roles every tenant shares (tenant_id NULL).
//! They are reference data, so they ship with the schema and only a migration can change them.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0002_reference_data.up.sql");
const DOWN_SQL: &str = include_str!("sql/0002_reference_data.down.sql");

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP_SQL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(DOWN_SQL)
            .await?;
        Ok(())
    }
}
