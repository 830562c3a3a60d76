//! Integrations: webhook subscriptions and the worker that delivers the outbox's events to them,
//! and encrypted third-party tokens. The outbox itself (`leora_tenancy::events`) belongs to the
//! kernel: every domain crate records its events there, and webhooks and subscriptions both
//! consume them above the domain crates.
//!
//! - [`worker`] fans events out into deliveries and sends them, signed ([`signature`]), with
//!   retries; run it with [`run_worker`].
//! - [`graphql`] is the API (`IntegrationsQuery`, `IntegrationsMutation`); it needs an
//!   `Arc<IntegrationsSettings>` in the request data.
//! - [`crypto::SecretBox`] holds the AES-256-GCM keys from `LEORA_ENCRYPTION_KEYS`;
//!   [`service::keys::verify_encryption_keys`] checks them against the database at start-up.

pub mod crypto;
pub mod entities;
pub mod error;
pub mod graphql;
pub mod safety;
pub mod service;
pub mod settings;
pub mod signature;
pub mod worker;

pub use crypto::{DEVELOPMENT_KEY_ID, ENCRYPTION_KEYS_ENV, KeyError, SecretBox};
pub use error::IntegrationsError;
pub use safety::UrlPolicy;
pub use service::keys::{KeyCheckError, verify_encryption_keys};
pub use settings::IntegrationsSettings;
pub use worker::retry::RetryPolicy;
pub use worker::sender::ClientBuildError;
pub use worker::{Worker, WorkerConfig, WorkerSetupError, run_worker};
