//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers and
//! this release may serve its schema: nothing pending, nothing newer that breaks it), for load
//! balancers and orchestrators.

use super::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use leora_migration::serving::schema_state;
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
    match schema_state(&state.pool).await {
        Ok(schema) if schema.servable() => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Ok(schema) if !schema.pending.is_empty() => {
            tracing::warn!(
                pending = schema.pending.len(),
                "readiness: migrations pending"
            );
            unavailable("migrations pending")
        }
        Ok(schema) => {
            tracing::warn!(
                breaking = schema.breaking().join(", "),
                "readiness: a newer release's breaking migration is applied"
            );
            unavailable("schema too new for this release")
        }
        Err(error) => {
            tracing::warn!(%error, "readiness: migration status unknown");
            unavailable("database unreachable")
        }
    }
}
