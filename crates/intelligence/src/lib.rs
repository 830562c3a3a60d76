//! Intelligence: rep activities, call plans, tasks, account health, sales metrics and notifications.

pub mod entities;
pub mod error;
pub mod graphql;
pub mod service;

pub use error::IntelligenceError;
pub use service::job::{HealthRunSummary, refresh_account_health, refresh_all_tenants};
