//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers and
//! its schema is current), for load balancers and orchestrators.

use super::AppState;
use crate::startup::pending_migrations;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let unavailable = |reason: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "reason": reason })),
        )
    };
    if let Err(error) = state.pool.ping().await {
        tracing::warn!(%error, "readiness: database unreachable");
        return unavailable("database unreachable");
    }
    match pending_migrations(&state.pool).await {
        Ok(0) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Ok(pending) => {
            tracing::warn!(pending, "readiness: migrations pending");
            unavailable("migrations pending")
        }
        Err(error) => {
            tracing::warn!(%error, "readiness: migration status unknown");
            unavailable("database unreachable")
        }
    }
}
