//! The intelligence crate's errors and their API codes.

use leora_catalog::error::CatalogError;
use leora_compliance::error::ComplianceError;
use leora_tenancy::{ApiError, ErrorCode, Refusal, TenancyError};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum IntelligenceError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("forbidden: {reason}")]
    Forbidden { reason: &'static str },
    #[error("cannot {action} {entity} that is {from}")]
    InvalidTransition {
        entity: &'static str,
        from: String,
        action: &'static str,
    },
    /// Stock a sample pull cannot take (`INSUFFICIENT_INVENTORY`, with what is available).
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Compliance(#[from] ComplianceError),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl IntelligenceError {
    pub(crate) fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Refusal::bad_input(field, message).into()
    }

    pub(crate) fn not_found(entity: &'static str) -> Self {
        Refusal::NotFound { entity }.into()
    }

    pub(crate) fn invalid_transition(
        entity: &'static str,
        from: impl Into<String>,
        action: &'static str,
    ) -> Self {
        Self::InvalidTransition {
            entity,
            from: from.into(),
            action,
        }
    }
}

impl ApiError for IntelligenceError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Refused(refusal) => refusal.code(),
            Self::Forbidden { .. } => ErrorCode::Forbidden,
            Self::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Self::Catalog(error) => error.code(),
            Self::Compliance(error) => error.code(),
            Self::Tenancy(error) => error.code(),
            Self::Database(_) => ErrorCode::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Refused(refusal) => refusal.field(),
            Self::Catalog(error) => error.field(),
            Self::Compliance(error) => error.field(),
            Self::Tenancy(error) => error.field(),
            _ => None,
        }
    }

    fn details(&self) -> Vec<(&'static str, async_graphql::Value)> {
        match self {
            Self::Catalog(error) => error.details(),
            _ => Vec::new(),
        }
    }
}
