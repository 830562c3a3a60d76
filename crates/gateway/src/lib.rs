//! The Leora server: configuration, start-up checks, and the HTTP surface that stitches every
//! domain crate into one tenant-scoped API.

// The merged schema nests deeply enough (one MergedObject per domain, each merging several
// objects) that computing its resolver futures needs more than the default recursion limit.
#![recursion_limit = "256"]

pub mod commands;
pub mod config;
pub mod cost;
pub mod errors;
pub mod http;
pub mod live;
pub mod results;
pub mod savepoints;
pub mod schema;
pub mod startup;
pub mod telemetry;

pub use http::{AppState, router};
