//! The HTTP surface.

mod health;

use axum::Router;
use axum::routing::get;
use leora_tenancy::TenantDb;
use sea_orm::DatabaseConnection;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: TenantDb,
    /// The raw pool, for health checks only; tenant data is reached through `db`.
    pub pool: DatabaseConnection,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .with_state(state)
}
