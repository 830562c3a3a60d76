//! SeaORM entities for the sales-intelligence tables: rep activities and call plans, tasks,
//! account health snapshots, sales metrics, and notifications.

pub mod account_health_snapshots;
pub mod activities;
pub mod call_plans;
pub mod enums;
pub mod notifications;
pub mod sales_metrics;
pub mod tasks;
