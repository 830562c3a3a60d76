//! The integrations crate's errors and their API codes.

use crate::crypto::CryptoError;
use leora_tenancy::{ApiError, ErrorCode, Refusal, TenancyError};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum IntegrationsError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("{message}")]
    InvalidTransition { message: String },
    /// A secret that cannot be sealed or opened: a key problem, never the caller's.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl IntegrationsError {
    pub(crate) fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Refusal::bad_input(field, message).into()
    }

    pub(crate) fn invalid_transition(message: impl Into<String>) -> Self {
        Self::InvalidTransition {
            message: message.into(),
        }
    }
}

impl ApiError for IntegrationsError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Refused(refusal) => refusal.code(),
            Self::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Self::Tenancy(error) => error.code(),
            Self::Crypto(_) | Self::Database(_) => ErrorCode::Internal,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Refused(refusal) => refusal.field(),
            _ => None,
        }
    }
}
