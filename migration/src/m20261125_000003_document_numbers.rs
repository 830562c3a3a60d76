//! Per-tenant counters for gapless order and invoice numbers, and the cart lifetime setting.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0003_document_numbers.up.sql");
const DOWN_SQL: &str = include_str!("sql/0003_document_numbers.down.sql");

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
