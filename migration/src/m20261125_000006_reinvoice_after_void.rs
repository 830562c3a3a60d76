//! An order whose invoice was voided can be invoiced again; one live invoice per order.

use sea_orm_migration::prelude::*;

pub const UP_SQL: &str = include_str!("sql/0006_reinvoice_after_void.up.sql");
const DOWN_SQL: &str = include_str!("sql/0006_reinvoice_after_void.down.sql");

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
