//! The Leora server: configuration, start-up checks, and the HTTP surface that stitches every
//! domain crate into one tenant-scoped API.

pub mod commands;
pub mod config;
pub mod cost;
pub mod errors;
pub mod http;
pub mod results;
pub mod savepoints;
pub mod schema;
pub mod startup;

pub use http::{AppState, router};
