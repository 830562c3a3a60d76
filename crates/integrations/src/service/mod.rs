//! The integration rules as plain functions over a tenant transaction: subscriptions and their
//! secrets, the outbox, deliveries, integration tokens, and the start-up key check. The GraphQL
//! layer and the worker call these; tests call them directly.

pub mod deliveries;
pub mod keys;
pub mod outbox;
pub mod queue;
pub mod subscriptions;
pub mod tokens;
mod validate;
