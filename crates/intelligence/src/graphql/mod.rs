//! The intelligence API: the rep workflow (activities, sample approvals, call plans, tasks),
//! account health, sales metrics and depletion reports, notifications, and expiring customer
//! licences.

mod inputs;
pub mod loaders;
mod mutation;
mod query;
mod subscription;
pub mod types;

pub use mutation::IntelligenceMutation;
pub use query::IntelligenceQuery;
pub use subscription::IntelligenceSubscription;
