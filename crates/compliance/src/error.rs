//! The compliance crate's errors and their API codes.

use leora_tenancy::{ApiError, ErrorCode, TenancyError};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum ComplianceError {
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{field}: {message}")]
    BadInput {
        field: &'static str,
        message: String,
    },
    #[error("{message}")]
    Conflict {
        field: &'static str,
        message: String,
    },
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl ComplianceError {
    pub(crate) fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            field,
            message: message.into(),
        }
    }
}

impl ApiError for ComplianceError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::BadInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict { .. } => ErrorCode::Conflict,
            Self::Tenancy(error) => error.code(),
            Self::Database(_) => ErrorCode::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::BadInput { field, .. } | Self::Conflict { field, .. } => Some(field),
            Self::Tenancy(error) => error.field(),
            _ => None,
        }
    }
}
