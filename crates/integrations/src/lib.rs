//! Integrations: webhook subscriptions, the event outbox and its deliveries, and third-party tokens.

pub mod entities;
pub mod events;
