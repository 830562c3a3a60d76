//! SeaORM entities for the integration tables: webhook subscriptions, the event outbox, delivery
//! attempts, and encrypted third-party tokens.

pub mod integration_tokens;
pub mod webhook_deliveries;
pub mod webhook_events;
pub mod webhook_subscriptions;
