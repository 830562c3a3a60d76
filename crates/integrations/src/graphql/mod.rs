//! The integrations API: webhook subscriptions, their events and deliveries, and integration
//! tokens. Every field needs `integrations.manage`; secrets and tokens are never readable — a
//! signing secret is returned once, when created or rotated, and a token only by its last four
//! characters.

mod inputs;
mod loaders;
mod mutation;
mod query;
mod subscription;
pub mod types;

pub use mutation::IntegrationsMutation;
pub use query::IntegrationsQuery;
pub use subscription::IntegrationsSubscription;
