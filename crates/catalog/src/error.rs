//! The catalog crate's errors and their API codes.

use leora_tenancy::{ApiError, ErrorCode, TenancyError};
use sea_orm::DbErr;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
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
    #[error("{reason}")]
    Forbidden { reason: &'static str },
    /// A portal user named another customer than its own for a price.
    #[error("forbidden: portal users see only their own prices")]
    OtherCustomersPrice,
    #[error(
        "insufficient inventory for sku {sku_code}: {requested} requested, {available} available"
    )]
    InsufficientInventory {
        sku_id: Uuid,
        sku_code: String,
        requested: i32,
        available: i32,
    },
    #[error(transparent)]
    Tenancy(#[from] TenancyError),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl CatalogError {
    pub(crate) fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            field,
            message: message.into(),
        }
    }

    pub(crate) fn conflict(field: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field,
            message: message.into(),
        }
    }
}

impl ApiError for CatalogError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::BadInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict { .. } => ErrorCode::Conflict,
            Self::Forbidden { .. } | Self::OtherCustomersPrice => ErrorCode::Forbidden,
            Self::InsufficientInventory { .. } => ErrorCode::InsufficientInventory,
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

/// `DbErr::RecordNotUpdated` (an update matched no row the transaction may see) as `NotFound`.
pub(crate) fn not_found(entity: &'static str, error: DbErr) -> CatalogError {
    match error {
        DbErr::RecordNotUpdated => CatalogError::NotFound { entity },
        error => error.into(),
    }
}
