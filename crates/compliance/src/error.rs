//! The compliance crate's errors and their API codes.

use leora_tenancy::{ApiError, ErrorCode, Refusal, TenancyError};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum ComplianceError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl ComplianceError {
    pub(crate) fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Refusal::bad_input(field, message).into()
    }
}

impl ApiError for ComplianceError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Refused(refusal) => refusal.code(),
            Self::Tenancy(error) => error.code(),
            Self::Database(_) => ErrorCode::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Refused(refusal) => refusal.field(),
            Self::Tenancy(error) => error.field(),
            _ => None,
        }
    }
}
