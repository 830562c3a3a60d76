//! The standard sea-orm migrator CLI (`up`, `down`, `status`, `fresh`, …), connecting through
//! `DIRECT_URL` when set (migrations must bypass a transaction-mode pooler), else `DATABASE_URL`.

use leora_migration::Migrator;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{Database, DbErr};

#[tokio::main]
async fn main() {
    cli::run_cli_with_custom_connection(Migrator, async || {
        let url = std::env::var("DIRECT_URL")
            .or_else(|_| std::env::var("DATABASE_URL"))
            .map_err(|_| {
                DbErr::Custom("set DIRECT_URL or DATABASE_URL to the database to migrate".into())
            })?;
        Database::connect(url).await
    })
    .await;
}
