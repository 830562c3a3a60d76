//! The list of active tenants for scheduled jobs, granted to the application role only.

use crate::app_role::{AppRole, migration_role};
use sea_orm_migration::prelude::*;

const FUNCTION_UP: &str = include_str!("sql/0005_job_tenants.up.sql");
const DOWN_SQL: &str = include_str!("sql/0005_job_tenants.down.sql");

pub fn up_sql(role: &AppRole) -> String {
    format!("{FUNCTION_UP}\nGRANT EXECUTE ON FUNCTION active_tenant_ids() TO {role};\n")
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&up_sql(&migration_role()?))
            .await?;
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
