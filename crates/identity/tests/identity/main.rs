//! The identity services against a real PostgreSQL, run as the server runs them: in tenant
//! transactions as the application role, under row-level security. Tenants and customers are
//! created with raw SQL as the owner; everything else goes through the services.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

mod access_tokens;
mod administration;
mod authentication;
mod demo;
mod password_reset;
mod portal_users;
mod refresh_and_logout;
mod sign_in;
mod support;
