//! Real time: GraphQL subscriptions over WebSocket (`socket`), fed by the outbox through one
//! listening connection per instance (`hub`). See `docs/architecture.md`, "Live events".

pub mod hub;
pub mod socket;

pub use hub::LiveHub;
