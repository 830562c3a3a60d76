//! Intelligence services on a real PostgreSQL, through tenant transactions as the application role,
//! for each kind of principal; fixtures are written and results read back as the owner.
//!
//! The organisation in every test: a manager with two reps (rep1, rep2), a third rep (rep3) on
//! no one's team, an admin; customers c1 → rep1, c2 → rep2, c3 → rep3, c4 unassigned; portal users
//! for c1 and c2. A second tenant exists to prove nothing crosses over.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod activities;
mod call_plans;
mod depletions;
mod graphql;
mod health;
mod licences;
mod metrics;
mod notifications;
mod samples;
mod support;
mod tasks;
