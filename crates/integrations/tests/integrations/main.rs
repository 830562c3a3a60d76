//! Webhooks and integration tokens on a real PostgreSQL, with real HTTP receivers on 127.0.0.1.
//! Services and workers run through tenant transactions as the application role; fixtures are
//! written and results read back as the owner, bypassing both.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod delivery;
mod isolation;
mod receiver;
mod safety;
mod secrets;
mod support;
